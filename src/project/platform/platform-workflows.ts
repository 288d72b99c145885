import { github, javascript } from 'projen';
import { PlatformEnvironmentModel, PlatformModel } from './platform-model';
import { renderTemplate } from '../files/template-file';
import { branchPolicyStep } from '../workflows/deploy-workflow';
import { addDiffToUpgradeWorkflow, infrastructureDiffWorkflow } from '../workflows/diff-workflow';
import { HardenedWorkflows } from '../workflows/projen-workflows';
import { infrastructureTestJob } from '../workflows/test-workflow';
import { MAIN_BRANCH, newWorkflow, READ, WORKFLOW_TIMEOUTS, WRITE } from '../workflows/workflow-context';
import { awsCredentialsStep, checkoutStep, DEPLOY_ROLE_VARIABLE, expr, nodeSetupSteps, requireVariableStep } from '../workflows/workflow-steps';

type JobStep = github.workflows.JobStep;

/** Options of `PlatformWorkflows`. */
export interface PlatformWorkflowsProps {
  readonly workflows?: boolean;
  readonly workflowRunsOn?: string[];
}

/**
 * The platform repository's GitHub Actions workflows, built from the service repository's
 * pieces (the same test job, pinned actions, OIDC credentials, branch-policy check, hardening):
 *
 * - `test.yml` on pull requests and pushes to other branches (and called by
 *   `deploy-staging.yml`): generated files up to date, type-check, lint, tests (the app's
 *   compliance test), `cdk synth` with the compliance gate.
 * - `deploy-staging.yml` on pushes to `main`: the tests, then `cdk deploy` of the staging
 *   platform stack in the GitHub environment `staging`.
 * - `deploy-production.yml` by hand from `main`, in the GitHub environment `production`
 *   (required reviewers gate it): `cdk deploy` of the production platform stack at the commit
 *   given, which must be on `main` and deployed to staging by a successful `deploy-staging.yml`.
 *
 * AWS access is OIDC only: each deploy job assumes the `<platform>-<environment>-deploy` role
 * the platform stack creates (the GitHub environment's `AWS_DEPLOY_ROLE_ARN`), which may only
 * assume the account's CDK bootstrap roles. The first deploy of each stack creates that role
 * and the OIDC provider, so an administrator runs it (PLATFORM.md).
 */
export class PlatformWorkflows extends HardenedWorkflows {
  public readonly test?: github.GithubWorkflow;
  public readonly deploys: github.GithubWorkflow[] = [];
  /** `infrastructure-diff.yml`, as the service repositories have it. */
  public readonly infrastructureDiff?: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, model: PlatformModel, options: PlatformWorkflowsProps = {}) {
    super(project);
    const gh = this.gh;
    if (options.workflows === false || !gh) return;
    const ctx = {
      runsOn: options.workflowRunsOn ?? ['ubuntu-latest'],
      nodeVersion: model.nodeVersion,
      installCommand: project.package.installCommand,
    };

    const test = newWorkflow(gh, 'test', `test-${expr('github.ref')}`);
    test.on({ pullRequest: {}, push: { branches: ['**', `!${MAIN_BRANCH}`] }, workflowCall: {} });
    test.file?.addOverride('concurrency.cancel-in-progress', expr(`github.ref != 'refs/heads/${MAIN_BRANCH}'`));
    test.addJobs({ infrastructure: infrastructureTestJob(ctx, false) });
    this.test = test;
    this.infrastructureDiff = infrastructureDiffWorkflow(gh, ctx);
    const upgrade = gh.tryFindWorkflow('upgrade');
    if (upgrade) addDiffToUpgradeWorkflow(upgrade);

    for (const env of model.environments) {
      const automatic = env === model.staging;
      const workflow = newWorkflow(gh, `deploy-${env.environment}`, `deploy-${env.environment}`);
      if (automatic) {
        workflow.on({ push: { branches: [MAIN_BRANCH] } });
        workflow.addJobs({
          test: { uses: './.github/workflows/test.yml', permissions: { contents: READ } },
        });
      } else {
        workflow.on({
          workflowDispatch: {
            inputs: {
              commit: {
                description: 'Commit of main to deploy, as deployed to staging by deploy-staging.yml (the full 40-character SHA)',
                required: true,
                type: 'string',
              },
            },
          },
        });
      }
      workflow.addJobs({
        deploy: {
          name: `Deploy the ${env.environment} platform`,
          runsOn: ctx.runsOn,
          ...(automatic ? { needs: ['test'] } : {}),
          // Production only from main; the environment's deployment branch policy is checked too.
          if: `github.ref == 'refs/heads/${MAIN_BRANCH}'`,
          environment: { name: env.environment },
          permissions: { contents: READ, idToken: WRITE, actions: READ },
          timeoutMinutes: WORKFLOW_TIMEOUTS.deploy,
          env: { AWS_REGION: model.region, STACK: env.stackName },
          steps: deploySteps(model, env, ctx.nodeVersion, ctx.installCommand, automatic ? undefined : model.staging),
        },
      });
      this.deploys.push(workflow);
    }
  }
}

