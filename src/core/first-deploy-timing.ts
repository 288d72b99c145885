import { BaseSettings } from './base-settings';
import { DeployPhase, TASK_START_SECONDS } from './deploy-timing';
import { TARGET_HEALTH } from './deployment-strategy';

/**
 * How long the first deploy of one environment takes, step by step, as the generated README
 * and AWS_SETUP_GUIDE print it. Pure. The health-check figures come from the stack's own
 * settings (`TARGET_HEALTH`, `TASK_START_SECONDS`, as in `estimateDeployTiming`); the
 * CloudFormation creation times, the image build and the bootstrap are assumptions, stated in
 * each phase's `basis` (typical AWS figures; a slow network or a large image takes longer).
 */

/** The first deploy of one environment: the steps of `scripts/aws-deploy.sh -i`. */
export interface FirstDeployTiming {
  readonly environment: string;
  /** `cdk bootstrap`, once per account and region (not part of `totalSeconds`). */
  readonly bootstrap: DeployPhase;
  /** The steps of `hardened-service first-deploy`, in order. */
  readonly phases: DeployPhase[];
  /** Sum of `phases`. */
  readonly totalSeconds: number;
}

/** Assumed seconds CloudFormation takes to create each long-running resource (they are created in parallel). */
export const FIRST_DEPLOY_ASSUMPTIONS = {
  bootstrapSeconds: 180,
  networkAndLoadBalancerSeconds: 480,
  databaseSeconds: 900,
  multiAzDatabaseSeconds: 1500,
  cacheSeconds: 720,
  imageBuildAndPushSeconds: 300,
  migrationRunSeconds: 60,
} as const;

/** The expected timing of one environment's first deploy. */
export function estimateFirstDeployTiming(settings: BaseSettings): FirstDeployTiming {
  const a = FIRST_DEPLOY_ASSUMPTIONS;
  const created: Array<[string, number]> = [['VPC, NAT gateways and load balancer', a.networkAndLoadBalancerSeconds]];
  if (settings.database) created.push([settings.multiAz ? 'Multi-AZ database' : 'database', settings.multiAz ? a.multiAzDatabaseSeconds : a.databaseSeconds]);
  if (settings.cache) created.push(['cache', a.cacheSeconds]);
  const longest = created.reduce((x, y) => (y[1] > x[1] ? y : x));
  const phases: DeployPhase[] = [
    { name: 'record the image tag parameter', seconds: 5, basis: 'one SSM call' },
    {
      name: 'create the stack without tasks',
      seconds: longest[1],
      basis: `assumed: CloudFormation creates ${created.map(([what, s]) => `the ${what} (about ${Math.round(s / 60)} min)`).join(', ')} in parallel; the ${longest[0]} takes longest`,
    },
    { name: 'build and push the image', seconds: a.imageBuildAndPushSeconds, basis: 'assumed: a slim image, built on the machine that runs the command' },
  ];
  if (settings.database) {
    phases.push({ name: 'apply the migrations', seconds: TASK_START_SECONDS + a.migrationRunSeconds, basis: `one-off task: ${TASK_START_SECONDS} s to start (assumed) + about ${a.migrationRunSeconds} s of migrations (assumed)` });
  }
  phases.push({
    name: 'deploy the stack with its tasks',
    seconds: TASK_START_SECONDS + TARGET_HEALTH.healthyThresholdCount * TARGET_HEALTH.intervalSeconds,
    basis: `${TASK_START_SECONDS} s to start the tasks (assumed) + ${TARGET_HEALTH.healthyThresholdCount} healthy checks x ${TARGET_HEALTH.intervalSeconds} s interval`,
  });
  return {
    environment: settings.environment,
    bootstrap: { name: 'cdk bootstrap', seconds: a.bootstrapSeconds, basis: 'assumed: the CDKToolkit stack (a bucket, a repository, five roles)' },
    phases,
    totalSeconds: phases.reduce((sum, p) => sum + p.seconds, 0),
  };
}
