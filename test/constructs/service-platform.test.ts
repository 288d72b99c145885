import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, newApp, snippetProps } from './helpers';
import { platformProps } from './platform-helpers';
import { DeploymentEnvironment, HardenedPlatformStack, HardenedServiceStack, ServicePlatform } from '../../src';
import { resolveBaseSettings } from '../../src/core/base-settings';
import { estimateJoinedServiceCost } from '../../src/core/cost-model';
import { platformParameterNames } from '../../src/core/platform-parameters';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const names = platformParameterNames('acme', PRODUCTION);

describe('a service joined through fromParameters', () => {
  // GIVEN a production service that joins the "acme" platform, synthesized offline
  const app = newApp();
  const stack = new HardenedServiceStack(app, 'svc', {
    ...snippetProps(PRODUCTION),
    complianceChecks: false,
    platform: ServicePlatform.fromParameters({ environment: PRODUCTION, platformName: 'acme' }),
  });
  const template = Template.fromStack(stack);
  const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
  /** Logical id of the CloudFormation parameter that reads an SSM parameter. */
  const param = (name: string) => Object.entries(parameters).find(([, p]) => p.Default === name)![0];
  const item = (name: string, index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': [',', { Ref: param(name) }] }] });

  test('reads every value as a CloudFormation SSM parameter type, resolved at deploy time', () => {
    const read = [names.vpcId, names.publicSubnetIds, names.privateSubnetIds, names.isolatedSubnetIds, names.clusterArn, names.backupVaultArn];
    for (const name of read) {
      expect(parameters[param(name)].Type).toBe('AWS::SSM::Parameter::Value<String>');
    }
  });

  test('its tasks run in the platform cluster\'s private subnets, with their own security group', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      Cluster: { Ref: param(names.clusterName) },
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: [0, 1, 2].map((i) => item(names.privateSubnetIds, i)),
          SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiServiceSecurityGroup'), 'GroupId'] }],
        },
      },
    });
  });

  test('its load balancer uses the platform\'s public subnets', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: [0, 1, 2].map((i) => item(names.publicSubnetIds, i)) });
  });

  test('its database and cache sit in the platform\'s isolated subnets', () => {
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: [0, 1, 2].map((i) => item(names.isolatedSubnetIds, i)) });
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: [0, 1, 2].map((i) => item(names.isolatedSubnetIds, i)) });
  });

  test('every security group it creates is its own, in the platform\'s VPC', () => {
    const groups = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const group of groups) expect(group.Properties.VpcId).toEqual({ Ref: param(names.vpcId) });
  });

  test('its backups go to the platform\'s vault, and it creates no vault of its own', () => {
    template.resourceCountIs('AWS::Backup::BackupVault', 0);
    const plan = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0];
    expect(JSON.stringify(plan.Properties.BackupPlan.BackupPlanRule[0].TargetBackupVault)).toContain(param(names.backupVaultArn));
  });

  test('its backups are copied to the platform\'s second-region vault when, at deploy time, the platform has one', () => {
    const copyParam = param(names.backupCopyVaultArn);
    expect(template.toJSON().Conditions.PlatformBackupCopy).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: copyParam }, 'none'] }] });
    const plan = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0];
    expect(plan.Properties.BackupPlan.BackupPlanRule[0].CopyActions).toEqual({
      'Fn::If': ['PlatformBackupCopy', [{ DestinationBackupVaultArn: { Ref: copyParam }, Lifecycle: { DeleteAfterDays: 365 } }], { Ref: 'AWS::NoValue' }],
    });
  });

  test('its task execution role may pull the GuardDuty agent that the platform\'s runtime monitoring adds to each task', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PullGuardDutyAgent', Resource: 'arn:aws:ecr:us-east-1:*:repository/aws-guardduty-agent-fargate' }),
        ]),
      },
    });
  });

  test('its deploy roles trust the platform\'s OIDC provider', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: { Ref: param(names.githubOidcProviderArn) } } })] },
    });
  });
});

