import { join } from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { acknowledgedRules, cfnLint, ENV, newApp, snippetProps, synthFindings } from './helpers';
import {
  ACCOUNT_SINGLETON_TYPES,
  PLATFORM_OWNED_TYPES,
  platformProps,
  readParameters,
  resourcesOfType,
  templateJson,
  writtenParameters,
} from './platform-helpers';
import { ComplianceFramework, DeploymentEnvironment, HardenedPlatformStack, HardenedServiceStack, ServicePlatform } from '../../src';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';
import { HIPAA_CONFIG_RULES } from '../../src/core/platform-baseline';
import { platformParameterList, platformParameterNames, serviceReadParameters } from '../../src/core/platform-parameters';

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security'];
const { STAGING, PRODUCTION } = DeploymentEnvironment;

describe('a platform per environment and services that join it, in one account', () => {
  // GIVEN both environments' platforms in one account, a service joining staging through
  // fromStack and production through fromParameters, with the packs registered
  const app = newApp();
  const platformStaging = new HardenedPlatformStack(app, 'platform-staging', platformProps(STAGING));
  const platformProduction = new HardenedPlatformStack(app, 'platform-production', platformProps(PRODUCTION));
  const joinedStaging = new HardenedServiceStack(app, 'hedis-optimizer-staging', {
    ...snippetProps(STAGING),
    platform: ServicePlatform.fromStack(platformStaging),
  });
  const joinedProduction = new HardenedServiceStack(app, 'hedis-optimizer-production', {
    ...snippetProps(PRODUCTION),
    platform: ServicePlatform.fromParameters({ environment: PRODUCTION }),
  });
  // WHEN synthesized
  const { findings, error } = synthFindings(app);
  const stacks = [platformStaging, platformProduction, joinedStaging, joinedProduction];
  const [tPlatformStaging, tPlatformProduction, tJoinedStaging, tJoinedProduction] = stacks.map((s) => templateJson(app, s));

  test('zero open AwsSolutions and HIPAA.Security findings, and no other plugin finding', () => {
    expect(findings.filter((f) => NAG_PACKS.includes(f.pack))).toEqual([]);
    expect(findings).toEqual([]);
    expect(error).toBeUndefined();
  });

  test.each(stacks.map((s, i) => [s.node.id, i]))('cfn-lint: zero errors on %s, and only the known warnings', (_id, index) => {
    const results = cfnLint(join(app.outdir, stacks[index as number].templateFile));
    expect(results.filter((r) => r.Level === 'Error')).toEqual([]);
    const majorOnly = `W3691 Engine version '${SERVICE_DEFAULTS.postgresMajorVersion}' for engine 'postgres' is deprecated and cannot be used to create new RDS DB instances`;
    // W3010: the platform names its AZs so that synthesis needs no lookup; W3005: CDK's redundant DependsOn.
    const unexpected = results.filter((r) => r.Level === 'Warning' && !['W3010', 'W3005'].includes(r.Rule.Id) && `${r.Rule.Id} ${r.Message}` !== majorOnly);
    expect(unexpected.map((r) => `${r.Rule.Id} ${r.Message}`)).toEqual([]);
  });

  test.each([
    ['fromStack', 1],
    ['fromParameters', 2],
  ])('the service joined %s creates no VPC, subnet, NAT, EIP, endpoint, flow log, cluster, OIDC provider or trail', (_how, index) => {
    const template = [tJoinedStaging, tJoinedProduction][(index as number) - 1];
    const counts = Object.fromEntries(PLATFORM_OWNED_TYPES.map((type) => [type, resourcesOfType(template, type).length]));
    expect(counts).toEqual(Object.fromEntries(PLATFORM_OWNED_TYPES.map((type) => [type, 0])));
    // ...but still its own database, cache, service and load balancer.
    for (const type of ['AWS::RDS::DBInstance', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::LoadBalancer']) {
      expect({ type, count: resourcesOfType(template, type).length }).toEqual({ type, count: 1 });
    }
  });

  test('the two platforms hold exactly one of each account and regional singleton between them', () => {
    const counts = Object.fromEntries(
      ACCOUNT_SINGLETON_TYPES.map((type) => [
        type,
        resourcesOfType(tPlatformStaging, type).length + resourcesOfType(tPlatformProduction, type).length,
      ]),
    );
    expect(counts).toEqual(Object.fromEntries(ACCOUNT_SINGLETON_TYPES.map((type) => [type, 1])));
    // The first platform of the account holds them; the second depends on it.
    expect(platformStaging.baseline).toBeDefined();
    expect(platformProduction.baseline).toBeUndefined();
    expect(platformProduction.dependencies).toContain(platformStaging);
  });

  test('each platform writes exactly the parameters of the core list; each service reads only those', () => {
    expect(writtenParameters(tPlatformStaging)).toEqual(platformParameterList('platform', STAGING));
    expect(writtenParameters(tPlatformProduction)).toEqual(platformParameterList('platform', PRODUCTION));
    for (const [service, platform, environment] of [
      [tJoinedStaging, tPlatformStaging, STAGING],
      [tJoinedProduction, tPlatformProduction, PRODUCTION],
    ] as const) {
      const read = readParameters(service).filter((name) => name.startsWith('/hardened-platform/'));
      // With a database and a cache, and production's canary test listener: what
      // serviceReadParameters lists, no more (cfn-lint W2001).
      const names = platformParameterNames('platform', environment);
      const uses = { database: true, cache: true, testListener: environment === PRODUCTION };
      expect([...read].sort()).toEqual(serviceReadParameters(uses).map((key) => names[key]).sort());
      expect(read.filter((name) => !writtenParameters(platform).includes(name))).toEqual([]);
    }
  });

  test('the service stack of fromStack deploys after its platform', () => {
    expect(joinedStaging.dependencies).toContain(platformStaging);
    expect(joinedProduction.dependencies).not.toContain(platformProduction);
  });
});

describe('every compliance framework', () => {
  test('a platform and a joined service selecting all four packs have zero open findings; the platform enables the NIST and PCI standards', () => {
    // GIVEN both packs beyond the defaults on the platform and on the service
    const app = newApp();
    const frameworks = ComplianceFramework.ALL;
    const platform = new HardenedPlatformStack(app, 'platform-production', platformProps(PRODUCTION, { complianceFrameworks: frameworks }));
    new HardenedServiceStack(app, 'hedis-optimizer-production', {
      ...snippetProps(PRODUCTION),
      complianceFrameworks: frameworks,
      platform: ServicePlatform.fromStack(platform),
    });
    // WHEN synthesized
    const { findings, error } = synthFindings(app);
    // THEN no pack finds anything open, and Security Hub enables each framework's standard
    expect(findings).toEqual([]);
    expect(error).toBeUndefined();
    // ...because every acknowledgement carries the rule's id in each selected pack.
    const ids = [...acknowledgedRules(templateJson(app, platform)).keys()];
    expect(ids.some((id) => id.startsWith('NIST.800.53.R5-'))).toBe(true);
    expect(ids.some((id) => id.startsWith('PCI.DSS.321-'))).toBe(true);
    const standards = resourcesOfType(templateJson(app, platform), 'AWS::SecurityHub::Standard').map((r) => JSON.stringify(r.Properties.StandardsArn));
    expect(standards.some((a) => a.includes('standards/nist-800-53/v/5.0.0'))).toBe(true);
    expect(standards.some((a) => a.includes('standards/pci-dss/v/3.2.1'))).toBe(true);
  });
});

describe('the parameter check can fail', () => {
  test('fails when a service reads a platform name that no platform writes', () => {
    const app = newApp();
    const platform = new HardenedPlatformStack(app, 'p', platformProps(STAGING, { complianceChecks: false }));
    const service = new HardenedServiceStack(app, 's', {
      ...snippetProps(STAGING),
      complianceChecks: false,
      platform: ServicePlatform.fromParameters({ environment: STAGING, platformName: 'other' }),
    });
    app.synth();
    const missing = readParameters(templateJson(app, service)).filter(
      (name) => name.startsWith('/hardened-platform/') && !writtenParameters(templateJson(app, platform)).includes(name),
    );
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((name) => name.startsWith('/hardened-platform/other/staging/'))).toBe(true);
  });
});

