import { github } from 'projen';
import { MAIN_BRANCH, newWorkflow, READ, uploadStep, WORKFLOW_TIMEOUTS, WorkflowContext } from './workflow-context';
import { appToolchain, checkoutStep, expr, nodeSetupSteps, script, shellScript } from './workflow-steps';
import { SERVICE_DEFAULTS } from '../../core/defaults';
import { serviceEnvironment } from '../../core/runtime-contract';
import { END_OF_LIFE_WARNING_DAYS } from '../../core/runtime-currency';
import { localPostgresImage, localRedisImage } from '../container/compose-files';
import { DEPLOY_TOOL } from '../files/kit-package';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

/**
 * `test.yml`, on pull requests and pushes to other branches (and called by `build.yml`):
 * generated files up to date, type-check, lint, unit tests with coverage, `cdk synth` with the
 * compliance gate; the app's lint and tests against PostgreSQL and Redis service containers.
 */
export function testWorkflow(gh: github.GitHub, ctx: WorkflowContext): github.GithubWorkflow {
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

/**
 * The infrastructure's test job, shared by the service and platform repositories. `doctor`
 * adds the runtime end-of-life check (a service's runtimes).
 */
export function infrastructureTestJob(ctx: Pick<WorkflowContext, 'runsOn' | 'nodeVersion' | 'installCommand'>, doctor = true): Job {
  const failIfChanged = (fix: string) => shellScript('fail-if-changed', { fix });
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
      ...(doctor ? [{
        // A warning, not a failure: an end of life close by should not block a pull request,
        // but it shows on every run (annotations) until the option is changed.
        id: 'doctor',
        name: `Check runtime end-of-life dates (warns within ${END_OF_LIFE_WARNING_DAYS} days)`,
        run: `${DEPLOY_TOOL} doctor`,
        continueOnError: true,
      }] : []),
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
  // The runtime contract's variables (`core/runtime-contract.ts`); the ports are handed on by
  // a step below. test.yml has always listed APP_ENV and LOG_LEVEL first.
  const { APP_ENV, LOG_LEVEL, ...contract } = Object.fromEntries(serviceEnvironment(model, {
    appEnv: 'test',
    logLevel: 'info',
    database: { host: '127.0.0.1', password: testPassword, sslMode: 'disable' },
    cache: { host: '127.0.0.1', password: '', tls: false },
  }));
  const env: Record<string, string> = { APP_ENV, LOG_LEVEL, ...contract };
  if (model.database) {
    containers.postgres = {
      image: localPostgresImage(),
      env: { POSTGRES_DB: SERVICE_DEFAULTS.databaseName, POSTGRES_USER: SERVICE_DEFAULTS.databaseName, POSTGRES_PASSWORD: testPassword },
      port: SERVICE_DEFAULTS.databasePort,
      healthCommand: `pg_isready -U ${SERVICE_DEFAULTS.databaseName} -d ${SERVICE_DEFAULTS.databaseName}`,
    };
  }
  if (model.cache) {
    containers.redis = {
      image: localRedisImage(),
      port: SERVICE_DEFAULTS.cachePort,
      healthCommand: 'redis-cli ping',
    };
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
