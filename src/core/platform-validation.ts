import { Token } from 'aws-cdk-lib';
import { validateComplianceFrameworks } from './compliance-frameworks';
import { DeploymentEnvironment } from './deployment-environment';
import { DEFAULT_PLATFORM_NAME, validateGithubOrganization, validatePlatformName } from './platform-parameters';
import { EMAIL, OIDC_PROVIDER_ARN, validateDeploymentEnvironment, validateGithubRepository, validateStackRegion } from './validation';

/**
 * What a platform is checked on, for `HardenedPlatformStack`'s props and the platform project
 * type's options alike: every problem names the option, the bad value and the fix.
 */
export interface PlatformOptionsToValidate {
  readonly environment: DeploymentEnvironment;
  readonly env?: { readonly region?: string };
  readonly alarmEmail: string;
  readonly githubOrganization: string;
  readonly githubOidcProviderArn?: string;
  readonly platformName?: string;
  readonly complianceFrameworks?: string[];
  readonly backupCopyVaultArn?: string;
  readonly vpcCidr?: string;
  /** The platform repository (`owner/repo`) whose workflows may deploy it. */
  readonly githubRepository?: string;
}

/** Problems with the props, each naming the option, the bad value and the fix. */
export function validatePlatformOptions(props: PlatformOptionsToValidate): string[] {
  const region = props.env?.region;
  const problems = [
    ...validateDeploymentEnvironment(props.environment),
    ...validateStackRegion(region, "the platform's Availability Zones, its regional account baseline and the Security Hub standards' ARNs"),
  ];
  problems.push(...validatePlatformName(props.platformName ?? DEFAULT_PLATFORM_NAME));
  problems.push(...validateGithubOrganization(props.githubOrganization ?? ''));
  if (!EMAIL.test(props.alarmEmail ?? '')) {
    problems.push(`alarmEmail "${props.alarmEmail}" must be an email address (for example "oncall@example.com")`);
  }
  const arn = props.githubOidcProviderArn;
  if (arn !== undefined && !Token.isUnresolved(arn) && !OIDC_PROVIDER_ARN.test(arn)) {
    problems.push(
      `githubOidcProviderArn "${arn}" must be an IAM OIDC provider ARN such as "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"`,
    );
  }
  problems.push(...validateComplianceFrameworks(props.complianceFrameworks));
  if (props.githubRepository !== undefined) problems.push(...validateGithubRepository(props.githubRepository));
  problems.push(...validateBackupCopyVaultArn(props.backupCopyVaultArn, region));
  problems.push(...validateVpcCidr(props.vpcCidr));
  return problems;
}

/** Problems with a second-region backup vault ARN (`option` names it in the messages). */
export function validateBackupCopyVaultArn(copy: string | undefined, region: string | undefined, option = 'backupCopyVaultArn'): string[] {
  if (copy === undefined || Token.isUnresolved(copy)) return [];
  const match = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/.exec(copy);
  if (!match) {
    return [`${option} "${copy}" must be a backup vault ARN such as "arn:aws:backup:us-west-2:123456789012:backup-vault:platform-production"`];
  }
  if (match[1] === region) {
    return [`${option} "${copy}" is in the platform's own region ${region}; a copy protects against a regional outage only in a second region`];
  }
  return [];
}

/**
 * The prefix lengths a platform VPC may have: AWS allows /16 to /28, and the subnets of
 * `ServiceNetwork` (a /24 public, a /22 private and a /24 isolated subnet per AZ, 3 AZs in
 * production) need a /19 at least.
 */
export const VPC_CIDR_PREFIX = { min: 16, max: 19 } as const;

/** Problems with a VPC CIDR block (`option` names it in the messages). */
export function validateVpcCidr(cidr: string | undefined, option = 'vpcCidr'): string[] {
  if (cidr === undefined || Token.isUnresolved(cidr)) return [];
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some((o) => o > 255)) {
    return [`${option} "${cidr}" must be an IPv4 CIDR block such as "10.1.0.0/16"`];
  }
  if (prefix < VPC_CIDR_PREFIX.min || prefix > VPC_CIDR_PREFIX.max) {
    return [
      `${option} "${cidr}" must have a prefix of /${VPC_CIDR_PREFIX.min} to /${VPC_CIDR_PREFIX.max}: AWS allows /16 at most, and the platform's subnets (a /24, a /22 and a /24 per Availability Zone) need a /${VPC_CIDR_PREFIX.max}`,
    ];
  }
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  if (network !== address) {
    const aligned = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    return [`${option} "${cidr}" has host bits set; use the network address "${aligned}/${prefix}"`];
  }
  return [];
}
