/**
 * The fleet simulation's checks: pure functions over synthesized CloudFormation templates of
 * one account and region (every platform and service stack of the fleet), so that the rules
 * AWS applies per account and region are tested before anything is deployed.
 */

/** A synthesized stack: its name, the repository (CDK app) it came from, and its template. */
export interface FleetTemplate {
  readonly stackName: string;
  /** The app (repository) that synthesized it: a platform or one service. */
  readonly app: string;
  readonly template: {
    Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    Parameters?: Record<string, { Type: string; Default?: unknown }>;
  };
}

/** One line of the report: what was checked, what was found, and whether it passes. */
export interface FleetCheck {
  readonly check: string;
  readonly found: string;
  readonly ok: boolean;
}

/**
 * Resources AWS allows once per account and region (or once per account for IAM's OIDC
 * provider of one URL): a second one fails the deploy that creates it.
 */
export const ACCOUNT_SINGLETONS: { readonly type: string; readonly what: string }[] = [
  { type: 'AWS::IAM::OIDCProvider', what: 'GitHub OIDC provider (one per URL per account)' },
  { type: 'AWS::GuardDuty::Detector', what: 'GuardDuty detector (one per account and region)' },
  { type: 'AWS::SecurityHub::Hub', what: 'Security Hub (one per account and region)' },
  { type: 'AWS::Config::ConfigurationRecorder', what: 'Config recorder (one per account and region)' },
  { type: 'AWS::Config::DeliveryChannel', what: 'Config delivery channel (one per account and region)' },
];

/**
 * Default quotas per account and region that the fleet's resources count against (Service
 * Quotas' defaults; an account can ask for more, but a new account starts here). `perVpc`
 * quotas are counted per VPC the resources reference.
 */
export interface RegionQuota {
  readonly type: string;
  readonly what: string;
  readonly limit: number;
  /** Which resources of the type count (all when absent). */
  readonly filter?: (properties: Record<string, unknown>) => boolean;
}

export const REGION_QUOTAS: RegionQuota[] = [
  { type: 'AWS::EC2::VPC', what: 'VPCs per region', limit: 5 },
  { type: 'AWS::EC2::EIP', what: 'Elastic IP addresses per region', limit: 5 },
  { type: 'AWS::CloudTrail::Trail', what: 'trails per region', limit: 5 },
  {
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    what: 'Application Load Balancers per region',
    limit: 50,
    filter: (p) => (p.Type ?? 'application') === 'application',
  },
  { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', what: 'target groups per region', limit: 3000 },
  { type: 'AWS::ECS::Cluster', what: 'ECS clusters per region', limit: 10000 },
  { type: 'AWS::WAFv2::WebACL', what: 'WAF web ACLs per region', limit: 100 },
];

/**
 * VPC security groups (the default quota, "VPC security groups per Region": it counts every
 * security group of the region, whichever VPC it is in).
 */
export const SECURITY_GROUPS_PER_REGION = 2500;

/**
 * Properties that hold a physical name, by resource type, with the scope in which AWS requires
 * it to be unique (IAM and S3 names are account- or world-wide, the rest per region). Two stacks
 * of a fleet that write the same name: the second deploy fails, or worse, both write one alarm.
 */
export const PHYSICAL_NAMES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::TaskDefinition': 'Family',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::ElastiCache::ReplicationGroup': 'ReplicationGroupId',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::WAFv2::WebACL': 'Name',
  'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::Budgets::Budget': 'Budget.BudgetName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Config::ConfigRule': 'ConfigRuleName',
  'AWS::AccessAnalyzer::Analyzer': 'AnalyzerName',
};

/** Resources of one type across the fleet, with the stack each is in. */
export interface FleetResource {
  readonly stackName: string;
  readonly properties: Record<string, unknown>;
  /** `canonicalName` with the template's parameters. */
  readonly name: (value: unknown) => string | undefined;
}

export function resourcesOfType(templates: FleetTemplate[], type: string): FleetResource[] {
  return templates.flatMap((t) =>
    Object.values(t.template.Resources ?? {})
      .filter((r) => r.Type === type)
      .map((r) => ({
        stackName: t.stackName,
        properties: r.Properties ?? {},
        name: (value: unknown) => canonicalName(value, t.template.Parameters),
      })),
  );
}

/** Exactly one of each account singleton across the fleet. */
export function singletonChecks(templates: FleetTemplate[]): FleetCheck[] {
  return ACCOUNT_SINGLETONS.map(({ type, what }) => {
    const found = resourcesOfType(templates, type);
    return {
      check: `exactly one ${what}`,
      found: found.length ? `${found.length} (${[...new Set(found.map((f) => f.stackName))].join(', ')})` : '0',
      ok: found.length === 1,
    };
  });
}

