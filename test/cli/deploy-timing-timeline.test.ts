import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { runCli } from './support/cli';
import { DeploymentScenario, timelineSeconds } from './support/deployment-scenarios';
import { useEmulator } from './support/emulator-suite';
import { REPOSITORY, ServiceFixture } from './support/fixture';
import { simulateServiceDeployments } from './support/service-deployments';
import { estimateDeployTiming, linearSteps } from '../../src/core/deploy-timing';
import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import { DeploymentStrategyName, TARGET_HEALTH } from '../../src/core/deployment-strategy';
import { HardenedServiceOptions } from '../../src/core/service-options';
import { resolveSettings } from '../../src/core/settings';

/**
 * The deploy guide's expected deploy time (`estimateDeployTiming`) against the emulator: the
 * fault proxy plays the native deployment the settings configure (its traffic steps, bakes,
 * task start and health checks, deregistration delay), the deploy tool follows it to the end,
 * and the virtual time at which the tool saw it complete must be the estimate, to one poll.
 */

const suite = useEmulator();
let fixture: ServiceFixture;
const SECONDS_PER_POLL = 30;
const ALARMS = ['svc-production-5xx-rate', 'svc-production-p95-latency', 'svc-production-unhealthy-hosts'];

beforeEach(async () => {
  suite.proxy.reset();
  fixture = await suite.emulator.createService();
});

/** The native deployment the settings make ECS run, with the phase lengths the estimate assumes. */
function scenarioOf(options: Partial<HardenedServiceOptions>): { scenario: DeploymentScenario; expected: number } {
  const settings = resolveSettings({ serviceName: 'svc', alarmEmail: 'oncall@example.com', ...options } as HardenedServiceOptions, DeploymentEnvironment.PRODUCTION);
  const timing = estimateDeployTiming(settings);
  const d = settings.deployment;
  const canary = d.strategy === DeploymentStrategyName.CANARY;
  const steps = canary
    ? [d.canaryPercent, 100]
    : Array.from({ length: linearSteps(d.linearStepPercent) }, (_, i) => Math.min(100, (i + 1) * d.linearStepPercent));
  const scenario: DeploymentScenario = {
    strategy: canary ? 'CANARY' : 'LINEAR',
    trafficSteps: steps,
    stepBakeSeconds: (canary ? d.canaryBakeMinutes : d.linearStepMinutes) * 60,
    bakeSeconds: d.bakeTimeMinutes * 60,
    // The estimate's first two phases: the task starts, then passes the health checks.
    scaleUpSeconds: timing.phases[0].seconds + timing.phases[1].seconds,
    cleanUpSeconds: TARGET_HEALTH.deregistrationDelaySeconds,
    rollbackSeconds: 60,
    secondsPerPoll: SECONDS_PER_POLL,
    alarmNames: ALARMS,
  };
  return { scenario, expected: timing.totalSeconds };
}

describe("the expected deploy time matches the emulator's timeline", () => {
  test.each<[string, Partial<HardenedServiceOptions>]>([
    ['the default production canary', {}],
    ['a linear deploy in 25% steps', { deploymentStrategy: DeploymentStrategyName.LINEAR, linearStepPercent: 25, linearStepMinutes: 2, bakeTimeMinutes: 3 }],
    ['a canary of 5% with short bakes', { canaryPercent: 5, canaryBakeMinutes: 3, bakeTimeMinutes: 1 }],
  ])('%s', async (_name, options) => {
    // GIVEN the deployment the settings configure, played by the proxy
    const { scenario, expected } = scenarioOf(options);
    simulateServiceDeployments(suite.proxy, () => scenario, async (cluster, service, taskDefinition) => {
      await suite.emulator.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
    });

    // WHEN the deploy tool follows it
    const run = await runCli(
      ['deploy', '--cluster', fixture.cluster, '--service', fixture.service, '--image', `${REPOSITORY}:1.1.0`, '--image-tag-parameter', fixture.parameter],
      suite.proxy.endpoint,
    );

    // THEN it completed, and saw the completion at the estimated time (to one poll)
    expect(run.code).toBe(0);
    const polls = suite.proxy.forwarded('DescribeServiceDeployments').length;
    const seenAt = (polls - 1) * SECONDS_PER_POLL;
    expect(timelineSeconds(scenario)).toBe(expected);
    expect(seenAt).toBeGreaterThanOrEqual(expected);
    expect(seenAt - expected).toBeLessThan(SECONDS_PER_POLL);
  });
});
