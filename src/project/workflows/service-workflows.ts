import { Component, github, javascript } from 'projen';
import { localPostgresImage, localRedisImage } from '../container/compose-files';
import { EnvironmentModel, ServiceModel } from '../service-model';
import { ACTION_PINS, pinProjectActions, uses } from './workflow-actions';
import { polishWorkflowFile } from './workflow-file';
import { ServiceWorkflowsOptions } from './workflow-options';
import {
  appToolchain,
  awsCredentialsStep,
  checkoutStep,
  defaultHealthUrl,
  DEPLOY_ROLE_VARIABLE,
  expr,
  HEALTH_URL_VARIABLE,
  nodeSetupSteps,
  publishRoleVariable,
  requireVariableStep,
  scanCheckStep,
  script,
} from './workflow-steps';
import { SERVICE_DEFAULTS, TASK_PLATFORM } from '../../core/defaults';
import { END_OF_LIFE_WARNING_DAYS } from '../../core/runtime-currency';
import { assertValid } from '../../core/validation';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

const READ = github.workflows.JobPermission.READ;
const WRITE = github.workflows.JobPermission.WRITE;

/**
 * The branch whose pushes build images: the publish roles trust only `refs/heads/main`
 * (`GithubDeployRole`'s default publish branch).
 */
export const MAIN_BRANCH = 'main';

/** Job time limits, in minutes. */
export const WORKFLOW_TIMEOUTS = {
  /** Install, drift check, compile, tests and `cdk synth` of the infrastructure; the app's tests. */
  test: 30,
  /** Image build (cached), push to staging's repository and its scan (up to 5 minutes). */
  build: 45,
  /** Copy of the image staging verified to production's repository, and that scan. */
  promote: 30,
  /**
   * `cdk deploy` plus the deploy tool: migration and rollout (its own limit, 30 minutes) and,
   * on failure, the rollback (15 more), so the job never stops the tool half-way.
   */
  deploy: 120,
  /** Jobs of other workflows (projen's own) that set no limit. */
  other: 30,
} as const;

/** Name of the artifact, and of the JSON file in it, that `build.yml` records the image in. */
export const IMAGE_RECORD = 'image';

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
 * AWS access is OIDC only: each job that needs it assumes a role whose ARN is a GitHub variable.
 * Every third-party action is pinned to a commit (`workflow-actions.ts`), in these workflows
 * and in projen's own.
 */
export class ServiceWorkflows extends Component {
  /** `test.yml`, when generated. */
  public readonly test?: github.GithubWorkflow;
  /** `build.yml`, when generated. */
  public readonly build?: github.GithubWorkflow;
  /** `deploy-<environment>.yml` of each environment (staging first), when generated. */
  public readonly deploys: github.GithubWorkflow[] = [];

  /** projen's own workflows (made before this component), hardened at synth time. */
  private readonly projenWorkflows: github.GithubWorkflow[];

  constructor(project: javascript.NodeProject, model: ServiceModel, options: ServiceWorkflowsProps = {}) {
    super(project);
    const gh = github.GitHub.of(project);
    assertValid(validateWorkflowOptions(options, gh !== undefined), 'HardenedServiceProject options');
    this.projenWorkflows = gh ? [...gh.workflows] : [];
    if (gh) pinProjectActions(gh);
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
  }

  /**
   * Version comments beside the pins in every workflow of the project (any added later in
   * `.projenrc.ts` included); projen's own workflows also get top-level read-only permissions
   * and a time limit on each job that has none.
   */
  public preSynthesize(): void {
    const gh = github.GitHub.of(this.project);
    if (!gh) return;
    for (const workflow of gh.workflows) polishWorkflowFile(workflow);
    for (const workflow of this.projenWorkflows) hardenWorkflow(workflow);
  }
}

/** Options of `ServiceWorkflows`: its own, and the projen options that concern workflows. */
export interface ServiceWorkflowsProps extends ServiceWorkflowsOptions {
  /** Runner labels of every job. @default ["ubuntu-latest"] */
  readonly workflowRunsOn?: string[];
  /** Node.js version of the jobs that run the CDK app. @default - `minNodeVersion`, else "24" (the LTS line of the currency table) */
  readonly workflowNodeVersion?: string;
  /** projen's generic build workflow, which would also be `build.yml`. @default false */
  readonly buildWorkflow?: boolean;
}

/** Problems with the workflow options, each naming the option, the value and the fix. */
export function validateWorkflowOptions(options: ServiceWorkflowsProps, hasGithub: boolean): string[] {
  const problems: string[] = [];
  if (options.workflows === true && !hasGithub) {
    problems.push('workflows is true but github is false: the workflows need the GitHub component (set github to true, or workflows to false)');
  }
  if (options.buildWorkflow === true && options.workflows !== false && hasGithub) {
    problems.push("buildWorkflow is true but the kit's build.yml replaces projen's build workflow: remove buildWorkflow, or set workflows to false");
  }
  const lists: [string, JobStep[] | undefined][] = [
    ['workflowExtraTestSteps', options.workflowExtraTestSteps],
    ['workflowExtraDeploySteps', options.workflowExtraDeploySteps],
  ];
  for (const [option, steps] of lists) {
    (steps ?? []).forEach((step, index) => {
      if (step.uses !== undefined && !isPinnedOrLocal(step.uses)) {
        problems.push(
          `${option}[${index}].uses "${step.uses}" must be pinned to a full commit SHA (owner/repo@<40 hex digits>, the release in a comment) or be a local action (./path)`,
        );
      }
    });
  }
  return problems;
}

