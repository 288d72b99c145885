import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ComplianceFramework, resolveComplianceFrameworks } from '../../core/compliance-frameworks';
import { ComplianceChecks } from '../compliance-checks';

/**
 * The one place where the kit's cdk-nag acknowledgements and their reasons are written.
 * Constructs call `acknowledge(construct, ACK.xxx)` on the narrowest construct that owns the
 * finding. A justification is written once and lists the rule's id in every pack that has the
 * rule; `acknowledge` records the ids of the packs selected for the stack (its
 * `complianceFrameworks`), so the cdk_nag metadata carries each selected pack's id. The
 * generated HIPAA checklist lists what the synthesized stack actually carries (read from its
 * metadata), so this registry and the docs cannot drift.
 */
export interface KitAcknowledgement {
  /**
   * The rule's id per framework (`ComplianceFramework` value -> `RuleId`, or `RuleId[FindingId]`
   * for rules that report several findings). A key that is not a framework (CDK's own
   * `CloudFormation-Validate`) is acknowledged whatever the selection.
   */
  readonly ids: { readonly [framework: string]: string };
  /** Why the finding is accepted, pointing at the control that covers it. */
  readonly reason: string;
}

/** Context key holding the frameworks a stack checks; `HardenedServiceStack` sets it. */
export const COMPLIANCE_FRAMEWORKS_CONTEXT = 'hardened-service-kit:complianceFrameworks';

/**
 * The frameworks selected for a construct: its stack's (context), else those registered on its
 * app by `ComplianceChecks.enable` before the construct was made, else the defaults.
 */
export function selectedFrameworks(scope: IConstruct): string[] {
  const chosen = scope.node.tryGetContext(COMPLIANCE_FRAMEWORKS_CONTEXT) as string[] | undefined;
  const registered = ComplianceChecks.frameworksOf(scope);
  return resolveComplianceFrameworks(chosen ?? (registered.length > 0 ? registered : undefined));
}

/** The `{ id, reason }` pairs an acknowledgement records for a selection of frameworks, in the order written. */
export function acknowledgedIds(ack: KitAcknowledgement, frameworks: string[]): { id: string; reason: string }[] {
  return Object.entries(ack.ids)
    .filter(([framework]) => frameworks.includes(framework) || !ComplianceFramework.ALL.includes(framework))
    .map(([, id]) => ({ id, reason: ack.reason }));
}

/** Records acknowledgements on a construct (and so its children), in every selected pack. */
export function acknowledge(scope: IConstruct, ...acks: KitAcknowledgement[]): void {
  const frameworks = selectedFrameworks(scope);
  Validations.of(scope).acknowledge(...acks.flatMap((ack) => acknowledgedIds(ack, frameworks)));
}

const AWS = ComplianceFramework.AWS_SOLUTIONS;
const HIPAA = ComplianceFramework.HIPAA_SECURITY;
const NIST = ComplianceFramework.NIST_800_53_R5;
const PCI = ComplianceFramework.PCI_DSS_321;

/** The ids of one rule in the packs that have it under the same name (`HIPAA.Security-X`, `NIST.800.53.R5-X`, ...). */
const rule = (name: string, ...frameworks: string[]): Record<string, string> =>
  Object.fromEntries(frameworks.map((f) => [f, `${ComplianceFramework.ruleIdPrefix(f)}-${name}`]));

const ack = (ids: Record<string, string>, reason: string): KitAcknowledgement => ({ ids, reason });

const managedPolicy = (policy: string, reason: string): KitAcknowledgement =>
  ack(rule(`IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`, AWS), reason);

const wildcard = (finding: string, reason: string): KitAcknowledgement => ack(rule(`IAM5[${finding}]`, AWS), reason);

const TEST_INGRESS_REASON =
  'The test listener\'s one ingress rule admits TCP 9443 from the VPC\'s own CIDR (the VPC\'s or the platform\'s CidrBlock, known only at deploy time, so the rule cannot evaluate it); no port is open to 0.0.0.0/0 through it (test/constructs/deployment-strategy.test.ts checks the source).';