describe('HardenedPlatformStack contents', () => {
  const app = newApp();
  const staging = new HardenedPlatformStack(app, 'platform-staging', platformProps(STAGING, { complianceChecks: false }));
  const production = new HardenedPlatformStack(app, 'platform-production', platformProps(PRODUCTION, { complianceChecks: false, accountBaseline: false }));
  const s = Template.fromStack(staging);
  const p = Template.fromStack(production);

  test('the cluster has Container Insights and Fargate capacity providers', () => {
    s.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'platform-staging',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    s.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  });

  test('the VPC follows the environment presets: NAT gateways, flow logs, endpoints', () => {
    s.resourceCountIs('AWS::EC2::NatGateway', 1);
    p.resourceCountIs('AWS::EC2::NatGateway', 3);
    s.resourceCountIs('AWS::EC2::FlowLog', 1);
    s.resourceCountIs('AWS::EC2::VPCEndpoint', 5);
    p.resourceCountIs('AWS::EC2::Subnet', 9);
  });

  test('GuardDuty uses detector features (runtime monitoring with agent management for Fargate, S3, RDS), never DataSources', () => {
    s.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      Features: [
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }] },
        { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
        { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
      ],
      // AWS rejects a detector that sets both Features and DataSources.
      DataSources: Match.absent(),
    });
    s.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] } });
  });

  test('the trail is multi-region, KMS-encrypted, validated and sent to CloudWatch Logs', () => {
    s.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'platform-account-trail',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      CloudWatchLogsLogGroupArn: Match.anyValue(),
    });
  });

  test('Config records everything with the HIPAA rules, delivering to a KMS-encrypted bucket, in dependency order', () => {
    s.hasResourceProperties('AWS::Config::ConfigurationRecorder', { RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } });
    s.hasResourceProperties('AWS::Config::DeliveryChannel', { S3KmsKeyArn: Match.anyValue() });
    const rules = s.findResources('AWS::Config::ConfigRule');
    const identifiers = Object.values(rules).map((r: any) => r.Properties.Source.SourceIdentifier);
    expect(identifiers.sort()).toEqual(HIPAA_CONFIG_RULES.map((r) => r.identifier).sort());
    // AWS refuses a delivery channel without a recorder, and rules without recording.
    const [channelId] = Object.keys(s.findResources('AWS::Config::DeliveryChannel'));
    const [recorderId] = Object.keys(s.findResources('AWS::Config::ConfigurationRecorder'));
    expect(s.toJSON().Resources[channelId].DependsOn).toContain(recorderId);
    for (const rule of Object.values<any>(rules)) expect(rule.DependsOn).toContain(channelId);
  });

  test('Security Hub enables only the selected standards, with ARNs in the stack\'s own region', () => {
    s.hasResourceProperties('AWS::SecurityHub::Hub', { EnableDefaultStandards: false });
    const regional = new HardenedPlatformStack(newApp(), 'eu', platformProps(STAGING, {
      complianceChecks: false,
      env: { account: ENV.account, region: 'eu-west-1' },
      complianceFrameworks: ['HIPAA.Security', 'NIST.800-53.R5', 'PCI.DSS.321'],
    }));
    const arns = Object.values<any>(Template.fromStack(regional).findResources('AWS::SecurityHub::Standard')).map((r) => r.Properties.StandardsArn);
    expect(arns.sort()).toEqual([
      'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:aws:securityhub:eu-west-1::standards/nist-800-53/v/5.0.0',
      'arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1',
    ].sort());
  });

  test('Access Analyzer watches the account', () => {
    s.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT', AnalyzerName: 'platform-account' });
  });

  test('the backup vault locks in compliance mode in production and governance mode in staging', () => {
    p.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'platform-production',
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 2200, ChangeableForDays: 3 },
    });
    s.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'platform-staging',
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: Match.absent() },
    });
  });

  test('accountBaseline false leaves the baseline out; the OIDC provider stays with the first platform', () => {
    for (const type of ACCOUNT_SINGLETON_TYPES) p.resourceCountIs(type, 0);
    s.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    expect(production.githubOidcProviderArn).toContain(':oidc-provider/token.actions.githubusercontent.com');
  });
});

