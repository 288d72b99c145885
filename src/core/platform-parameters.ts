import { DeploymentEnvironment } from './deployment-environment';
import { ENVIRONMENT_PRESETS } from './presets';

/**
 * The contract between a `HardenedPlatformStack` and the services that join it: the SSM
 * parameters the platform writes and `ServicePlatform.fromParameters` reads. Both sides take
 * the names from `platformParameterNames`, so they cannot drift.
 */

/** First level of every platform parameter: `/hardened-platform/<platformName>/<environment>/...`. */
export const PLATFORM_PARAMETER_ROOT = '/hardened-platform';

/** Name of a platform when none is given. */
export const DEFAULT_PLATFORM_NAME = 'platform';

/** Separator of the list values (subnet ids, Availability Zones) in one String parameter. */
export const PLATFORM_LIST_SEPARATOR = ',';

/** Value of the copy-vault parameter of a platform without a second-region copy (SSM values cannot be empty). */
export const PLATFORM_NO_BACKUP_COPY = 'none';

/** What AWS allows for SSM parameters (standard tier), checked by the tests. */
export const SSM_PARAMETER_LIMITS = {
  /** Characters of a fully qualified name, including the leading `/`. */
  maxNameLength: 1011,
  /** Levels of hierarchy (`/a/b/c` has three). */
  maxHierarchyLevels: 15,
  /** Bytes of a standard-tier value. */
  maxValueBytes: 4096,
  /** Characters a name may use. */
  namePattern: /^\/[a-zA-Z0-9_.\-/]+$/,
} as const;

/** The names of a platform's parameters, one per value a service needs. */
export interface PlatformParameterNames {
  /** Id of the VPC. */
  readonly vpcId: string;
  /** IPv4 CIDR block of the VPC. */
  readonly vpcCidr: string;
  /** Availability Zones of the subnets, comma-separated, in subnet order. */
  readonly availabilityZones: string;
  /** Public subnets (load balancers), comma-separated, one per AZ. */
  readonly publicSubnetIds: string;
  /** Private subnets with NAT egress (tasks, rotation functions), one per AZ. */
  readonly privateSubnetIds: string;
  /** Isolated subnets (databases, caches), one per AZ. */
  readonly isolatedSubnetIds: string;
  /** Route tables of the public subnets, in subnet order. */
  readonly publicRouteTableIds: string;
  /** Route tables of the private subnets, in subnet order. */
  readonly privateRouteTableIds: string;
  /** Route tables of the isolated subnets, in subnet order. */
  readonly isolatedRouteTableIds: string;
  /** Name of the ECS cluster. */
  readonly clusterName: string;
  /** ARN of the ECS cluster. */
  readonly clusterArn: string;
  /** ARN of the account's GitHub OIDC provider. */
  readonly githubOidcProviderArn: string;
  /** GitHub owner whose repositories' workflows deploy to this platform. */
  readonly githubOrganization: string;
  /** Name of the backup vault services' backup plans write to. */
  readonly backupVaultName: string;
  /** ARN of that backup vault. */
  readonly backupVaultArn: string;
  /** ARN of the second-region vault that services copy their backups to, or `none`. */
  readonly backupCopyVaultArn: string;
  /** ARN of the platform's alarm topic (account-level findings and alarms). */
  readonly alarmTopicArn: string;
  /** ARN of the platform's KMS key for data at rest (backup vault, alarm topic). */
  readonly dataKeyArn: string;
  /** ARN of the platform's web ACL, which each joined service associates with its load balancer. */
  readonly webAclArn: string;
}

/** `/hardened-platform/<platformName>/<environment>`: the prefix of every parameter of one platform. */
export function platformParameterPrefix(platformName: string, environment: DeploymentEnvironment): string {
  return `${PLATFORM_PARAMETER_ROOT}/${platformName}/${environment}`;
}

