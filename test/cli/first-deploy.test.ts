import * as path from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { runCli } from './support/cli';
import { simulateRollouts } from './support/ecs-simulation';
import { useEmulator } from './support/emulator-suite';
import { REGION } from './support/fixture';

const suite = useEmulator();
let count = 0;

const STAND_INS = path.join(__dirname, 'support', 'first-deploy');
const TAG = 'c0ffee1';
const MUTATING = /^(Put|Create|Update|Delete|Register|Deregister|Run|Stop|Execute)/;

/** Names as the stack gives them, for a service nobody has deployed yet. */
function names() {
  const service = `fd${++count}-${Date.now().toString(36)}`;
  return { service, stack: `${service}-staging`, cluster: `${service}-staging`, repository: `${service}-staging`, parameter: `/${service}/staging/image-tag` };
}

function firstDeployArgs(n: ReturnType<typeof names>, ...extra: string[]): string[] {
  return [
    'first-deploy', '--stack-name', n.stack, '--cluster', n.cluster, '--service', n.service, '--repository', n.repository,
    '--image-tag-parameter', n.parameter, '--tag', TAG,
    '--deploy-command', `${STAND_INS}/stand-in-cdk.sh ${n.stack} --require-approval never`,
    '--push-command', `${STAND_INS}/stand-in-push.sh ${n.repository} ${TAG}`,
    ...extra,
  ];
}

function standInEnv(n: ReturnType<typeof names>, extra: Record<string, string> = {}) {
  return { STAND_IN_PARAMETER: n.parameter, STAND_IN_REPOSITORY: n.repository, STAND_IN_CLUSTER: n.cluster, STAND_IN_SERVICE: n.service, STAND_IN_DESIRED: '2', AWS_DEFAULT_REGION: REGION, ...extra };
}

/** The calls that changed something, by whoever made them (the tool or the commands it ran). */
function changes(): string[] {
  return suite.proxy.calls.filter((c) => !c.throttled && MUTATING.test(c.operation)).map((c) => c.operation);
}

beforeEach(() => {
  suite.proxy.reset();
  simulateRollouts(suite.proxy, () => 'complete');
});

