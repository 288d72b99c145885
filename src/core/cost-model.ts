import { AuthenticationMode } from './authentication';
import { BaseSettings } from './base-settings';
import { SERVICE_DEFAULTS } from './defaults';
import { DeploymentEnvironment } from './deployment-environment';
import { MANAGED_RULE_GROUPS } from './firewall-rules';
import { alarmDefinitions, dashboardNames, MonitoringTargets } from './monitoring-definitions';

/**
 * The monthly cost of one environment's stack, estimated from its resolved settings and one
 * price table. Data and pure functions only: the stack uses it to default the monthly budget,
 * the project type renders it into the generated ARCHITECTURE.md. Internal module.
 *
 * The counts of resources the stack creates (NAT gateways, interface endpoints, KMS keys,
 * secrets, alarms, dashboards, web ACL rules, the Fargate Spot split) are derived here from
 * the same settings and definitions the constructs use; test/constructs/cost-model.test.ts
 * checks every count against a synthesized stack, so the model cannot drift from the stack.
 */

/** What the estimate may use from the settings: everything but the budget it defaults. */
export type CostInputs = BaseSettings;

/** On-demand prices, USD, in the one region the table is for. */
export const PRICES = {
  region: 'us-east-1',
  source: 'AWS public price list (on-demand, Linux, us-east-1)',
  /**
   * When the prices were taken. They were copied from the public price pages as known on this
   * date, not fetched live (the build machines have no route to AWS): check them against
   * https://aws.amazon.com/pricing/ before relying on the figures.
   */
  takenOn: '2025-01-15',
  currency: 'USD',
  hoursPerMonth: 730,
  fargate: {
    vcpuHour: 0.04048,
    gbHour: 0.004445,
    /** Fargate Spot's discount on on-demand; AWS quotes "up to 70%" and the price floats. */
    spotDiscount: 0.7,
  },
  natGateway: { hour: 0.045, gbProcessed: 0.045 },
  loadBalancer: { hour: 0.0225, lcuHour: 0.008 },
  waf: { webAclMonth: 5, ruleMonth: 1, perMillionRequests: 0.6 },
  rds: {
    /** PostgreSQL, single-AZ, per instance-hour. */
    instanceHour: {
      'db.t3.micro': 0.018,
      'db.t3.small': 0.036,
      'db.t3.medium': 0.072,
      'db.t3.large': 0.145,
    } as Record<string, number>,
    /** Multi-AZ runs a standby: instance-hours and storage both double. */
    multiAzFactor: 2,
    gp3GbMonth: 0.115,
    /** AWS Backup (and RDS backup storage beyond the free allowance), per GB-month. */
    backupGbMonth: 0.095,
  },
  elasticache: {
    nodeHour: {
      'cache.t3.micro': 0.017,
      'cache.t3.small': 0.034,
      'cache.t3.medium': 0.068,
    } as Record<string, number>,
    /** Memory of each node type in GiB, to size snapshots. */
    nodeMemoryGiB: {
      'cache.t3.micro': 0.5,
      'cache.t3.small': 1.37,
      'cache.t3.medium': 3.09,
    } as Record<string, number>,
    snapshotGbMonth: 0.085,
  },
  kms: { keyMonth: 1 },
  secretsManager: { secretMonth: 0.4 },
  cloudWatch: {
    logsIngestGb: 0.5,
    logsStorageGbMonth: 0.03,
    alarmMetricMonth: 0.1,
    dashboardMonth: 3,
    customMetricMonth: 0.3,
  },
  interfaceEndpoint: { azHour: 0.01, gbProcessed: 0.01 },
  dataTransferOutGb: 0.09,
  /** The first copy of management events in a trail is free; its files are S3 storage. */
  cloudTrail: { firstTrailMonth: 0 },
  s3: { standardGbMonth: 0.023 },
  ecr: { storageGbMonth: 0.1 },
} as const;

