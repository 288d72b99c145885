import { runCli, runCliProcess } from './support/cli';
import { simulateRollouts, simulateTaskExit, simulateTaskNeverStops } from './support/ecs-simulation';
import { FaultProxy } from './support/fault-proxy';
import { Emulator, REPOSITORY, ServiceFixture, setAwsTestEnvironment } from './support/fixture';
import { Moto, startMoto } from './support/moto';

let moto: Moto;
let proxy: FaultProxy;
let emulator: Emulator;
let fixture: ServiceFixture;

beforeAll(async () => {
  setAwsTestEnvironment();
  moto = await startMoto();
  proxy = await FaultProxy.start(moto.endpoint);
  emulator = new Emulator(moto.endpoint);
});

afterAll(async () => {
  emulator?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  proxy.reset();
  simulateRollouts(proxy, () => 'complete');
  fixture = await emulator.createService();
});

const target = () => ['--cluster', fixture.cluster, '--service', fixture.service];
const revision = (n: number) => fixture.initialTaskDefinition.replace(/:1$/, `:${n}`);

async function deployTag(tag: string): Promise<void> {
  const run = await runCli(['deploy', ...target(), '--image', `${REPOSITORY}:${tag}`, '--image-tag-parameter', fixture.parameter], proxy.endpoint);
  expect(run.code).toBe(0);
}

describe('migrate', () => {
  test('runs the command with the new image in the service network and succeeds on exit code 0', async () => {
    const run = await runCli(['migrate', ...target(), '--image', `${REPOSITORY}:1.1.0`, '--command', 'python -m app.migrate --to "head revision"'], proxy.endpoint);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [call] = proxy.forwarded('RunTask');
    expect(call.request).toMatchObject({
      taskDefinition: revision(2),
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: { subnets: fixture.subnets, securityGroups: [fixture.securityGroup], assignPublicIp: 'DISABLED' } },
      overrides: { containerOverrides: [{ name: 'app', command: ['python', '-m', 'app.migrate', '--to', 'head revision'] }] },
      startedBy: 'hardened-service-migrate',
    });
    expect(call.request.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.stdout).toMatch(/migration task \S+ (DEACTIVATING|STOPPING|DEPROVISIONING)/);
    expect(run.stdout).toMatch(/migration succeeded: exit code 0 \(logs: aws logs tail \/ecs\/\S+-staging\/app --log-stream-names app\/app\/\S+ --region us-east-1\)/);
    // The revision made only for the migration never serves: the service is untouched and the revision is INACTIVE.
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(await emulator.revisions(fixture, 'INACTIVE')).toEqual([revision(2)]);
  });

  test('runs the current revision when the image is the one already running', async () => {
    const run = await runCli(['migrate', ...target(), '--image', fixture.initialImage, '--command', 'alembic upgrade head'], proxy.endpoint);
    expect(run.code).toBe(0);
    expect(proxy.forwarded('RunTask')[0].request.taskDefinition).toBe(fixture.initialTaskDefinition);
    expect(proxy.forwarded('RegisterTaskDefinition')).toHaveLength(0);
  });

  test('fails when the task exits non-zero', async () => {
    simulateTaskExit(proxy, 1);
    const run = await runCli(['migrate', ...target(), '--image', `${REPOSITORY}:1.1.0`, '--command', 'alembic upgrade head'], proxy.endpoint);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hardened-service migrate: migration task \S+ exited with code 1; logs: aws logs tail \S+ --log-stream-names app\/app\/\S+ --region us-east-1\n$/);
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
  });

  test('fails when the task outlasts --timeout, and stops it', async () => {
    simulateTaskNeverStops(proxy);
    const run = await runCli(['migrate', ...target(), '--image', fixture.initialImage, '--command', 'sleep 3600', '--timeout', '0.5'], proxy.endpoint);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^hardened-service migrate: timed out after 0.5s waiting for migration task \S+ \(last status RUNNING\); the task was stopped and the service was not changed\n$/);
    const [stop] = proxy.forwarded('StopTask');
    expect((await emulator.task(fixture, stop.request.task)).lastStatus).toBe('STOPPED');
  });
});

