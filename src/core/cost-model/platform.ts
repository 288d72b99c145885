import { INTERFACE_ENDPOINTS_PER_NETWORK, natGatewayCount } from './counts';
import { cents, millions, num } from './format';
import { PRICES as P } from './prices';
import { CostInputs, CostLineItem } from './types';
import { USAGE_ASSUMPTIONS } from './usage';
import { DeploymentEnvironment } from '../deployment-environment';
import { WEB_ACL_RULE_NAMES } from '../firewall-rules';
import { HIPAA_CONFIG_RULES } from '../platform-baseline';
import { ENVIRONMENT_PRESETS } from '../presets';

/**
 * The monthly cost of a `HardenedPlatformStack` (the shared network, cluster, alarm topic and
 * backup vault of one environment, and, in the platform that holds it, the account baseline),
 * and the account-baseline lines that grow with each joined service. Same price table and usage
 * table as the service estimate. Internal module.
 */

/** How much the account baseline processes, a month (assumptions, like `USAGE_ASSUMPTIONS`). */
export interface PlatformUsageAssumptions {
  /** Management events the account writes (deploys, task starts, SDK calls): the trail and GuardDuty read them. */
  readonly managementEventsPerMonth: number;
  /** S3 data events GuardDuty's S3 protection analyses, in millions. */
  readonly s3DataEventsMillions: number;
  /** DNS query logs of one environment's VPC, GB (GuardDuty analyses them with the flow logs). */
  readonly dnsLogsGb: number;
  /** Configuration items AWS Config records for the platform's own resources, per environment. */
  readonly platformConfigItems: number;
  /** Configuration items recorded for one joined service's resources (its ~100 resources, a few changes each). */
  readonly serviceConfigItems: number;
  /** Config rule evaluations per recorded resource a month (change-triggered plus periodic). */
  readonly ruleEvaluationsPerResource: number;
  /** Resources of the platform, and of one joined service, that the rules and checks evaluate. */
  readonly platformResources: number;
  readonly serviceResources: number;
  /** Security Hub checks per evaluated resource a month (the standards' controls run daily or on change). */
  readonly securityHubChecksPerResource: number;
}

export const PLATFORM_USAGE: PlatformUsageAssumptions = {
  managementEventsPerMonth: 500_000,
  s3DataEventsMillions: 1,
  dnsLogsGb: 1,
  platformConfigItems: 1_000,
  serviceConfigItems: 300,
  ruleEvaluationsPerResource: 4,
  platformResources: 150,
  serviceResources: 100,
  securityHubChecksPerResource: 10,
};

/** KMS keys of a platform stack (data, logs) and of the account baseline (the trail's key). */
const PLATFORM_KMS_KEYS = 2;
const BASELINE_KMS_KEYS = 1;

/** A platform's estimate. */
export interface PlatformCostEstimate {
  readonly environment: DeploymentEnvironment;
  /** Whether this platform holds the account baseline (the first platform of the account). */
  readonly accountBaseline: boolean;
  readonly lineItems: CostLineItem[];
  /** Sum of the line items, rounded to cents. */
  readonly totalUsd: number;
}

/**
 * The monthly cost of one environment's platform: its network (the environment's presets),
 * web ACL, keys, flow logs and, with `accountBaseline`, the trail, GuardDuty, Config and Security Hub
 * of the account. The cluster, the alarm topic, the backup vault and its lock, and IAM Access
 * Analyzer's external-access analyzer have no charge of their own (the snapshots in the vault
 * are billed in each service's estimate).
 */
