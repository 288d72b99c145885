import { HardenedPlatformProjectOptions } from './platform-options';
import { HardenedPlatformStackProps } from '../../constructs/hardened-platform-stack';
import { accountLayout } from '../../core/account-singletons';
import { resolveComplianceFrameworks, validateComplianceFrameworks } from '../../core/compliance-frameworks';
import { DeploymentEnvironment } from '../../core/deployment-environment';
import { platformNames } from '../../core/platform-baseline';
import { DEFAULT_PLATFORM_NAME, platformParameterList, validateGithubOrganization, validatePlatformName } from '../../core/platform-parameters';
import { validateBackupCopyVaultArn, validateVpcCidr } from '../../core/platform-validation';
import { assertValid, validateGithubRepository } from '../../core/validation';
import { DEFAULT_NODE_VERSION, DEFAULT_REGION, validateRegionAndAccounts } from '../service-model';
import { validateWorkflowOptions } from '../workflows/workflow-validation';

/** The account-baseline switches, as the platform stack names them (its props of the same name). */
export const BASELINE_SWITCHES = ['cloudTrail', 'guardDuty', 'securityHub', 'awsConfig', 'accessAnalyzer'] as const;

/** One account-baseline switch. */
export type BaselineSwitch = (typeof BASELINE_SWITCHES)[number];

/** The props of one environment's `HardenedPlatformStack` that plain data can hold (no `env`). */
export type PlatformStackOptions = Pick<HardenedPlatformStackProps, 'platformName' | 'alarmEmail' | 'githubOrganization' | 'githubRepository'
| 'githubOidcProviderArn' | 'complianceFrameworks' | 'vpcCidr' | 'backupCopyVaultArn' | BaselineSwitch>;

/** The options that differ per environment, by environment. */
const PER_ENVIRONMENT = {
  [DeploymentEnvironment.STAGING]: { vpcCidr: 'stagingVpcCidr', backupCopyVaultArn: 'stagingBackupCopyVaultArn' },
  [DeploymentEnvironment.PRODUCTION]: { vpcCidr: 'productionVpcCidr', backupCopyVaultArn: 'productionBackupCopyVaultArn' },
} as const;

/** One environment of the platform. */
export interface PlatformEnvironmentModel {
  readonly environment: DeploymentEnvironment;
  /** `<platformName>-<environment>`: the stack's name (and the prefix of its physical names). */
  readonly stackName: string;
  /** The account id, when pinned. */
  readonly account?: string;
  /** The stack's props, rendered into `platform-stacks.ts`. */
  readonly stackOptions: PlatformStackOptions;
  /** The SSM parameters the stack publishes, sorted. */
  readonly parameters: string[];
  /** `<stackName>-deploy`: the role the platform repository's deploy workflow assumes. */
  readonly deployRoleName: string;
}

/** Everything the platform project's components render, resolved once. */
export interface PlatformModel {
  readonly platformName: string;
  readonly region: string;
  readonly alarmEmail: string;
  readonly githubRepository: string;
  readonly githubOrganization: string;
  readonly complianceFrameworks: string[];
  /** Whether staging and production deploy to one account. */
  readonly sharedAccount: boolean;
  /** The switches of the account baseline, resolved (true: the platform runs that part). */
  readonly switches: Record<BaselineSwitch, boolean>;
  readonly nodeVersion: string;
  /** Staging first. */
  readonly environments: PlatformEnvironmentModel[];
  readonly staging: PlatformEnvironmentModel;
  readonly production: PlatformEnvironmentModel;
}

const OIDC_ACCOUNT = /^(arn:aws[a-z-]*:iam::)(\d{12})(:oidc-provider\/.*)$/;

/**
 * Validates every option and throws once, listing every problem (each naming the option, the
 * value and the fix), before any file is written; returns the resolved model otherwise.
 */
