import { ComplianceFramework } from './compliance-frameworks';
import { DeploymentEnvironment } from './deployment-environment';
import { ENVIRONMENT_PRESETS } from './presets';

/**
 * Pure data of the platform's account baseline: which Security Hub standards each compliance
 * framework enables, which AWS Config managed rules are recorded, the backup vault's lock, and
 * the physical names of a platform. `HardenedPlatformStack` resolves these once and hands the
 * values to its constructs.
 */

/**
 * Security Hub standards, as the part of the standard's ARN after
 * `arn:<partition>:securityhub:<region>::` (the ARN is regional: the stack writes its own
 * region into it). Security Hub has no HIPAA standard: HIPAA maps to AWS Foundational Security
 * Best Practices, and its conformance-pack rules are recorded by AWS Config instead
 * (`HIPAA_CONFIG_RULES`).
 */
export const SECURITY_HUB_STANDARDS: Record<string, string[]> = {
  [ComplianceFramework.AWS_SOLUTIONS]: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
  [ComplianceFramework.HIPAA_SECURITY]: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
  [ComplianceFramework.NIST_800_53_R5]: ['standards/nist-800-53/v/5.0.0'],
  [ComplianceFramework.PCI_DSS_321]: ['standards/pci-dss/v/3.2.1'],
};

/** The distinct Security Hub standards of a set of frameworks, in a stable order. */
export function securityHubStandards(frameworks: string[]): string[] {
  return [...new Set(frameworks.flatMap((f) => SECURITY_HUB_STANDARDS[f] ?? []))].sort();
}

/** One AWS Config managed rule. */
export interface ConfigRuleDefinition {
  /** Managed rule identifier (`SourceIdentifier`). */
  readonly identifier: string;
  /** What the rule checks, for the docs. */
  readonly covers: string;
  /** Rule parameters, as AWS Config expects them (strings). */
  readonly inputParameters?: Record<string, string>;
  /**
   * Evaluates IAM or account-level resources: recorded only where the recorder records
   * global resource types (the region that owns the account-wide parts).
   */
  readonly global?: boolean;
}

/**
 * The managed rules of AWS's "Operational Best Practices for HIPAA Security" conformance pack
 * that apply to what the kit deploys (ECS, RDS, ElastiCache, ALB, WAF, S3, KMS, CloudTrail,
 * CloudWatch, Secrets Manager, SNS, VPC, IAM, GuardDuty), one per cdk-nag HIPAA.Security rule
 * the stacks are checked against plus the account-level rules no template check can see.
 * Periodic rules run at Config's default frequency (24 hours).
 */