/** `./local/action`, `owner/repo[/path]@<40 hex digits>` or `docker://image@sha256:<64 hex digits>`. */
export function isPinnedOrLocal(ref: string): boolean {
  return ref.startsWith('./') || /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) || /^docker:\/\/\S+@sha256:[0-9a-f]{64}$/.test(ref);
}

/** What every workflow is rendered from. */
interface WorkflowContext {
  readonly model: ServiceModel;
  readonly runsOn: string[];
  readonly nodeVersion: string;
  readonly installCommand: string;
  readonly extraTestSteps: JobStep[];
  readonly extraDeploySteps: JobStep[];
}

/** A workflow with top-level read-only permissions and one concurrency group. */
function newWorkflow(gh: github.GitHub, name: string, group: string): github.GithubWorkflow {
  const workflow = new github.GithubWorkflow(gh, name, {
    limitConcurrency: true,
    concurrencyOptions: { group, cancelInProgress: false },
  });
  // Jobs ask for more where they need it; nothing else gets write access.
  workflow.file?.addOverride('permissions', { contents: 'read' });
  return workflow;
}

function testWorkflow(gh: github.GitHub, ctx: WorkflowContext): github.GithubWorkflow {
  const workflow = newWorkflow(gh, 'test', `test-${expr('github.ref')}`);
  workflow.on({
    pullRequest: {},
    // `main` is tested by build.yml, which calls this workflow before it builds the image.
    push: { branches: ['**', `!${MAIN_BRANCH}`] },
    workflowCall: {},
  });
  // A newer push supersedes a branch's running tests; main's runs (inside build.yml) finish.
  workflow.file?.addOverride('concurrency.cancel-in-progress', expr(`github.ref != 'refs/heads/${MAIN_BRANCH}'`));
  const app = appTestJob(ctx);
  workflow.addJobs({
    infrastructure: infrastructureTestJob(ctx),
    app: app.job,
  });
  // GitHub reads a service container's options as one string; projen types them as a list.
  for (const [service, options] of Object.entries(app.serviceOptions)) {
    workflow.file?.addOverride(`jobs.app.services.${service}.options`, options);
  }
  return workflow;
}

function infrastructureTestJob(ctx: WorkflowContext): Job {
  const failIfChanged = (fix: string) =>
    script(
      'git add --all',
      'if ! git diff --staged --exit-code; then',
      `  echo "::error::${fix}"`,
      '  exit 1',
      'fi',
    );
  return {
    name: 'Infrastructure',
    runsOn: ctx.runsOn,
    permissions: { contents: READ },
    timeoutMinutes: WORKFLOW_TIMEOUTS.test,
    steps: [
      checkoutStep(),
      ...nodeSetupSteps(ctx.nodeVersion, ctx.installCommand),
      { name: 'Synthesize the project', run: 'npx projen' },
      {
        name: 'Check that generated files are up to date',
        run: failIfChanged('npx projen changed the files above: run npx projen and commit the result'),
      },
      {
        // A warning, not a failure: an end of life close by should not block a pull request,
        // but it shows on every run (annotations) until the option is changed.
        id: 'doctor',
        name: `Check runtime end-of-life dates (warns within ${END_OF_LIFE_WARNING_DAYS} days)`,
        run: 'npx hardened-service doctor',
        continueOnError: true,
      },
      { name: 'Type-check', run: 'npx projen compile' },
      { name: 'Unit tests with coverage, lint and format', run: 'npx projen test' },
      {
        name: 'Check that lint fixes and snapshots are committed',
        run: failIfChanged('eslint --fix or a snapshot update changed the files above: run npx projen test and commit the result'),
      },
      // The stacks register the cdk-nag packs: synthesis fails on any open finding.
      { name: 'Synthesize the stacks with the compliance gate', run: 'npx projen synth:silent' },
      uploadStep('Upload the coverage report', 'coverage-infrastructure', 'coverage/'),
    ],
  };
}

/** A service container: its image, environment, port and health check command. */
interface ServiceContainer {
  readonly image: string;
  readonly env?: Record<string, string>;
  readonly port: number;
  readonly healthCommand: string;
}

