import { CostInputs, ResourceCounts } from './types';
import { AuthenticationMode } from '../authentication';
import { FARGATE_SPOT_STRATEGY, SERVICE_DEFAULTS } from '../defaults';
import { DeploymentStrategyName } from '../deployment-strategy';
import { WEB_ACL_RULE_NAMES } from '../firewall-rules';
import { alarmDefinitions, dashboardNames, MonitoringTargets } from '../monitoring-definitions';

/**
 * The counts of priced resources the stack creates, derived from the same settings and
 * definitions the constructs use (test/core/cost-model.test.ts checks each against a
 * synthesized stack), and the hours the tasks run.
 */

export { FARGATE_SPOT_STRATEGY } from '../defaults';

/** Interface endpoints ServiceNetwork creates per AZ: ECR API, ECR Docker, Logs, Secrets Manager. */
const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'];

/**
 * KMS keys per stack: the stack's data and logs keys, the alarm topic's key and the trail's
 * key (the other constructs get the stack's keys passed in).
 */
const KMS_KEYS_PER_STACK = 4;

/** A stack that joins a platform has no trail, so no trail key. */
const KMS_KEYS_PER_JOINED_STACK = KMS_KEYS_PER_STACK - 1;

/** Resource names used only to count alarms; the count does not depend on them. */
const COUNTING_TARGETS: MonitoringTargets = {
  loadBalancerFullName: 'alb',
  targetGroupFullName: 'tg',
  clusterName: 'cluster',
  serviceName: 'service',
  appLogGroupName: 'logs',
};

/**
 * The priced resources of one environment's stack; `joined`: of a stack that joins a platform
 * (no NAT gateways or endpoints of its own, no trail key).
 */
export function resourceCounts(s: CostInputs, joined = false): ResourceCounts {
  const availabilityZones = s.maxAzs;
  const alarms = alarmDefinitions(s, {
    ...COUNTING_TARGETS,
    // The traffic-shifting strategies' latency and health alarms watch both target groups.
    alternateTargetGroupFullName: DeploymentStrategyName.shiftsTraffic(s.deployment.strategy) ? 'tg-alt' : undefined,
    databaseInstanceId: s.database ? 'db' : undefined,
    cacheClusterId: s.cache ? 'cache' : undefined,
  });
  const alarmMetrics = alarms
    .map((a) => ('expression' in a.metric ? Object.keys(a.metric.usingMetrics).length : 1))
    .reduce((sum, n) => sum + n, 0);
  const split = taskSplit(s.minCapacity, s.fargateSpot);
  return {
    availabilityZones,
    natGateways: joined ? 0 : natGatewayCount(s),
    interfaceEndpoints: joined ? 0 : INTERFACE_ENDPOINT_SERVICES.length,
    kmsKeys: joined ? KMS_KEYS_PER_JOINED_STACK : KMS_KEYS_PER_STACK,
    secrets: (s.database ? 1 : 0) + (s.cache ? 1 : 0) + (AuthenticationMode.usesApiKeys(s.authentication) ? 1 : 0),
    alarms: alarms.length,
    alarmMetrics,
    dashboards: Object.keys(dashboardNames(s)).length,
    webAcls: joined ? 0 : 1,
    webAclRules: WEB_ACL_RULE_NAMES.length,
    cacheNodes: s.cache ? 1 + s.cacheReplicas : 0,
    onDemandTasks: split.onDemand,
    spotTasks: split.spot,
  };
}

/** NAT gateways of a network with these presets: one, or one per AZ. */
export function natGatewayCount(s: Pick<CostInputs, 'natGateways' | 'maxAzs'>): number {
  return s.natGateways === 'one' ? 1 : s.maxAzs;
}

/** Interface endpoints a `ServiceNetwork` creates per AZ (a platform's network is one). */
export const INTERFACE_ENDPOINTS_PER_NETWORK = INTERFACE_ENDPOINT_SERVICES.length;

/** Tasks on FARGATE and FARGATE_SPOT for a task count, following `FARGATE_SPOT_STRATEGY`. */
export function taskSplit(tasks: number, fargateSpot: boolean): { onDemand: number; spot: number } {
  if (!fargateSpot) return { onDemand: tasks, spot: 0 };
  const { onDemandBase, onDemandWeight, spotWeight } = FARGATE_SPOT_STRATEGY;
  const base = Math.min(onDemandBase, tasks);
  const rest = tasks - base;
  const spot = (rest * spotWeight) / (onDemandWeight + spotWeight);
  return { onDemand: tasks - spot, spot };
}

/** Hours a month staging runs when it scales to zero outside working hours. */
export function workingHoursPerMonth(): number {
  const { startHour, stopHour, weekDays } = SERVICE_DEFAULTS.workingHoursCron;
  return ((stopHour - startHour) * countWeekDays(weekDays) * 52) / 12;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Days in a cron day-of-week field such as `MON-FRI` or `MON,WED`. */
function countWeekDays(field: string): number {
  let count = 0;
  for (const part of field.split(',')) {
    const [from, to] = part.split('-').map((d) => DAYS.indexOf(d.trim().toUpperCase()));
    if (from < 0 || (to !== undefined && to < 0)) {
      throw new Error(`cannot read the weekdays "${field}" of SERVICE_DEFAULTS.workingHoursCron; use names such as MON-FRI`);
    }
    count += to === undefined ? 1 : to - from + 1;
  }
  return count;
}
