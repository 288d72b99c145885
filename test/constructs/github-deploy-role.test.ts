import { Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENT_NAMES, newApp, snippetProps, snippetTemplates } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack } from '../../src';

const { PRODUCTION } = DeploymentEnvironment;
let stg: Template, prod: Template;
beforeAll(() => {
  ({ stg, prod } = snippetTemplates());
});

describe('GithubDeployRole', () => {
  const trust = (t: Template, roleName: string) =>
    Object.values(t.findResources('AWS::IAM::Role')).find((r) => r.Properties.RoleName === roleName)!.Properties;

  test('lets only the production environment of the repository assume the production deploy role', () => {
    const role = trust(prod, 'hedis-optimizer-production-github-deploy');
    const condition = role.AssumeRolePolicyDocument.Statement[0].Condition;
    expect(condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:example-org/hedis-optimizer:environment:production',
    ]);
    expect(condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.Policies).toBeUndefined();
  });

  test('lets pushes to main only publish images', () => {
    const role = trust(stg, 'hedis-optimizer-staging-github-deploy-publish');
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:example-org/hedis-optimizer:ref:refs/heads/main',
    ]);
  });

  test.each(ENVIRONMENT_NAMES)('the %s deploy role may tag the image it deploys and read its own stack\'s outputs, nothing wider', (environment) => {
    const t = snippetTemplates().of(environment);
    // GIVEN the deploy policy
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
      .find((p) => JSON.stringify(p.Properties.Description).startsWith('{"Fn::Join":["",["Deploy '))!;
    const statement = (sid: string) => policy.Properties.PolicyDocument.Statement.find((st: any) => st.Sid === sid);

    // THEN re-tagging (PutImage, no layer upload) on the repository only
    expect(statement('TagDeployedImages')).toMatchObject({ Action: 'ecr:PutImage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ImagesRepository/), 'Arn'] } });
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(actions).not.toContain('ecr:InitiateLayerUpload');
    // and DescribeStacks on this stack alone (its id, no wildcard)
    expect(statement('ReadStackOutputs')).toMatchObject({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } });
  });

  test('creates the OIDC provider, or uses an existing one', () => {
    prod.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    const stack = new HardenedServiceStack(newApp({}), 'existing', {
      ...snippetProps(PRODUCTION),
      githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });
});
