import { readFileSync } from 'fs';
import { join } from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgedRules, cfnLint, newApp, OpenFinding, snippetApp, snippetProps, snippetTemplates, synthFindings } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { acknowledgedIds, ACK, CUSTOM_RESOURCE_PROVIDER, KitAcknowledgement } from '../../src/constructs/private/acknowledgements';
import { ComplianceFramework } from '../../src/core/compliance-frameworks';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security'];

/** Every reason the kit's acknowledgement registry gives (a factory's reason does not depend on its argument). */
function registryReasons(): Set<string> {
  const entries: KitAcknowledgement[] = Object.values(ACK).flatMap((entry) =>
    typeof entry === 'function' ? [(entry as (arn: string) => KitAcknowledgement)('arn')] : [entry].flat(),
  );
  return new Set([...entries, ...CUSTOM_RESOURCE_PROVIDER].map((ack) => ack.reason));
}

/** The acknowledgements CDK itself writes (for cfn-lint), with the start of CDK's reason. */
const CDK_OWN_ACKNOWLEDGEMENTS: Record<string, RegExp> = {
  'CloudFormation-Validate::W3010': /^Literal AZs in template are the result of accessing stack\.availabilityZones/,
  'CloudFormation-Validate::F3002': /^AWS::EC2::FlowLog DestinationOptions accepts properties in camelCase/,
  'CloudFormation-Validate::F3003': /^AWS::EC2::FlowLog DestinationOptions accepts properties in camelCase/,
};

describe('HardenedServiceStack compliance gate', () => {
  let staging: HardenedServiceStack;
  let production: HardenedServiceStack;
  let findings: OpenFinding[];
  let error: Error | undefined;
  let templatePaths: string[];
  beforeAll(() => {
    // GIVEN the exact snippet for both environments, with the recommended flags
    const snippet = snippetApp();
    ({ staging, production } = snippet);
    // WHEN it is synthesized with both packs registered
    ({ findings, error } = synthFindings(snippet.app));
    templatePaths = [staging, production].map((stack) => join(snippet.app.outdir, stack.templateFile));
  });

  test('synthesizes staging and production with zero open AwsSolutions and HIPAA.Security findings', () => {
    expect(findings.filter((f) => NAG_PACKS.includes(f.pack))).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('no validation plugin reports an open finding', () => {
    expect(findings).toEqual([]);
  });

  test.each(['staging', 'production'])('the %s template carries the packs\' acknowledgements, each with the registry\'s reason', (name) => {
    const template = JSON.parse(readFileSync(templatePaths[name === 'staging' ? 0 : 1], 'utf8'));
    const acks = acknowledgedRules(template);
    // Proves both packs ran: their suppressions are written by the packs themselves.
    expect([...acks.keys()].some((id) => id.startsWith('AwsSolutions-'))).toBe(true);
    expect([...acks.keys()].some((id) => id.startsWith('HIPAA.Security-'))).toBe(true);
    // Every reason is the one the kit's registry wrote (or, for CDK's own cfn-lint
    // acknowledgements, CDK's), so no acknowledgement is unexplained or explained twice over.
    const reasons = registryReasons();
    for (const [id, uses] of acks) {
      for (const use of uses) {
        if (id in CDK_OWN_ACKNOWLEDGEMENTS) {
          expect({ id, reason: use.reason }).toEqual({ id, reason: expect.stringMatching(CDK_OWN_ACKNOWLEDGEMENTS[id]) });
        } else {
          expect({ id, reason: use.reason, fromRegistry: reasons.has(use.reason) }).toEqual({ id, reason: use.reason, fromRegistry: true });
        }
      }
    }
  });

  test('no acknowledgement sits on a whole stack: each is on the construct that owns the finding', () => {
    for (const stack of [staging, production]) {
      const packAcks = stack.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) => Object.keys(m.data as object))
        .filter((id) => NAG_PACKS.some((pack) => id.startsWith(`${pack}-`)));
      expect(packAcks).toEqual([]);
    }
  });

  test('staging-only acknowledgements are absent from production', () => {
    const production_ = JSON.parse(readFileSync(templatePaths[1], 'utf8'));
    const ids = [...acknowledgedRules(production_).keys()];
    const stagingOnly = [
      ACK.stagingSingleAzDatabase,
      ACK.stagingDatabaseDeletable,
      ACK.stagingSingleNodeCache,
      ACK.stagingLoadBalancerDeletable,
    ].flatMap((ack) => acknowledgedIds(ack, ComplianceFramework.ALL));
    for (const ack of stagingOnly) {
      expect(ids).not.toContain(ack.id);
    }
  });

  test.each([0, 1])('cfn-lint reports zero errors on template %i, and only the listed warnings', (index) => {
    const results = cfnLint(templatePaths[index]);
    expect(results.filter((r) => r.Level === 'Error')).toEqual([]);
    // Warnings that remain, each with its reason:
    const allowed: Record<string, string> = {
      // The VPC names its AZs (`<region>a`...) so that synthesis needs no context lookup.
      W3010: 'hard-coded availability zones',
      // CDK adds explicit DependsOn next to Ref/GetAtt in a few L2 constructs.
      W3005: 'redundant DependsOn written by CDK',
    };
    // cfn-lint's data lists every major-only PostgreSQL version as deprecated, but CloudFormation
    // documents a major-only EngineVersion (RDS creates the major's default minor and upgrades
    // it); the kit pins the major on purpose (SERVICE_DEFAULTS.postgresMajorVersion). Only that
    // exact warning is allowed: any other deprecated version still fails.
    const majorOnly = `W3691 Engine version '${SERVICE_DEFAULTS.postgresMajorVersion}' for engine 'postgres' is deprecated and cannot be used to create new RDS DB instances`;
    const unexpected = results.filter(
      (r) => r.Level === 'Warning' && !(r.Rule.Id in allowed) && `${r.Rule.Id} ${r.Message}` !== majorOnly,
    );
    expect(unexpected.map((r) => `${r.Rule.Id} ${r.Message}`)).toEqual([]);
  });
});