/** Every acknowledgement the kit makes, by purpose. */
export const ACK = {
  albPublicIngress: ack(
    rule('EC23', AWS),
    'The internet-facing load balancer must accept 443 (and 80, redirected to 443) from anywhere; WAFv2 with AWS managed rules and a per-IP rate limit filters that traffic.',
  ),
  publicSubnetRouteToIgw: ack(
    rule('VPCNoUnrestrictedRouteToIGW', HIPAA, NIST, PCI),
    'Only the public subnets, which hold the load balancer and NAT gateways, route 0.0.0.0/0 to the internet gateway; tasks, database and cache sit in private and isolated subnets.',
  ),
  httpRedirectListener: ack(
    rule('ELBv2ACMCertificateRequired', HIPAA, NIST, PCI),
    'The port 80 listener only answers a permanent redirect to HTTPS and serves no content, so it cannot carry a certificate.',
  ),
  logBucketIsTerminal: ack(
    { ...rule('S1', AWS), ...rule('S3BucketLoggingEnabled', HIPAA, NIST, PCI) },
    'This bucket is the terminal destination of access logs; logging it to itself would recurse.',
  ),
  logBucketSseS3: ack(
    rule('S3DefaultEncryptionKMS', HIPAA, NIST, PCI),
    'Elastic Load Balancing and S3 server access logging deliver only to buckets encrypted with SSE-S3 (AES-256); SSE-KMS is not supported for these log destinations.',
  ),
  bucketReplication: ack(
    rule('S3BucketReplicationEnabled', HIPAA, NIST, PCI),
    'Log buckets are versioned and retained in-region; cross-region replication of audit logs is an organisation-level control (see DISASTER_RECOVERY.md), not per service.',
  ),
  nonRotatingSecret: ack(
    { ...rule('SMG4', AWS), ...rule('SecretsManagerRotationEnabled', HIPAA, NIST) },
    'The ElastiCache AUTH token cannot be rotated by a Secrets Manager rotation function without a coordinated ROTATE strategy on the replication group; the documented manual rotation (OPERATIONS_RUNBOOK.md) applies.',
  ),
  apiKeysRotatedByRunbook: ack(
    { ...rule('SMG4', AWS), ...rule('SecretsManagerRotationEnabled', HIPAA, NIST) },
    'The secret holds only SHA-256 digests of API keys that machine clients hold; a rotation function cannot hand a new key to a client, so keys are rotated by the API key rotation runbook (OPERATIONS_RUNBOOK.md) with two keys valid per client during the overlap, and the service refuses any key older than apiKeyMaxAgeDays.',
  ),
  defaultDatabasePort: ack(
    rule('RDS11', AWS),
    'A non-default port is obscurity, not a control: the database sits in isolated subnets and its security group admits only the service and the rotation function.',
  ),
  defaultRedisPort: ack(
    rule('AEC5', AWS),
    'A non-default port is obscurity, not a control: the cache sits in isolated subnets, requires TLS and an AUTH token, and its security group admits only the service.',
  ),
  stagingSingleAzDatabase: ack(
    { ...rule('RDS3', AWS), ...rule('RDSMultiAZSupport', HIPAA, NIST) },
    'Staging runs a single-AZ database to halve its cost; production is Multi-AZ (DeploymentEnvironment.PRODUCTION).',
  ),
  stagingDatabaseDeletable: ack(
    { ...rule('RDS10', AWS), ...rule('RDSInstanceDeletionProtectionEnabled', HIPAA, NIST) },
    'Staging holds no production data and is torn down and recreated; production has deletion protection.',
  ),
  stagingSingleNodeCache: ack(
    rule('AEC4', AWS),
    'Staging runs one cache node to save cost; production runs a replica in a second AZ with automatic failover.',
  ),
  stagingLoadBalancerDeletable: ack(
    rule('ELBDeletionProtectionEnabled', HIPAA, NIST),
    'Staging is torn down and recreated freely; production load balancers have deletion protection.',
  ),
  rdsMonitoringRole: managedPolicy(
    'service-role/AmazonRDSEnhancedMonitoringRole',
    'RDS enhanced monitoring requires this AWS managed service-role policy; it only lets RDS write OS metrics to CloudWatch Logs.',
  ),
  backupRole: [
    managedPolicy(
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'AWS Backup requires its AWS managed service-role policy to snapshot the database.',
    ),
    managedPolicy(
      'service-role/AWSBackupServiceRolePolicyForRestores',
      'AWS Backup requires its AWS managed service-role policy to restore the database.',
    ),
  ],
  configRole: managedPolicy(
    'service-role/AWS_ConfigRole',
    'AWS Config\'s recorder needs read access to the configuration of every supported resource type, which AWS maintains as this managed policy as it adds types; the role is assumable only by config.amazonaws.com and writes only through its own delivery policy.',
  ),
  inlineGrantPolicy: ack(
    rule('IAMNoInlinePolicy', HIPAA, NIST, PCI),
    'CDK grants write inline policies scoped to the exact resources granted (this role only); they are generated from the grants, reviewed with the stack and attached to no other principal.',
  ),
  taskDefinitionRevisions: (familyArn: string) =>
    wildcard(
      `Resource::${familyArn}:*`,
      'Every deploy registers a new revision of the service\'s own task definition family; the wildcard covers revisions of that one family only, and RunTask is further limited to the service\'s cluster.',
    ),
  cdkBootstrapRoles: (roleArn: string) =>
    wildcard(
      `Resource::${roleArn}-*`,
      '`cdk deploy` assumes the CDK bootstrap roles it needs (deploy, file publishing, lookup; not image publishing) of this account and qualifier; the suffix is the account and region. The deploy role passes the CloudFormation execution role, which a kit bootstrap scopes with infrastructure/bootstrap/cdk-execution-policy.json instead of AdministratorAccess.',
    ),
  clusterTasks: (clusterTaskArn: string) =>
    wildcard(
      `Resource::${clusterTaskArn}/*`,
      'Migration tasks get generated ids at run time; tagging is limited to tasks of the service\'s own cluster and only while RunTask creates them.',
    ),
  serviceDeployments: (serviceDeploymentArn: string) =>
    wildcard(
      `Resource::${serviceDeploymentArn}/*`,
      'ECS gives each deployment of the service a generated id; the deploy tool reads only the service deployments of its own service, to follow a canary or linear deployment and name the alarm that rolled it back.',
    ),
  configDeliveryObjects: (objectsArn: string) =>
    wildcard(
      `Resource::${objectsArn}`,
      'AWS Config writes snapshot and history objects with generated names; the recorder may only put objects under its own AWSLogs/<account>/Config/ prefix of the platform\'s configuration bucket, with the bucket-owner-full-control ACL.',
    ),
  guardDutyAgent: (repositoryArn: string) =>
    wildcard(
      `Resource::${repositoryArn}`,
      'The platform\'s GuardDuty runtime monitoring adds its security agent as a sidecar to every Fargate task; the agent\'s image is in an AWS-owned repository whose account differs per region, so the pull is limited to that one repository name in this region.',
    ),
  ecrAuthToken: wildcard(
    'Resource::*',
    'ecr:GetAuthorizationToken and ecs:RegisterTaskDefinition, DeregisterTaskDefinition, DescribeTaskDefinition and ListTaskDefinitions do not support resource-level permissions; AWS requires Resource "*".',
  ),
  // One entry per rule: an entry holds one id per framework.
  testListenerIngress: [
    ack({ ...rule('EC23', AWS), ...rule('EC2RestrictedCommonPorts', HIPAA, NIST, PCI) }, TEST_INGRESS_REASON),
    ack(rule('EC2RestrictedSSH', HIPAA, NIST, PCI), TEST_INGRESS_REASON),
  ],
  loadBalancingDescribe: wildcard(
    'Resource::*',
    'ECS\'s load balancer role: elasticloadbalancing:DescribeListeners, DescribeRules, DescribeTargetGroups and DescribeTargetHealth do not support resource-level permissions; registering targets and changing rules and listeners is limited to the service\'s own target groups, rules and listeners.',
  ),
  rotationStateMachine: wildcard(
    'Resource::*',
    'The rotation state machine\'s role: X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and Step Functions log delivery (the logs:*LogDelivery, DescribeLogGroups and resource-policy calls) do not support resource-level permissions; its one task may only call ecs:UpdateService on the service\'s own ARN.',
  ),
  logStreams: wildcard(
    'Resource::<LogGroup.Arn>:*',
    'Log streams are created at run time with generated names; the grant is limited to streams of this one log group.',
  ),
  cdkValidatorInstanceClass: ack(
    // CDK's own template validation runs whatever packs are selected.
    { 'CloudFormation-Validate': 'CloudFormation-Validate::E3062' },
    'CDK\'s bundled instance-class data lags RDS: db.t3 classes run PostgreSQL 16, and cfn-lint, run on every synthesized template in CI, accepts the pair.',
  ),
  nonSecretEnvironment: ack(
    rule('ECS2', AWS),
    'Only non-secret configuration is passed as environment (port, environment name, log level, CORS origins, cache endpoint, authentication mode, JWT issuer, audience and scopes, API key lifetime); credentials come from Secrets Manager through the task definition\'s secrets.',
  ),
} as const;

