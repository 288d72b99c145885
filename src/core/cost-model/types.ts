import { UsageAssumptions } from './usage';
import { BaseSettings } from '../base-settings';
import { DeploymentEnvironment } from '../deployment-environment';

/** What the estimate may use from the settings: everything but the budget it defaults. */
export type CostInputs = BaseSettings;

/** Groups of line items. */
export type CostCategory = 'Compute' | 'Network' | 'Edge' | 'Database' | 'Cache' | 'Security' | 'Monitoring' | 'Storage';

/** One line of the estimate. */
export interface CostLineItem {
  /** Stable key, e.g. `fargate`. */
  readonly id: string;
  readonly category: CostCategory;
  /** What is billed. */
  readonly item: string;
  /** The quantity, in words and numbers, e.g. `2 tasks x 730 h (0.5 vCPU, 1 GB)`. */
  readonly quantity: string;
  /** Unit prices used, e.g. `$0.04048/vCPU-h + $0.004445/GB-h`. */
  readonly unitPrice: string;
  /** Monthly cost in USD, unrounded. */
  readonly monthlyUsd: number;
}

/** The resources one environment's stack creates that carry a price. */
export interface ResourceCounts {
  readonly availabilityZones: number;
  readonly natGateways: number;
  readonly interfaceEndpoints: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  readonly alarms: number;
  /** Metrics billed across the alarms (a metric-math alarm is billed per metric). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  /** Web ACLs of the stack's own: 1 standalone, 0 joined (the platform's web ACL guards its load balancer). */
  readonly webAcls: number;
  readonly webAclRules: number;
  readonly cacheNodes: number;
  /** Tasks at minimum capacity on FARGATE and on FARGATE_SPOT. */
  readonly onDemandTasks: number;
  readonly spotTasks: number;
}

/** The estimate of one environment. */
export interface CostEstimate {
  readonly environment: DeploymentEnvironment;
  readonly region: string;
  readonly source: string;
  readonly takenOn: string;
  readonly usage: UsageAssumptions;
  readonly counts: ResourceCounts;
  /** Hours a month the minimum number of tasks runs (less than 730 when staging scales to zero). */
  readonly taskHours: number;
  readonly lineItems: CostLineItem[];
  /** Sum of the line items, rounded to cents. */
  readonly totalUsd: number;
  /** What Fargate alone would cost with `maxCapacity` tasks all month (the autoscaling ceiling). */
  readonly fargateAtMaxCapacityUsd: number;
  /** The default monthly budget: the total plus `BUDGET_MARGIN`, rounded up to `BUDGET_ROUNDING_USD`. */
  readonly defaultBudgetUsd: number;
}