/** The traffic and volume one environment is assumed to have. */
export interface UsageAssumptions {
  /** Requests a month through the load balancer and the web ACL. */
  readonly requestsPerMonth: number;
  /** Average response size in KB, which gives data transfer out. */
  readonly responseKb: number;
  /** Average request size in KB, which adds to bytes the load balancer processes. */
  readonly requestKb: number;
  /** Application log bytes per request, in KB (one JSON access line plus some). */
  readonly appLogKbPerRequest: number;
  /** WAF log bytes per request, in KB (WAF logs every request it evaluates). */
  readonly wafLogKbPerRequest: number;
  /** ALB access log bytes per request in S3, in KB (gzip). */
  readonly albLogKbPerRequest: number;
  /** VPC flow logs a month, in GB. */
  readonly flowLogsGb: number;
  /** Other logs a month, in GB: RDS, enhanced monitoring, Redis slow log, CloudTrail, rotation. */
  readonly otherLogsGb: number;
  /** Stored size of CloudWatch Logs relative to ingested size (CloudWatch bills compressed bytes). */
  readonly logsCompressionRatio: number;
  /** Internet-bound traffic from the tasks through the NAT gateways, GB a month. */
  readonly natProcessedGb: number;
  /** Custom metrics Container Insights publishes for one cluster with one service. */
  readonly containerInsightsMetrics: number;
  /** Share of the database's allocated storage that changes a day, for incremental backups. */
  readonly backupDailyChangeRate: number;
  /** Share of the cache's memory in use, for snapshot sizes. */
  readonly cacheFill: number;
  /** Images kept in ECR, in GB (the lifecycle keeps 50 images; layers are shared). */
  readonly ecrGb: number;
  /** CloudTrail files written to S3 a month, in GB. */
  readonly trailGbPerMonth: number;
}

const COMMON_ASSUMPTIONS = {
  responseKb: 2,
  requestKb: 1,
  appLogKbPerRequest: 0.5,
  wafLogKbPerRequest: 1.5,
  albLogKbPerRequest: 0.3,
  logsCompressionRatio: 0.2,
  containerInsightsMetrics: 20,
  backupDailyChangeRate: 0.01,
  cacheFill: 0.5,
  ecrGb: 5,
  trailGbPerMonth: 0.5,
};

/** Usage per environment. Production's 10 million requests a month is about 4 a second. */
export const USAGE_ASSUMPTIONS: Record<DeploymentEnvironment, UsageAssumptions> = {
  [DeploymentEnvironment.STAGING]: {
    ...COMMON_ASSUMPTIONS,
    requestsPerMonth: 1_000_000,
    flowLogsGb: 2,
    otherLogsGb: 1,
    natProcessedGb: 2,
  },
  [DeploymentEnvironment.PRODUCTION]: {
    ...COMMON_ASSUMPTIONS,
    requestsPerMonth: 10_000_000,
    flowLogsGb: 10,
    otherLogsGb: 2,
    natProcessedGb: 5,
  },
};

/**
 * How staging spreads tasks over capacity providers when `fargateSpot` is on: the first task
 * on FARGATE, the rest 1:3 between FARGATE and FARGATE_SPOT (ApiService's strategy).
 */
export const FARGATE_SPOT_STRATEGY = { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 } as const;

/** Margin on the estimate for the default budget, and the step it is rounded up to. */
export const BUDGET_MARGIN = 0.25;
export const BUDGET_ROUNDING_USD = 50;

/** The kit's seed plan estimated $80-100 a month for staging and production together. */
export const SEED_ESTIMATE_USD = { low: 80, high: 100 } as const;

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

/** Interface endpoints ServiceNetwork creates per AZ: ECR API, ECR Docker, Logs, Secrets Manager. */
const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'];

/**
 * KMS keys per stack: the stack's data and logs keys, the alarm topic's key and the trail's
 * key (the other constructs get the stack's keys passed in).
 */
const KMS_KEYS_PER_STACK = 4;

/** Resource names used only to count alarms; the count does not depend on them. */
const COUNTING_TARGETS: MonitoringTargets = {
  loadBalancerFullName: 'alb',
  targetGroupFullName: 'tg',
  clusterName: 'cluster',
  serviceName: 'service',
  appLogGroupName: 'logs',
};

