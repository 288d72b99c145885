import { resolveBaseSettings } from '../../src/core/base-settings';
import { estimateDeployTiming, linearSteps, TASK_START_SECONDS } from '../../src/core/deploy-timing';
import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import { HardenedServiceOptions } from '../../src/core/service-options';

const BASE: HardenedServiceOptions = {
  serviceName: 'hedis-optimizer',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab',
  alarmEmail: 'oncall@example.com',
  githubRepository: 'example-org/hedis-optimizer',
};

function timing(environment: DeploymentEnvironment, options: Partial<HardenedServiceOptions> = {}) {
  return estimateDeployTiming(resolveBaseSettings({ ...BASE, ...options }, environment));
}

const seconds = (t: ReturnType<typeof timing>, which: 'phases' | 'rollbackPhases' = 'phases') => t[which].map((p) => p.seconds);

describe('estimateDeployTiming, against hand-computed figures', () => {
  // Settings: 60 s task start (assumed), 2 healthy checks x 15 s, 30 s deregistration delay;
  // fastest deployment alarm: p95 latency, 3 datapoints x 60 s.
  test('the assumption the figures rest on', () => {
    expect(TASK_START_SECONDS).toBe(60);
  });

  test('production default (canary 10% for 10 min, 10 min bake): 60 + 30 + 600 + 600 + 30 = 1320 s; rollback 180 + 0 + 30 = 210 s', () => {
    const t = timing(DeploymentEnvironment.PRODUCTION);
    expect(t.strategy).toBe('canary');
    expect(t.phases.map((p) => p.name)).toEqual([
      'start the new tasks',
      'pass the load balancer health check',
      'canary at 10% of the traffic',
      'bake with all traffic on the new revision',
      'drain the old revision',
    ]);
    expect(seconds(t)).toEqual([60, 30, 600, 600, 30]);
    expect(t.totalSeconds).toBe(1320);
    expect(seconds(t, 'rollbackPhases')).toEqual([180, 0, 30]);
    expect(t.rollbackPhases[0].name).toBe('deployment alarm hedis-optimizer-production-p95-latency fires');
    expect(t.rollbackSeconds).toBe(210);
  });

  test('staging default (rolling): 60 + 30 + 30 = 120 s; rollback restarts the old revision: 180 + 60 + 30 + 30 = 300 s', () => {
    const t = timing(DeploymentEnvironment.STAGING);
    expect(t.strategy).toBe('rolling');
    expect(seconds(t)).toEqual([60, 30, 30]);
    expect(t.totalSeconds).toBe(120);
    expect(seconds(t, 'rollbackPhases')).toEqual([180, 60, 30, 30]);
    expect(t.rollbackSeconds).toBe(300);
  });

  test('linear 25% every 5 min: 4 steps, 3 waits: 60 + 30 + 900 + 600 + 30 = 1620 s', () => {
    const t = timing(DeploymentEnvironment.PRODUCTION, { deploymentStrategy: 'linear' });
    expect(t.phases[2]).toEqual(expect.objectContaining({ name: '4 steps of 25% of the traffic', seconds: 900 }));
    expect(t.totalSeconds).toBe(1620);
    expect(t.rollbackSeconds).toBe(210);
  });

  test('linear 10% every 2 min with no bake: 10 steps, 9 waits: 60 + 30 + 1080 + 0 + 30 = 1200 s', () => {
    const t = timing(DeploymentEnvironment.PRODUCTION, { deploymentStrategy: 'linear', linearStepPercent: 10, linearStepMinutes: 2, bakeTimeMinutes: 0 });
    expect(seconds(t)).toEqual([60, 30, 1080, 0, 30]);
    expect(t.totalSeconds).toBe(1200);
  });

  test('blue/green with a 15 min bake: 60 + 30 + 900 + 30 = 1020 s', () => {
    const t = timing(DeploymentEnvironment.STAGING, { deploymentStrategy: 'blue-green', bakeTimeMinutes: 15 });
    expect(seconds(t)).toEqual([60, 30, 900, 30]);
    expect(t.totalSeconds).toBe(1020);
    expect(t.rollbackSeconds).toBe(210);
  });

  test('a canary of 2.5% for 30 min with a 5 min bake: 60 + 30 + 1800 + 300 + 30 = 2220 s', () => {
    const t = timing(DeploymentEnvironment.PRODUCTION, { canaryPercent: 2.5, canaryBakeMinutes: 30, bakeTimeMinutes: 5 });
    expect(t.phases[2].name).toBe('canary at 2.5% of the traffic');
    expect(t.totalSeconds).toBe(2220);
  });

  test('linear steps count in tenths of a percent: 3% -> 34, 33.3% -> 4, 50% -> 2, 100% -> 1', () => {
    expect([3, 33.3, 50, 100].map(linearSteps)).toEqual([34, 4, 2, 1]);
  });

  test('totals are the sums of their phases', () => {
    for (const strategy of ['rolling', 'canary', 'linear', 'blue-green']) {
      const t = timing(DeploymentEnvironment.PRODUCTION, { deploymentStrategy: strategy });
      expect(t.totalSeconds).toBe(t.phases.reduce((a, p) => a + p.seconds, 0));
      expect(t.rollbackSeconds).toBe(t.rollbackPhases.reduce((a, p) => a + p.seconds, 0));
    }
  });
});
