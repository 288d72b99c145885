import { Template } from 'aws-cdk-lib/assertions';
import { DeploymentEnvironment } from '../../../src/core/deployment-environment';
import { DeploymentStrategyName } from '../../../src/core/deployment-strategy';
import { platformParameterNames, serviceReadParameters } from '../../../src/core/platform-parameters';
import { cdkExecutionPolicyFor } from '../../../src/project/infrastructure/cdk-execution-policy-file';
import { buildServiceStacks, inspectServiceStacks } from '../../../src/project/infrastructure/stack-facts';
import { resolveServiceModel } from '../../../src/project/service-model';
import { newApp, synthFindings } from '../../constructs/helpers';
import { projectOptions } from '../helpers';

const JOINED = { platform: { name: 'acme' } };

describe('the stacks of a joined service', () => {
  test('synthesize with zero open findings, with no network, cluster, trail or OIDC provider of their own', () => {
    // GIVEN the stacks the generated app builds from the options (what service-stacks.ts passes)
    const model = resolveServiceModel(projectOptions(JOINED));
    const app = newApp();
    const { stacks } = buildServiceStacks(model, app);
    // WHEN they synthesize with the packs registered
    const { findings, error } = synthFindings(app);
    // THEN
    expect(findings).toEqual([]);
    expect(error).toBeUndefined();
    for (const stack of stacks) {
      const template = Template.fromStack(stack);
      for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCEndpoint', 'AWS::ECS::Cluster', 'AWS::CloudTrail::Trail', 'Custom::AWSCDKOpenIdConnectProvider', 'AWS::IAM::OIDCProvider']) {
        template.resourceCountIs(type, 0);
      }
    }
  });

  test.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])('with database %s and cache %s, read exactly the platform parameters the AWS setup guide lists', (database, cache) => {
    const model = resolveServiceModel(projectOptions({ ...JOINED, database, cache }));
    const { stacks } = buildServiceStacks(model, newApp());
    stacks.forEach((stack, i) => {
      const environment = model.environments[i].environment;
      const parameters = Template.fromStack(stack).toJSON().Parameters as Record<string, { Type: string; Default?: string }>;
      const read = Object.values(parameters)
        .filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default?.startsWith('/hardened-platform/'))
        .map((p) => p.Default!)
        .sort();
      const names = platformParameterNames('acme', environment);
      // Every parameter declared is referenced (cfn-lint W2001 otherwise), and no other is read.
      const body = JSON.stringify({ ...Template.fromStack(stack).toJSON(), Parameters: undefined });
      for (const [id, p] of Object.entries(parameters)) {
        if (p.Default?.startsWith('/hardened-platform/')) expect([p.Default, body.includes(`{"Ref":"${id}"}`)]).toEqual([p.Default, true]);
      }
      const testListener = DeploymentStrategyName.shiftsTraffic(model.environments[i].settings.deployment.strategy);
      expect(read).toEqual(serviceReadParameters({ database, cache, testListener }).map((key) => names[key]).sort());
      expect(model.platform!.environments[i].parameters).toEqual(read);
    });
  });

  test('the CDK execution role may read every SSM parameter the stacks declare (CloudFormation resolves them with it)', () => {
    // An AWS rule: a stack parameter of type AWS::SSM::Parameter::Value is resolved with the
    // stack's service role; a parameter it may not read fails the change set.
    const model = resolveServiceModel(projectOptions(JOINED));
    const { stacks } = buildServiceStacks(model, newApp());
    const statement = (cdkExecutionPolicyFor(model).Statement as { Sid: string; Resource: string[] }[]).find((st) => st.Sid === 'ReadStackParameters')!;
    const patterns = statement.Resource.map((r) => new RegExp(`^${r.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    const declared = stacks.flatMap((stack) =>
      Object.values(Template.fromStack(stack).toJSON().Parameters as Record<string, { Type: string; Default?: string }>)
        .filter((p) => p.Type.startsWith('AWS::SSM::Parameter::Value') && p.Default)
        .map((p) => `arn:aws:ssm:us-east-1:123456789012:parameter${p.Default}`),
    );
    expect(declared.some((d) => d.includes('/hardened-platform/acme/'))).toBe(true);
    expect(declared.filter((arn) => !patterns.some((p) => p.test(arn)))).toEqual([]);
  });

  test("facts: no subnet, NAT or trail of its own; the platform's zones and name", () => {
    const facts = inspectServiceStacks(resolveServiceModel(projectOptions(JOINED)));
    for (const f of facts) {
      expect(f.platformName).toBe('acme');
      expect(f.subnets).toEqual([]);
      expect(f.natGatewayZones).toEqual([]);
      expect(f.interfaceEndpoints).toEqual([]);
      expect(f.trailName).toBeUndefined();
      expect(f.createsGithubOidcProvider).toBe(false);
      expect(f.vpcCidr).toBe('the VPC of platform acme');
      // The tasks' security group admits the load balancer's: the service's own groups are read.
      expect(f.ingress.length).toBeGreaterThan(0);
    }
    expect(facts[0].availabilityZones).toHaveLength(2);
    expect(facts[1].availabilityZones).toHaveLength(3);
    expect(facts.map((f) => f.environment)).toEqual([DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION]);
  });
});
