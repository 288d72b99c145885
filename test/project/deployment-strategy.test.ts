import { projectOptions, synth } from './helpers';
import { HardenedServiceProject } from '../../src/project/hardened-service-project';

/** The problems listed in the error that the options raise. */
function problems(overrides: Parameters<typeof projectOptions>[0]): string[] {
  try {
    new HardenedServiceProject(projectOptions(overrides));
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected the options to be refused');
}

describe('the deployment strategy flows from the options to the files', () => {
  let files: Record<string, any>;
  beforeAll(() => {
    files = synth();
  });

  test('the deployment guide prints each environment\'s strategy, expected deploy and rollback', () => {
    const guide: string = files['docs/DEPLOYMENT_GUIDE.md'];
    expect(guide).toContain('| Strategy (`stagingDeploymentStrategy`, `deploymentStrategy`) | `rolling` | `canary` |');
    // Staging: 60 + 30 + 30 s; rollback 180 + 60 + 30 + 30 s. Production: 60 + 30 + 600 + 600 + 30 s; rollback 180 + 0 + 30 s.
    expect(guide).toContain('| Expected deploy | 2 min | 22 min |');
    expect(guide).toContain('| Expected rollback | 5 min | 3 min 30 s |');
    expect(guide).toContain('| canary at 10% of the traffic | 10 min | canaryBakeMinutes 10 |');
    expect(guide).toContain('| pass the load balancer health check | 30 s | 2 healthy checks x 15 s interval |');
    expect(guide).toContain('| deployment alarm hedis-optimizer-production-p95-latency fires | 3 min | the fastest deployment alarm: 3 datapoints x 60 s period |');
    expect(guide).toContain('- `hedis-optimizer-production-5xx-rate`: 5xx rate > 1% for 2 consecutive 5-minute periods');
    expect(guide).toContain('port\n9443 of the load balancer, which only addresses inside the VPC can reach');
  });

  test('the runbook, CI/CD guide and disaster recovery describe the rollbacks, and the rotation redeploy', () => {
    const runbook: string = files['docs/OPERATIONS_RUNBOOK.md'];
    expect(runbook).toContain('- Production (`canary`): a deployment alarm (hedis-optimizer-production-5xx-rate, hedis-optimizer-production-p95-latency, hedis-optimizer-production-unhealthy-hosts) during the deployment or its bake shifts all traffic back');
    expect(runbook).toContain('- Staging (`rolling`): the deployment circuit breaker');
    expect(runbook).toContain('`RotationSucceeded`');
    expect(runbook).toContain('stateMachine:hedis-optimizer-production-rotation-redeploy"');
    expect(files['docs/CI_CD_GUIDE.md']).toContain('Staging: `rolling`, about 2 min; Production: `canary`, about 22 min');
    expect(files['docs/DISASTER_RECOVERY.md']).toContain('Production (canary): a deployment alarm');
  });

  test('ecs-service-deployment.json holds production\'s deployment configuration, as the stack sets it', () => {
    expect(files['infrastructure/aws/ecs-service-deployment.json']).toEqual({
      '//': expect.any(String),
      'cluster': 'hedis-optimizer-production',
      'service': 'hedis-optimizer',
      'healthCheckGracePeriodSeconds': 60,
      'deploymentConfiguration': {
        strategy: 'CANARY',
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: false, rollback: false },
        alarms: {
          alarmNames: ['hedis-optimizer-production-5xx-rate', 'hedis-optimizer-production-p95-latency', 'hedis-optimizer-production-unhealthy-hosts'],
          enable: true,
          rollback: true,
        },
        bakeTimeInMinutes: 10,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 },
      },
    });
  });

  test('the default stacks are rendered without strategy props: each environment\'s default is the stack\'s', () => {
    const stacks: string = Object.entries(files).find(([p]) => p.endsWith('service-stacks.ts'))![1];
    expect(stacks).not.toContain('deploymentStrategy');
  });
});

describe('strategy options per environment', () => {
  test('a linear staging and a blue/green production: each stack gets its strategy and only the options it reads', () => {
    const files = synth({ stagingDeploymentStrategy: 'linear', deploymentStrategy: 'blue-green', linearStepPercent: 20, bakeTimeMinutes: 5 });
    const stacks: string = Object.entries(files).find(([p]) => p.endsWith('service-stacks.ts'))![1];
    const [stagingProps, productionProps] = splitStacks(stacks);
    expect(stagingProps).toContain("deploymentStrategy: 'linear'");
    expect(stagingProps).toContain('linearStepPercent: 20');
    expect(productionProps).toContain("deploymentStrategy: 'blue-green'");
    expect(productionProps).not.toContain('linearStepPercent');
    expect(productionProps).toContain('bakeTimeMinutes: 5');
    const guide: string = files['docs/DEPLOYMENT_GUIDE.md'];
    // Staging linear 20% every 5 min, 5 min bake: 60 + 30 + 4 x 300 + 300 + 30 = 1620 s. Production blue/green: 60 + 30 + 300 + 30 = 420 s.
    expect(guide).toContain('| Expected deploy | 27 min | 7 min |');
    expect(guide).toContain('| 5 steps of 20% of the traffic | 20 min |');
    expect(files['infrastructure/aws/ecs-service-deployment.json'].deploymentConfiguration).toEqual(expect.objectContaining({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }));
  });

  test('fails when a strategy is unknown, naming the option as written', () => {
    expect(problems({ stagingDeploymentStrategy: 'fast' })).toEqual([
      'stagingDeploymentStrategy "fast" is not a known strategy; use one of "rolling", "canary", "linear", "blue-green"',
    ]);
    expect(problems({ deploymentStrategy: 'blue_green' })).toEqual([
      'deploymentStrategy "blue_green" is not a known strategy; use one of "rolling", "canary", "linear", "blue-green"',
    ]);
  });

  test('fails when a tuning option is out of range', () => {
    expect(problems({ canaryPercent: 150 })).toEqual([
      'canaryPercent 150 must be a percentage from 0.1 to 100 in steps of 0.1 (ECS\'s limit; for example 10)',
    ]);
  });

  test('fails when neither environment\'s strategy reads a tuning option', () => {
    expect(problems({ linearStepMinutes: 4 })).toEqual([
      'linearStepMinutes is set but neither deploymentStrategy ("canary") nor stagingDeploymentStrategy ("rolling") reads it; remove linearStepMinutes or choose a strategy that uses it',
    ]);
  });
});

/** The staging and production halves of the rendered stacks file. */
function splitStacks(stacks: string): [string, string] {
  const at = stacks.search(/environment: DeploymentEnvironment\.PRODUCTION/);
  return [stacks.slice(0, at), stacks.slice(at)];
}
