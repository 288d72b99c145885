import { awscdk } from 'projen';

/**
 * Options of `HardenedPlatformProject`: the platform repository of one GitHub organization,
 * with one `HardenedPlatformStack` per environment (staging, production).
 */
export interface HardenedPlatformProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * Name of the platform: the SSM parameter prefix `/hardened-platform/<platformName>/<environment>`
   * services join with, and the physical names (cluster, vault, topic, trail).
   * @default "platform"
   */
  readonly platformName?: string;

  /**
   * Email address that receives the platform's alarms and high-severity GuardDuty findings.
   * Required; the default is the placeholder `projen new` writes.
   * @default "platform@example.com"
   */
  readonly alarmEmail: string;

  /**
   * The platform repository itself, as "owner/repo": its deploy workflows assume the deploy
   * role each platform stack creates for it. Required; the default is the placeholder
   * `projen new` writes.
   * @default "example-org/platform"
   */
  readonly githubRepository: string;

  /**
   * GitHub user or organization whose service repositories deploy to the platform.
   * @default - the owner of `githubRepository`
   */
  readonly githubOrganization?: string;

  /**
   * AWS region of both environments.
   * @default "us-east-1"
   */
  readonly awsRegion?: string;

  /**
   * AWS account id (12 digits, as a string) of staging. Set both account options or neither.
   * @default - the account of the credentials that run `cdk deploy`
   */
  readonly stagingAccount?: string;

  /**
   * AWS account id (12 digits, as a string) of production.
   * @default - the account of the credentials that run `cdk deploy`
   */
  readonly productionAccount?: string;

  /**
   * CIDR block of staging's VPC (/16 to /19). Give each environment its own block where the
   * VPCs may ever be peered or joined by a transit gateway.
   * @default "10.0.0.0/16"
   */
  readonly stagingVpcCidr?: string;

  /**
   * CIDR block of production's VPC (/16 to /19).
   * @default "10.0.0.0/16"
   */
  readonly productionVpcCidr?: string;

  /**
   * ARN of a backup vault in a second region that staging services' backup plans copy every
   * recovery point to.
   * @default - no copy
   */
  readonly stagingBackupCopyVaultArn?: string;

  /**
   * ARN of a backup vault in a second region that production services' backup plans copy every
   * recovery point to (for example the vault of this platform's production stack there).
   * @default - no copy
   */
  readonly productionBackupCopyVaultArn?: string;

  /**
   * ARN of the account's existing GitHub OIDC provider, to import instead of creating one
   * (IAM holds one per account).
   * @default - the first platform stack of each account creates it
   */
  readonly githubOidcProviderArn?: string;

  /**
   * cdk-nag packs that gate synthesis and whose Security Hub standards the platform enables:
   * "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321".
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly complianceFrameworks?: string[];

  /**
   * Create the account's multi-region trail. Set false where an organisation trail records
   * the accounts.
   * @default true
   */
  readonly cloudTrail?: boolean;

  /**
   * Enable GuardDuty. Set false where a delegated administrator enables it for the organisation.
   * @default true
   */
  readonly guardDuty?: boolean;

  /**
   * Enable Security Hub and the frameworks' standards. Set false where a delegated
   * administrator runs Security Hub.
   * @default true
   */
  readonly securityHub?: boolean;

  /**
   * Record configuration with AWS Config and evaluate the HIPAA conformance pack's rules. Set
   * false where the organisation deploys Config centrally.
   * @default true
   */
  readonly awsConfig?: boolean;

  /**
   * Create the region's IAM Access Analyzer. Set false where an organisation analyzer runs.
   * @default true
   */
  readonly accessAnalyzer?: boolean;

  /**
   * Generate the workflows (`test.yml`, `deploy-staging.yml`, `deploy-production.yml`).
   * Needs `github` (on by default).
   * @default true
   */
  readonly workflows?: boolean;
}
