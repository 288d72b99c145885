import { CfnOutput, CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { IConstruct } from 'constructs';
import { HardenedServiceStack } from '../../constructs/hardened-service-stack';
import { DeploymentEnvironment } from '../../core/deployment-environment';
import { WEB_ACL_RULE_NAMES } from '../../core/firewall-rules';
import { platformZoneCount } from '../../core/platform-parameters';

/** One acknowledged finding, on the construct that carries it. */
export interface AcknowledgedFinding {
  /** Construct path below the stack (`Api/LoadBalancerSecurityGroup`); empty for the stack itself. */
  readonly path: string;
  /** Rule id as cdk-nag writes it in the template metadata, e.g. `AwsSolutions-EC23`. */
  readonly id: string;
  readonly reason: string;
}

/** One subnet and where its default route goes. */
export interface SubnetFact {
  readonly tier: 'public' | 'private' | 'isolated';
  /** Construct id, e.g. `publicSubnet1`. */
  readonly name: string;
  readonly availabilityZone: string;
  readonly cidr: string;
  /** `internet gateway`, `NAT gateway in <az>`, or undefined (no default route). */
  readonly defaultRoute?: string;
}

/** Traffic a security group admits. */
export interface IngressFact {
  /** Label of the security group that admits the traffic. */
  readonly to: string;
  /** Label of the source: another security group, `Internet` or a CIDR. */
  readonly from: string;
  readonly port: number;
  readonly description: string;
}

/** One CloudWatch log group of the stack. */
export interface LogGroupFact {
  /** Physical name, or undefined when CloudFormation generates it. */
  readonly name?: string;
  /** What writes to it (from the construct path). */
  readonly purpose: string;
  /** Its logical id in the template: what finds a generated name in the deployed stack. */
  readonly logicalId: string;
  readonly retentionDays?: number;
  readonly kmsEncrypted: boolean;
}

/** One stack output. */
export interface OutputFact {
  readonly key: string;
  readonly description: string;
}

/** An IAM role that GitHub workflows assume. */
export interface DeployRoleFact {
  readonly roleName: string;
  readonly purpose: string;
  /** The token subjects (`repo:owner/name:environment:production`) allowed to assume it. */
  readonly subjects: string[];
  readonly maxSessionHours: number;
}

/** What only the built stack of one environment knows. */
export interface StackOnlyFacts {
  readonly environment: DeploymentEnvironment;
  readonly stackName: string;
  readonly resourceCount: number;
  /** CloudFormation resource types in the stack, sorted (what the CDK execution policy must allow). */
  readonly resourceTypes: string[];
  /** The VPC's CIDR block; for a joined stack, `the VPC of platform <name>` (known at deploy time only). */
  readonly vpcCidr: string;
  /** The AZs of the subnets; for a joined stack, one `platform AZ <n>` per zone of the platform. */
  readonly availabilityZones: string[];
  /** The subnets the stack defines: none for a joined stack (the platform's). */
  readonly subnets: SubnetFact[];
  /** The platform the stack joins (its `platformName`); undefined for a standalone stack. */
  readonly platformName?: string;
  /** AZs holding a NAT gateway. */
  readonly natGatewayZones: string[];
  /** Services reached through gateway endpoints (`s3`). */
  readonly gatewayEndpoints: string[];
  /** Services reached through interface endpoints (`ecr.api`, `logs`, ...). */
  readonly interfaceEndpoints: string[];
  readonly ingress: IngressFact[];
  /** Security groups that allow all outbound traffic. */
  readonly openEgress: string[];
  readonly logGroups: LogGroupFact[];
  readonly outputs: OutputFact[];
  readonly deployRoles: DeployRoleFact[];
  /** SSL policy of the HTTPS listener. */
  readonly tlsPolicy: string;
  /** Database parameters set in the parameter group (`rds.force_ssl`, ...). */
  readonly databaseParameters: Record<string, string>;
  /** Days between automatic rotations of the database credentials. */
  readonly databaseRotationDays?: number;
  /** Container environment variables that come from Secrets Manager. */
  readonly containerSecrets: string[];
  /** Plain (non-secret) container environment variables. */
  readonly containerEnvironment: string[];
  readonly containerUser: string;
  readonly readonlyRootFilesystem: boolean;
  /** Rule names of the web ACL, in priority order. */
  readonly webAclRules: string[];
  /** ECR: scan on push and tag immutability. */
  readonly imageScanOnPush: boolean;
  readonly imageTagMutability: string;
  /** RDS windows (UTC) and IAM authentication, when the stack has a database. */
  readonly databaseBackupWindow?: string;
  readonly databaseMaintenanceWindow?: string;
  readonly databaseIamAuthentication?: boolean;
  /** AWS Backup rule's schedule (cron). */
  readonly awsBackupSchedule?: string;
  /** Redis snapshot window (UTC), when the stack has a cache. */
  readonly cacheSnapshotWindow?: string;
  /** Description of the secret holding the Redis AUTH token (to find it by). */
  readonly cacheAuthSecretDescription?: string;
  /** Budget alerts, e.g. `80% of actual` and `100% of forecasted` spend. */
  readonly budgetAlerts: string[];
  /** Days CloudTrail files stay in S3, when the stack has the trail (`createAuditTrail`). */
  readonly trailArchiveDays?: number;
  /** Name of the stack's CloudTrail trail; undefined when another stack of the account has it. */
  readonly trailName?: string;
  /** Whether the stack creates the account's GitHub OIDC provider (false: it imports one). */
  readonly createsGithubOidcProvider: boolean;
  /** The compliance frameworks whose packs check the stack. */
  readonly complianceFrameworks: string[];
  readonly acknowledgements: AcknowledgedFinding[];
}

/** Labels of the stack's security groups, by construct path below the stack. */
const SECURITY_GROUP_LABELS: Record<string, string> = {
  'Api/LoadBalancerSecurityGroup': 'Load balancer',
  'Api/ServiceSecurityGroup': 'ECS tasks',
  'Database/SecurityGroup': 'PostgreSQL',
  'Database/Rotation/SecurityGroup': 'Credential rotation Lambda',
  'Cache/SecurityGroup': 'Redis',
  'Network/EndpointSecurityGroup': 'VPC interface endpoints',
};

/** The CDK metadata key acknowledgements are recorded under, and the prefix it adds to annotation ids. */
const ACK_KEY = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
const ANNOTATION_PREFIX = 'Annotation::';

/**
 * Reads what only the built stack knows (everything but `SettingsFacts`): acknowledgements,
 * resource types, subnets and routes, security-group rules, log groups, outputs, roles, the
 * windows and schedules the constructs choose.
 */
export function inspectStack(stack: HardenedServiceStack, environment: DeploymentEnvironment): StackOnlyFacts {
  const all = stack.node.findAll();
  const relative = (c: IConstruct) => c.node.path.slice(stack.node.path.length + 1);
  const logicalIdOf = new Map<string, IConstruct>();
  for (const c of all) {
    if (CfnResource.isCfnResource(c)) logicalIdOf.set(stack.resolve(c.logicalId), c);
  }
  const referenced = (token: unknown): IConstruct | undefined => {
    const value = stack.resolve(token) as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
    const id = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
    return id ? logicalIdOf.get(id) : undefined;
  };

  // A standalone stack has its own network; a joined one imports the platform's, whose
  // subnets, routes and NAT gateways are not in this stack (known at deploy time only).
  const platformName = stack.platformName;
  const vpc = stack.platform?.vpc ?? stack.network!.vpc;
  const natZone = new Map<IConstruct, string>();
  const tiers: [SubnetFact['tier'], ec2.ISubnet[]][] = [
    ['public', vpc.publicSubnets],
    ['private', vpc.privateSubnets],
    ['isolated', vpc.isolatedSubnets],
  ];
  for (const subnet of vpc.publicSubnets) {
    const nat = subnet.node.tryFindChild('NATGateway');
    if (nat) natZone.set(nat, subnet.availabilityZone);
  }
  const subnets: SubnetFact[] = platformName !== undefined ? [] : tiers.flatMap(([tier, list]) =>
    list.map((subnet) => {
      const route = subnet.node.tryFindChild('DefaultRoute') as ec2.CfnRoute | undefined;
      let defaultRoute: string | undefined;
      if (route?.gatewayId) defaultRoute = 'internet gateway';
      if (route?.natGatewayId) defaultRoute = `NAT gateway in ${natZone.get(referenced(route.natGatewayId)!) ?? 'another AZ'}`;
      return { tier, name: subnet.node.id, availabilityZone: subnet.availabilityZone, cidr: subnet.ipv4CidrBlock, defaultRoute };
    }),
  );
  const vpcCidr = platformName !== undefined ? `the VPC of platform ${platformName}` : (vpc.node.defaultChild as ec2.CfnVPC).cidrBlock!;
  const vpcCidrToken = JSON.stringify(stack.resolve(vpc.vpcCidrBlock));

  const sgLabel = (sg: IConstruct | undefined): string => {
    if (!sg) return 'unknown';
    const path = relative(sg.node.scope!);
    return SECURITY_GROUP_LABELS[path] ?? path;
  };
  const sourceLabel = (cidr: string | undefined): string => {
    if (cidr === '0.0.0.0/0') return 'Internet';
    if (cidr === vpcCidr || (cidr !== undefined && JSON.stringify(stack.resolve(cidr)) === vpcCidrToken)) {
      return platformName !== undefined ? vpcCidr : `VPC ${vpcCidr}`;
    }
    return cidr ?? 'unknown';
  };
  const ingress: IngressFact[] = [];
  const openEgress: string[] = [];
  for (const c of all) {
    if (c instanceof ec2.CfnSecurityGroup) {
      const rules = (stack.resolve(c.securityGroupIngress) ?? []) as ec2.CfnSecurityGroup.IngressProperty[];
      for (const rule of rules) {
        ingress.push({ to: sgLabel(c), from: sourceLabel(rule.cidrIp), port: rule.fromPort!, description: rule.description ?? '' });
      }
      const egress = (stack.resolve(c.securityGroupEgress) ?? []) as ec2.CfnSecurityGroup.EgressProperty[];
      if (egress.some((rule) => rule.cidrIp === '0.0.0.0/0' && rule.ipProtocol === '-1')) openEgress.push(sgLabel(c));
    }
    if (c instanceof ec2.CfnSecurityGroupIngress) {
      const from = c.sourceSecurityGroupId ? sgLabel(referenced(c.sourceSecurityGroupId)) : sourceLabel(c.cidrIp);
      // CDK describes rules it adds itself as `from <id>:<port>`; those say nothing more.
      const description = c.description && !/^from \S+:\d+$/.test(c.description) ? c.description : '';
      ingress.push({ to: sgLabel(referenced(c.groupId)), from, port: c.fromPort!, description });
    }
  }

  const endpoints = all.filter((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint);
  // `com.amazonaws.<region>.<service>`, or a join with the region as a token.
  const endpointService = (e: ec2.CfnVPCEndpoint): string => {
    const name = stack.resolve(e.serviceName) as string | { 'Fn::Join': [string, unknown[]] };
    const text = typeof name === 'string' ? name : String(name['Fn::Join'][1].slice(-1)[0]);
    return text.replace(/^com\.amazonaws\.[a-z0-9-]+\./, '').replace(/^\./, '');
  };

  const logGroups: LogGroupFact[] = all
    .filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup)
    .map((c) => ({
      name: c.logGroupName !== undefined && !Token.isUnresolved(c.logGroupName) ? c.logGroupName : undefined,
      purpose: relative(c.node.scope!),
      logicalId: stack.getLogicalId(c),
      retentionDays: c.retentionInDays,
      kmsEncrypted: c.kmsKeyId !== undefined,
    }));

  const outputs: OutputFact[] = all
    .filter((c): c is CfnOutput => c instanceof CfnOutput)
    .map((o) => ({ key: o.node.id, description: o.description ?? '' }));

  const deployRoles: DeployRoleFact[] = [stack.deployRole.publishRole, stack.deployRole.role].map((role) => {
    const cfn = role.node.defaultChild as iam.CfnRole;
    const document = stack.resolve(cfn.assumeRolePolicyDocument) as { Statement: { Condition?: Record<string, Record<string, unknown>> }[] };
    const subjects = document.Statement.flatMap((s) => {
      const sub = s.Condition?.['ForAnyValue:StringEquals']?.['token.actions.githubusercontent.com:sub'];
      return sub === undefined ? [] : Array.isArray(sub) ? (sub as string[]) : [sub as string];
    });
    return {
      roleName: cfn.roleName!,
      purpose: role === stack.deployRole.role ? 'deploy: migrations, rollout, cdk deploy' : 'publish images to ECR',
      subjects,
      maxSessionHours: (cfn.maxSessionDuration ?? 3600) / 3600,
    };
  });

  const https = stack.api.httpsListener.node.defaultChild as elbv2.CfnListener;
  const parameterGroup = stack.database?.parameterGroup.node
    .findAll()
    .find((c): c is rds.CfnDBParameterGroup => c instanceof rds.CfnDBParameterGroup);
  const rotation = stack.database
    ? all.find((c): c is secretsmanager.CfnRotationSchedule => c instanceof secretsmanager.CfnRotationSchedule && relative(c).startsWith('Database/'))
    : undefined;
  type RotationRules = { scheduleExpression?: string; automaticallyAfterDays?: number };
  const rotationRules = rotation ? (stack.resolve(rotation.rotationRules) as RotationRules) : undefined;
  const taskDefinition = stack.api.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const containers = stack.resolve(taskDefinition.containerDefinitions) as {
    environment?: { name: string }[];
    secrets?: { name: string }[];
    user?: string;
    readonlyRootFilesystem?: boolean;
  }[];
  const container = containers[0];
  // A joined stack's web ACL is the platform's, built by the same ServiceFirewall.
  const ownRules = stack.firewall ? (stack.resolve(stack.firewall.webAcl.rules) as wafv2.CfnWebACL.RuleProperty[]) : undefined;
  const rules = ownRules ? ownRules.slice().sort((a, b) => a.priority - b.priority).map((r) => r.name) : [...WEB_ACL_RULE_NAMES];

  const repository = stack.imageRepository.repository.node.defaultChild as ecr.CfnRepository;
  const scanning = stack.resolve(repository.imageScanningConfiguration) as { scanOnPush?: boolean } | undefined;
  const db = stack.database?.instance.node.defaultChild as rds.CfnDBInstance | undefined;
  const plan = stack.database?.backupPlan.node.defaultChild as backup.CfnBackupPlan | undefined;
  type PlanRule = { scheduleExpression?: string; lifecycle?: { deleteAfterDays?: number } };
  const planRule = plan ? (stack.resolve(plan.backupPlan) as { backupPlanRule: PlanRule[] }).backupPlanRule[0] : undefined;
  const redis = stack.cache?.replicationGroup as elasticache.CfnReplicationGroup | undefined;
  const trailBucket = stack.auditTrail?.bucket.node.defaultChild as s3.CfnBucket | undefined;
  const trailLifecycle = stack.resolve(trailBucket?.lifecycleConfiguration) as { rules: { expirationInDays?: number }[] } | undefined;

  return {
    environment,
    stackName: stack.stackName,
    resourceCount: logicalIdOf.size,
    resourceTypes: [...new Set([...logicalIdOf.values()].map((c) => (c as CfnResource).cfnResourceType))].sort(),
    vpcCidr,
    availabilityZones: platformName !== undefined
      ? Array.from({ length: platformZoneCount(environment) }, (_, i) => `platform AZ ${i + 1}`)
      : [...new Set(subnets.map((s) => s.availabilityZone))],
    subnets,
    natGatewayZones: [...natZone.values()],
    gatewayEndpoints: endpoints.filter((e) => e.vpcEndpointType === 'Gateway').map(endpointService),
    interfaceEndpoints: endpoints.filter((e) => e.vpcEndpointType === 'Interface').map(endpointService),
    ingress,
    openEgress,
    logGroups,
    outputs,
    deployRoles,
    tlsPolicy: https.sslPolicy ?? 'the ALB default',
    databaseParameters: (stack.resolve(parameterGroup?.parameters) ?? {}) as Record<string, string>,
    databaseRotationDays: rotationRules?.automaticallyAfterDays ?? rotationDays(rotationRules?.scheduleExpression),
    containerSecrets: (container.secrets ?? []).map((s) => s.name),
    containerEnvironment: (container.environment ?? []).map((e) => e.name),
    containerUser: container.user ?? 'root',
    readonlyRootFilesystem: container.readonlyRootFilesystem === true,
    webAclRules: rules,
    imageScanOnPush: scanning?.scanOnPush === true,
    imageTagMutability: repository.imageTagMutability ?? 'MUTABLE',
    databaseBackupWindow: db ? stack.resolve(db.preferredBackupWindow) : undefined,
    databaseMaintenanceWindow: db ? stack.resolve(db.preferredMaintenanceWindow) : undefined,
    databaseIamAuthentication: db ? stack.resolve(db.enableIamDatabaseAuthentication) === true : undefined,
    awsBackupSchedule: planRule?.scheduleExpression,
    cacheSnapshotWindow: redis?.snapshotWindow,
    cacheAuthSecretDescription: stack.cache ? (stack.cache.authToken.node.defaultChild as secretsmanager.CfnSecret).description : undefined,
    budgetAlerts: budgetAlerts(stack, stack.budget.budget),
    ...(platformName === undefined ? {} : { platformName }),
    trailArchiveDays: trailLifecycle?.rules.map((r) => r.expirationInDays).find((d) => d !== undefined),
    trailName: stack.auditTrail ? (stack.auditTrail.trail.node.defaultChild as CfnResource & { trailName?: string }).trailName : undefined,
    createsGithubOidcProvider: stack.deployRole.provider instanceof iam.OidcProviderNative,
    complianceFrameworks: stack.complianceFrameworks,
    acknowledgements: acknowledgementsOf(stack),
  };
}

/** Every acknowledgement recorded on the stack and its constructs, in tree order. */
export function acknowledgementsOf(stack: Stack): AcknowledgedFinding[] {
  const found: AcknowledgedFinding[] = [];
  for (const c of stack.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== ACK_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({
          path: c === stack ? '' : c.node.path.slice(stack.node.path.length + 1),
          id: id.startsWith(ANNOTATION_PREFIX) ? id.slice(ANNOTATION_PREFIX.length) : id,
          reason,
        });
      }
    }
  }
  return found;
}

/** The alerts of a budget as `<threshold>% of <actual|forecasted> spend`. */
function budgetAlerts(stack: Stack, budget: budgets.CfnBudget): string[] {
  const notifications = (stack.resolve(budget.notificationsWithSubscribers) ?? []) as {
    notification: { notificationType: string; threshold: number };
  }[];
  return notifications.map((n) => `${n.notification.threshold}% of ${n.notification.notificationType.toLowerCase()} spend`);
}

/** Days of a `rate(N days)` schedule expression. */
function rotationDays(expression: string | undefined): number | undefined {
  const match = expression ? /rate\((\d+) days?\)/.exec(expression) : null;
  return match ? Number(match[1]) : undefined;
}