export const HIPAA_CONFIG_RULES: ConfigRuleDefinition[] = [
  { identifier: 'CLOUD_TRAIL_ENABLED', covers: 'a trail records the account', global: true },
  { identifier: 'MULTI_REGION_CLOUD_TRAIL_ENABLED', covers: 'a multi-region trail', global: true },
  { identifier: 'CLOUD_TRAIL_ENCRYPTION_ENABLED', covers: 'trails use KMS' },
  { identifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED', covers: 'trail log file validation' },
  { identifier: 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED', covers: 'trails deliver to CloudWatch Logs' },
  { identifier: 'CLOUDWATCH_ALARM_ACTION_CHECK', covers: 'alarms have actions', inputParameters: { alarmActionRequired: 'true', insufficientDataActionRequired: 'false', okActionRequired: 'false' } },
  { identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED', covers: 'log groups use KMS' },
  {
    identifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
    covers: 'log groups keep at least the kit\'s shortest retention',
    inputParameters: { MinRetentionTime: String(Math.min(...Object.values(ENVIRONMENT_PRESETS).map((p) => p.logRetentionDays))) },
  },
  { identifier: 'ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK', covers: 'host-mode tasks run as a non-root user' },
  { identifier: 'ALB_HTTP_DROP_INVALID_HEADER_ENABLED', covers: 'load balancers drop invalid headers' },
  { identifier: 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK', covers: 'HTTP listeners redirect to HTTPS' },
  { identifier: 'ALB_WAF_ENABLED', covers: 'load balancers have a web ACL' },
  { identifier: 'ELB_DELETION_PROTECTION_ENABLED', covers: 'load balancer deletion protection' },
  { identifier: 'ELB_LOGGING_ENABLED', covers: 'load balancer access logs' },
  { identifier: 'ELBV2_ACM_CERTIFICATE_REQUIRED', covers: 'HTTPS listeners use ACM certificates' },
  { identifier: 'WAFV2_LOGGING_ENABLED', covers: 'web ACLs log' },
  { identifier: 'RDS_STORAGE_ENCRYPTED', covers: 'database storage encryption' },
  { identifier: 'RDS_INSTANCE_PUBLIC_ACCESS_CHECK', covers: 'databases are not public' },
  { identifier: 'RDS_SNAPSHOTS_PUBLIC_PROHIBITED', covers: 'database snapshots are not public' },
  { identifier: 'RDS_MULTI_AZ_SUPPORT', covers: 'databases are Multi-AZ' },
  { identifier: 'DB_INSTANCE_BACKUP_ENABLED', covers: 'automated database backups' },
  { identifier: 'RDS_IN_BACKUP_PLAN', covers: 'databases are in an AWS Backup plan' },
  { identifier: 'RDS_LOGGING_ENABLED', covers: 'database log exports' },
  { identifier: 'RDS_ENHANCED_MONITORING_ENABLED', covers: 'enhanced monitoring' },
  { identifier: 'RDS_INSTANCE_DELETION_PROTECTION_ENABLED', covers: 'database deletion protection' },
  { identifier: 'RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED', covers: 'automatic minor version upgrades' },
  { identifier: 'ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK', covers: 'cache snapshots kept 15 days', inputParameters: { snapshotRetentionPeriod: '15' } },
  { identifier: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', covers: 'buckets block public access' },
  { identifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED', covers: 'no public read' },
  { identifier: 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED', covers: 'no public write' },
  { identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', covers: 'TLS-only bucket policies' },
  { identifier: 'S3_BUCKET_VERSIONING_ENABLED', covers: 'bucket versioning' },
  { identifier: 'S3_BUCKET_LOGGING_ENABLED', covers: 'server access logging' },
  { identifier: 'S3_DEFAULT_ENCRYPTION_KMS', covers: 'buckets default to KMS' },
  { identifier: 'S3_BUCKET_REPLICATION_ENABLED', covers: 'bucket replication (log buckets are in-region by design; see the acknowledgements)' },
  { identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED', covers: 'KMS key rotation' },
  { identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION', covers: 'no key pending deletion' },
  { identifier: 'SECRETSMANAGER_ROTATION_ENABLED_CHECK', covers: 'secret rotation' },
  { identifier: 'SECRETSMANAGER_USING_CMK', covers: 'secrets use customer keys' },
  { identifier: 'SNS_ENCRYPTED_KMS', covers: 'topics use KMS' },
  { identifier: 'VPC_FLOW_LOGS_ENABLED', covers: 'VPC flow logs' },
  { identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED', covers: 'default security groups closed' },
  { identifier: 'SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED', covers: 'no public IPs on launch' },
  { identifier: 'INCOMING_SSH_DISABLED', covers: 'no SSH from anywhere' },
  { identifier: 'RESTRICTED_INCOMING_TRAFFIC', covers: 'no common ports from anywhere' },
  { identifier: 'LAMBDA_INSIDE_VPC', covers: 'functions run in a VPC' },
  { identifier: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED', covers: 'functions are not public' },
  { identifier: 'GUARDDUTY_ENABLED_CENTRALIZED', covers: 'GuardDuty is on' },
  { identifier: 'IAM_NO_INLINE_POLICY_CHECK', covers: 'no inline policies on users, roles, groups', global: true },
  { identifier: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', covers: 'no "*:*" customer policies', global: true },
  { identifier: 'IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS', covers: 'no "service:*" customer policies', global: true },
  { identifier: 'IAM_USER_NO_POLICIES_CHECK', covers: 'users get policies through groups', global: true },
  { identifier: 'IAM_ROOT_ACCESS_KEY_CHECK', covers: 'the root user has no access keys', global: true },
  { identifier: 'ROOT_ACCOUNT_MFA_ENABLED', covers: 'the root user has MFA', global: true },
  { identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', covers: 'console users have MFA', global: true },
  { identifier: 'ACCESS_KEYS_ROTATED', covers: 'access keys rotate within 90 days', inputParameters: { maxAccessKeyAge: '90' }, global: true },
  { identifier: 'IAM_USER_UNUSED_CREDENTIALS_CHECK', covers: 'unused credentials are removed', inputParameters: { maxCredentialUsageAge: '90' }, global: true },
  {
    identifier: 'IAM_PASSWORD_POLICY',
    covers: 'a strong password policy',
    inputParameters: {
      RequireUppercaseCharacters: 'true',
      RequireLowercaseCharacters: 'true',
      RequireSymbols: 'true',
      RequireNumbers: 'true',
      MinimumPasswordLength: '14',
      PasswordReusePrevention: '24',
      MaxPasswordAge: '90',
    },
    global: true,
  },
];

/**
 * The lock of a platform's backup vault. Production locks in compliance mode (after
 * `changeableForDays` nobody, root included, can shorten retention or delete the lock);
 * staging in governance mode (no `changeableForDays`: users with the permission may lift it).
 */
export interface VaultLockPreset {
  /** Shortest retention a recovery point in the vault may have. */
  readonly minRetentionDays: number;
  /** Longest retention a recovery point may have. */
  readonly maxRetentionDays: number;
  /** Grace period before a compliance-mode lock becomes immutable; undefined for governance mode. */
  readonly changeableForDays?: number;
}

/** What AWS Backup Vault Lock accepts (checked by the tests against the presets). */
export const VAULT_LOCK_LIMITS = {
  minRetentionDays: 1,
  maxRetentionDays: 36500,
  /** A compliance-mode lock's grace time is at least 3 days. */
  minChangeableForDays: 3,
} as const;

export const VAULT_LOCK_PRESETS: Record<DeploymentEnvironment, VaultLockPreset> = {
  [DeploymentEnvironment.STAGING]: { minRetentionDays: 7, maxRetentionDays: 365 },
  // Six years and a bit: HIPAA keeps documentation six years.
  [DeploymentEnvironment.PRODUCTION]: { minRetentionDays: 35, maxRetentionDays: 2200, changeableForDays: 3 },
};

/** Physical names of one platform and environment. */
export interface PlatformNames {
  /** `<platformName>-<environment>`: cost-allocation tag value and name prefix. */
  readonly prefix: string;
  readonly clusterName: string;
  readonly backupVaultName: string;
  readonly alarmTopicName: string;
  /** The account's trail (account-wide: named after the platform, not the environment). */
  readonly trailName: string;
  /** The account's IAM Access Analyzer (one per region). */
  readonly accessAnalyzerName: string;
  /** The web ACL every joined service's load balancer is associated with (its log group: `aws-waf-logs-<name>`). */
  readonly webAclName: string;
}

/** Days the account baseline's trail files stay in S3 unless `archiveRetentionDays` says otherwise: six years, HIPAA's documentation retention. */
export const PLATFORM_TRAIL_ARCHIVE_DAYS = 2190;

/** Names derived from the platform name and environment. */
export function platformNames(platformName: string, environment: DeploymentEnvironment): PlatformNames {
  const prefix = `${platformName}-${environment}`;
  return {
    prefix,
    clusterName: prefix,
    backupVaultName: prefix,
    alarmTopicName: `${prefix}-alarms`,
    trailName: `${platformName}-account-trail`,
    accessAnalyzerName: `${platformName}-account`,
    webAclName: `${prefix}-web-acl`,
  };
}
