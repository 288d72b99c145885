import { resourceCounts, workingHoursPerMonth } from './counts';
import { PRICES } from './prices';
import { CostInputs, ResourceCounts } from './types';
import { USAGE_ASSUMPTIONS, UsageAssumptions } from './usage';

/** What every category's line items are computed from: the settings and the figures derived once. */
export interface CostContext {
  readonly s: CostInputs;
  readonly u: UsageAssumptions;
  readonly counts: ResourceCounts;
  /** Hours in a month. */
  readonly hours: number;
  /** Hours a month the minimum number of tasks runs. */
  readonly taskHours: number;
  readonly vcpu: number;
  readonly memoryGb: number;
  /** Price of one on-demand task-hour, and of one Fargate Spot task-hour. */
  readonly taskHour: number;
  readonly spotTaskHour: number;
  /** Application logs a month, in GB (ingested by CloudWatch Logs, sent through the Logs endpoint). */
  readonly appLogsGb: number;
  /**
   * The stack joins a platform: the network (NAT gateways, endpoints, flow logs), the cluster
   * and the trail are the platform's, so the line items keep only what this service adds.
   */
  readonly joined: boolean;
}

/** The context of one environment's estimate. */
export function costContext(s: CostInputs, joined = false): CostContext {
  const P = PRICES;
  const u = USAGE_ASSUMPTIONS[s.environment];
  const hours = P.hoursPerMonth;
  const vcpu = s.cpu / 1024;
  const memoryGb = s.memoryLimitMiB / 1024;
  const taskHour = vcpu * P.fargate.vcpuHour + memoryGb * P.fargate.gbHour;
  return {
    s,
    u,
    counts: resourceCounts(s, joined),
    hours,
    taskHours: s.scaleToZeroOutsideWorkingHours ? workingHoursPerMonth() : hours,
    vcpu,
    memoryGb,
    taskHour,
    spotTaskHour: taskHour * (1 - P.fargate.spotDiscount),
    appLogsGb: (u.requestsPerMonth * u.appLogKbPerRequest) / 1e6,
    joined,
  };
}