/** Each default quota against what the fleet creates. */
export function quotaChecks(templates: FleetTemplate[]): FleetCheck[] {
  const checks = REGION_QUOTAS.map(({ type, what, limit, filter }) => {
    const count = resourcesOfType(templates, type).filter((r) => !filter || filter(r.properties)).length;
    return { check: `${what} <= ${limit}`, found: String(count), ok: count <= limit };
  });
  // A VPC of the stack itself (a reference to its resource) is that stack's own; when the stack
  // publishes that reference as an SSM parameter, the stacks that read the parameter share it.
  const published = new Map<string, string>();
  for (const { stackName, properties, name } of resourcesOfType(templates, 'AWS::SSM::Parameter')) {
    const parameter = name(properties.Name);
    if (parameter !== undefined) published.set(`${stackName} ${JSON.stringify(properties.Value)}`, `{{ssm:${parameter}}}`);
  }
  const perVpc = new Map<string, number>();
  for (const { stackName, properties, name } of resourcesOfType(templates, 'AWS::EC2::SecurityGroup')) {
    const own = `${stackName} ${JSON.stringify(properties.VpcId)}`;
    const vpc = name(properties.VpcId) ?? published.get(own) ?? own;
    perVpc.set(vpc, (perVpc.get(vpc) ?? 0) + 1);
  }
  const most = Math.max(0, ...perVpc.values());
  const total = [...perVpc.values()].reduce((a, b) => a + b, 0);
  checks.push({
    check: `VPC security groups per region <= ${SECURITY_GROUPS_PER_REGION}`,
    found: `${total} (${most} in the fullest of ${perVpc.size} VPC(s))`,
    ok: total <= SECURITY_GROUPS_PER_REGION,
  });
  return checks;
}

/** Physical names written more than once across the fleet, as `type name: stacks`. */
export function duplicateNames(templates: FleetTemplate[]): string[] {
  const holders = new Map<string, string[]>();
  const add = (key: string, stackName: string) => holders.set(key, [...(holders.get(key) ?? []), stackName]);
  for (const [type, property] of Object.entries(PHYSICAL_NAMES)) {
    for (const { stackName, properties, name } of resourcesOfType(templates, type)) {
      const value = name(property.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], properties));
      if (value !== undefined) add(`${type} ${value}`, stackName);
    }
  }
  // An ECS service's name is unique per cluster, not per region.
  for (const { stackName, properties, name } of resourcesOfType(templates, 'AWS::ECS::Service')) {
    const service = name(properties.ServiceName);
    const cluster = name(properties.Cluster);
    if (service !== undefined && cluster !== undefined) add(`AWS::ECS::Service ${service} in cluster ${cluster}`, stackName);
  }
  return [...holders.entries()]
    .filter(([, stacks]) => stacks.length > 1)
    .map(([key, stacks]) => `${key}: ${stacks.sort().join(', ')}`)
    .sort();
}

/** Pseudo parameters: the same in every stack of one account and region. */
const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']);

/**
 * A name as a comparable string when it is the same value in any stack of the account and
 * region: a literal, a pseudo parameter, an SSM parameter that CloudFormation reads at deploy
 * time (by the parameter's name), or a join of those. A reference to a resource of the stack
 * (CloudFormation generates such names) is unique already: undefined.
 */
export function canonicalName(value: unknown, parameters: NonNullable<FleetTemplate['template']['Parameters']> = {}): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') {
      if (PSEUDO.has(v.Ref)) return `\${${v.Ref}}`;
      const parameter = parameters[v.Ref];
      return parameter?.Type.startsWith('AWS::SSM::Parameter::Value') && typeof parameter.Default === 'string' ? `{{ssm:${parameter.Default}}}` : undefined;
    }
    const join = v['Fn::Join'] as [string, unknown[]] | undefined;
    if (Array.isArray(join)) {
      const parts = join[1].map((part) => canonicalName(part, parameters));
      return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
    }
  }
  return undefined;
}

/**
 * Every SSM parameter a stack reads at deploy time under `prefix` is written by a stack of
 * the fleet: a service that joins a platform no one deployed (or a misspelled platform name)
 * fails its deploy on the missing parameter.
 */
export function parameterCheck(templates: FleetTemplate[], prefix = '/hardened-platform/'): FleetCheck {
  const written = new Set(resourcesOfType(templates, 'AWS::SSM::Parameter').map((r) => r.name(r.properties.Name)));
  const missing = new Map<string, Set<string>>();
  for (const t of templates) {
    for (const p of Object.values(t.template.Parameters ?? {})) {
      if (!p.Type.startsWith('AWS::SSM::Parameter::Value') || typeof p.Default !== 'string' || !p.Default.startsWith(prefix)) continue;
      if (!written.has(p.Default)) missing.set(p.Default, (missing.get(p.Default) ?? new Set()).add(t.stackName));
    }
  }
  return {
    check: `every platform parameter a stack reads is written (${prefix})`,
    found: missing.size ? [...missing.entries()].map(([name, stacks]) => `${name} read by ${[...stacks].sort().join(', ')}`).join('; ') : 'all written',
    ok: missing.size === 0,
  };
}
