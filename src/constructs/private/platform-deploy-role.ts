import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_OIDC_ISSUER } from '../github-deploy-role';

/** Properties of `PlatformDeployRole`. */
export interface PlatformDeployRoleProps {
  /** The platform's own repository, as `owner/repo`. */
  readonly githubRepository: string;
  /** GitHub environment (and platform environment) whose jobs may assume the role. */
  readonly environment: string;
  /** The account's GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** Physical name of the role. */
  readonly roleName: string;
  /** Qualifier of the CDK bootstrap roles. */
  readonly cdkBootstrapQualifier: string;
}

/**
 * The role the platform repository's deploy workflows assume through GitHub's OIDC tokens:
 * trusted only by jobs of the GitHub environment of the same name in that one repository, and
 * allowed only to assume the CDK bootstrap roles of its own account (what `cdk diff` and
 * `cdk deploy` need) and read its own stack. What a deploy may change is bounded by the
 * bootstrap's CloudFormation execution policy, not by this role.
 */
export class PlatformDeployRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PlatformDeployRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cdkRoleArn = (role: string) =>
      `arn:${stack.partition}:iam::${stack.account}:role/cdk-${props.cdkBootstrapQualifier}-${role}-${stack.account}-${stack.region}`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Deploy the platform stack ${stack.stackName} from ${props.githubRepository}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole'],
          resources: ['deploy-role', 'file-publishing-role', 'lookup-role'].map(cdkRoleArn),
        }),
        new iam.PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Deploys ${stack.stackName} from the GitHub environment ${props.environment} of ${props.githubRepository}`,
      assumedBy: new iam.WebIdentityPrincipal(props.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_ISSUER}:sub`]: `repo:${props.githubRepository}:environment:${props.environment}`,
        },
      }),
      managedPolicies: [policy],
      maxSessionDuration: Duration.hours(1),
    });
  }
}