describe('delegated administrators turn parts off', () => {
  test.each([
    ['cloudTrail', 'AWS::CloudTrail::Trail'],
    ['guardDuty', 'AWS::GuardDuty::Detector'],
    ['securityHub', 'AWS::SecurityHub::Hub'],
    ['awsConfig', 'AWS::Config::ConfigurationRecorder'],
    ['accessAnalyzer', 'AWS::AccessAnalyzer::Analyzer'],
  ])('%s: false removes %s and nothing else of the baseline', (prop, type) => {
    const stack = new HardenedPlatformStack(newApp(), 'p', platformProps(STAGING, { complianceChecks: false, [prop]: false }));
    const template = Template.fromStack(stack);
    for (const other of ACCOUNT_SINGLETON_TYPES.filter((t) => t !== 'AWS::IAM::OIDCProvider' && t !== 'AWS::Config::DeliveryChannel')) {
      template.resourceCountIs(other, other === type ? 0 : 1);
    }
  });

  test('githubOidcProviderArn imports the provider: none is created, and its ARN is published', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const stack = new HardenedPlatformStack(newApp(), 'p', platformProps(STAGING, { complianceChecks: false, githubOidcProviderArn: arn }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/hardened-platform/platform/staging/github/oidc-provider-arn', Value: arn });
  });

  test('backupCopyVaultArn is published for the services\' plans; without it the parameter says "none"', () => {
    const arn = 'arn:aws:backup:us-west-2:123456789012:backup-vault:platform-production';
    const copy = Template.fromStack(new HardenedPlatformStack(newApp(), 'p', platformProps(PRODUCTION, { complianceChecks: false, backupCopyVaultArn: arn })));
    copy.hasResourceProperties('AWS::SSM::Parameter', { Name: '/hardened-platform/platform/production/backup/copy-vault-arn', Value: arn });
    const none = Template.fromStack(new HardenedPlatformStack(newApp(), 'p', platformProps(PRODUCTION, { complianceChecks: false })));
    none.hasResourceProperties('AWS::SSM::Parameter', { Name: '/hardened-platform/platform/production/backup/copy-vault-arn', Value: 'none' });
  });

  test('a platform in a second region gets its own regional baseline, but not a second trail or OIDC provider', () => {
    const app = newApp();
    const first = new HardenedPlatformStack(app, 'east', platformProps(STAGING, { complianceChecks: false }));
    const second = new HardenedPlatformStack(app, 'west', platformProps(STAGING, { complianceChecks: false, platformName: 'west', env: { account: ENV.account, region: 'us-west-2' } }));
    const west = Template.fromStack(second);
    west.resourceCountIs('AWS::GuardDuty::Detector', 1);
    west.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    west.resourceCountIs('AWS::CloudTrail::Trail', 0);
    west.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    // Global resource types (IAM) are recorded once per account, where the trail is.
    west.hasResourceProperties('AWS::Config::ConfigurationRecorder', { RecordingGroup: { IncludeGlobalResourceTypes: false } });
    expect(Object.keys(west.findResources('AWS::Config::ConfigRule')).length).toBeLessThan(Object.keys(Template.fromStack(first).findResources('AWS::Config::ConfigRule')).length);
  });
});

describe('HardenedPlatformStack validation', () => {
  test('fails when env.region is missing, naming the option', () => {
    expect(() => new HardenedPlatformStack(newApp(), 'p', platformProps(STAGING, { env: { account: ENV.account } }))).toThrow(
      'Invalid HardenedPlatformStack "p" props (1 problem):\n  - env.region is required: the platform\'s Availability Zones, its regional account baseline and the Security Hub standards\' ARNs need a concrete region (for example env: { account: "123456789012", region: "us-east-1" })',
    );
  });

  test('fails when several props are wrong, listing every problem at once', () => {
    expect(
      () =>
        new HardenedPlatformStack(newApp(), 'p', platformProps(STAGING, {
          platformName: 'Acme',
          githubOrganization: 'example-org/repo',
          alarmEmail: 'nobody',
          complianceFrameworks: ['SOC2'],
        })),
    ).toThrow(
      [
        'Invalid HardenedPlatformStack "p" props (4 problems):',
        '  - platformName "Acme" must be 1-20 lowercase letters, digits or single hyphens, starting with a letter (try "acme")',
        '  - githubOrganization "example-org/repo" must be a GitHub user or organization name (letters, digits, single hyphens, at most 39), without a repository (for example "example-org")',
        '  - alarmEmail "nobody" must be an email address (for example "oncall@example.com")',
        '  - complianceFrameworks entry "SOC2" is not a known compliance framework; use some of "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321"',
      ].join('\n'),
    );
  });

  test('fails when backupCopyVaultArn is in the platform\'s own region', () => {
    const arn = 'arn:aws:backup:us-east-1:123456789012:backup-vault:platform-production';
    expect(() => new HardenedPlatformStack(newApp(), 'p', platformProps(PRODUCTION, { backupCopyVaultArn: arn }))).toThrow(
      `backupCopyVaultArn "${arn}" is in the platform's own region us-east-1; a copy protects against a regional outage only in a second region`,
    );
  });

  test('fails when accountBaseline is true on a second platform of the same account and region', () => {
    const app = newApp();
    new HardenedPlatformStack(app, 'first', platformProps(STAGING, { complianceChecks: false }));
    expect(() => new HardenedPlatformStack(app, 'second', platformProps(PRODUCTION, { complianceChecks: false, accountBaseline: true }))).toThrow(
      'HardenedPlatformStack "second" props: accountBaseline is true, but stack "first" already holds the account baseline of this account and region (GuardDuty, Security Hub, Config and Access Analyzer exist once per region); remove accountBaseline or set it to false',
    );
  });
});