function appTestJob(ctx: WorkflowContext): { job: Job; serviceOptions: Record<string, string> } {
  const model = ctx.model;
  const toolchain = appToolchain(model);
  // Throwaway credentials of the service containers below, which live as long as the job.
  const testPassword = 'ci-only-not-secret';
  const containers: Record<string, ServiceContainer> = {};
  const env: Record<string, string> = {
    APP_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(model.containerPort),
    ALLOWED_ORIGINS: model.allowedOrigins.join(','),
  };
  if (model.database) {
    containers.postgres = {
      image: localPostgresImage(),
      env: { POSTGRES_DB: SERVICE_DEFAULTS.databaseName, POSTGRES_USER: SERVICE_DEFAULTS.databaseName, POSTGRES_PASSWORD: testPassword },
      port: SERVICE_DEFAULTS.databasePort,
      healthCommand: `pg_isready -U ${SERVICE_DEFAULTS.databaseName} -d ${SERVICE_DEFAULTS.databaseName}`,
    };
    Object.assign(env, {
      DB_HOST: '127.0.0.1',
      DB_NAME: SERVICE_DEFAULTS.databaseName,
      DB_USER: SERVICE_DEFAULTS.databaseName,
      DB_PASSWORD: testPassword,
      DB_SSLMODE: 'disable',
      DB_POOL_SIZE: String(SERVICE_DEFAULTS.dbPoolSizePerWorker),
    });
  }
  if (model.cache) {
    containers.redis = {
      image: localRedisImage(),
      port: SERVICE_DEFAULTS.cachePort,
      healthCommand: 'redis-cli ping',
    };
    Object.assign(env, {
      REDIS_HOST: '127.0.0.1',
      REDIS_PASSWORD: '',
      REDIS_TLS: 'false',
    });
  }
  // Each container port is published on a free port of the runner; the job's env cannot read
  // the `job` context, so a first step hands the ports to every later step.
  const portVariables: Record<string, string> = { postgres: 'DB_PORT', redis: 'REDIS_PORT' };
  const portStep: JobStep[] = Object.keys(containers).length === 0 ? [] : [{
    name: 'Point the app at the service containers',
    env: Object.fromEntries(
      Object.entries(containers).map(([name, c]) => [portVariables[name], expr(`job.services.${name}.ports['${c.port}']`)]),
    ),
    run: script(...Object.keys(containers).map((name) => `echo "${portVariables[name]}=$${portVariables[name]}" >> "$GITHUB_ENV"`)),
  }];
  const services = Object.fromEntries(
    Object.entries(containers).map(([name, c]) => [name, { image: c.image, ...(c.env ? { env: c.env } : {}), ports: [c.port] }]),
  );
  const serviceOptions = Object.fromEntries(
    Object.entries(containers).map(([name, c]) => [
      name,
      `--health-cmd "${c.healthCommand}" --health-interval 5s --health-timeout 5s --health-retries 20`,
    ]),
  );
  const job: Job = {
    name: 'App',
    runsOn: ctx.runsOn,
    permissions: { contents: READ },
    timeoutMinutes: WORKFLOW_TIMEOUTS.test,
    ...(Object.keys(services).length > 0 ? { services } : {}),
    env,
    defaults: { run: { workingDirectory: 'app' } },
    steps: [
      checkoutStep(),
      ...portStep,
      ...toolchain.setup,
      ...(toolchain.install ? [{ name: 'Install the app and its test tools', run: toolchain.install }] : []),
      { name: 'Lint and format check', run: model.blueprint.lintCommand },
      { name: 'Tests', run: model.blueprint.testCommand },
      ...ctx.extraTestSteps,
      uploadStep('Upload the coverage report', 'coverage-app', 'app/coverage*\napp/htmlcov/'),
    ],
  };
  return { job, serviceOptions };
}

function uploadStep(name: string, artifact: string, path: string): JobStep {
  return {
    name,
    if: 'always()',
    uses: uses(ACTION_PINS.uploadArtifact),
    with: { 'name': artifact, path, 'if-no-files-found': 'ignore', 'retention-days': 30 },
  };
}

