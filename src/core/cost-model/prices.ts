/**
 * The price table of the cost model (a data table): on-demand prices in the one region the
 * estimate is for. Internal module.
 */

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
  /**
   * The first copy of management events in a trail is free; its files are S3 storage. Every
   * further trail of the account that records them bills them again: $2.00 per 100,000
   * (CloudTrail pricing page, "additional copies of management events").
   */
  cloudTrail: { firstTrailMonth: 0, additionalCopyPer100kEvents: 2 },
  /**
   * The platform's account baseline, from each service's pricing page (us-east-1, first tier):
   * GuardDuty (aws.amazon.com/guardduty/pricing): CloudTrail management event analysis
   * $4.00 per million events, VPC flow log and DNS log analysis $1.00/GB (first 500 GB),
   * S3 data event analysis $0.80 per million (first 500 million), Runtime Monitoring of
   * ECS Fargate $1.50 per vCPU-month (first 500 vCPUs).
   */
  guardDuty: { managementEventsPerMillion: 4, logsGb: 1, s3DataEventsPerMillion: 0.8, fargateVcpuMonth: 1.5 },
  /**
   * AWS Config (aws.amazon.com/config/pricing): $0.003 per configuration item recorded,
   * $0.001 per rule evaluation (first 100,000 a month).
   */
  config: { configurationItem: 0.003, ruleEvaluation: 0.001 },
  /**
   * Security Hub (aws.amazon.com/security-hub/pricing): $0.0010 per security check (first
   * 100,000 a month); the first 10,000 finding ingestion events a month are free.
   */
  securityHub: { check: 0.001 },
  s3: { standardGbMonth: 0.023 },
  ecr: { storageGbMonth: 0.1 },
} as const;
