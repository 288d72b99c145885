import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { platformProps } from './platform-helpers';
import { DeploymentEnvironment, HardenedPlatformStack } from '../../src';

const newApp = () => new App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });

describe('the platform repository\'s deploy role', () => {
  test('is created only with githubRepository, trusted by one GitHub environment of that repository', () => {
    // GIVEN
    const app = newApp();
    const without = new HardenedPlatformStack(app, 'without', platformProps(DeploymentEnvironment.STAGING, { complianceChecks: false }));
    const other = newApp();
    const stack = new HardenedPlatformStack(other, 'acme-production', platformProps(DeploymentEnvironment.PRODUCTION, {
      platformName: 'acme',
      githubRepository: 'example-org/acme-platform',
      complianceChecks: false,
    }));
    // THEN
    expect(without.deployRole).toBeUndefined();
    expect(Template.fromStack(without).findOutputs('DeployRoleArn')).toEqual({});
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-production-deploy',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:example-org/acme-platform:environment:production',
            },
          },
          Effect: 'Allow',
        }],
      },
    });
    // Its only permissions: the account's CDK bootstrap roles and its own stack's outputs.
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => String(p.Properties.Description).startsWith('Deploy the platform stack'));
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as any).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Action])).toEqual([
      ['AssumeCdkBootstrapRoles', 'sts:AssumeRole'],
      ['ReadStackOutputs', 'cloudformation:DescribeStacks'],
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain('cdk-hnb659fds-deploy-role-');
    expect(JSON.stringify(statements)).not.toContain('"*"');
    template.hasOutput('DeployRoleArn', {});
  });

  test('fails when githubRepository is not owner/repo', () => {
    expect(() => new HardenedPlatformStack(newApp(), 'bad', platformProps(DeploymentEnvironment.STAGING, {
      githubRepository: 'https://github.com/example-org/acme-platform',
    }))).toThrow('githubRepository "https://github.com/example-org/acme-platform" must be "owner/repo"');
  });
});