/** The priced resources of one environment's stack. */
export function resourceCounts(s: CostInputs): ResourceCounts {
  const availabilityZones = s.maxAzs;
  const alarms = alarmDefinitions(s, {
    ...COUNTING_TARGETS,
    databaseInstanceId: s.database ? 'db' : undefined,
    cacheClusterId: s.cache ? 'cache' : undefined,
  });
  const alarmMetrics = alarms
    .map((a) => ('expression' in a.metric ? Object.keys(a.metric.usingMetrics).length : 1))
    .reduce((sum, n) => sum + n, 0);
  const split = taskSplit(s.minCapacity, s.fargateSpot);
  return {
    availabilityZones,
    natGateways: s.natGateways === 'one' ? 1 : availabilityZones,
    interfaceEndpoints: INTERFACE_ENDPOINT_SERVICES.length,
    kmsKeys: KMS_KEYS_PER_STACK,
    secrets: (s.database ? 1 : 0) + (s.cache ? 1 : 0) + (AuthenticationMode.usesApiKeys(s.authentication) ? 1 : 0),
    alarms: alarms.length,
    alarmMetrics,
    dashboards: Object.keys(dashboardNames(s)).length,
    webAclRules: MANAGED_RULE_GROUPS.length + 1,
    cacheNodes: s.cache ? 1 + s.cacheReplicas : 0,
    onDemandTasks: split.onDemand,
    spotTasks: split.spot,
  };
}

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

/** Rounds a number of dollars to cents. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** The default monthly budget for an estimate: plus `BUDGET_MARGIN`, rounded up to `BUDGET_ROUNDING_USD`. */
export function budgetFromEstimate(totalUsd: number): number {
  return Math.ceil(cents(totalUsd * (1 + BUDGET_MARGIN)) / BUDGET_ROUNDING_USD) * BUDGET_ROUNDING_USD;
}

/** The default monthly budget of one environment's settings. */
export function defaultMonthlyBudgetUsd(settings: CostInputs): number {
  return estimateMonthlyCost(settings).defaultBudgetUsd;
}

