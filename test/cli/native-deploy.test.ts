import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { runCli } from './support/cli';
import { CANARY_ALARM_ROLLBACK, CANARY_COMPLETES, DeploymentScenario, LINEAR_COMPLETES, timeline, timelineSeconds } from './support/deployment-scenarios';
import { simulateRollouts } from './support/ecs-simulation';
import { useEmulator } from './support/emulator-suite';
import { REPOSITORY, ServiceFixture } from './support/fixture';
import { simulateServiceDeployments } from './support/service-deployments';

const suite = useEmulator();
let fixture: ServiceFixture;

beforeEach(async () => {
  suite.proxy.reset();
  fixture = await suite.emulator.createService();
});

const NEW_IMAGE = `${REPOSITORY}:1.1.0`;
const revision = (n: number) => fixture.initialTaskDefinition.replace(/:1$/, `:${n}`);

function deployArgs(...extra: string[]): string[] {
  return ['deploy', '--cluster', fixture.cluster, '--service', fixture.service, '--image', NEW_IMAGE, '--image-tag-parameter', fixture.parameter, ...extra];
}

/** ECS's rollback, played by the proxy, puts moto's service back (straight to moto). */
function play(scenario: DeploymentScenario) {
  return simulateServiceDeployments(suite.proxy, () => scenario, async (cluster, service, taskDefinition) => {
    await suite.emulator.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
  });
}

/** The distinct (status, stage, traffic) steps of a timeline, as the tool prints them. */
function expectedSteps(scenario: DeploymentScenario, label: string, td: string): string[] {
  const seen: string[] = [];
  for (const phase of timeline(scenario)) {
    const line = `${label} ${td} ${phase.status}  stage ${phase.stage}  traffic ${phase.trafficPercent}% on the new revision`;
    if (seen[seen.length - 1] !== line) seen.push(line);
  }
  return seen;
}

function printedSteps(stdout: string, label: string): string[] {
  return stdout.split('\n')
    .filter((l) => l.includes(`] ${label} `) && l.includes('  stage '))
    .map((l) => l.replace(/^\[\s*[\d.]+s\] /, '').replace(/ {2}running \d+\/\d+.*$/, ''));
}