export function estimatePlatformCost(environment: DeploymentEnvironment, accountBaseline: boolean): PlatformCostEstimate {
  const preset = ENVIRONMENT_PRESETS[environment];
  const u = USAGE_ASSUMPTIONS[environment];
  const hours = P.hoursPerMonth;
  const nat = natGatewayCount(preset);
  const flowStoredGb = u.flowLogsGb * (preset.logRetentionDays / 30) * u.logsCompressionRatio;
  const lines: CostLineItem[] = [
    {
      id: 'platform-nat-gateway',
      category: 'Network',
      item: 'NAT gateways (hours; the bytes are billed to each service)',
      quantity: `${nat} x ${hours} h`,
      unitPrice: `$${P.natGateway.hour}/h`,
      monthlyUsd: nat * hours * P.natGateway.hour,
    },
    {
      id: 'platform-interface-endpoints',
      category: 'Network',
      item: 'Interface VPC endpoints (ECR API, ECR Docker, Logs, Secrets Manager)',
      quantity: `${INTERFACE_ENDPOINTS_PER_NETWORK} endpoints x ${preset.maxAzs} AZs x ${hours} h`,
      unitPrice: `$${P.interfaceEndpoint.azHour}/AZ-h`,
      monthlyUsd: INTERFACE_ENDPOINTS_PER_NETWORK * preset.maxAzs * hours * P.interfaceEndpoint.azHour,
    },
    {
      id: 'platform-flow-logs',
      category: 'Monitoring',
      item: 'VPC flow logs in CloudWatch Logs',
      quantity: `${num(u.flowLogsGb)} GB ingested, ${num(flowStoredGb)} GB stored (kept ${preset.logRetentionDays} days)`,
      unitPrice: `$${P.cloudWatch.logsIngestGb}/GB + $${P.cloudWatch.logsStorageGbMonth}/GB-month`,
      monthlyUsd: u.flowLogsGb * P.cloudWatch.logsIngestGb + flowStoredGb * P.cloudWatch.logsStorageGbMonth,
    },
    {
      id: 'platform-waf',
      category: 'Edge',
      item: "WAFv2 web ACL of the services' load balancers (the requests are billed to each service)",
      quantity: `1 web ACL + ${WEB_ACL_RULE_NAMES.length} rules`,
      unitPrice: `$${P.waf.webAclMonth}/ACL + $${P.waf.ruleMonth}/rule`,
      monthlyUsd: P.waf.webAclMonth + WEB_ACL_RULE_NAMES.length * P.waf.ruleMonth,
    },
    kmsLine('platform-kms', PLATFORM_KMS_KEYS + (accountBaseline ? BASELINE_KMS_KEYS : 0)),
    guardDutyLogsLine(u.flowLogsGb),
    configLine('platform-config', 'AWS Config: the platform', PLATFORM_USAGE.platformConfigItems, PLATFORM_USAGE.platformResources),
    securityHubLine('platform-security-hub', 'Security Hub checks: the platform', PLATFORM_USAGE.platformResources),
  ];
  if (accountBaseline) lines.push(...baselineLines(preset.logRetentionDays));
  return { environment, accountBaseline, lineItems: lines, totalUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)) };
}

/**
 * What one joined service adds to the account baseline: Config items and rule evaluations of
 * its resources, Security Hub checks on them, GuardDuty Runtime Monitoring of its Fargate vCPUs.
 * A standalone service has no baseline, so these lines count against the joined service.
 */
export function joinedBaselineItems(s: CostInputs, averageTasks: number): CostLineItem[] {
  const vcpus = (averageTasks * s.cpu) / 1024;
  return [
    configLine('baseline-config', 'AWS Config: this service\'s resources', PLATFORM_USAGE.serviceConfigItems, PLATFORM_USAGE.serviceResources),
    securityHubLine('baseline-security-hub', 'Security Hub checks: this service\'s resources', PLATFORM_USAGE.serviceResources),
    {
      id: 'baseline-guardduty-runtime',
      category: 'Security',
      item: 'GuardDuty Runtime Monitoring of the Fargate tasks',
      quantity: `${num(vcpus)} vCPU (tasks at minimum capacity, averaged over the month)`,
      unitPrice: `$${P.guardDuty.fargateVcpuMonth}/vCPU-month`,
      monthlyUsd: vcpus * P.guardDuty.fargateVcpuMonth,
    },
  ];
}

/**
 * What the extra trails of a fleet of standalone services cost: each trail after the first
 * bills the account's management events again.
 */