describe('ServicePlatform validation', () => {
  test('fails when the platform\'s environment is not the service\'s', () => {
    expect(
      () =>
        new HardenedServiceStack(newApp(), 'svc', {
          ...snippetProps(STAGING),
          platform: ServicePlatform.fromParameters({ environment: PRODUCTION, platformName: 'acme' }),
        }),
    ).toThrow(
      'platform is the "production" environment of platform "acme", but environment is "staging"; join the platform of the same environment (ServicePlatform.fromParameters({ environment: "staging", platformName: "acme" }))',
    );
  });

  test('fails when githubOidcProviderArn is set as well as platform', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(
      () =>
        new HardenedServiceStack(newApp(), 'svc', {
          ...snippetProps(STAGING),
          githubOidcProviderArn: arn,
          platform: ServicePlatform.fromParameters({ environment: STAGING }),
        }),
    ).toThrow(`githubOidcProviderArn "${arn}" is set, but the platform publishes the account's GitHub OIDC provider; remove githubOidcProviderArn when platform is set`);
  });

  test('fails when platformName is not a valid name', () => {
    expect(() => ServicePlatform.fromParameters({ environment: STAGING, platformName: 'Acme Platform' })).toThrow(
      'Invalid ServicePlatform.fromParameters options (1 problem):\n  - platformName "Acme Platform" must be 1-20 lowercase letters, digits or single hyphens, starting with a letter (try "acme-platform")',
    );
  });

  test('fails when fromStack joins a platform of another region', () => {
    const app = newApp();
    const platform = new HardenedPlatformStack(app, 'platform-staging', platformProps(STAGING, { complianceChecks: false }));
    expect(
      () =>
        new HardenedServiceStack(app, 'svc', {
          ...snippetProps(STAGING),
          complianceChecks: false,
          env: { account: ENV.account, region: 'eu-west-1' },
          platform: ServicePlatform.fromStack(platform),
        }),
    ).toThrow(
      'Invalid ServicePlatform.fromStack("platform-staging") for stack "svc" (1 problem):\n  - env.region "eu-west-1" differs from the platform stack\'s "us-east-1"; a service joins the platform of its own region',
    );
  });

  test('without platform the stack keeps its own network, cluster, OIDC provider and trail', () => {
    const template = Template.fromStack(new HardenedServiceStack(newApp(), 'svc', { ...snippetProps(STAGING), complianceChecks: false }));
    for (const type of ['AWS::EC2::VPC', 'AWS::ECS::Cluster', 'AWS::IAM::OIDCProvider', 'AWS::CloudTrail::Trail', 'AWS::Backup::BackupVault']) {
      template.resourceCountIs(type, 1);
    }
  });
});

describe('the settings of a joined stack', () => {
  test("its default budget is the joined estimate's, and it names the platform it joins", () => {
    // GIVEN the same service standalone and joined, with no budget given
    const joined = new HardenedServiceStack(newApp(), 'svc', {
      ...snippetProps(PRODUCTION),
      complianceChecks: false,
      platform: ServicePlatform.fromParameters({ environment: PRODUCTION, platformName: 'acme' }),
    });
    const standalone = new HardenedServiceStack(newApp(), 'svc', { ...snippetProps(PRODUCTION), complianceChecks: false });
    const limit = (stack: HardenedServiceStack) =>
      Number(Object.values(Template.fromStack(stack).findResources('AWS::Budgets::Budget'))[0].Properties.Budget.BudgetLimit.Amount);
    // THEN
    const settings = resolveBaseSettings(snippetProps(PRODUCTION), PRODUCTION, 'acme');
    expect(limit(joined)).toBe(estimateJoinedServiceCost(settings).defaultBudgetUsd);
    expect(limit(joined)).toBeLessThan(limit(standalone));
    expect(joined.platformName).toBe('acme');
    expect(standalone.platformName).toBeUndefined();
    expect(settings.names.clusterName).toBe('acme-production');
  });
});