/** The parameter names of one platform and environment. */
export function platformParameterNames(platformName: string, environment: DeploymentEnvironment): PlatformParameterNames {
  const p = platformParameterPrefix(platformName, environment);
  return {
    vpcId: `${p}/network/vpc-id`,
    vpcCidr: `${p}/network/vpc-cidr`,
    availabilityZones: `${p}/network/availability-zones`,
    publicSubnetIds: `${p}/network/public-subnet-ids`,
    privateSubnetIds: `${p}/network/private-subnet-ids`,
    isolatedSubnetIds: `${p}/network/isolated-subnet-ids`,
    publicRouteTableIds: `${p}/network/public-route-table-ids`,
    privateRouteTableIds: `${p}/network/private-route-table-ids`,
    isolatedRouteTableIds: `${p}/network/isolated-route-table-ids`,
    clusterName: `${p}/cluster/name`,
    clusterArn: `${p}/cluster/arn`,
    githubOidcProviderArn: `${p}/github/oidc-provider-arn`,
    githubOrganization: `${p}/github/organization`,
    backupVaultName: `${p}/backup/vault-name`,
    backupVaultArn: `${p}/backup/vault-arn`,
    backupCopyVaultArn: `${p}/backup/copy-vault-arn`,
    alarmTopicArn: `${p}/alarms/topic-arn`,
    dataKeyArn: `${p}/keys/data-key-arn`,
    webAclArn: `${p}/edge/web-acl-arn`,
  };
}

/**
 * The parameters a joined service's stack reads (`ServicePlatform.bind` declares each the first
 * time the stack uses it): what the generated AWS setup guide lists. The VPC's CIDR only with a
 * test listener, the isolated subnets only with a database or a cache, the backup vaults only
 * with a database; the others are for the platform's own tooling.
 */
export function serviceReadParameters(uses: {
  readonly database: boolean;
  readonly cache: boolean;
  /** A traffic-shifting deployment strategy: its test listener admits the VPC's CIDR only. */
  readonly testListener?: boolean;
}): (keyof PlatformParameterNames)[] {
  return [
    'vpcId', ...(uses.testListener ? ['vpcCidr' as const] : []), 'publicSubnetIds', 'privateSubnetIds',
    ...(uses.database || uses.cache ? ['isolatedSubnetIds' as const] : []),
    'clusterName', 'clusterArn', 'githubOidcProviderArn', 'webAclArn',
    ...(uses.database ? ['backupVaultArn' as const, 'backupCopyVaultArn' as const] : []),
  ];
}

/** Every parameter name of one platform, sorted: what the platform writes and services may read. */
export function platformParameterList(platformName: string, environment: DeploymentEnvironment): string[] {
  return Object.values(platformParameterNames(platformName, environment)).sort();
}

/**
 * Number of Availability Zones, and so of subnets per tier, of a platform in an environment.
 * A joining service must know it at synthesis (it splits the comma-separated subnet ids into
 * that many), so it comes from the environment's preset, the same one the platform's VPC uses.
 */
export function platformZoneCount(environment: DeploymentEnvironment): number {
  return ENVIRONMENT_PRESETS[environment].maxAzs;
}

const PLATFORM_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const PLATFORM_NAME_MAX = 20;
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** A message per problem with a platform name; empty when it is valid. */
export function validatePlatformName(platformName: string, option = 'platformName'): string[] {
  if (PLATFORM_NAME.test(platformName) && platformName.length <= PLATFORM_NAME_MAX) return [];
  const suggestion = platformName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '').slice(0, PLATFORM_NAME_MAX);
  return [
    `${option} "${platformName}" must be 1-${PLATFORM_NAME_MAX} lowercase letters, digits or single hyphens, starting with a letter` +
      (suggestion ? ` (try "${suggestion}")` : ''),
  ];
}

/** A message per problem with a GitHub owner name; empty when it is valid. */
export function validateGithubOrganization(owner: string): string[] {
  if (GITHUB_OWNER.test(owner)) return [];
  return [
    `githubOrganization "${owner}" must be a GitHub user or organization name (letters, digits, single hyphens, at most 39), without a repository (for example "example-org")`,
  ];
}