describe('deploy follows native ECS deployments', () => {
  test('a canary that bakes and completes: every traffic step and bake, then the tag is recorded', async () => {
    // GIVEN a service deployed by ECS as a 10% canary with bakes, played by the proxy
    play(CANARY_COMPLETES);

    // WHEN
    const run = await runCli(deployArgs(), suite.proxy.endpoint);

    // THEN the tool followed the service deployment through the timeline, in order
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(printedSteps(run.stdout, 'canary')).toEqual(expectedSteps(CANARY_COMPLETES, 'canary', `${fixture.family}:2`));
    expect(run.stdout).toContain(`updated service ${fixture.service} to ${fixture.family}:2 (CANARY deployment)`);
    expect(run.stdout).toContain(`rollout of ${fixture.family}:2 completed (CANARY: SCALE_UP > PRODUCTION_TRAFFIC_SHIFT > BAKE_TIME > CLEAN_UP)`);
    // One DescribeServiceDeployments per poll, each poll 30 virtual seconds: the whole timeline.
    expect(suite.proxy.forwarded('DescribeServiceDeployments')).toHaveLength(timelineSeconds(CANARY_COMPLETES) / CANARY_COMPLETES.secondsPerPoll + 1);
    expect(suite.proxy.forwarded('UpdateService')).toHaveLength(1);
    expect(await suite.emulator.serviceTaskDefinition(fixture)).toBe(revision(2));
    expect(await suite.emulator.parameter(fixture)).toBe('1.1.0');
  });

  test('fails when an alarm fires mid-bake: ECS rolls back, exit 1 names the alarm, the previous revision serves', async () => {
    // GIVEN the same canary, whose 5xx-rate alarm goes into ALARM during the canary bake
    play(CANARY_ALARM_ROLLBACK);

    // WHEN
    const run = await runCli(deployArgs(), suite.proxy.endpoint);

    // THEN
    expect(run.code).toBe(1);
    const alarm = CANARY_ALARM_ROLLBACK.alarm!.name;
    expect(run.stderr).toBe(
      `hardened-service deploy: canary deployment of ${fixture.family}:2 was rolled back by ECS: alarm ${alarm} fired during PRODUCTION_TRAFFIC_SHIFT at 10% of traffic ` +
        `(CloudWatch alarm ${alarm} went into ALARM during the deployment); rolled back to ${fixture.family}:1, which is stable\n`,
    );
    expect(run.stdout).toContain(`ECS is rolling back to ${fixture.family}:1`);
    expect(run.stdout).toMatch(new RegExp(`rollback ${fixture.family}:1 ROLLBACK_SUCCESSFUL {2}stage CLEAN_UP {2}traffic 0% on the new revision {2}running 0/0 {2}alarm ${alarm}`));
    // ECS's rollback restored the service (the proxy played it on moto); the tool did not start another deployment.
    expect(await suite.emulator.serviceTaskDefinition(fixture)).toBe(fixture.initialTaskDefinition);
    expect(suite.proxy.forwarded('UpdateService').map((c) => c.request.taskDefinition)).toEqual([revision(2)]);
    expect(await suite.emulator.revisions(fixture, 'INACTIVE')).toEqual([revision(2)]);
    expect(await suite.emulator.parameter(fixture)).toBe('1.0.0');
    expect(suite.proxy.forwarded('PutParameter')).toHaveLength(0);
  });

  test('--json: the alarm is in the failure document, each step an event on stderr', async () => {
    play(CANARY_ALARM_ROLLBACK);
    const run = await runCli(deployArgs('--json'), suite.proxy.endpoint);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, exitCode: 1, triggeredAlarms: [CANARY_ALARM_ROLLBACK.alarm!.name], deployment: { strategy: 'CANARY', status: 'ROLLBACK_SUCCESSFUL' } });
    const events = run.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'deployment').map((e) => `${e.status} ${e.trafficPercent}`)).toEqual(['IN_PROGRESS 0', 'IN_PROGRESS 10', 'ROLLBACK_IN_PROGRESS 0']);
    expect(events.filter((e) => e.event === 'rollback').map((e) => e.status)).toEqual(['ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
  });

  test('a linear deploy: every step of traffic, in order; --json gives the summary of stages', async () => {
    play(LINEAR_COMPLETES);
    const run = await runCli(deployArgs('--json'), suite.proxy.endpoint);
    expect(run.code).toBe(0);
    const events = run.stderr.trim().split('\n').map((l) => JSON.parse(l));
    const steps = events.filter((e) => e.event === 'deployment').map((e) => `${e.status} ${e.lifecycleStage} ${e.trafficPercent}`);
    expect(steps).toEqual(timeline(LINEAR_COMPLETES).map((p) => `${p.status} ${p.stage} ${p.trafficPercent}`));
    const result = JSON.parse(run.stdout);
    expect(result.deployment).toMatchObject({ strategy: 'LINEAR', status: 'SUCCESSFUL', triggeredAlarms: [] });
    expect(result.deployment.stages.map((s: any) => s.trafficPercent)).toEqual([0, 25, 50, 75, 100, 100, 100]);
    expect(await suite.emulator.parameter(fixture)).toBe('1.1.0');
  });

  test('a rolling service is followed as before, without the service deployments API', async () => {
    simulateRollouts(suite.proxy, () => 'complete');
    const run = await runCli(deployArgs(), suite.proxy.endpoint);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rollout \S+:2 COMPLETED {2}running 2\/2 {2}pending 0/);
    expect(suite.proxy.forwarded('ListServiceDeployments')).toHaveLength(0);
  });

  test('a canary service on an endpoint without service deployments is followed through DescribeServices', async () => {
    // GIVEN moto's own answer to ListServiceDeployments (it has no such API), and a CANARY strategy
    simulateRollouts(suite.proxy, () => 'complete');
    suite.proxy.rewrite('DescribeServices', (response: any) => {
      for (const s of response.services ?? []) s.deploymentConfiguration = { ...s.deploymentConfiguration, strategy: 'CANARY' };
      return response;
    });
    const run = await runCli(deployArgs(), suite.proxy.endpoint);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: ListServiceDeployments is not available here \(RetriesExhaustedError: ListServiceDeployments failed \d+ times in a row, .*\); following the CANARY deployment through DescribeServices only/);
    expect(run.stdout).toMatch(/rollout \S+:2 COMPLETED/);
  });
});