describe('the compliance gate is live', () => {
  test('fails when a resource breaks a rule in both packs: synthesis stops', () => {
    // GIVEN a stack with an unencrypted, unlogged bucket added
    const app = newApp();
    const stack = new HardenedServiceStack(app, 'gate', snippetProps(DeploymentEnvironment.STAGING));
    new s3.Bucket(stack, 'Careless', { encryption: s3.BucketEncryption.UNENCRYPTED, enforceSSL: false });
    // WHEN synthesized
    const { findings, error } = synthFindings(app);
    // THEN both packs report it, and synthesis fails
    const onBucket = findings.filter((f) => f.path.startsWith('gate/Careless'));
    expect(onBucket.map((f) => f.pack)).toEqual(expect.arrayContaining(NAG_PACKS));
    expect(onBucket.map((f) => f.rule)).toEqual(expect.arrayContaining(['AwsSolutions-S10', 'HIPAA.Security-S3BucketSSLRequestsOnly']));
    expect(error).toBeDefined();
  });

  test('registers the packs once per app, however many stacks', () => {
    const app = newApp();
    new HardenedServiceStack(app, 'one', snippetProps(DeploymentEnvironment.STAGING));
    new HardenedServiceStack(app, 'two', { ...snippetProps(DeploymentEnvironment.STAGING), serviceName: 'other-service' });
    new s3.Bucket(new Stack(app, 'extra'), 'Careless', { enforceSSL: false });
    const { findings } = synthFindings(app);
    const ssl = findings.filter((f) => f.rule === 'AwsSolutions-S10');
    expect(ssl).toHaveLength(1);
  });
});

describe('environment-agnostic and legacy-flag stacks pass the gate too', () => {
  test.each([
    ['without an account (resolved at deploy time)', true, false],
    ['without the recommended feature flags', false, true],
  ])('%s', (_name, dropEnv, noFlags) => {
    const app = noFlags ? newApp({}) : newApp();
    for (const environment of [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION]) {
      const props = snippetProps(environment);
      new HardenedServiceStack(app, `svc-${environment}`, dropEnv ? { ...props, env: { region: 'eu-west-1' } } : props);
    }
    const { findings, error } = synthFindings(app);
    expect(findings.filter((f) => NAG_PACKS.includes(f.pack))).toEqual([]);
    expect(error).toBeUndefined();
  });
});

describe('health URL vs certificate name: a domain with a certificate and DNS managed elsewhere', () => {
  test('ServiceUrl is the domain, no record is created, and the load balancer name is its own output', () => {
    // GIVEN a domain the given certificate covers, and no hosted zone
    const stack = new HardenedServiceStack(newApp({}), 'domain', { ...snippetProps(PRODUCTION), domainName: 'api.hedis.example' });
    const t = Template.fromStack(stack);
    // THEN
    expect(t.findOutputs('ServiceUrl').ServiceUrl.Value).toBe('https://api.hedis.example');
    expect(t.findOutputs('LoadBalancerDnsName').LoadBalancerDnsName.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/LoadBalancer/), 'DNSName'] });
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });
});

describe('one option value flows everywhere in the stack', () => {
  test('containerPort reaches the container, target group and security group', () => {
    const stack = new HardenedServiceStack(newApp({}), 'port', { ...snippetProps(STAGING), containerPort: 9000, healthCheckPath: '/healthz' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 9000, HealthCheckPath: '/healthz' });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: 9000 })] })],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 9000, ToPort: 9000 });
  });

  test('database and cache can be turned off', () => {
    const stack = new HardenedServiceStack(newApp({}), 'stateless', { ...snippetProps(STAGING), database: false, cache: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    t.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    const container = Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];
    // Only the API keys' digests (the default authentication) remain.
    expect(container.Secrets.map((s: any) => s.Name)).toEqual(['API_KEYS']);
    expect(stack.database).toBeUndefined();
  });

  test('an explicit image replaces the ECR tag parameter', () => {
    const stack = new HardenedServiceStack(newApp({}), 'img', { ...snippetProps(STAGING), image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1.2.3') });
    const t = Template.fromStack(stack);
    expect(Object.keys(t.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual([]);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/example/app:1.2.3' })],
    });
  });

  test('by default the image tag comes from the SSM parameter the deploy tool updates', () => {
    const params = snippetTemplates().stg.toJSON().Parameters;
    const ssm = Object.values<any>(params).find((p) => p.Type === 'AWS::SSM::Parameter::Value<String>');
    expect(ssm.Default).toBe('/hedis-optimizer/staging/image-tag');
  });
});
