import { github, javascript } from 'projen';
import { buildWorkflow } from './build-workflow';
import { deployWorkflow } from './deploy-workflow';
import { addDiffToUpgradeWorkflow, infrastructureDiffWorkflow } from './diff-workflow';
import { HardenedWorkflows } from './projen-workflows';
import { testWorkflow } from './test-workflow';
import { WorkflowContext } from './workflow-context';
import { ServiceWorkflowsProps } from './workflow-validation';
import { ServiceModel } from '../service-model';

/**
 * The service's GitHub Actions workflows, rendered through projen's `GithubWorkflow` from the
 * same model as the stack and the scripts:
 *
 * - `test.yml` on pull requests and pushes to other branches (and called by `build.yml`):
 *   generated files up to date, type-check, lint, unit tests with coverage, `cdk synth` with the
 *   compliance gate; the app's lint and tests against PostgreSQL and Redis service containers.
 * - `build.yml` on pushes to `main`: the tests, then the image, built once with a layer cache,
 *   tagged with the commit SHA, pushed to staging's ECR repository only, scanned (fails on
 *   CRITICAL findings), its digest recorded as a job output and an artifact.
 * - `deploy-staging.yml` after a successful build of `main`, in the GitHub environment
 *   `staging`; then, once staging verified the image, its `promote` job copies that image by
 *   digest to production's repository. `deploy-production.yml` by hand with a promoted image, in
 *   the GitHub environment `production` (required reviewers). Both deploy the stack only when
 *   its template differs from the deployed one, then call `scripts/aws-deploy.sh` (tag the image
 *   as deployed, migrate, roll out, verify health through the load balancer, roll back on
 *   failure).
 *
 * - `infrastructure-diff.yml` on every pull request: synthesizes the base and the pull request
 *   offline and fails when a stateful resource would be replaced or removed without an entry in
 *   `infrastructure/replacements-ack.json`; projen's `upgrade.yml` puts the kit versions and the
 *   same diff in the upgrade pull request's body.
 *
 * AWS access is OIDC only: each job that needs it assumes a role whose ARN is a GitHub variable.
 * Every third-party action is pinned to a commit (`workflow-actions.ts`), in these workflows
 * and in projen's own.
 */
export class ServiceWorkflows extends HardenedWorkflows {
  /** `test.yml`, when generated. */
  public readonly test?: github.GithubWorkflow;
  /** `build.yml`, when generated. */
  public readonly build?: github.GithubWorkflow;
  /** `deploy-<environment>.yml` of each environment (staging first), when generated. */
  public readonly deploys: github.GithubWorkflow[] = [];
  /** `infrastructure-diff.yml`, when generated. */
  public readonly infrastructureDiff?: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, model: ServiceModel, options: ServiceWorkflowsProps = {}) {
    super(project);
    const gh = this.gh;
    // The options were checked with every other option, in `resolveServiceModel`.
    if (options.workflows === false || !gh) return;

    const context: WorkflowContext = {
      model,
      runsOn: options.workflowRunsOn ?? ['ubuntu-latest'],
      nodeVersion: model.nodeVersion,
      installCommand: project.package.installCommand,
      extraTestSteps: options.workflowExtraTestSteps ?? [],
      extraDeploySteps: options.workflowExtraDeploySteps ?? [],
    };
    this.test = testWorkflow(gh, context);
    this.build = buildWorkflow(gh, context, this.test);
    for (const environment of model.environments) {
      this.deploys.push(deployWorkflow(gh, context, environment, this.build));
    }
    this.infrastructureDiff = infrastructureDiffWorkflow(gh, context);
    const upgrade = gh.tryFindWorkflow('upgrade');
    if (upgrade) addDiffToUpgradeWorkflow(upgrade);
  }
}
