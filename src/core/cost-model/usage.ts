import { DeploymentEnvironment } from '../deployment-environment';

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
