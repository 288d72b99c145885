/**
 * Prints a real transcript of the deploy tool against the AWS emulator: a deploy with a
 * migration and health verification, then a deploy whose rollout the circuit breaker fails
 * (automatic rollback), one whose health check fails (automatic rollback), one that outlasts
 * --timeout (rolled back, exit 3), status, and bad input (exit 2); then, on a canary service, a
 * canary that completes and one that an alarm rolls back (exit 1).
 *
 *   npx tsx test/cli/support/transcript.ts
 *
 * moto_server runs on a free port of 127.0.0.1 behind the same fault-injecting proxy the tests
 * use (moto cannot finish or fail a rollout by itself); the CLI runs as a child process.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { HealthEndpoint, runCliProcess } from './cli';
import { CANARY_ALARM_ROLLBACK, CANARY_COMPLETES } from './deployment-scenarios';
import { simulateRollouts } from './ecs-simulation';
import { FaultProxy } from './fault-proxy';
import { Emulator, REPOSITORY, setAwsTestEnvironment } from './fixture';
import { startMoto } from './moto';
import { simulateServiceDeployments } from './service-deployments';

async function transcript(): Promise<void> {
  setAwsTestEnvironment();
  const moto = await startMoto();
  const proxy = await FaultProxy.start(moto.endpoint);
  const emulator = new Emulator(moto.endpoint);
  const healthy = await HealthEndpoint.start(() => 200);
  const unhealthy = await HealthEndpoint.start(() => 503);
  try {
    const f = await emulator.createService();
    // Revision 3's tasks "fail to start"; revision 5's rollout never finishes.
    simulateRollouts(proxy, (td) => (td.endsWith(':3') ? 'fail' : td.endsWith(':5') ? 'stuck' : 'complete'));
    const env = { HARDENED_SERVICE_POLL_INTERVAL: '0.5' };
    const base = ['--cluster', f.cluster, '--service', f.service, '--image-tag-parameter', f.parameter];
    const show = async (args: string[]) => {
      const quoted = args.map((a) => (/[\s"]/.test(a) ? `"${a}"` : a)).join(' ');
      process.stdout.write(`\n$ hardened-service ${quoted}\n`);
      const run = await runCliProcess(args, proxy.endpoint, env);
      process.stdout.write(run.stdout);
      process.stdout.write(run.stderr);
      process.stdout.write(`$ echo $?\n${run.code}\n`);
    };
    process.stdout.write(`# moto_server at ${moto.endpoint}, AWS_ENDPOINT_URL=${proxy.endpoint} (fault-injecting proxy), AWS_REGION=us-east-1\n`);
    await show(['deploy', ...base, '--image', `${REPOSITORY}:1.1.0`, '--migrate-command', 'alembic upgrade head', '--health-url', healthy.url]);
    await show(['deploy', ...base, '--image', `${REPOSITORY}:1.2.0`]);
    await show(['deploy', ...base, '--image', `${REPOSITORY}:1.3.0`, '--health-url', unhealthy.url]);
    await show(['deploy', ...base, '--image', `${REPOSITORY}:1.4.0`, '--timeout', '3']);
    await show(['status', ...base]);
    await show(['deploy', ...base, '--image', REPOSITORY]);

    // A canary service: the proxy plays ECS's service deployments (moto has none).
    proxy.reset();
    const c = await emulator.createService();
    let scenario = CANARY_COMPLETES;
    simulateServiceDeployments(proxy, () => scenario, async (cluster, service, taskDefinition) => {
      await emulator.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
    });
    const canary = ['--cluster', c.cluster, '--service', c.service, '--image-tag-parameter', c.parameter];
    await show(['deploy', ...canary, '--image', `${REPOSITORY}:2.0.0`]);
    scenario = CANARY_ALARM_ROLLBACK;
    await show(['deploy', ...canary, '--image', `${REPOSITORY}:2.1.0`]);
  } finally {
    await healthy.stop();
    await unhealthy.stop();
    emulator.destroy();
    await proxy.stop();
    await moto.stop();
  }
}

transcript().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