/**
 * Production deploys the commit staging deployed, not whatever `main` holds when someone
 * starts the workflow: the input must be a full SHA on `main` with a successful
 * `deploy-staging.yml` run.
 */
function stagingVerifiedStep(staging: PlatformEnvironmentModel): JobStep {
  return {
    name: `Check that ${staging.environment} deployed this commit`,
    env: { GH_TOKEN: expr('github.token'), COMMIT: expr('inputs.commit') },
    run: [
      'set -euo pipefail',
      'if ! [[ "$COMMIT" =~ ^[0-9a-f]{40}$ ]]; then',
      '  echo "::error::commit \"$COMMIT\" must be the full 40-character SHA of a commit deploy-staging.yml deployed"; exit 1',
      'fi',
      `runs=$(gh api "repos/$GITHUB_REPOSITORY/actions/workflows/deploy-${staging.environment}.yml/runs?head_sha=$COMMIT&status=success&per_page=1" --jq .total_count)`,
      'if [ "$runs" -eq 0 ]; then',
      `  echo "::error::deploy-${staging.environment}.yml has no successful run for $COMMIT: let it deploy the commit to ${staging.environment} first"; exit 1`,
      'fi',
      `status=$(gh api "repos/$GITHUB_REPOSITORY/compare/${MAIN_BRANCH}...$COMMIT" --jq .status)`,
      'if [ "$status" != "identical" ] && [ "$status" != "behind" ]; then',
      `  echo "::error::$COMMIT is not on ${MAIN_BRANCH} (compare status: $status)"; exit 1`,
      'fi',
    ].join('\n'),
  };
}

function deploySteps(
  model: PlatformModel,
  env: PlatformEnvironmentModel,
  nodeVersion: string,
  installCommand: string,
  verifiedIn?: PlatformEnvironmentModel,
): JobStep[] {
  return [
    branchPolicyStep(env),
    ...(verifiedIn ? [stagingVerifiedStep(verifiedIn)] : []),
    requireVariableStep(
      DEPLOY_ROLE_VARIABLE,
      `in the GitHub environment ${env.environment}`,
      `Set it to the DeployRoleArn output of the stack ${env.stackName} (the first deploy is an administrator's: see PLATFORM.md).`,
    ),
    checkoutStep(verifiedIn ? expr('inputs.commit') : undefined),
    ...nodeSetupSteps(nodeVersion, installCommand),
    awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, env.deployRoleName, `Assume the ${env.environment} platform deploy role`),
    {
      name: `Deploy ${env.stackName}`,
      run: renderTemplate('platform/deploy-platform.sh.hbs', { platformName: model.platformName }),
    },
  ];
}
