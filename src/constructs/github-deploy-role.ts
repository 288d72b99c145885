import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { DeploymentEnvironment } from '../core/deployment-environment';

/**
 * The CDK bootstrap roles `cdk deploy` assumes: not the image-publishing role (the stacks have
 * no Docker assets; images go through the publish role) and nothing else of the account.
 */
const CDK_ROLES = ['deploy-role', 'file-publishing-role', 'lookup-role'];

/** The issuer of GitHub Actions OIDC tokens. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** Properties of `GithubDeployRole`. */
export interface GithubDeployRoleProps {
  /** Repository whose workflows may assume the roles, as `owner/repo`. */
  readonly githubRepository: string;
  /** Environment: the deploy role trusts only the GitHub environment of the same name. */
  readonly environment: DeploymentEnvironment;
  /** Name of the deploy role; the image-publishing role gets the suffix `-publish`. */
  readonly roleName: string;
  /** ECR repository the workflows push to and deploy from. */
  readonly repository: ecr.IRepository;
  /** The ECS service the workflows deploy. */
  readonly service: ecs.FargateService;
  /** The service's task definition (its roles may be passed to ECS). */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** SSM parameter holding the deployed image tag. */
  readonly imageTagParameterName: string;
  /** Application log group, read for migration output. */
  readonly logGroup: logs.ILogGroup;
  /**
   * ARN of an existing GitHub OIDC provider (one per account).
   * @default - a new provider
   */
  readonly oidcProviderArn?: string;
  /**
   * Branch whose pushes may publish images.
   * @default "main"
   */
  readonly publishBranch?: string;
  /**
   * Qualifier of the CDK bootstrap roles the deploy role may assume for `cdk deploy`.
   * @default "hnb659fds"
   */
  readonly cdkBootstrapQualifier?: string;
  /**
   * Tag that task definition revisions registered by the deploy role must carry (the deploy
   * tool copies the task definition's tags to every revision).
   * @default - no tag condition
   */
  readonly costAllocationTag?: DeployRoleTag;
}

/** A tag key and value. */
export interface DeployRoleTag {
  readonly key: string;
  readonly value: string;
}

/**
 * The GitHub OIDC provider and two roles, so that no workflow holds long-lived keys:
 * a publish role that only pushes images to the repository, assumable from pushes to the
 * main branch; and a deploy role that runs migrations, updates the service and assumes the
 * CDK bootstrap roles, assumable only from jobs in the GitHub environment named after this
 * environment (`staging` or `production`, where required reviewers gate production).
 * Permissions are customer-managed policies scoped to this service's resources.
 */
