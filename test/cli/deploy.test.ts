import * as fs from 'node:fs';
import { runCli, runCliProcess, HealthEndpoint } from './support/cli';
import { simulateRollouts, simulateTaskExit, simulateTaskNeverStops } from './support/ecs-simulation';
import { FaultProxy } from './support/fault-proxy';
import { Emulator, REPOSITORY, ServiceFixture, setAwsTestEnvironment } from './support/fixture';
import { Moto, startMoto } from './support/moto';
import { HttpsHealthEndpoint, makeTestPki } from './support/tls';

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
  fixture = await emulator.createService();
});

const NEW_IMAGE = `${REPOSITORY}:1.1.0`;

function deployArgs(...extra: string[]): string[] {
  return ['deploy', '--cluster', fixture.cluster, '--service', fixture.service, '--image', NEW_IMAGE, '--image-tag-parameter', fixture.parameter, ...extra];
}

describe('deploy', () => {
  test('verifies the health URL through --connect-to with the certificate checked against the URL host (health URL vs certificate name)', async () => {
    // GIVEN a certificate for the service's domain only, served on 127.0.0.1 (the "load
    // balancer"), and the CLI run as a process that trusts the test CA via NODE_EXTRA_CA_CERTS
    simulateRollouts(proxy, () => 'complete');
    const pki = makeTestPki('api.hedis.test');
    const endpoint = await HttpsHealthEndpoint.start(pki);
    try {
      // WHEN
      const url = `https://api.hedis.test:${endpoint.port}/health`;
      const run = await runCliProcess(deployArgs('--health-url', url, '--connect-to', '127.0.0.1'), proxy.endpoint, { NODE_EXTRA_CA_CERTS: pki.caFile });

      // THEN the deploy passed its health check before any DNS record names the domain
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`health: ${url} answered HTTP 200`);
      expect(endpoint.requests).toHaveLength(3);
      expect(endpoint.requests[0]).toEqual({ host: `api.hedis.test:${endpoint.port}`, servername: 'api.hedis.test' });
      expect(await emulator.parameter(fixture)).toBe('1.1.0');
    } finally {
      await endpoint.stop();
      fs.rmSync(pki.dir, { recursive: true, force: true });
    }
  });

  test('fails when the certificate does not name the health URL host, and rolls back', async () => {
    // GIVEN the same endpoint, and a health URL naming a host the certificate does not cover
    simulateRollouts(proxy, () => 'complete');
    const pki = makeTestPki('api.hedis.test');
    const endpoint = await HttpsHealthEndpoint.start(pki);
    try {
      // WHEN
      const url = `https://hedis-stg-alb-123.us-east-1.elb.amazonaws.test:${endpoint.port}/health`;
      const run = await runCliProcess(deployArgs('--health-url', url, '--connect-to', '127.0.0.1', '--health-failures', '1'), proxy.endpoint, { NODE_EXTRA_CA_CERTS: pki.caFile });

      // THEN TLS verification stayed on: the deploy failed and the previous revision is back
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(run.stderr).toContain(`rolled back to ${fixture.family}:1, which is stable`);
      expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
      expect(await emulator.parameter(fixture)).toBe('1.0.0');
    } finally {
      await endpoint.stop();
      fs.rmSync(pki.dir, { recursive: true, force: true });
    }
  });

  test('migrates, rolls out, verifies health and records the tag for CloudFormation', async () => {
    // GIVEN rollouts that complete and a healthy endpoint
    simulateRollouts(proxy, () => 'complete');
    const health = await HealthEndpoint.start(() => 200);
    try {
      // WHEN
      const run = await runCli(deployArgs('--migrate-command', 'alembic upgrade head', '--health-url', health.url), proxy.endpoint);

      // THEN
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const current = await emulator.serviceTaskDefinition(fixture);
      expect(current).toBe(fixture.initialTaskDefinition.replace(/:1$/, ':2'));
      const td = await emulator.taskDefinition(current);
      expect(td.containerDefinitions?.find((c) => c.name === 'app')?.image).toBe(NEW_IMAGE);
      // The other container, roles and settings are copied unchanged.
      expect(td.containerDefinitions?.find((c) => c.name === 'xray')?.image).toBe('public.ecr.aws/xray/aws-xray-daemon:3.3.14');
      expect(td.executionRoleArn).toBe(`arn:aws:iam::123456789012:role/${fixture.name}-execution`);
      expect(td.cpu).toBe('512');
      expect(await emulator.parameter(fixture)).toBe('1.1.0');
      expect(health.requests).toBe(3);

      // The migration ran the new revision in the service's own network, with the command split into arguments.
      const runTask = proxy.forwarded('RunTask');
      expect(runTask).toHaveLength(1);
      expect(runTask[0].request).toMatchObject({
        cluster: fixture.cluster,
        taskDefinition: current,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: fixture.subnets, securityGroups: [fixture.securityGroup] } },
        overrides: { containerOverrides: [{ name: 'app', command: ['alembic', 'upgrade', 'head'] }] },
      });
      // ... before the service was updated.
      const order = proxy.calls.filter((c) => ['RunTask', 'UpdateService', 'PutParameter'].includes(c.operation)).map((c) => c.operation);
      expect(order).toEqual(['RunTask', 'UpdateService', 'PutParameter']);

      expect(run.stdout).toContain(`registered ${fixture.family}:2 with ${NEW_IMAGE}`);
      expect(run.stdout).toMatch(/migration task \S+ exited 0; logs: aws logs tail \/ecs\/\S+\/app --log-stream-names app\/app\/\S+ --region us-east-1/);
      expect(run.stdout).toMatch(/rollout \S+:2 IN_PROGRESS {2}running 0\/2 {2}pending 2/);
      expect(run.stdout).toMatch(/rollout \S+:2 COMPLETED {2}running 2\/2 {2}pending 0/);
      expect(run.stdout).toContain('health 3/3 ok: HTTP 200');
      expect(run.stdout).toContain(`${fixture.parameter}: 1.0.0 -> 1.1.0`);
      expect(run.stdout).toContain(`deployed ${NEW_IMAGE} to ${fixture.service}: ${fixture.family}:2 is stable (was ${fixture.family}:1)`);
    } finally {
      await health.stop();
    }
  });

  test('--json prints one result document on stdout and progress events as JSON lines on stderr', async () => {
    simulateRollouts(proxy, () => 'complete');
    const run = await runCli(deployArgs('--json'), proxy.endpoint);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ok: true,
      command: 'deploy',
      image: NEW_IMAGE,
      taskDefinition: expect.stringMatching(/:2$/),
      previousTaskDefinition: fixture.initialTaskDefinition,
      imageTagParameter: { name: fixture.parameter, previous: '1.0.0', value: '1.1.0' },
    });
    const events = run.stderr.trim().split('\n').map((line) => JSON.parse(line));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['start', 'registered', 'service-updated', 'rollout', 'rollout-completed', 'parameter-updated']));
    expect(events.find((e) => e.event === 'rollout' && e.rolloutState === 'COMPLETED')).toMatchObject({ running: 2, desired: 2, pending: 0 });
  });

  test('fails when the migration exits non-zero, and leaves the service unchanged', async () => {
    // GIVEN a migration task that exits 3
    simulateRollouts(proxy, () => 'complete');
    simulateTaskExit(proxy, 3);

    // WHEN
    const run = await runCli(deployArgs('--migrate-command', 'alembic upgrade head'), proxy.endpoint);

    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^hardened-service deploy: migration task \\S+ exited with code 3; logs: aws logs tail \\S+ --log-stream-names \\S+ --region us-east-1; the service still runs ${fixture.family}:1, unchanged\\n$`),
    );
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(proxy.forwarded('UpdateService')).toHaveLength(0);
    expect(await emulator.parameter(fixture)).toBe('1.0.0');
    // The revision made for the migration is deregistered, so no rollback picks it.
    expect(await emulator.revisions(fixture, 'INACTIVE')).toEqual([fixture.initialTaskDefinition.replace(/:1$/, ':2')]);
  });

  test('fails when the rollout fails, and restores the previous revision', async () => {
    // GIVEN the circuit breaker fails every deployment of revision 2
    simulateRollouts(proxy, (td) => (td.endsWith(':2') ? 'fail' : 'complete'));

    // WHEN
    const run = await runCli(deployArgs(), proxy.endpoint);

    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `hardened-service deploy: rollout of ${fixture.family}:2 failed: ECS deployment circuit breaker: tasks failed to start.; rolled back to ${fixture.family}:1, which is stable\n`,
    );
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(proxy.forwarded('UpdateService').map((c) => c.request.taskDefinition)).toEqual([
      fixture.initialTaskDefinition.replace(/:1$/, ':2'),
      fixture.initialTaskDefinition,
    ]);
    expect(proxy.forwarded('PutParameter')).toHaveLength(0);
    expect(await emulator.parameter(fixture)).toBe('1.0.0');
    expect(await emulator.revisions(fixture, 'ACTIVE')).toEqual([fixture.initialTaskDefinition]);
    expect(run.stdout).toMatch(/rollback \S+:1 COMPLETED {2}running 2\/2/);
    expect(run.stdout).toContain(`rolled back: ${fixture.family}:1 is stable again`);
  });

  test('fails when the health URL fails after the rollout, and restores the previous revision', async () => {
    // GIVEN a rollout that completes, and a health endpoint that answers 503
    simulateRollouts(proxy, () => 'complete');
    const health = await HealthEndpoint.start(() => 503);
    try {
      // WHEN
      const run = await runCli(deployArgs('--health-url', health.url, '--health-failures', '2'), proxy.endpoint);

      // THEN
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^hardened-service deploy: health check of ${health.url} failed 2 times in a row \\(last: HTTP 503 in \\d+ms\\); rolled back to ${fixture.family}:1, which is stable\\n$`),
      );
      expect(health.requests).toBe(2);
      expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
      expect(await emulator.parameter(fixture)).toBe('1.0.0');
    } finally {
      await health.stop();
    }
  });

  test('a flaky health check passes once it succeeds enough times in a row', async () => {
    simulateRollouts(proxy, () => 'complete');
    // 200, 503, 200, 200, 200: the failure resets the count.
    const health = await HealthEndpoint.start((n) => (n === 2 ? 503 : 200));
    try {
      const run = await runCli(deployArgs('--health-url', health.url), proxy.endpoint);
      expect(run.code).toBe(0);
      expect(health.requests).toBe(5);
      expect(run.stdout).toContain('health check failed 1/3: HTTP 503');
    } finally {
      await health.stop();
    }
  });

  test('retries throttled calls and still deploys', async () => {
    // GIVEN the first calls of several operations are throttled
    simulateRollouts(proxy, () => 'complete');
    proxy.throttle('DescribeServices', 2);
    proxy.throttle('RegisterTaskDefinition', 1);
    proxy.throttle('UpdateService', 1);
    proxy.throttle('PutParameter', 1);

    // WHEN
    const run = await runCli(deployArgs(), proxy.endpoint);

    // THEN
    expect(run.code).toBe(0);
    expect(proxy.calls.filter((c) => c.throttled)).toHaveLength(5);
    expect(proxy.forwarded('RegisterTaskDefinition')).toHaveLength(1);
    expect(run.stderr).toMatch(/warning: DescribeServices throttled \(ThrottlingException: Rate exceeded\); retry 1\/7 in \S+s\n/);
    expect(run.stderr).toMatch(/warning: PutParameter throttled/);
    expect(await emulator.serviceTaskDefinition(fixture)).toMatch(/:2$/);
    expect(await emulator.parameter(fixture)).toBe('1.1.0');
  });

  test('fails when throttling outlasts the retries, before changing anything', async () => {
    simulateRollouts(proxy, () => 'complete');
    proxy.throttle('DescribeServices', 100);
    const run = await runCli(deployArgs(), proxy.endpoint, { HARDENED_SERVICE_MAX_ATTEMPTS: '3' });
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/warning: DescribeServices throttled \(ThrottlingException: Rate exceeded\); retry 1\/2 in /);
    expect(lines[1]).toMatch(/warning: DescribeServices throttled \(ThrottlingException: Rate exceeded\); retry 2\/2 in /);
    expect(lines[2]).toBe('hardened-service deploy: RetriesExhaustedError: DescribeServices failed 3 times in a row, last with ThrottlingException: Rate exceeded');
    expect(proxy.forwarded('RegisterTaskDefinition')).toHaveLength(0);
    expect(await emulator.revisions(fixture, 'ACTIVE')).toEqual([fixture.initialTaskDefinition]);
  });

  test('fails when the rollout outlasts --timeout, with a clear error, and rolls back', async () => {
    // GIVEN a rollout of revision 2 that never finishes
    simulateRollouts(proxy, (td) => (td.endsWith(':2') ? 'stuck' : 'complete'));

    // WHEN
    const run = await runCli(deployArgs('--timeout', '1'), proxy.endpoint);

    // THEN
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(`^hardened-service deploy: timed out after 1s waiting for the rollout of ${fixture.family}:2 \\(last seen: rollout ${fixture.family}:2 IN_PROGRESS {2}running 2/2 {2}pending 0\\); rolled back to ${fixture.family}:1, which is stable\\n$`),
    );
    // Nothing half-done: the service, the parameter and the revisions are as before.
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(await emulator.parameter(fixture)).toBe('1.0.0');
    expect(await emulator.revisions(fixture, 'ACTIVE')).toEqual([fixture.initialTaskDefinition]);
  });

  test('fails when the migration outlasts --timeout, with a clear error, and stops it', async () => {
    simulateRollouts(proxy, () => 'complete');
    simulateTaskNeverStops(proxy);
    const run = await runCli(deployArgs('--migrate-command', 'alembic upgrade head', '--timeout', '1'), proxy.endpoint);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp('^hardened-service deploy: timed out after 1s waiting for migration task \\S+ \\(last status RUNNING\\); the task was stopped and the service was not changed\\n$'),
    );
    const stop = proxy.forwarded('StopTask');
    expect(stop).toHaveLength(1);
    const task = await emulator.task(fixture, stop[0].request.task);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stoppedReason).toBe('hardened-service: --timeout reached before the migration finished');
    expect(proxy.forwarded('UpdateService')).toHaveLength(0);
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(await emulator.revisions(fixture, 'ACTIVE')).toEqual([fixture.initialTaskDefinition]);
  });

  test('fails when the rollback fails too, with exit code 4', async () => {
    // GIVEN every new deployment fails, the rollback's included
    simulateRollouts(proxy, () => 'fail');
    const run = await runCli(deployArgs(), proxy.endpoint);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `hardened-service deploy: rollout of ${fixture.family}:2 failed: ECS deployment circuit breaker: tasks failed to start.; ` +
        `then the rollback to ${fixture.family}:1 failed: rollback of ${fixture.family}:1 failed: ECS deployment circuit breaker: tasks failed to start.; ` +
        `the service needs attention: hardened-service status --cluster ${fixture.cluster} --service ${fixture.service}, ` +
        `then hardened-service rollback --cluster ${fixture.cluster} --service ${fixture.service} --to ${fixture.family}:1\n`,
    );
  });

  test('fails when another deployment is still in progress, before changing anything', async () => {
    // GIVEN someone else's deployment of revision 2 that has not finished
    simulateRollouts(proxy, (td) => (td.endsWith(':2') ? 'stuck' : 'complete'));
    expect((await runCli(['status', '--cluster', fixture.cluster, '--service', fixture.service], proxy.endpoint)).code).toBe(0);
    const other = await emulator.startDeployment(fixture, `${REPOSITORY}:1.0.1`);

    // WHEN
    const run = await runCli(deployArgs(), proxy.endpoint);

    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `hardened-service deploy: service ${fixture.service} is busy: the deployment of ${fixture.family}:2 is IN_PROGRESS and ${fixture.family}:1 still has tasks; ` +
        'nothing was changed: wait for it (hardened-service status) or roll it back (hardened-service rollback), then deploy again\n',
    );
    expect(proxy.forwarded('RegisterTaskDefinition')).toHaveLength(0);
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(other);
  });

  test('fails when the image-tag parameter cannot be written, and rolls back so the stack and service agree', async () => {
    // GIVEN PutParameter fails for good (2 attempts), once
    simulateRollouts(proxy, () => 'complete');
    proxy.throttle('PutParameter', 2);

    // WHEN
    const run = await runCli(deployArgs(), proxy.endpoint, { HARDENED_SERVICE_MAX_ATTEMPTS: '2' });

    // THEN
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n').pop()).toBe(
      `hardened-service deploy: RetriesExhaustedError: PutParameter failed 2 times in a row, last with ThrottlingException: Rate exceeded; rolled back to ${fixture.family}:1, which is stable`,
    );
    expect(await emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    // The restore wrote the previous value back, in case the failed write had landed.
    expect(proxy.forwarded('PutParameter').map((c) => c.request.Value)).toEqual(['1.0.0']);
    expect(await emulator.parameter(fixture)).toBe('1.0.0');
  });
});