export function resolvePlatformModel(input: HardenedPlatformProjectOptions): PlatformModel {
  const problems: string[] = [];
  const platformName = input.platformName ?? DEFAULT_PLATFORM_NAME;
  problems.push(...(typeof platformName === 'string' ? validatePlatformName(platformName) : [`platformName ${platformName} must be a string (for example "acme")`]));
  if (typeof input.alarmEmail !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.alarmEmail)) {
    problems.push(`alarmEmail "${input.alarmEmail}" must be an email address (for example "platform@example.com")`);
  }
  const repositoryProblems = validateGithubRepository(input.githubRepository);
  problems.push(...repositoryProblems);
  const owner = repositoryProblems.length === 0 ? input.githubRepository.split('/')[0] : undefined;
  const githubOrganization = input.githubOrganization ?? owner ?? '';
  if (input.githubOrganization !== undefined || owner !== undefined) problems.push(...validateGithubOrganization(githubOrganization));
  const region = input.awsRegion ?? DEFAULT_REGION;
  problems.push(...validateRegionAndAccounts(region, input.stagingAccount, input.productionAccount));
  const oidcArn = input.githubOidcProviderArn;
  if (oidcArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(oidcArn)) {
    problems.push(
      `githubOidcProviderArn "${oidcArn}" must be an IAM OIDC provider ARN such as "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"`,
    );
  }
  for (const options of Object.values(PER_ENVIRONMENT)) {
    problems.push(...validateVpcCidr(input[options.vpcCidr], options.vpcCidr));
    problems.push(...validateBackupCopyVaultArn(input[options.backupCopyVaultArn], region, options.backupCopyVaultArn));
  }
  const layout = accountLayout(input.stagingAccount, input.productionAccount, oidcArn);
  problems.push(...layout.problems);
  problems.push(...validateComplianceFrameworks(input.complianceFrameworks));
  for (const option of BASELINE_SWITCHES) {
    const value = input[option];
    if (value !== undefined && typeof value !== 'boolean') {
      problems.push(`${option} "${value}" must be true or false (false where a delegated administrator runs it for the organisation)`);
    }
  }
  problems.push(...validateWorkflowOptions({ workflows: input.workflows, buildWorkflow: input.buildWorkflow }, input.github ?? !input.parent));
  assertValid(problems, 'HardenedPlatformProject options');

  const complianceFrameworks = resolveComplianceFrameworks(input.complianceFrameworks);
  const switches = Object.fromEntries(BASELINE_SWITCHES.map((s) => [s, input[s] ?? true])) as Record<BaselineSwitch, boolean>;
  const environment = (env: DeploymentEnvironment): PlatformEnvironmentModel => {
    const account = env === DeploymentEnvironment.STAGING ? input.stagingAccount : input.productionAccount;
    // In the second of two accounts, the provider at the same path in that account.
    const providerArn = oidcArn && account ? oidcArn.replace(OIDC_ACCOUNT, `$1${account}$3`) : oidcArn;
    const stackName = platformNames(platformName, env).prefix;
    return {
      environment: env,
      stackName,
      account,
      deployRoleName: `${stackName}-deploy`,
      parameters: platformParameterList(platformName, env),
      stackOptions: {
        platformName,
        alarmEmail: input.alarmEmail,
        githubOrganization,
        githubRepository: input.githubRepository,
        githubOidcProviderArn: providerArn,
        complianceFrameworks: input.complianceFrameworks === undefined ? undefined : complianceFrameworks,
        vpcCidr: input[PER_ENVIRONMENT[env].vpcCidr],
        backupCopyVaultArn: input[PER_ENVIRONMENT[env].backupCopyVaultArn],
        ...Object.fromEntries(BASELINE_SWITCHES.filter((s) => input[s] === false).map((s) => [s, false])),
      },
    };
  };
  const staging = environment(DeploymentEnvironment.STAGING);
  const production = environment(DeploymentEnvironment.PRODUCTION);
  return {
    platformName,
    region,
    alarmEmail: input.alarmEmail,
    githubRepository: input.githubRepository,
    githubOrganization,
    complianceFrameworks,
    sharedAccount: layout.sharedAccount,
    switches,
    nodeVersion: input.workflowNodeVersion ?? input.minNodeVersion ?? DEFAULT_NODE_VERSION,
    environments: [staging, production],
    staging,
    production,
  };
}