describe('rollback', () => {
  test('goes back to the newest older ACTIVE revision and restores the image-tag parameter', async () => {
    // GIVEN two deploys: 1.0.0 (rev 1) -> 1.1.0 (rev 2) -> 1.2.0 (rev 3)
    await deployTag('1.1.0');
    await deployTag('1.2.0');
    proxy.reset();
    simulateRollouts(proxy, () => 'complete');

    // WHEN
    const run = await runCli(['rollback', ...target(), '--image-tag-parameter', fixture.parameter], proxy.endpoint);

    // THEN
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(revision(2));
    expect(await emulator.parameter(fixture)).toBe('1.1.0');
    expect(run.stdout).toContain(`rolling back ${fixture.service} (cluster ${fixture.cluster}) from ${fixture.family}:3 to ${fixture.family}:2`);
    expect(run.stdout).toContain(`${fixture.parameter}: 1.2.0 -> 1.1.0`);
    expect(run.stdout).toContain(`rolled back ${fixture.service} to ${fixture.family}:2; it is stable`);
  });

  test('--to picks a revision by number', async () => {
    await deployTag('1.1.0');
    await deployTag('1.2.0');
    const run = await runCli(['rollback', ...target(), '--to', '1', '--json'], proxy.endpoint);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, command: 'rollback', taskDefinition: fixture.initialTaskDefinition, previousTaskDefinition: revision(3) });
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
  });

  test('fails when the rollback deployment fails, with exit code 4', async () => {
    await deployTag('1.1.0');
    proxy.reset();
    simulateRollouts(proxy, () => 'fail');
    const run = await runCli(['rollback', ...target()], proxy.endpoint);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `hardened-service rollback: rollback of ${fixture.family}:1 failed: ECS deployment circuit breaker: tasks failed to start.; ` +
        `the service needs attention: see hardened-service status --cluster ${fixture.cluster} --service ${fixture.service}\n`,
    );
  });

  test('fails when there is no older revision', async () => {
    const run = await runCli(['rollback', ...target()], proxy.endpoint);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`hardened-service rollback: the service runs ${fixture.family}:1 and family ${fixture.family} has no older ACTIVE revision; pass --to REVISION (hardened-service revisions lists them)\n`);
  });

  test('fails when --to names a revision that does not exist', async () => {
    const run = await runCli(['rollback', ...target(), '--to', '42'], proxy.endpoint);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^hardened-service rollback: --to "${fixture.family}:42" is not a task definition revision in us-east-1 \\(.*\\); list them with hardened-service revisions --cluster CLUSTER --service SERVICE\\n$`));
  });
});

describe('status', () => {
  test('shows the revision, counts, deployments and whether the stack parameter agrees', async () => {
    await deployTag('1.1.0');
    const run = await runCli(['status', ...target(), '--image-tag-parameter', fixture.parameter], proxy.endpoint);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`service     ${fixture.service} in cluster ${fixture.cluster}: ACTIVE`);
    expect(run.stdout).toContain(`revision    ${fixture.family}:2, container app: ${REPOSITORY}:1.1.0`);
    expect(run.stdout).toContain('tasks       running 2/2, pending 0');
    expect(run.stdout).toMatch(new RegExp(`PRIMARY +${fixture.family}:2 {2}COMPLETED {2}running 2/2, pending 0`));
    expect(run.stdout).toContain(`parameter   ${fixture.parameter} = 1.1.0: matches the running image`);
  });

  test('reports drift when the parameter names another image than the service runs', async () => {
    const run = await runCli(['status', ...target(), '--image-tag-parameter', fixture.parameter, '--json'], proxy.endpoint);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).imageTagParameter).toEqual({ name: fixture.parameter, value: '1.0.0', inSync: true });

    await emulator.setParameter(fixture, '0.9.0');
    const drift = await runCli(['status', ...target(), '--image-tag-parameter', fixture.parameter], proxy.endpoint);
    expect(drift.stdout).toContain(`parameter   ${fixture.parameter} = 0.9.0: DIFFERS from the running image (1.0.0); the next cdk deploy would change the image`);
    expect(drift.stdout).toContain(`attention   ${fixture.parameter} = 0.9.0 differs from the running image (1.0.0) (exit code 5)`);
    expect(drift.code).toBe(5);
    const json = await runCli(['status', ...target(), '--image-tag-parameter', fixture.parameter, '--json'], proxy.endpoint);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, command: 'status', attention: [`${fixture.parameter} = 0.9.0 differs from the running image (1.0.0)`] });
  });

  test('exits 5 when a rollout failed', async () => {
    // GIVEN the service seen steady on revision 1, then someone's rollout of revision 2 that the circuit breaker fails
    proxy.reset();
    simulateRollouts(proxy, (td) => (td.endsWith(':2') ? 'fail' : 'complete'));
    expect((await runCli(['status', ...target()], proxy.endpoint)).code).toBe(0);
    await emulator.startDeployment(fixture, `${REPOSITORY}:1.1.0`);
    let run = await runCli(['status', ...target()], proxy.endpoint);
    for (let polls = 0; polls < 5 && !run.stdout.includes('FAILED'); polls++) {
      run = await runCli(['status', ...target()], proxy.endpoint);
    }

    // THEN
    expect(run.code).toBe(5);
    expect(run.stdout).toContain(`attention   the rollout of ${fixture.family}:2 FAILED (ECS deployment circuit breaker: tasks failed to start.) (exit code 5)`);
  });
});

describe('revisions', () => {
  test('lists the ACTIVE revisions newest first, with images, the running one and the default rollback target', async () => {
    await deployTag('1.1.0');
    await deployTag('1.2.0');
    const run = await runCli(['revisions', ...target()], proxy.endpoint);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^${fixture.family}:3 +running +${REPOSITORY}:1\\.2\\.0$`));
    expect(lines[2]).toMatch(new RegExp(`^${fixture.family}:2 +rollback default +${REPOSITORY}:1\\.1\\.0$`));
    expect(lines[3]).toMatch(new RegExp(`^${fixture.family}:1 +${REPOSITORY}:1\\.0\\.0$`));
    expect(run.stdout).toContain(`roll back to one with: hardened-service rollback --cluster ${fixture.cluster} --service ${fixture.service} --to REVISION`);
    // Only reads.
    expect(proxy.forwarded('UpdateService')).toHaveLength(2);
  });

  test('--limit and --json', async () => {
    await deployTag('1.1.0');
    const run = await runCli(['revisions', ...target(), '--limit', '1', '--json'], proxy.endpoint);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      command: 'revisions',
      total: 2,
      revisions: [{ taskDefinition: revision(2), revision: 2, image: `${REPOSITORY}:1.1.0`, running: true, rollbackDefault: false }],
    });
  });
});