/** The monthly cost of one environment's stack, line by line. */
export function estimateMonthlyCost(settings: CostInputs): CostEstimate {
  const s = settings;
  const P = PRICES;
  const u = USAGE_ASSUMPTIONS[s.environment];
  const counts = resourceCounts(s);
  const hours = P.hoursPerMonth;
  const taskHours = s.scaleToZeroOutsideWorkingHours ? workingHoursPerMonth() : hours;
  const vcpu = s.cpu / 1024;
  const memoryGb = s.memoryLimitMiB / 1024;
  const taskHour = vcpu * P.fargate.vcpuHour + memoryGb * P.fargate.gbHour;
  const spotTaskHour = taskHour * (1 - P.fargate.spotDiscount);
  const lines: CostLineItem[] = [];
  const add = (line: CostLineItem) => lines.push(line);

  // Compute
  add({
    id: 'fargate',
    category: 'Compute',
    item: 'ECS Fargate tasks (on-demand)',
    quantity: `${num(counts.onDemandTasks)} task(s) x ${num(taskHours)} h (${num(vcpu)} vCPU, ${num(memoryGb)} GB)`,
    unitPrice: `$${P.fargate.vcpuHour}/vCPU-h + $${P.fargate.gbHour}/GB-h`,
    monthlyUsd: counts.onDemandTasks * taskHours * taskHour,
  });
  if (s.fargateSpot) {
    add({
      id: 'fargate-spot',
      category: 'Compute',
      item: 'ECS Fargate Spot tasks',
      quantity: `${num(counts.spotTasks)} task(s) x ${num(taskHours)} h at minimum capacity`,
      unitPrice: `on-demand less ${num(P.fargate.spotDiscount * 100)}%`,
      monthlyUsd: counts.spotTasks * taskHours * spotTaskHour,
    });
  }
  add({
    id: 'container-insights',
    category: 'Monitoring',
    item: 'Container Insights and the error metric (custom metrics)',
    quantity: `${u.containerInsightsMetrics + 1} metrics`,
    unitPrice: `$${P.cloudWatch.customMetricMonth}/metric-month`,
    monthlyUsd: (u.containerInsightsMetrics + 1) * P.cloudWatch.customMetricMonth,
  });

  // Network
  add({
    id: 'nat-gateway',
    category: 'Network',
    item: 'NAT gateways',
    quantity: `${counts.natGateways} x ${hours} h + ${num(u.natProcessedGb)} GB processed`,
    unitPrice: `$${P.natGateway.hour}/h + $${P.natGateway.gbProcessed}/GB`,
    monthlyUsd: counts.natGateways * hours * P.natGateway.hour + u.natProcessedGb * P.natGateway.gbProcessed,
  });
  const appLogsGb = (u.requestsPerMonth * u.appLogKbPerRequest) / 1e6;
  const endpointGb = appLogsGb + 1;
  const endpointAzHours = counts.interfaceEndpoints * counts.availabilityZones * hours;
  add({
    id: 'interface-endpoints',
    category: 'Network',
    item: 'Interface VPC endpoints (ECR API, ECR Docker, Logs, Secrets Manager)',
    quantity: `${counts.interfaceEndpoints} endpoints x ${counts.availabilityZones} AZs x ${hours} h + ${num(endpointGb)} GB`,
    unitPrice: `$${P.interfaceEndpoint.azHour}/AZ-h + $${P.interfaceEndpoint.gbProcessed}/GB`,
    monthlyUsd: endpointAzHours * P.interfaceEndpoint.azHour + endpointGb * P.interfaceEndpoint.gbProcessed,
  });
  const dataOutGb = (u.requestsPerMonth * u.responseKb) / 1e6;
  add({
    id: 'data-transfer-out',
    category: 'Network',
    item: 'Data transfer out to the internet',
    quantity: `${num(dataOutGb)} GB (${millions(u.requestsPerMonth)} requests x ${u.responseKb} KB)`,
    unitPrice: `$${P.dataTransferOutGb}/GB`,
    monthlyUsd: dataOutGb * P.dataTransferOutGb,
  });

  // Edge: load balancer and web ACL
  const requestsPerSecond = u.requestsPerMonth / (hours * 3600);
  const processedGbPerHour = (u.requestsPerMonth * (u.requestKb + u.responseKb)) / 1e6 / hours;
  // An LCU is the largest of: 25 new connections/s (one per request, no reuse assumed), 1 GB/h processed.
  const lcu = Math.max(requestsPerSecond / 25, processedGbPerHour);
  add({
    id: 'load-balancer',
    category: 'Edge',
    item: 'Application Load Balancer',
    quantity: `${hours} h + ${num(lcu)} LCU average`,
    unitPrice: `$${P.loadBalancer.hour}/h + $${P.loadBalancer.lcuHour}/LCU-h`,
    monthlyUsd: hours * P.loadBalancer.hour + lcu * hours * P.loadBalancer.lcuHour,
  });
  add({
    id: 'waf',
    category: 'Edge',
    item: 'WAFv2 web ACL',
    quantity: `1 web ACL + ${counts.webAclRules} rules + ${millions(u.requestsPerMonth)} requests`,
    unitPrice: `$${P.waf.webAclMonth}/ACL + $${P.waf.ruleMonth}/rule + $${P.waf.perMillionRequests}/million`,
    monthlyUsd: P.waf.webAclMonth + counts.webAclRules * P.waf.ruleMonth + (u.requestsPerMonth / 1e6) * P.waf.perMillionRequests,
  });

  // Database
  if (s.database) {
    const instanceClass = `db.${s.databaseInstanceClass}`;
    const instanceHour = priceOf(P.rds.instanceHour, instanceClass, 'PRICES.rds.instanceHour');
    const az = s.multiAz ? P.rds.multiAzFactor : 1;
    add({
      id: 'rds-instance',
      category: 'Database',
      item: 'RDS PostgreSQL instance',
      quantity: `${instanceClass}${s.multiAz ? ' Multi-AZ' : ' single-AZ'}: ${hours} h${s.multiAz ? ` x ${P.rds.multiAzFactor} (primary + standby)` : ''}`,
      unitPrice: `$${instanceHour}/h`,
      monthlyUsd: hours * instanceHour * az,
    });
    add({
      id: 'rds-storage',
      category: 'Database',
      item: 'RDS gp3 storage',
      quantity: `${s.databaseAllocatedStorageGiB} GB${s.multiAz ? ` x ${P.rds.multiAzFactor}` : ''}`,
      unitPrice: `$${P.rds.gp3GbMonth}/GB-month`,
      monthlyUsd: s.databaseAllocatedStorageGiB * P.rds.gp3GbMonth * az,
    });
    // RDS keeps automated backups up to the database's size free; AWS Backup's daily
    // snapshots are incremental and billed for what changes over their retention.
    const backupGb = s.databaseAllocatedStorageGiB * (1 + u.backupDailyChangeRate * s.awsBackupRetentionDays);
    add({
      id: 'rds-backup',
      category: 'Database',
      item: 'AWS Backup snapshots of the database',
      quantity: `${num(backupGb)} GB (${s.databaseAllocatedStorageGiB} GB + ${num(u.backupDailyChangeRate * 100)}%/day changed, kept ${s.awsBackupRetentionDays} days)`,
      unitPrice: `$${P.rds.backupGbMonth}/GB-month`,
      monthlyUsd: backupGb * P.rds.backupGbMonth,
    });
  }

  // Cache
  if (s.cache) {
    const nodeHour = priceOf(P.elasticache.nodeHour, s.cacheNodeType, 'PRICES.elasticache.nodeHour');
    add({
      id: 'elasticache',
      category: 'Cache',
      item: 'ElastiCache Redis nodes',
      quantity: `${counts.cacheNodes} x ${s.cacheNodeType} x ${hours} h`,
      unitPrice: `$${nodeHour}/h`,
      monthlyUsd: counts.cacheNodes * hours * nodeHour,
    });
    const memory = priceOf(P.elasticache.nodeMemoryGiB, s.cacheNodeType, 'PRICES.elasticache.nodeMemoryGiB');
    // One snapshot per cluster is free; the others are full copies of the used memory.
    const snapshotGb = memory * u.cacheFill * Math.max(0, s.cacheSnapshotRetentionDays - 1);
    add({
      id: 'elasticache-snapshots',
      category: 'Cache',
      item: 'ElastiCache snapshots',
      quantity: `${num(snapshotGb)} GB (${num(u.cacheFill * 100)}% of ${memory} GiB x ${s.cacheSnapshotRetentionDays - 1} paid snapshots, kept ${s.cacheSnapshotRetentionDays} days)`,
      unitPrice: `$${P.elasticache.snapshotGbMonth}/GB-month`,
      monthlyUsd: snapshotGb * P.elasticache.snapshotGbMonth,
    });
  }

  // Security
  add({
    id: 'kms',
    category: 'Security',
    item: 'KMS customer-managed keys',
    quantity: `${counts.kmsKeys} keys`,
    unitPrice: `$${P.kms.keyMonth}/key-month`,
    monthlyUsd: counts.kmsKeys * P.kms.keyMonth,
  });
  if (counts.secrets > 0) {
    add({
      id: 'secrets-manager',
      category: 'Security',
      item: 'Secrets Manager secrets',
      quantity: `${counts.secrets} secret(s)`,
      unitPrice: `$${P.secretsManager.secretMonth}/secret-month`,
      monthlyUsd: counts.secrets * P.secretsManager.secretMonth,
    });
  }
  add({
    id: 'cloudtrail',
    category: 'Security',
    item: 'CloudTrail trail (first copy of management events)',
    quantity: '1 trail',
    unitPrice: 'free; its files are billed as S3 storage',
    monthlyUsd: P.cloudTrail.firstTrailMonth,
  });

  // Monitoring
  const wafLogsGb = (u.requestsPerMonth * u.wafLogKbPerRequest) / 1e6;
  const ingestGb = appLogsGb + wafLogsGb + u.flowLogsGb + u.otherLogsGb;
  add({
    id: 'logs-ingest',
    category: 'Monitoring',
    item: 'CloudWatch Logs ingestion',
    quantity: `${num(ingestGb)} GB (app ${num(appLogsGb)}, WAF ${num(wafLogsGb)}, flow ${num(u.flowLogsGb)}, other ${num(u.otherLogsGb)})`,
    unitPrice: `$${P.cloudWatch.logsIngestGb}/GB`,
    monthlyUsd: ingestGb * P.cloudWatch.logsIngestGb,
  });
  const storedGb = ingestGb * (s.logRetentionDays / 30) * u.logsCompressionRatio;
  add({
    id: 'logs-storage',
    category: 'Monitoring',
    item: 'CloudWatch Logs storage',
    quantity: `${num(storedGb)} GB compressed at steady state (kept ${s.logRetentionDays} days)`,
    unitPrice: `$${P.cloudWatch.logsStorageGbMonth}/GB-month`,
    monthlyUsd: storedGb * P.cloudWatch.logsStorageGbMonth,
  });
  add({
    id: 'alarms',
    category: 'Monitoring',
    item: 'CloudWatch alarms',
    quantity: `${counts.alarms} alarms, ${counts.alarmMetrics} metrics`,
    unitPrice: `$${P.cloudWatch.alarmMetricMonth}/alarm metric-month`,
    monthlyUsd: counts.alarmMetrics * P.cloudWatch.alarmMetricMonth,
  });
  add({
    id: 'dashboards',
    category: 'Monitoring',
    item: 'CloudWatch dashboards',
    quantity: `${counts.dashboards} dashboards`,
    unitPrice: `$${P.cloudWatch.dashboardMonth}/dashboard-month`,
    monthlyUsd: counts.dashboards * P.cloudWatch.dashboardMonth,
  });

  // Storage
  const months = s.logRetentionDays / 30;
  const albLogsGb = ((u.requestsPerMonth * u.albLogKbPerRequest) / 1e6) * months;
  const trailGb = u.trailGbPerMonth * Math.min(months, 3);
  add({
    id: 's3',
    category: 'Storage',
    item: 'S3: load balancer access logs and CloudTrail files',
    quantity: `${num(albLogsGb + trailGb)} GB at steady state`,
    unitPrice: `$${P.s3.standardGbMonth}/GB-month`,
    monthlyUsd: (albLogsGb + trailGb) * P.s3.standardGbMonth,
  });
  add({
    id: 'ecr',
    category: 'Storage',
    item: 'ECR image storage',
    quantity: `${num(u.ecrGb)} GB`,
    unitPrice: `$${P.ecr.storageGbMonth}/GB-month`,
    monthlyUsd: u.ecrGb * P.ecr.storageGbMonth,
  });

  const totalUsd = cents(lines.reduce((sum, line) => sum + line.monthlyUsd, 0));
  const ceiling = taskSplit(s.maxCapacity, s.fargateSpot);
  return {
    environment: s.environment,
    region: P.region,
    source: P.source,
    takenOn: P.takenOn,
    usage: u,
    counts,
    taskHours,
    lineItems: lines,
    totalUsd,
    fargateAtMaxCapacityUsd: cents(hours * (ceiling.onDemand * taskHour + ceiling.spot * spotTaskHour)),
    defaultBudgetUsd: budgetFromEstimate(totalUsd),
  };
}

function priceOf(table: Record<string, number>, key: string, tableName: string): number {
  const price = table[key];
  if (price === undefined) {
    throw new Error(
      `the cost model has no price for ${key} (${tableName} knows ${Object.keys(table).join(', ')}); add it to src/constructs/cost-model.ts or set monthlyBudgetUsd`,
    );
  }
  return price;
}

/** A number for prose: at most two decimals, no trailing zeros. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function millions(value: number): string {
  return `${num(value / 1e6)} million`;
}
