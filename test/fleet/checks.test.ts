import { canonicalName, duplicateNames, FleetTemplate, parameterCheck, quotaChecks, singletonChecks } from '../../fleet/checks';

const stack = (stackName: string, resources: Record<string, [string, Record<string, unknown>?]>, parameters = {}): FleetTemplate => ({
  stackName,
  app: stackName,
  template: {
    Resources: Object.fromEntries(Object.entries(resources).map(([id, [Type, Properties]]) => [id, { Type, Properties }])),
    Parameters: parameters,
  },
});

describe('singletonChecks', () => {
  test('passes with one of each, in different stacks', () => {
    const templates = [
      stack('platform-staging', {
        Oidc: ['AWS::IAM::OIDCProvider'],
        Detector: ['AWS::GuardDuty::Detector'],
        Hub: ['AWS::SecurityHub::Hub'],
        Recorder: ['AWS::Config::ConfigurationRecorder'],
        Channel: ['AWS::Config::DeliveryChannel'],
      }),
      stack('platform-production', { Vpc: ['AWS::EC2::VPC'] }),
    ];
    expect(singletonChecks(templates).every((c) => c.ok)).toBe(true);
  });

  test('fails when two stacks create the GitHub OIDC provider, and names both', () => {
    const checks = singletonChecks([stack('a-staging', { P: ['AWS::IAM::OIDCProvider'] }), stack('a-production', { P: ['AWS::IAM::OIDCProvider'] })]);
    const oidc = checks.find((c) => c.check.includes('OIDC'))!;
    expect(oidc).toEqual({ check: expect.any(String), found: '2 (a-staging, a-production)', ok: false });
  });

  test('fails when a singleton is missing', () => {
    const detector = singletonChecks([]).find((c) => c.check.includes('GuardDuty'))!;
    expect(detector.ok).toBe(false);
    expect(detector.found).toBe('0');
  });
});

describe('quotaChecks', () => {
  test('fails when the fleet needs a sixth Elastic IP', () => {
    const eips = Object.fromEntries([...Array(6).keys()].map((i) => [`Eip${i}`, ['AWS::EC2::EIP'] as [string]]));
    const check = quotaChecks([stack('s', eips)]).find((c) => c.check.startsWith('Elastic IP'))!;
    expect(check).toEqual({ check: 'Elastic IP addresses per region <= 5', found: '6', ok: false });
  });

  test('counts only application load balancers against the ALB quota', () => {
    const albs = Object.fromEntries([...Array(51).keys()].map((i) => [`Nlb${i}`, ['AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' }] as [string, Record<string, unknown>]]));
    expect(quotaChecks([stack('s', albs)]).find((c) => c.check.startsWith('Application'))!.ok).toBe(true);
  });

  test('counts security groups per VPC across stacks that share one through SSM', () => {
    const parameter = { VpcIdParameter: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/hardened-platform/platform/staging/vpc-id' } };
    const sg = { Sg: ['AWS::EC2::SecurityGroup', { VpcId: { Ref: 'VpcIdParameter' } }] as [string, Record<string, unknown>] };
    const check = quotaChecks([stack('a', sg, parameter), stack('b', sg, parameter)]).find((c) => c.check.startsWith('VPC security groups'))!;
    expect(check.found).toBe('2 (2 in the fullest of 1 VPC(s))');
  });
});

test('security groups of two stacks\' own VPCs count apart', () => {
  const own = { Sg: ['AWS::EC2::SecurityGroup', { VpcId: { Ref: 'Vpc' } }] as [string, Record<string, unknown>] };
  expect(quotaChecks([stack('a', own), stack('b', own)]).find((c) => c.check.startsWith('VPC security groups'))!.found).toBe('2 (1 in the fullest of 2 VPC(s))');
});

