import { PLATFORM_PARAMETER_ROOT } from './platform-parameters';

/**
 * The policy that CloudFormation's execution role gets when an account is bootstrapped for the
 * kit (`cdk bootstrap --cloudformation-execution-policies`), instead of the default
 * AdministratorAccess: only the AWS services the service stacks are made of; IAM only for
 * roles, policies and the GitHub OIDC provider named after the service, never users, access
 * keys or AWS's administrator policies. Pure data; internal module.
 *
 * Not a permissions boundary on created roles: the database's rotation function is an AWS
 * Serverless Application Repository app whose nested stack creates its own role, and that
 * template takes no boundary, so a boundary requirement would fail every deploy.
 */

/** AWS managed policies that would make a role an administrator; never attachable. */
export const FORBIDDEN_MANAGED_POLICIES = ['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess'];

/** Name the generated docs give the execution policy, per service. */
export function cdkExecutionPolicyName(serviceName: string): string {
  return `${serviceName}-cdk-execution`;
}

/**
 * IAM service prefixes each CloudFormation namespace needs, besides IAM (scoped below).
 * A resource type whose namespace is missing here fails the kit's tests, so a new kind of
 * resource cannot reach a stack without its permission.
 */
export const SERVICE_PREFIXES: Record<string, string[]> = {
  'AWS::ApplicationAutoScaling': ['application-autoscaling'],
  'AWS::Backup': ['backup', 'backup-storage'],
  'AWS::Budgets': ['budgets'],
  'AWS::CertificateManager': ['acm'],
  'AWS::Chatbot': ['chatbot'],
  'AWS::CloudTrail': ['cloudtrail'],
  'AWS::CloudWatch': ['cloudwatch'],
  'AWS::EC2': ['ec2'],
  'AWS::ECR': ['ecr'],
  'AWS::ECS': ['ecs'],
  'AWS::ElastiCache': ['elasticache'],
  'AWS::ElasticLoadBalancingV2': ['elasticloadbalancing'],
  // The rotation redeploy: an EventBridge rule and a Step Functions state machine.
  'AWS::Events': ['events'],
  'AWS::IAM': [],
  'AWS::KMS': ['kms'],
  'AWS::Lambda': ['lambda'],
  'AWS::Logs': ['logs'],
  'AWS::RDS': ['rds'],
  'AWS::Route53': ['route53'],
  'AWS::S3': ['s3'],
  'AWS::SNS': ['sns'],
  'AWS::SSM': ['ssm'],
  'AWS::SecretsManager': ['secretsmanager'],
  'AWS::StepFunctions': ['states'],
  // The rotation function is a Serverless Application Repository app: a nested stack.
  'AWS::Serverless': ['serverlessrepo'],
  'AWS::WAFv2': ['wafv2'],
  // CDK's custom resources are Lambda functions CloudFormation invokes.
  'Custom': ['lambda'],
};

/** Services that create their service-linked role on first use in an account. */
const SERVICE_LINKED_ROLES = [
  'ecs.amazonaws.com',
  'ecs.application-autoscaling.amazonaws.com',
  'elasticache.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'rds.amazonaws.com',
  'backup.amazonaws.com',
];

/** The namespace of a resource type: `AWS::EC2::VPC` -> `AWS::EC2`, `Custom::X` -> `Custom`. */
export function resourceNamespace(type: string): string {
  return type.startsWith('Custom::') ? 'Custom' : type.split('::').slice(0, 2).join('::');
}

/** `aws`, `aws-us-gov` or `aws-cn`, from the region. */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** What the execution policy is made from. */
export interface CdkExecutionPolicyInput {
  readonly serviceName: string;
  readonly region: string;
  /** CloudFormation resource types of every stack of the service. */
  readonly resourceTypes: string[];
  /** The platform the stacks join: CloudFormation then also resolves its SSM parameters. */
  readonly platformName?: string;
}

/** The IAM policy document (JSON) of the execution role for one service's stacks. */
export function cdkExecutionPolicy(input: CdkExecutionPolicyInput): Record<string, unknown> {
  const unknown = input.resourceTypes.filter((t) => !(resourceNamespace(t) in SERVICE_PREFIXES));
  if (unknown.length > 0) {
    throw new Error(`no IAM service is known for the resource types ${unknown.join(', ')}: add them to SERVICE_PREFIXES`);
  }
  const arn = `arn:${partitionOf(input.region)}`;
  const prefixes = [...new Set(input.resourceTypes.flatMap((t) => SERVICE_PREFIXES[resourceNamespace(t)]))].sort();
  const roles = `${arn}:iam::*:role/${input.serviceName}-*`;
  const statements: Record<string, unknown>[] = [
    { Sid: 'ServicesOfTheStacks', Effect: 'Allow', Action: prefixes.map((p) => `${p}:*`), Resource: '*' },
    {
      // Stack parameters of type AWS::SSM::Parameter::Value (the image tag, the bootstrap version,
      // a platform's values): CloudFormation resolves them with the execution role.
      Sid: 'ReadStackParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: [
        `${arn}:ssm:*:*:parameter/cdk-bootstrap/*`,
        `${arn}:ssm:*:*:parameter/${input.serviceName}/*`,
        // A joined stack's VPC, subnets, cluster, web ACL, ... (ServicePlatform.fromParameters).
        ...(input.platformName === undefined ? [] : [`${arn}:ssm:*:*:parameter${PLATFORM_PARAMETER_ROOT}/${input.platformName}/*`]),
      ],
    },
    {
      Sid: 'NestedStacksOfTheService',
      Effect: 'Allow',
      Action: 'cloudformation:*',
      Resource: `${arn}:cloudformation:*:*:stack/${input.serviceName}-*`,
    },
    {
      Sid: 'ServerlessTransform',
      Effect: 'Allow',
      Action: 'cloudformation:CreateChangeSet',
      Resource: `${arn}:cloudformation:*:aws:transform/Serverless-2016-10-31`,
    },
    {
      // Role names CloudFormation generates start with the stack name, which starts with the
      // service name; the deploy roles are named after it too.
      Sid: 'RolesOfTheService',
      Effect: 'Allow',
      Action: [
        'iam:AttachRolePolicy',
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:PassRole',
        'iam:PutRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
      ],
      Resource: roles,
    },
    {
      Sid: 'ManagedPoliciesOfTheService',
      Effect: 'Allow',
      Action: [
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      Resource: `${arn}:iam::*:policy/${input.serviceName}-*`,
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `${arn}:iam::*:role/aws-service-role/*`,
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
    },
  ];
  if (input.resourceTypes.includes('AWS::IAM::OIDCProvider')) {
    statements.push({
      Sid: 'GithubOidcProvider',
      Effect: 'Allow',
      Action: [
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:CreateOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:GetOpenIDConnectProvider',
        'iam:RemoveClientIDFromOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      Resource: `${arn}:iam::*:oidc-provider/token.actions.githubusercontent.com`,
    });
  }
  statements.push({
    Sid: 'NoAdministratorPolicies',
    Effect: 'Deny',
    Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy'],
    Resource: '*',
    Condition: { ArnLike: { 'iam:PolicyARN': FORBIDDEN_MANAGED_POLICIES.map((p) => `${arn}:iam::aws:policy/${p}`) } },
  }, {
    Sid: 'NoUsersOrKeys',
    Effect: 'Deny',
    Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
    Resource: '*',
  });
  return { Version: '2012-10-17', Statement: statements };
}