function buildWorkflow(gh: github.GitHub, ctx: WorkflowContext, test: github.GithubWorkflow): github.GithubWorkflow {
  const model = ctx.model;
  const workflow = newWorkflow(gh, 'build', `build-${expr('github.ref')}`);
  workflow.on({ push: { branches: [MAIN_BRANCH] } });

  // Only staging's repository: production receives an image once staging verified it
  // (deploy-staging.yml's promote job), so staging never waits for production to exist.
  const published = [model.staging];
  const registryStep = (e: EnvironmentModel) => `registry-${e.environment}`;
  const scanStep = (e: EnvironmentModel) => `scan-${e.environment}`;
  const imageName = (e: EnvironmentModel) =>
    `${expr(`steps.${registryStep(e)}.outputs.registry`)}/${e.settings.names.repositoryName}:${expr('github.sha')}`;
  const publishCredentials = (e: EnvironmentModel): JobStep =>
    awsCredentialsStep(model, publishRoleVariable(e.environment), `${model.serviceName}-build`, `Assume the ${e.environment} publish role`);

  const steps: JobStep[] = [
    checkoutStep(),
    { name: 'Name the image after the commit', id: 'tag', env: { IMAGE_TAG: expr('github.sha') }, run: 'echo "tag=$IMAGE_TAG" >> "$GITHUB_OUTPUT"' },
    { name: 'Set up Docker Buildx', uses: uses(ACTION_PINS.setupBuildx) },
  ];
  for (const e of published) {
    steps.push(
      requireVariableStep(
        publishRoleVariable(e.environment),
        'in the repository (Settings > Secrets and variables > Actions > Variables)',
        `Set it to the PublishRoleArn output of the stack ${e.settings.names.stackName}.`,
      ),
      publishCredentials(e),
      {
        name: `Log in to the ${e.environment} registry`,
        id: registryStep(e),
        env: { REPOSITORY: e.settings.names.repositoryName, IMAGE_TAG: expr('github.sha') },
        run: script(
          'account="$(aws sts get-caller-identity --query Account --output text)"',
          'registry="$account.dkr.ecr.$AWS_REGION.amazonaws.com"',
          'aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"',
          'echo "registry=$registry" >> "$GITHUB_OUTPUT"',
          '# Tags are immutable: a re-run finds the image it pushed before.',
          'existing="$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$IMAGE_TAG" \\',
          '  --query \'imageDetails[0].imageDigest\' --output text 2>/dev/null || true)"',
          'echo "existing=$existing" >> "$GITHUB_OUTPUT"',
        ),
      },
    );
  }
  // A re-run of a build whose image is already in every repository (say, after a scan timed
  // out) scans that image again instead of failing to overwrite an immutable tag.
  steps.push({
    name: 'Check for an image pushed by an earlier run',
    id: 'pushed',
    env: Object.fromEntries(
      published.map((e) => [`EXISTING_${e.environment.toUpperCase()}`, expr(`steps.${registryStep(e)}.outputs.existing`)]),
    ),
    run: script(
      `digests="$(printf '%s\\n' ${published.map((e) => `"$EXISTING_${e.environment.toUpperCase()}"`).join(' ')} | sort -u)"`,
      'if [[ -z "$digests" ]]; then',
      '  echo "push=true" >> "$GITHUB_OUTPUT"',
      'elif [[ "$digests" == sha256:* && "$(wc -l <<< "$digests")" -eq 1 ]]; then',
      '  echo "Every repository has this commit\'s image already: $digests"',
      '  echo "push=false" >> "$GITHUB_OUTPUT"',
      '  echo "digest=$digests" >> "$GITHUB_OUTPUT"',
      'else',
      '  echo "::error::This commit\'s tag exists in some repositories only, or with different images (${digests//$\'\\n\'/ }): push a new commit"',
      '  exit 1',
      'fi',
    ),
  });
  steps.push({
    name: 'Build and push the image',
    id: 'build',
    if: "steps.pushed.outputs.push == 'true'",
    uses: uses(ACTION_PINS.buildPush),
    with: {
      'context': '.',
      'file': 'Dockerfile',
      'platforms': TASK_PLATFORM.imagePlatform,
      'push': true,
      'tags': published.map(imageName).join('\n'),
      'build-args': `REVISION=${expr('github.sha')}`,
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
      // One image manifest per tag: ECR scans image manifests, and an attestation index
      // would leave the tag without a scan result to wait for.
      'provenance': false,
      'sbom': false,
    },
  });
  steps.push({
    name: 'Name the image digest',
    id: 'digest',
    env: { BUILT: expr('steps.build.outputs.digest'), PUSHED_BEFORE: expr('steps.pushed.outputs.digest') },
    run: 'echo "digest=${BUILT:-$PUSHED_BEFORE}" >> "$GITHUB_OUTPUT"',
  });
  // The credentials of the last publish role are still set: scan that repository first.
  for (const [index, e] of [...published].reverse().entries()) {
    if (index > 0) steps.push(publishCredentials(e));
    steps.push(
      scanCheckStep(`Wait for the ${e.environment} scan and fail on CRITICAL findings`, scanStep(e), {
        REPOSITORY: e.settings.names.repositoryName,
        IMAGE_TAG: expr('github.sha'),
        EXPECTED_DIGEST: expr('steps.digest.outputs.digest'),
      }),
    );
  }
  steps.push(
    {
      name: 'Record the image',
      env: {
        IMAGE_TAG: expr('github.sha'),
        IMAGE_DIGEST: expr('steps.digest.outputs.digest'),
        IMAGES: published.map(imageName).join(' '),
      },
      run: script(
        `mkdir -p "$RUNNER_TEMP/${IMAGE_RECORD}"`,
        'jq -n --arg tag "$IMAGE_TAG" --arg digest "$IMAGE_DIGEST" --arg images "$IMAGES" \\',
        `  '{tag: $tag, digest: $digest, images: ($images | split(" "))}' > "$RUNNER_TEMP/${IMAGE_RECORD}/${IMAGE_RECORD}.json"`,
        '{',
        '  echo "### Image"',
        '  echo',
        '  echo "- tag: \\`$IMAGE_TAG\\`"',
        '  echo "- digest: \\`$IMAGE_DIGEST\\`"',
        '  for image in $IMAGES; do echo "- \\`$image\\`"; done',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ),
    },
    {
      name: 'Upload the image record',
      uses: uses(ACTION_PINS.uploadArtifact),
      with: {
        'name': IMAGE_RECORD,
        'path': `${expr('runner.temp')}/${IMAGE_RECORD}/${IMAGE_RECORD}.json`,
        'if-no-files-found': 'error',
        'retention-days': 90,
      },
    },
  );

  workflow.addJobs({
    test: {
      name: 'Test',
      uses: `./${test.file?.path ?? '.github/workflows/test.yml'}`,
      permissions: { contents: READ },
    },
    image: {
      name: 'Build, push and scan the image',
      needs: ['test'],
      runsOn: ctx.runsOn,
      permissions: { contents: READ, idToken: WRITE },
      timeoutMinutes: WORKFLOW_TIMEOUTS.build,
      env: { AWS_REGION: model.region },
      outputs: {
        'image-tag': { stepId: 'tag', outputName: 'tag' },
        'image-digest': { stepId: 'digest', outputName: 'digest' },
      },
      steps,
    },
  });
  return workflow;
}