test('the security groups of a platform and of the services that read its VPC id count in one VPC', () => {
  const platform = stack('platform', {
    Sg: ['AWS::EC2::SecurityGroup', { VpcId: { Ref: 'Vpc' } }],
    VpcIdParameter: ['AWS::SSM::Parameter', { Name: '/hardened-platform/platform/staging/vpc-id', Value: { Ref: 'Vpc' } }],
  });
  const service = stack('s', { Sg: ['AWS::EC2::SecurityGroup', { VpcId: { Ref: 'P' } }] }, { P: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/hardened-platform/platform/staging/vpc-id' } });
  expect(quotaChecks([platform, service]).find((c) => c.check.startsWith('VPC security groups'))!.found).toBe('2 (2 in the fullest of 1 VPC(s))');
});

describe('parameterCheck', () => {
  const read = (name: string) => ({ P: { Type: 'AWS::SSM::Parameter::Value<String>', Default: name } });
  const write = (name: string) => ({ W: ['AWS::SSM::Parameter', { Name: name }] as [string, Record<string, unknown>] });

  test('passes when a platform writes what the service reads', () => {
    const check = parameterCheck([stack('platform-staging', write('/hardened-platform/platform/staging/vpc-id')), stack('s', {}, read('/hardened-platform/platform/staging/vpc-id'))]);
    expect(check.ok).toBe(true);
  });

  test('fails when a service reads a platform no stack writes, and names both', () => {
    const check = parameterCheck([stack('platform-staging', write('/hardened-platform/platform/staging/vpc-id')), stack('s', {}, read('/hardened-platform/acme/staging/vpc-id'))]);
    expect(check).toEqual({ check: expect.any(String), found: '/hardened-platform/acme/staging/vpc-id read by s', ok: false });
  });

  test('ignores parameters outside the prefix (the image tag the deploy tool writes)', () => {
    expect(parameterCheck([stack('s', {}, read('/orders/staging/image-tag'))]).ok).toBe(true);
  });
});

describe('duplicateNames', () => {
  test('fails when two services write the same alarm name', () => {
    const alarm = { A: ['AWS::CloudWatch::Alarm', { AlarmName: 'orders-production-5xx-rate' }] as [string, Record<string, unknown>] };
    expect(duplicateNames([stack('orders-production', alarm), stack('orders2-production', alarm)])).toEqual([
      'AWS::CloudWatch::Alarm orders-production-5xx-rate: orders-production, orders2-production',
    ]);
  });

  test('fails when one name is written twice in one stack', () => {
    const twice = { A: ['AWS::IAM::Role', { RoleName: 'deploy' }], B: ['AWS::IAM::Role', { RoleName: 'deploy' }] } as Record<string, [string, Record<string, unknown>]>;
    expect(duplicateNames([stack('s', twice)])).toEqual(['AWS::IAM::Role deploy: s, s']);
  });

  test('an ECS service name may repeat in different clusters, not in one', () => {
    const service = (cluster: string) => ({ S: ['AWS::ECS::Service', { ServiceName: 'api', Cluster: cluster }] as [string, Record<string, unknown>] });
    expect(duplicateNames([stack('a', service('staging')), stack('b', service('production'))])).toEqual([]);
    expect(duplicateNames([stack('a', service('staging')), stack('b', service('staging'))])).toEqual(['AWS::ECS::Service api in cluster staging: a, b']);
  });

  test('names that reference a resource of their own stack are unique already', () => {
    const ref = { B: ['AWS::Backup::BackupVault', { BackupVaultName: { Ref: 'Generated' } }] as [string, Record<string, unknown>] };
    expect(duplicateNames([stack('a', ref), stack('b', ref)])).toEqual([]);
  });
});

describe('canonicalName', () => {
  test('joins literals and pseudo parameters, reads SSM parameters by name', () => {
    expect(canonicalName({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:${AWS::Partition}:x');
    expect(canonicalName({ Ref: 'P' }, { P: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/a/b' } })).toBe('{{ssm:/a/b}}');
    expect(canonicalName({ Ref: 'P' }, { P: { Type: 'String', Default: 'x' } })).toBeUndefined();
    expect(canonicalName({ 'Fn::GetAtt': ['X', 'Arn'] })).toBeUndefined();
  });
});