describe('first-deploy', () => {
  test('--dry-run on an empty account prints the ordered plan and changes nothing', async () => {
    const n = names();
    const run = await runCli(firstDeployArgs(n, '--dry-run', '--migrate-command', 'alembic upgrade head'), suite.proxy.endpoint, standInEnv(n));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      `first deploy of ${n.stack} (cluster ${n.cluster}, service ${n.service}), image tag ${TAG}:`,
      `  1. image-tag-parameter: create the SSM parameter ${n.parameter} = ${TAG} (the stack resolves it when it is created)`,
      `  2. stack-without-tasks: ${STAND_INS}/stand-in-cdk.sh ${n.stack} --require-approval never --context hardened-service:first-deploy=true (creates the repository ${n.repository} and a service of 0 tasks)`,
      `  3. image: ${STAND_INS}/stand-in-push.sh ${n.repository} ${TAG} (pushes ${n.repository}:${TAG})`,
      `  4. migration: run "alembic upgrade head" as a one-off task of ${n.service}'s task definition (before any task serves)`,
      `  5. stack-with-tasks: ${STAND_INS}/stand-in-cdk.sh ${n.stack} --require-approval never (CloudFormation starts the tasks and waits until they are healthy)`,
      `  6. service-stable: follow ${n.service} until its deployment is complete`,
      'dry run: nothing was changed',
      '',
    ].join('\n'));
    expect(changes()).toEqual([]);
    expect(suite.proxy.calls.map((c) => c.operation)).toEqual(['GetParameter', 'DescribeStacks']);
  });

  test('from an empty account: parameter, stack without tasks, image, stack with tasks, in that order; a second run has nothing to do', async () => {
    // GIVEN nothing in the account
    const n = names();

    // WHEN
    const run = await runCli(firstDeployArgs(n), suite.proxy.endpoint, standInEnv(n));

    // THEN every step ran once, in order (the commands' calls included: they went through the
    // proxy too), and the first stack ran no task, so nothing waited for the image
    expect(run.code).toBe(0);
    expect(changes()).toEqual(['PutParameter', 'CreateStack', 'PutImage', 'UpdateStack']);
    expect(run.stdout).toContain(`1/5 image-tag-parameter: create the SSM parameter ${n.parameter} = ${TAG}`);
    expect(run.stdout).toContain('2/5 stack-without-tasks:');
    expect(run.stdout).toMatch(new RegExp(`${n.repository}:${TAG} is sha256:[0-9a-f]{64}`));
    expect(run.stdout).toMatch(/rollout \S+:1 COMPLETED {2}running 2\/2 {2}pending 0/);
    expect(run.stdout).toContain(`first deploy of ${n.stack} done: service ${n.service} runs ${n.service}:1 with ${n.repository}:${TAG}`);
    expect(run.stderr).toContain(`stand-in cdk: ${n.stack} deployed with DesiredCount 0`);
    expect(run.stderr).toContain(`stand-in cdk: ${n.stack} deployed with DesiredCount 2`);
    const service = (await suite.emulator.ecs.send(new DescribeServicesCommand({ cluster: n.cluster, services: [n.service] }))).services![0];
    expect(service.desiredCount).toBe(2);
    expect((await suite.emulator.ssm.send(new GetParameterCommand({ Name: n.parameter }))).Parameter!.Value).toBe(TAG);

    // WHEN it runs again
    suite.proxy.reset();
    simulateRollouts(suite.proxy, () => 'complete');
    const again = await runCli(firstDeployArgs(n), suite.proxy.endpoint, standInEnv(n));

    // THEN nothing changes
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`nothing to do: stack ${n.stack} is deployed (UPDATE_COMPLETE) and service ${n.service} runs ${n.service}:1 (2/2 tasks); deploy new images with scripts/aws-deploy.sh\n`);
    expect(changes()).toEqual([]);
  });

  test('fails when the push fails, and resumes after the steps that were done', async () => {
    const n = names();
    const failed = await runCli(firstDeployArgs(n), suite.proxy.endpoint, standInEnv(n, { STAND_IN_PUSH_FAILS: '1' }));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('stand-in push: denied');
    expect(failed.stderr.trimEnd().split('\n').pop()).toBe(
      `hardened-service first-deploy: step 3/5 image failed: ${STAND_INS}/stand-in-push.sh ${n.repository} ${TAG} exited with code 1; ` +
        'the steps before it stay done, so run first-deploy again once fixed: it resumes here',
    );
    // The service exists with no task: nothing pulls an image that is not there.
    expect(changes()).toEqual(['PutParameter', 'CreateStack']);

    suite.proxy.reset();
    simulateRollouts(suite.proxy, () => 'complete');
    const resumed = await runCli(firstDeployArgs(n, '--json'), suite.proxy.endpoint, standInEnv(n));
    expect(resumed.code).toBe(0);
    expect(changes()).toEqual(['PutImage', 'UpdateStack']);
    const result = JSON.parse(resumed.stdout);
    expect(result.plan.map((p: any) => `${p.step} ${p.done}`)).toEqual([
      'image-tag-parameter true', 'stack-without-tasks true', 'image false', 'stack-with-tasks false', 'service-stable false',
    ]);
  });

  test('fails when --tag differs from the parameter already there, before changing anything', async () => {
    const n = names();
    await suite.emulator.ssm.send(new PutParameterCommand({ Name: n.parameter, Value: 'older', Type: 'String' }));
    suite.proxy.reset();
    const run = await runCli(firstDeployArgs(n), suite.proxy.endpoint, standInEnv(n));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `hardened-service first-deploy: --tag "${TAG}" differs from ${n.parameter}, which holds "older" already (the stack runs what the parameter says); pass --tag older, or deploy ${TAG} afterwards with scripts/aws-deploy.sh\n`,
    );
    expect(changes()).toEqual([]);
  });
});