export class GithubDeployRole extends Construct {
  /** The OIDC provider (created or imported). */
  public readonly provider: iam.IOidcProvider;
  /** Role for deploy jobs. */
  public readonly role: iam.Role;
  /** Role for the image build job. */
  public readonly publishRole: iam.Role;
  /** Policy of the deploy role. */
  public readonly deployPolicy: iam.ManagedPolicy;
  /** Policy of the publish role. */
  public readonly publishPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.provider = props.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.oidcProviderArn)
      : new iam.OidcProviderNative(this, 'Provider', {
        url: `https://${GITHUB_OIDC_ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
      });
    const principal = (subjects: string[]) =>
      new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        'StringEquals': { [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com' },
        'ForAnyValue:StringEquals': { [`${GITHUB_OIDC_ISSUER}:sub`]: subjects },
      });
    const repo = props.githubRepository;
    const branch = props.publishBranch ?? 'main';

    this.publishPolicy = new iam.ManagedPolicy(this, 'PublishPolicy', {
      description: `Push images of ${repo} to ${props.repository.repositoryName}`,
      statements: [
        new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PushImages',
          actions: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:CompleteLayerUpload',
            'ecr:DescribeImageScanFindings',
            'ecr:DescribeImages',
            'ecr:GetDownloadUrlForLayer',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          resources: [props.repository.repositoryArn],
        }),
      ],
    });
    this.publishRole = new iam.Role(this, 'PublishRole', {
      roleName: `${props.roleName}-publish`,
      description: `Publishes images of ${repo} from ${branch}`,
      assumedBy: principal([`repo:${repo}:ref:refs/heads/${branch}`]),
      managedPolicies: [this.publishPolicy],
      maxSessionDuration: Duration.hours(1),
    });

    const taskDefinitionArns = `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:task-definition/${props.taskDefinition.family}:*`;
    const passRoles = [props.taskDefinition.taskRole.roleArn, props.taskDefinition.obtainExecutionRole().roleArn];
    const qualifier = props.cdkBootstrapQualifier ?? 'hnb659fds';
    const cdkRoleArn = (role: string) => `arn:${stack.partition}:iam::${stack.account}:role/cdk-${qualifier}-${role}`;
    // The physical cluster name as written, so that the finding id below is literal too.
    const clusterName =
      (props.service.cluster.node.defaultChild as ecs.CfnCluster | undefined)?.clusterName ?? props.service.cluster.clusterName;
    const clusterTasks = `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:task/${clusterName}`;
    const serviceName = (props.service.node.defaultChild as ecs.CfnService | undefined)?.serviceName ?? props.service.serviceName;
    const serviceDeployments = `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:service-deployment/${clusterName}/${serviceName}`;
    this.deployPolicy = new iam.ManagedPolicy(this, 'DeployPolicy', {
      description: `Deploy ${props.service.serviceName} (${props.environment}) from ${repo}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ActionsWithoutResourceScope',
          actions: [
            'ecr:GetAuthorizationToken',
            'ecs:DeregisterTaskDefinition',
            'ecs:DescribeTaskDefinition',
            'ecs:ListTaskDefinitions',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          // RegisterTaskDefinition has no resource-level permissions: a revision is bounded by
          // the roles it may pass (the service's two, below), by RunTask and UpdateService
          // accepting only the service's family and service, and by this tag, which only
          // revisions copied from the stack's own task definition carry.
          sid: 'RegisterTaggedRevisions',
          actions: ['ecs:RegisterTaskDefinition'],
          resources: ['*'],
          ...(props.costAllocationTag
            ? { conditions: { StringEquals: { [`aws:RequestTag/${props.costAllocationTag.key}`]: props.costAllocationTag.value } } }
            : {}),
        }),
        new iam.PolicyStatement({
          // The deploy tool copies the task definition's tags to new revisions and to
          // migration tasks; tagging is allowed only as part of creating them.
          sid: 'TagOnCreate',
          actions: ['ecs:TagResource'],
          resources: [taskDefinitionArns, `${clusterTasks}/*`],
          conditions: { StringEquals: { 'ecs:CreateAction': ['RegisterTaskDefinition', 'RunTask'] } },
        }),
        new iam.PolicyStatement({
          sid: 'PullImages',
          actions: ['ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:DescribeImageScanFindings', 'ecr:GetDownloadUrlForLayer'],
          resources: [props.repository.repositoryArn],
        }),
        new iam.PolicyStatement({
          // The deploy path re-tags the image it rolls out (`deployed-<tag>`, the same
          // manifest) so that the lifecycle policy keeps it; it uploads no layers.
          sid: 'TagDeployedImages',
          actions: ['ecr:PutImage'],
          resources: [props.repository.repositoryArn],
        }),
        new iam.PolicyStatement({
          // The deploy workflows read the stack's outputs (service URL, load balancer DNS
          // name) when the infrastructure is unchanged and `cdk deploy` is skipped.
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
        new iam.PolicyStatement({
          sid: 'UpdateService',
          actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
          resources: [props.service.serviceArn],
        }),
        new iam.PolicyStatement({
          // Canary, linear and blue/green deployments report their steps, bakes and the alarm
          // that rolled them back in the service's service deployments.
          sid: 'FollowServiceDeployments',
          actions: ['ecs:ListServiceDeployments'],
          resources: [props.service.serviceArn],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeServiceDeployments',
          actions: ['ecs:DescribeServiceDeployments'],
          resources: [`${serviceDeployments}/*`],
        }),
        new iam.PolicyStatement({
          sid: 'RunMigrationTasks',
          actions: ['ecs:RunTask'],
          resources: [taskDefinitionArns],
          conditions: { ArnEquals: { 'ecs:cluster': props.service.cluster.clusterArn } },
        }),
        new iam.PolicyStatement({
          sid: 'FollowTasks',
          actions: ['ecs:DescribeTasks', 'ecs:ListTasks', 'ecs:StopTask'],
          resources: ['*'],
          conditions: { ArnEquals: { 'ecs:cluster': props.service.cluster.clusterArn } },
        }),
        new iam.PolicyStatement({
          sid: 'PassTaskRoles',
          actions: ['iam:PassRole'],
          resources: passRoles,
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'ImageTagParameter',
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [
            stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.imageTagParameterName.replace(/^\//, '') }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ReadMigrationLogs',
          actions: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
          resources: [props.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'CdkDeploy',
          actions: ['sts:AssumeRole'],
          resources: CDK_ROLES.map((role) => `${cdkRoleArn(role)}-*`),
        }),
      ],
    });
    // cdk-nag names a wildcard finding after the resource as synthesized, with pseudo
    // parameters written `<AWS::Name>`; literal values appear as they are.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    // A referenced name (a platform's cluster, read from a parameter) is written `<LogicalId>`.
    const shownName = (value: string) => (Token.isUnresolved(value) ? `<${(stack.resolve(value) as { Ref?: string }).Ref}>` : value);
    const arnPrefix = (service: string, region: string) =>
      `arn:${shown(stack.partition, 'Partition')}:${service}:${region}:${shown(stack.account, 'AccountId')}`;
    acknowledge(this.publishPolicy, ACK.ecrAuthToken);
    acknowledge(
      this.deployPolicy,
      ACK.ecrAuthToken,
      ACK.taskDefinitionRevisions(`${arnPrefix('ecs', shown(stack.region, 'Region'))}:task-definition/${props.taskDefinition.family}`),
      ...CDK_ROLES.map((role) => ACK.cdkBootstrapRoles(`${arnPrefix('iam', '')}:role/cdk-${qualifier}-${role}`)),
      ACK.clusterTasks(`${arnPrefix('ecs', shown(stack.region, 'Region'))}:task/${shownName(clusterName)}`),
      ACK.serviceDeployments(`${arnPrefix('ecs', shown(stack.region, 'Region'))}:service-deployment/${shownName(clusterName)}/${shownName(serviceName)}`),
    );
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Deploys ${props.service.serviceName} to ${props.environment} from ${repo}`,
      assumedBy: principal([`repo:${repo}:environment:${props.environment}`]),
      managedPolicies: [this.deployPolicy],
      maxSessionDuration: Duration.hours(1),
    });
  }
}