export function additionalTrailsCost(trails: number): CostLineItem {
  const extra = Math.max(0, trails - 1);
  const events = PLATFORM_USAGE.managementEventsPerMonth;
  return {
    id: 'additional-trails',
    category: 'Security',
    item: 'CloudTrail: additional copies of management events',
    quantity: `${extra} trail(s) after the first x ${millions(events)} events`,
    unitPrice: `$${P.cloudTrail.additionalCopyPer100kEvents}/100,000 events`,
    monthlyUsd: (extra * events * P.cloudTrail.additionalCopyPer100kEvents) / 100_000,
  };
}

function baselineLines(logRetentionDays: number): CostLineItem[] {
  const u = PLATFORM_USAGE;
  const trailGb = USAGE_ASSUMPTIONS[DeploymentEnvironment.PRODUCTION].trailGbPerMonth * Math.min(logRetentionDays / 30, 3);
  return [
    {
      id: 'baseline-cloudtrail',
      category: 'Security',
      item: 'CloudTrail account trail (first copy of management events) and its files in S3',
      quantity: `1 trail, ${num(trailGb)} GB of files at steady state`,
      unitPrice: `free + $${P.s3.standardGbMonth}/GB-month`,
      monthlyUsd: P.cloudTrail.firstTrailMonth + trailGb * P.s3.standardGbMonth,
    },
    {
      id: 'baseline-guardduty-events',
      category: 'Security',
      item: 'GuardDuty: management and S3 data event analysis',
      quantity: `${millions(u.managementEventsPerMonth)} management events + ${u.s3DataEventsMillions} million S3 data events`,
      unitPrice: `$${P.guardDuty.managementEventsPerMillion}/million + $${P.guardDuty.s3DataEventsPerMillion}/million`,
      monthlyUsd:
        (u.managementEventsPerMonth / 1e6) * P.guardDuty.managementEventsPerMillion + u.s3DataEventsMillions * P.guardDuty.s3DataEventsPerMillion,
    },
    {
      id: 'baseline-config-rules',
      category: 'Security',
      item: `AWS Config: ${HIPAA_CONFIG_RULES.length} managed rules of the HIPAA conformance pack (evaluations are counted per resource)`,
      quantity: `${HIPAA_CONFIG_RULES.length} rules`,
      unitPrice: 'no charge per rule; evaluations are billed',
      monthlyUsd: 0,
    },
  ];
}

function kmsLine(id: string, keys: number): CostLineItem {
  return { id, category: 'Security', item: 'KMS customer-managed keys', quantity: `${keys} keys`, unitPrice: `$${P.kms.keyMonth}/key-month`, monthlyUsd: keys * P.kms.keyMonth };
}

function guardDutyLogsLine(flowLogsGb: number): CostLineItem {
  const gb = flowLogsGb + PLATFORM_USAGE.dnsLogsGb;
  return {
    id: 'platform-guardduty-logs',
    category: 'Security',
    item: 'GuardDuty: VPC flow log and DNS log analysis of this VPC',
    quantity: `${num(gb)} GB`,
    unitPrice: `$${P.guardDuty.logsGb}/GB`,
    monthlyUsd: gb * P.guardDuty.logsGb,
  };
}

function configLine(id: string, item: string, configItems: number, resources: number): CostLineItem {
  const evaluations = resources * PLATFORM_USAGE.ruleEvaluationsPerResource;
  return {
    id,
    category: 'Security',
    item,
    quantity: `${configItems} configuration items + ${evaluations} rule evaluations`,
    unitPrice: `$${P.config.configurationItem}/item + $${P.config.ruleEvaluation}/evaluation`,
    monthlyUsd: configItems * P.config.configurationItem + evaluations * P.config.ruleEvaluation,
  };
}

function securityHubLine(id: string, item: string, resources: number): CostLineItem {
  const checks = resources * PLATFORM_USAGE.securityHubChecksPerResource;
  return { id, category: 'Security', item, quantity: `${checks} checks`, unitPrice: `$${P.securityHub.check}/check`, monthlyUsd: checks * P.securityHub.check };
}
