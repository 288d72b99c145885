import { SERVICE_DEFAULTS } from '../../../src/core/defaults';
import { localPostgresImage, localRedisImage } from '../../../src/project/container/compose-files';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { ACTION_PINS } from '../../../src/project/workflows/workflow-actions';
import { projectOptions, TEST_BLUEPRINT } from '../helpers';
import { actionlint, CONFIGURE_AWS, expectHardened, generate, healthUrlOf, job, runScripts, WITH_DOMAIN } from './workflow-test-support';

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