describe('--region', () => {
  test('wins over AWS_REGION for every client', async () => {
    const saved = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-2';
    try {
      const elsewhere = await runCli(['status', ...target()], proxy.endpoint);
      expect(elsewhere.code).toBe(2);
      expect(elsewhere.stderr).toContain(`--cluster "${fixture.cluster}" was not found in eu-west-2`);
      const here = await runCli(['status', ...target(), '--region', 'us-east-1', '--image-tag-parameter', fixture.parameter], proxy.endpoint);
      expect(here.stderr).toBe('');
      expect(here.code).toBe(0);
      // The SSM client got the region too: the parameter exists only in us-east-1.
      expect(here.stdout).toContain(`parameter   ${fixture.parameter} = 1.0.0: matches the running image`);
    } finally {
      process.env.AWS_REGION = saved;
    }
  });
});

describe('--json on errors', () => {
  test('prints one JSON error object with its code and message', async () => {
    const run = await runCli(['status', '--cluster', 'nope', '--service', fixture.service, '--json'], proxy.endpoint);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      command: 'status',
      exitCode: 2,
      error: { code: 'BAD_INPUT', exitCode: 2, message: expect.stringMatching(/^--cluster "nope" was not found in us-east-1/) },
    });
  });
});

describe('bad input against the emulator', () => {
  test.each([
    ['an unknown cluster', (f: ServiceFixture) => ['status', '--cluster', 'nope', '--service', f.service],
      () => 'hardened-service status: --cluster "nope" was not found in us-east-1; check the name (the stack names it <service>-<environment>) and AWS_REGION'],
    ['an unknown service', (f: ServiceFixture) => ['deploy', '--cluster', f.cluster, '--service', 'nope', '--image', `${REPOSITORY}:2.0.0`],
      (f: ServiceFixture) => `hardened-service deploy: --service "nope" was not found in cluster "${f.cluster}" (us-east-1); check the name (the stack names it <service>)`],
    ['an unknown container', (f: ServiceFixture) => ['deploy', '--cluster', f.cluster, '--service', f.service, '--image', `${REPOSITORY}:2.0.0`, '--container', 'web'],
      (f: ServiceFixture) => `hardened-service deploy: --container "web" is not in task definition ${f.family}:1; its containers are: app, xray`],
    ['an image from another repository with --image-tag-parameter', (f: ServiceFixture) => ['deploy', '--cluster', f.cluster, '--service', f.service, '--image', 'ghcr.io/acme/api:2.0.0', '--image-tag-parameter', f.parameter],
      () => `hardened-service deploy: --image "ghcr.io/acme/api:2.0.0" is in repository ghcr.io/acme/api, but the service runs ${REPOSITORY}; the stack's image-tag parameter only holds a tag, so push the image to ${REPOSITORY} (or deploy without --image-tag-parameter)`],
    ['a missing image-tag parameter', (f: ServiceFixture) => ['deploy', '--cluster', f.cluster, '--service', f.service, '--image', `${REPOSITORY}:2.0.0`, '--image-tag-parameter', '/nope/staging/image-tag'],
      () => 'hardened-service deploy: --image-tag-parameter "/nope/staging/image-tag" does not exist; the stack\'s first deploy needs it, create it with: aws ssm put-parameter --type String --name /nope/staging/image-tag --value TAG'],
  ])('fails with exit code 2 and one line for %s, changing nothing', async (_name, args, message) => {
    const run = await runCli(args(fixture), proxy.endpoint);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message(fixture)}\n`);
    expect(run.stdout).toBe('');
    expect(proxy.forwarded('RegisterTaskDefinition')).toHaveLength(0);
    expect(proxy.forwarded('UpdateService')).toHaveLength(0);
  });
});

describe('as a child process', () => {
  test('deploys, then status reports it, with exit codes and clean stderr', async () => {
    const deploy = await runCliProcess(['deploy', ...target(), '--image', `${REPOSITORY}:1.1.0`, '--image-tag-parameter', fixture.parameter], proxy.endpoint);
    expect(deploy.stderr).toBe('');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain(`deployed ${REPOSITORY}:1.1.0 to ${fixture.service}: ${fixture.family}:2 is stable (was ${fixture.family}:1)`);

    const status = await runCliProcess(['status', ...target(), '--json'], proxy.endpoint);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, taskDefinition: revision(2), image: `${REPOSITORY}:1.1.0`, running: 2, desired: 2 });
  });

  test('an interrupted deploy (Ctrl-C, a cancelled CI job) rolls back like a timeout', async () => {
    // GIVEN a rollout of revision 2 that never finishes
    proxy.reset();
    simulateRollouts(proxy, (td) => (td.endsWith(':2') ? 'stuck' : 'complete'));

    // WHEN SIGINT arrives while the rollout is followed
    const run = await runCliProcess(['deploy', ...target(), '--image', `${REPOSITORY}:1.1.0`, '--image-tag-parameter', fixture.parameter], proxy.endpoint, {},
      { pattern: /rollout \S+:2 IN_PROGRESS/, signal: 'SIGINT' });

    // THEN
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^hardened-service deploy: interrupted by SIGINT waiting for the rollout of ${fixture.family}:2 \\(last seen: .*\\); rolled back to ${fixture.family}:1, which is stable\n$`));
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(await emulator.parameter(fixture)).toBe('1.0.0');
    expect(await emulator.revisions(fixture, 'ACTIVE')).toEqual([fixture.initialTaskDefinition]);
  });

  test('fails when the image has no tag, with exit code 2 and one line on stderr', async () => {
    const run = await runCliProcess(['deploy', ...target(), '--image', REPOSITORY], proxy.endpoint);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `hardened-service deploy: --image "${REPOSITORY}" has no tag; pass the tag you built and pushed, for example --image ${REPOSITORY}:1.4.2 (or a digest, ${REPOSITORY}@sha256:...)\n`,
    );
  });
});
