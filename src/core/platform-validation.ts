import { Token } from 'aws-cdk-lib';
import { validateComplianceFrameworks } from './compliance-frameworks';
import { DeploymentEnvironment } from './deployment-environment';
import { DEFAULT_PLATFORM_NAME, validateGithubOrganization, validatePlatformName } from './platform-parameters';
import { EMAIL, OIDC_PROVIDER_ARN, validateGithubRepository } from './validation';

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
  /** The platform repository (`owner/repo`) whose workflows may deploy it. */
  readonly githubRepository?: string;
}

/** Problems with the props, each naming the option, the bad value and the fix. */
export function validatePlatformOptions(props: PlatformOptionsToValidate): string[] {
  const problems: string[] = [];
  if (!Object.values(DeploymentEnvironment).includes(props.environment)) {
    problems.push(`environment "${props.environment}" must be DeploymentEnvironment.STAGING or DeploymentEnvironment.PRODUCTION`);
  }
  const region = props.env?.region;
  if (region === undefined || Token.isUnresolved(region)) {
    problems.push(
      'env.region is required: the platform\'s Availability Zones, its regional account baseline and the Security Hub standards\' ARNs need a concrete region (for example env: { account: "123456789012", region: "us-east-1" })',
    );
  }
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
  const copy = props.backupCopyVaultArn;
  if (copy !== undefined && !Token.isUnresolved(copy)) {
    const match = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/.exec(copy);
    if (!match) {
      problems.push(`backupCopyVaultArn "${copy}" must be a backup vault ARN such as "arn:aws:backup:us-west-2:123456789012:backup-vault:platform-production"`);
    } else if (match[1] === region) {
      problems.push(`backupCopyVaultArn "${copy}" is in the platform's own region ${region}; a copy protects against a regional outage only in a second region`);
    }
  }
  return problems;
}
