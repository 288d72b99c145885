import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, newApp, snippetTemplates } from './helpers';
import { DeploymentEnvironment, ServiceNetwork } from '../../src';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
let stg: Template, prod: Template;
beforeAll(() => {
  ({ stg, prod } = snippetTemplates());
});
const both = () => snippetTemplates().both;

describe('ServiceNetwork', () => {
  test('has public, private and isolated subnets with no public IPs on launch', () => {
    for (const [, t] of both()) {
      const subnets = Object.values(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties);
      expect(subnets.every((s) => s.MapPublicIpOnLaunch === false)).toBe(true);
      const types = new Set(subnets.map((s) => s.Tags.find((tag: any) => tag.Key === 'aws-cdk:subnet-type').Value));
      expect(types).toEqual(new Set(['Public', 'Private', 'Isolated']));
    }
  });

  test('uses one NAT gateway over 2 AZs in staging and one per AZ over 3 AZs in production', () => {
    stg.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.resourceCountIs('AWS::EC2::NatGateway', 3);
    stg.resourceCountIs('AWS::EC2::Subnet', 6);
    prod.resourceCountIs('AWS::EC2::Subnet', 9);
  });

  test('writes all flow logs to a KMS-encrypted log group with retention', () => {
    for (const [, t] of both()) {
      t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      const groups = Object.values(t.findResources('AWS::Logs::LogGroup'));
      expect(groups.every((g) => g.Properties.KmsKeyId && g.Properties.RetentionInDays)).toBe(true);
    }
  });

  test('closes the default security group and adds S3, ECR, Logs and Secrets Manager endpoints', () => {
    for (const [, t] of both()) {
      t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
      const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((r) => JSON.stringify(r.Properties.ServiceName));
      for (const service of ['.s3', '.ecr.api', '.ecr.dkr', '.logs', '.secretsmanager']) {
        expect(endpoints.some((name) => name.includes(service))).toBe(true);
      }
    }
  });

  test('works on its own in any stack', () => {
    const stack = new Stack(newApp({}), 'net', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: PRODUCTION, cidr: '10.20.0.0/16' });
    expect(network.vpc.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
  });

  test('takes resolved values over its environment\'s presets', () => {
    // GIVEN a staging network asked for three AZs, a NAT gateway in each and 30 days of flow logs
    const stack = new Stack(newApp({}), 'net', { env: ENV });
    new ServiceNetwork(stack, 'Network', { environment: STAGING, maxAzs: 3, natGatewayPerAz: true, flowLogRetentionDays: 30 });
    // THEN those values, not staging's 2 AZs, one NAT gateway and 90 days
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.resourceCountIs('AWS::EC2::Subnet', 9);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