/**
 * Acknowledges findings on the singleton Lambda providers that CDK adds at stack level for
 * its own custom resources (closing the default security group, for example). They are
 * CDK's code, run only during deployments, and not part of the request path.
 */
export function acknowledgeCustomResourceProviders(stack: IConstruct): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('Custom::') && child.node.id.endsWith('Provider')) {
      acknowledge(child, ...CUSTOM_RESOURCE_PROVIDER);
    }
  }
}

const PROVIDER_REASON =
  'CDK-managed custom resource provider that runs only during CloudFormation deployments, never on the request path or with data; its code and role are CDK\'s.';
/** What `acknowledgeCustomResourceProviders` records on each provider. */
export const CUSTOM_RESOURCE_PROVIDER: KitAcknowledgement[] = [
  managedPolicy('service-role/AWSLambdaBasicExecutionRole', PROVIDER_REASON),
  ack(rule('LambdaConcurrency', HIPAA, NIST), PROVIDER_REASON),
  ack(rule('LambdaDLQ', HIPAA, NIST), PROVIDER_REASON),
  ack(rule('LambdaInsideVPC', HIPAA, NIST, PCI), PROVIDER_REASON),
  ack(rule('IAMNoInlinePolicy', HIPAA, NIST, PCI), PROVIDER_REASON),
];