function deployWorkflow(
  gh: github.GitHub,
  ctx: WorkflowContext,
  env: EnvironmentModel,
  build: github.GithubWorkflow,
): github.GithubWorkflow {
  const model = ctx.model;
  const names = env.settings.names;
  const environment = env.environment;
  const automatic = !env.settings.isProduction;
  const workflow = newWorkflow(gh, `deploy-${environment}`, `deploy-${environment}`);

  // First, before anything is downloaded or deployed: a deploy whose verification cannot pass
  // would only roll back after every rollout.
  const steps: JobStep[] = [healthUrlStep(env), branchPolicyStep(env)];
  if (automatic) {
    workflow.on({ workflowRun: { workflows: [build.name], types: ['completed'], branches: [MAIN_BRANCH] } });
    steps.push(
      {
        name: 'Download the image record of the build',
        uses: uses(ACTION_PINS.downloadArtifact),
        with: {
          'name': IMAGE_RECORD,
          'path': `${expr('runner.temp')}/${IMAGE_RECORD}`,
          'run-id': expr('github.event.workflow_run.id'),
          'github-token': expr('github.token'),
        },
      },
      {
        name: 'Read the image record',
        id: 'image',
        env: { HEAD_SHA: expr('github.event.workflow_run.head_sha') },
        run: script(
          `record="$RUNNER_TEMP/${IMAGE_RECORD}/${IMAGE_RECORD}.json"`,
          'tag="$(jq -r .tag "$record")"',
          'digest="$(jq -r .digest "$record")"',
          'if [[ "$tag" != "$HEAD_SHA" ]]; then',
          '  echo "::error::the build recorded the image $tag, but it built the commit $HEAD_SHA"',
          '  exit 1',
          'fi',
          'echo "tag=$tag" >> "$GITHUB_OUTPUT"',
          'echo "digest=$digest" >> "$GITHUB_OUTPUT"',
        ),
      },
      requireVariableStep(DEPLOY_ROLE_VARIABLE, `in the GitHub environment ${environment}`, `Set it to the DeployRoleArn output of the stack ${names.stackName}.`),
      awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Assume the ${environment} deploy role`),
    );
  } else {
    workflow.on({
      workflowDispatch: {
        inputs: {
          image: {
            description: 'Image to deploy, as verified in staging and promoted: the commit SHA it is tagged with, or its digest (sha256:...)',
            required: true,
            type: 'string',
          },
        },
      },
    });
    steps.push(
      requireVariableStep(DEPLOY_ROLE_VARIABLE, `in the GitHub environment ${environment}`, `Set it to the DeployRoleArn output of the stack ${names.stackName}.`),
      awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Assume the ${environment} deploy role`),
      {
        name: 'Find the image',
        id: 'image',
        env: { IMAGE: expr('inputs.image'), REPOSITORY: names.repositoryName },
        run: script(
          'if [[ "$IMAGE" =~ ^sha256:[0-9a-f]{64}$ ]]; then',
          '  image_id="imageDigest=$IMAGE"',
          'elif [[ "$IMAGE" =~ ^[0-9a-f]{40}$ ]]; then',
          '  image_id="imageTag=$IMAGE"',
          'else',
          '  echo "::error::image \\"$IMAGE\\" must be a full commit SHA (40 hex digits) or an image digest (sha256: and 64 hex digits)"',
          '  exit 1',
          'fi',
          '# Only deploy-staging.yml\'s promote job puts images here, after staging verified them.',
          'if ! digest="$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "$image_id" \\',
          '  --query \'imageDetails[0].imageDigest\' --output text)"; then',
          '  echo "::error::$REPOSITORY has no image $IMAGE: production deploys only images that staging verified and deploy-staging.yml promoted; deploy it to staging first"',
          '  exit 1',
          'fi',
          'tag="$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "$image_id" \\',
          '  --query \'imageDetails[0].imageTags\' --output text | tr \'\\t\' \'\\n\' | grep -E \'^[0-9a-f]{40}$\' | head -n 1 || true)"',
          'if [[ -z "$tag" ]]; then',
          '  echo "::error::$REPOSITORY has no commit-SHA tag for $IMAGE: deploy an image that build.yml pushed"',
          '  exit 1',
          'fi',
          'echo "Deploying $REPOSITORY:$tag ($digest)"',
          'echo "tag=$tag" >> "$GITHUB_OUTPUT"',
          'echo "digest=$digest" >> "$GITHUB_OUTPUT"',
        ),
      },
    );
  }

  steps.push(
    scanCheckStep('Check the image scan', 'scan', {
      REPOSITORY: names.repositoryName,
      IMAGE_TAG: expr('steps.image.outputs.tag'),
      EXPECTED_DIGEST: expr('steps.image.outputs.digest'),
    }),
    {
      name: 'Share the image with later steps',
      env: { TAG: expr('steps.image.outputs.tag'), DIGEST: expr('steps.image.outputs.digest') },
      run: script('echo "IMAGE_TAG=$TAG" >> "$GITHUB_ENV"', 'echo "IMAGE_DIGEST=$DIGEST" >> "$GITHUB_ENV"'),
    },
    // The infrastructure and the scripts of the image's own commit.
    checkoutStep(expr('steps.image.outputs.tag')),
    ...nodeSetupSteps(ctx.nodeVersion, ctx.installCommand),
    infrastructureStep(),
    // Role sessions last an hour: a fresh one covers the deploy tool's 30 minutes and its
    // 15-minute rollback, however long CloudFormation took.
    awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Renew the ${environment} deploy role session`),
    {
      // The same script a person runs by hand: tag the image as deployed, migrate, roll out,
      // verify, roll back on failure. The health checks connect to the load balancer and
      // verify the certificate against the health URL's host, so they pass before DNS does.
      name: 'Migrate, roll out, verify (rolls back on failure)',
      run: script('scripts/aws-deploy.sh -e "$DEPLOY_ENVIRONMENT" -t "$IMAGE_TAG" -u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"'),
    },
    ...ctx.extraDeploySteps,
    {
      name: 'Show the service after a failure',
      if: "failure() && steps.install.outcome == 'success'",
      run: 'npx hardened-service status --cluster "$CLUSTER" --service "$SERVICE" --image-tag-parameter "$IMAGE_TAG_PARAMETER"',
    },
    {
      name: 'Summarize the deployment',
      if: 'success()',
      run: script(
        '{',
        '  echo "### Deployed to $DEPLOY_ENVIRONMENT"',
        '  echo',
        '  echo "- image: \\`$REPOSITORY:$IMAGE_TAG\\`"',
        '  echo "- digest: \\`$IMAGE_DIGEST\\`"',
        '  echo "- service: $SERVICE_URL"',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ),
    },
  );

  workflow.addJobs({
    deploy: {
      name: `Deploy to ${environment}`,
      runsOn: ctx.runsOn,
      // Only successful builds of pushes to main deploy, and production only from main.
      if: automatic
        ? "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'"
        : `github.ref == 'refs/heads/${MAIN_BRANCH}'`,
      environment: { name: environment, url: expr('steps.infrastructure.outputs.service-url') },
      // actions: read also lets the job read its GitHub environment's deployment branch policy.
      permissions: { contents: READ, idToken: WRITE, actions: READ },
      timeoutMinutes: WORKFLOW_TIMEOUTS.deploy,
      outputs: {
        'image-tag': { stepId: 'image', outputName: 'tag' },
        'image-digest': { stepId: 'image', outputName: 'digest' },
      },
      env: {
        AWS_REGION: model.region,
        DEPLOY_ENVIRONMENT: environment,
        STACK: names.stackName,
        CLUSTER: names.clusterName,
        SERVICE: names.serviceName,
        REPOSITORY: names.repositoryName,
        IMAGE_TAG_PARAMETER: names.imageTagParameter,
      },
      steps,
    },
  });
  if (automatic && model.environments.some((e) => e.settings.isProduction)) {
    workflow.addJobs({ promote: promoteJob(ctx, env, model.production) });
  }
  return workflow;
}

/**
 * The verified health URL: the GitHub environment's HEALTH_URL, else the domain's; without
 * either the job fails here, before any deploy step, naming the fix.
 */
/**
 * The deploy role trusts every job of the GitHub environment (the OIDC subject GitHub sends
 * cannot name a branch), so what keeps a branch out is the environment's deployment branch
 * policy. This step reads it and fails unless only `main` may deploy; where the token cannot
 * read it, it warns instead of blocking the deploy.
 */
function branchPolicyStep(env: EnvironmentModel): JobStep {
  const fix = `In Settings > Environments > ${env.environment} > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch ${MAIN_BRANCH}`;
  return {
    name: 'Check that only main can deploy to this environment',
    env: { GH_TOKEN: expr('github.token'), ENVIRONMENT: env.environment },
    run: script(
      'api="repos/$GITHUB_REPOSITORY/environments/$ENVIRONMENT"',
      'if ! policy="$(gh api "$api" --jq \'.deployment_branch_policy\' 2>&1)"; then',
      `  echo "::warning::could not read the deployment branch policy of the environment $ENVIRONMENT ($policy); make sure only ${MAIN_BRANCH} can deploy to it. ${fix}."`,
      '  exit 0',
      'fi',
      'if [[ -z "$policy" || "$policy" == null ]]; then',
      `  echo "::error::every branch can deploy to the GitHub environment $ENVIRONMENT, and with it assume the deploy role. ${fix}."`,
      '  exit 1',
      'fi',
      'if [[ "$(jq -r .custom_branch_policies <<< "$policy")" != true ]]; then',
      `  echo "::error::the GitHub environment $ENVIRONMENT admits every protected branch, not only ${MAIN_BRANCH}. ${fix}."`,
      '  exit 1',
      'fi',
      'allowed="$(gh api "$api/deployment-branch-policies" --jq \'[.branch_policies[] | "\\(.type // "branch"):\\(.name)"] | join(" ")\')"',
      `if [[ "$allowed" != "branch:${MAIN_BRANCH}" ]]; then`,
      `  echo "::error::the GitHub environment $ENVIRONMENT admits $allowed; only branch:${MAIN_BRANCH} may deploy. ${fix}."`,
      '  exit 1',
      'fi',
      `echo "Only ${MAIN_BRANCH} can deploy to $ENVIRONMENT"`,
    ),
  };
}

function healthUrlStep(env: EnvironmentModel): JobStep {
  const fallback = defaultHealthUrl(env.settings);
  const names = env.settings.names;
  return {
    name: 'Choose the health URL',
    id: 'health',
    env: { HEALTH_URL: expr(`vars.${HEALTH_URL_VARIABLE}`), DOMAIN_HEALTH_URL: fallback ?? '' },
    run: script(
      'url="${HEALTH_URL:-$DOMAIN_HEALTH_URL}"',
      'if [[ -z "$url" ]]; then',
      `  echo "::error::The variable ${HEALTH_URL_VARIABLE} is not set in the GitHub environment ${env.environment}, and the stack ${names.stackName} has no domainName: its ServiceUrl is the load balancer's DNS name, which the certificate can never match. Set ${HEALTH_URL_VARIABLE} to https://<a name the certificate covers>${env.settings.healthCheckPath} (DNS need not point at the load balancer yet), or set domainName in .projenrc.ts."`,
      '  exit 1',
      'fi',
      'if [[ "$url" != https://* ]]; then',
      `  echo "::error::${HEALTH_URL_VARIABLE} \\"$url\\" must be an https:// URL whose host the certificate covers"`,
      '  exit 1',
      'fi',
      'echo "Verifying $url (through the load balancer)"',
      'echo "HEALTH_CHECK_URL=$url" >> "$GITHUB_ENV"',
    ),
  };
}

/**
 * `cdk deploy` only when the stack's template differs from the deployed one: the stack reads
 * the image tag from an SSM parameter, so the CDK CLI never skips a deploy on its own, and each
 * one rolls the service out with the previous image before the deploy tool rolls out the new
 * one. The CDK CLI's own differ decides; an error of the diff (no such stack yet, say) deploys.
 * Then the outputs the rest of the job needs, from the stack itself.
 */
function infrastructureStep(): JobStep {
  const output = (key: string) => `"$(jq -r '.[] | select(.OutputKey == "${key}") | .OutputValue' <<< "$outputs")"`;
  return {
    name: 'Deploy the infrastructure if it changed',
    id: 'infrastructure',
    run: script(
      'if npx cdk diff --no-change-set --fail "$STACK"; then',
      '  echo "The template of $STACK is the deployed one: no cdk deploy, the deploy tool does the only rollout"',
      '  echo "deployed=false" >> "$GITHUB_OUTPUT"',
      'else',
      '  echo "The template of $STACK differs from the deployed one, or the diff failed: cdk deploy"',
      '  npx cdk deploy "$STACK" --require-approval never',
      '  echo "deployed=true" >> "$GITHUB_OUTPUT"',
      'fi',
      'outputs="$(aws cloudformation describe-stacks --stack-name "$STACK" --query \'Stacks[0].Outputs\' --output json)"',
      `service_url=${output('ServiceUrl')}`,
      `load_balancer=${output('LoadBalancerDnsName')}`,
      'if [[ -z "$service_url" || -z "$load_balancer" ]]; then',
      '  echo "::error::the stack $STACK has no ServiceUrl or LoadBalancerDnsName output: deploy it with scripts/aws-deploy.sh -i first"',
      '  exit 1',
      'fi',
      'echo "service-url=$service_url" >> "$GITHUB_OUTPUT"',
      'echo "SERVICE_URL=$service_url" >> "$GITHUB_ENV"',
      'echo "LOAD_BALANCER_DNS_NAME=$load_balancer" >> "$GITHUB_ENV"',
    ),
  };
}

/**
 * After a verified staging deploy, copies exactly that image (by digest, `skopeo copy
 * --preserve-digests`) from staging's repository to production's, which is all
 * deploy-production.yml accepts. No GitHub environment: its OIDC subject is the main
 * branch's ref, which the publish roles trust. Skipped while the production publish role's
 * variable is unset, so staging runs on its own until production exists.
 */
function promoteJob(ctx: WorkflowContext, from: EnvironmentModel, to: EnvironmentModel): Job {
  const model = ctx.model;
  const sourceVariable = publishRoleVariable(from.environment);
  const targetVariable = publishRoleVariable(to.environment);
  const login = (name: string, id: string, authfile: string, repository: string, extra: string[] = []): JobStep => ({
    name,
    id,
    env: { REPOSITORY: repository },
    run: script(
      'account="$(aws sts get-caller-identity --query Account --output text)"',
      'registry="$account.dkr.ecr.$AWS_REGION.amazonaws.com"',
      `aws ecr get-login-password | skopeo login --authfile "$RUNNER_TEMP/${authfile}" --username AWS --password-stdin "$registry"`,
      'echo "registry=$registry" >> "$GITHUB_OUTPUT"',
      ...extra,
    ),
  });
  return {
    name: `Promote the verified image to ${to.environment}'s repository`,
    needs: ['deploy'],
    if: `vars.${targetVariable} != ''`,
    runsOn: ctx.runsOn,
    permissions: { contents: READ, idToken: WRITE },
    timeoutMinutes: WORKFLOW_TIMEOUTS.promote,
    env: {
      AWS_REGION: model.region,
      IMAGE_TAG: expr('needs.deploy.outputs.image-tag'),
      IMAGE_DIGEST: expr('needs.deploy.outputs.image-digest'),
    },
    steps: [
      awsCredentialsStep(model, sourceVariable, `${model.serviceName}-promote`, `Assume the ${from.environment} publish role`),
      login(`Log in to the ${from.environment} registry`, 'source', 'source-auth.json', from.settings.names.repositoryName),
      awsCredentialsStep(model, targetVariable, `${model.serviceName}-promote`, `Assume the ${to.environment} publish role`),
      login(`Log in to the ${to.environment} registry`, 'target', 'target-auth.json', to.settings.names.repositoryName, [
        '# Tags are immutable: a re-run finds the image it copied before.',
        'existing="$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$IMAGE_TAG" \\',
        '  --query \'imageDetails[0].imageDigest\' --output text 2>/dev/null || true)"',
        'echo "existing=$existing" >> "$GITHUB_OUTPUT"',
      ]),
      {
        name: 'Copy the image by digest',
        id: 'copy',
        env: {
          SOURCE: `${expr('steps.source.outputs.registry')}/${from.settings.names.repositoryName}`,
          TARGET: `${expr('steps.target.outputs.registry')}/${to.settings.names.repositoryName}`,
          EXISTING: expr('steps.target.outputs.existing'),
        },
        run: script(
          'if [[ ! "$IMAGE_DIGEST" =~ ^sha256:[0-9a-f]{64}$ || ! "$IMAGE_TAG" =~ ^[0-9a-f]{40}$ ]]; then',
          '  echo "::error::the staging deploy recorded no image (tag \\"$IMAGE_TAG\\", digest \\"$IMAGE_DIGEST\\")"',
          '  exit 1',
          'fi',
          'if [[ "$EXISTING" == "$IMAGE_DIGEST" ]]; then',
          '  echo "$TARGET:$IMAGE_TAG is this image already ($IMAGE_DIGEST)"',
          'elif [[ "$EXISTING" == sha256:* ]]; then',
          '  echo "::error::$TARGET:$IMAGE_TAG is $EXISTING, not the image staging verified ($IMAGE_DIGEST): push a new commit"',
          '  exit 1',
          'else',
          '  skopeo copy --all --preserve-digests --retry-times 3 \\',
          '    --src-authfile "$RUNNER_TEMP/source-auth.json" --dest-authfile "$RUNNER_TEMP/target-auth.json" \\',
          '    "docker://$SOURCE@$IMAGE_DIGEST" "docker://$TARGET:$IMAGE_TAG"',
          'fi',
        ),
      },
      scanCheckStep(`Wait for the ${to.environment} scan and fail on CRITICAL findings`, 'scan', {
        REPOSITORY: to.settings.names.repositoryName,
        EXPECTED_DIGEST: expr('env.IMAGE_DIGEST'),
      }),
      {
        name: 'Summarize the promotion',
        run: script(
          '{',
          `  echo "### Promoted to ${to.environment}'s repository"`,
          '  echo',
          `  echo "- image: \\\`${to.settings.names.repositoryName}:$IMAGE_TAG\\\`"`,
          '  echo "- digest: \\`$IMAGE_DIGEST\\`"',
          `  echo "- deploy it: Actions > deploy-${to.environment} > Run workflow, image \\\`$IMAGE_TAG\\\`"`,
          '} >> "$GITHUB_STEP_SUMMARY"',
        ),
      },
      {
        name: 'Remove the registry logins',
        if: 'always()',
        run: 'rm -f "$RUNNER_TEMP/source-auth.json" "$RUNNER_TEMP/target-auth.json"',
      },
    ],
  };
}

/** Top-level read-only permissions and a time limit on every job, for workflows not made here. */
function hardenWorkflow(workflow: github.GithubWorkflow): void {
  workflow.file?.addOverride('permissions', { contents: 'read' });
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if ('uses' in job || job.timeoutMinutes !== undefined) continue;
    workflow.updateJob(id, { ...job, timeoutMinutes: WORKFLOW_TIMEOUTS.other });
  }
}
