import { cellText } from './format';
import { cdkExecutionPolicyName, partitionOf } from '../../../core/cdk-execution-policy';
import { DEPLOYED_IMAGE_TAG_PREFIX, DEPLOYED_IMAGES_KEPT } from '../../../core/defaults';
import { DeploymentEnvironment } from '../../../core/deployment-environment';
import { MIN_ACK_REASON_LENGTH, REPLACEMENTS_ACK_FILE, STATEFUL_RESOURCE_TYPES } from '../../../core/stateful-resources';
import { CDK_EXECUTION_POLICY_PATH, cdkExecutionPolicyFor } from '../../infrastructure/cdk-execution-policy-file';
import { StackFacts } from '../../infrastructure/stack-facts';
import { EnvironmentModel, ServiceModel } from '../../service-model';
import { MAIN_BRANCH, WORKFLOW_TIMEOUTS } from '../../workflows/workflow-context';
import { defaultHealthUrl, DEPLOY_ROLE_VARIABLE, HEALTH_URL_VARIABLE, PROJEN_TOKEN_SECRET, publishRoleVariable } from '../../workflows/workflow-steps';

/** What a pull request must pass, as GitHub names it. */
export interface PullRequestChecks {
  /** Job names of the test workflow: the status checks to require on the main branch. */
  readonly testJobs: string[];
  /** Job name of `pull-request-lint.yml`, when the project has it. */
  readonly titleJob?: string;
  /** The conventional prefixes a pull request title must start with. */
  readonly titleTypes: string[];
}

/** The workflows as the CI/CD, deployment and monitoring guides describe them. */
export function ciDocs(
  model: ServiceModel,
  facts: StackFacts[],
  projenSecrets: string[],
  checks: PullRequestChecks = { testJobs: [], titleTypes: [] },
) {
  return {
    ci: {
      requiredChecks: [...checks.testJobs, ...(checks.titleJob ? [checks.titleJob] : [])],
      testJobs: checks.testJobs,
      titleJob: checks.titleJob,
      titleTypes: checks.titleTypes,
      upgradeSecret: projenSecrets[0],
      mainBranch: MAIN_BRANCH,
      deployRoleVariable: DEPLOY_ROLE_VARIABLE,
      healthUrlVariable: HEALTH_URL_VARIABLE,
      timeouts: WORKFLOW_TIMEOUTS,
      environments: facts.map((f) => ({
        name: f.environment,
        publishRoleVariable: publishRoleVariable(f.environment),
        publishRole: f.deployRoles.find((r) => r.purpose.startsWith('publish'))!,
        deployRole: f.deployRoles.find((r) => r.purpose.startsWith('deploy'))!,
      })),
      settings: ciSettings(model, projenSecrets),
      productionPublishRoleVariable: publishRoleVariable(DeploymentEnvironment.PRODUCTION),
      deployedTagPrefix: DEPLOYED_IMAGE_TAG_PREFIX,
      deployedImagesKept: DEPLOYED_IMAGES_KEPT,
      // The infrastructure diff of every pull request (`infrastructure-diff.yml`).
      ackFile: REPLACEMENTS_ACK_FILE,
      minAckReasonLength: MIN_ACK_REASON_LENGTH,
      statefulTypes: STATEFUL_RESOURCE_TYPES.map((t) => `\`${t}\``).join(', '),
    },
  };
}

/** The bootstrap section of the setup guide. */
export function bootstrapDocs(model: ServiceModel) {
  return { bootstrap: bootstrapContext(model) };
}

/**
 * Every secret and variable the workflows read, with where it lives and what it holds. The
 * CI/CD guide's table is rendered from this list; a test checks it against the workflows.
 */
function ciSettings(model: ServiceModel, projenSecrets: string[]) {
  const [staging, production] = model.environments;
  const outputsOf = (e: EnvironmentModel, output: string) => `stack output \`${output}\` of \`${e.settings.names.stackName}\``;
  const healthWhere = model.environments
    .map((e) => `${e.environment}: ${defaultHealthUrl(e.settings) ? `optional (default \`${defaultHealthUrl(e.settings)}\`)` : '**required** (no domainName)'}`)
    .join('; ');
  const rows = [
    { name: DEPLOY_ROLE_VARIABLE, kind: 'variable', where: 'environments `staging` and `production`', value: `${outputsOf(staging, 'DeployRoleArn')} in \`staging\`, of \`${production.settings.names.stackName}\` in \`production\``, readBy: 'deploy-staging.yml, deploy-production.yml' },
    { name: publishRoleVariable(staging.environment), kind: 'variable', where: 'repository', value: outputsOf(staging, 'PublishRoleArn'), readBy: 'build.yml (push), deploy-staging.yml (promote: pull)' },
    { name: publishRoleVariable(production.environment), kind: 'variable', where: 'repository', value: `${outputsOf(production, 'PublishRoleArn')}; while unset, staging deploys on its own and nothing is promoted`, readBy: 'deploy-staging.yml (promote: push)' },
    { name: HEALTH_URL_VARIABLE, kind: 'variable', where: `environments (${healthWhere})`, value: `the https URL the deploy verifies, on a name the certificate covers, such as \`https://api.example.com${model.healthCheckPath}\`; the checks connect to the load balancer, so DNS need not point there yet`, readBy: 'deploy-staging.yml, deploy-production.yml' },
    ...projenSecrets.map((name) => ({
      name,
      kind: 'secret',
      where: 'repository (Settings > Secrets and variables > Actions > Secrets)',
      value: name === PROJEN_TOKEN_SECRET
        ? `a fine-grained personal access token for \`${model.githubRepository}\` only, with Contents: read and write, Pull requests: read and write, Workflows: read and write (Metadata: read is implied), and an expiry; the pull request it opens then runs \`test.yml\`, which one made with \`GITHUB_TOKEN\` would not, and it may change \`.github/workflows/\`, which \`GITHUB_TOKEN\` may not`
        : 'GitHub App credentials (`projenCredentials`): the app, installed on this repository only, needs Contents, Pull requests and Workflows read and write',
      readBy: 'upgrade.yml (projen\'s daily dependency upgrade pull request)',
    })),
  ];
  return rows.map((r) => ({ ...r, value: cellText(r.value) }));
}

/** The CDK bootstrap with the generated execution policy, for the setup guide. */
function bootstrapContext(model: ServiceModel) {
  const policy = cdkExecutionPolicyFor(model) as { Statement: { Sid: string; Action: string | string[] }[] };
  const services = policy.Statement.find((st) => st.Sid === 'ServicesOfTheStacks')!.Action as string[];
  return {
    policyName: cdkExecutionPolicyName(model.serviceName),
    policyPath: CDK_EXECUTION_POLICY_PATH,
    relativePolicyPath: `../${CDK_EXECUTION_POLICY_PATH}`,
    partition: partitionOf(model.region),
    serviceCount: services.length,
  };
}
