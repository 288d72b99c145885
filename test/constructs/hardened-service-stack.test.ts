import { readFileSync } from 'fs';
import { join } from 'path';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgedRules, cfnLint, newApp, snippetApp, snippetProps, synthFindings } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { ACK, acknowledgedIds } from '../../src/constructs/acknowledgements';
import { ComplianceFramework } from '../../src/core/compliance-frameworks';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security'];

describe('HardenedServiceStack compliance gate', () => {
  // GIVEN the exact snippet for both environments, with the recommended flags
  const { app, staging, production } = snippetApp();
  // WHEN it is synthesized with both packs registered
  const { findings, error } = synthFindings(app);
  const templatePaths = [staging, production].map((stack) => join(app.outdir, stack.templateFile));

  test('synthesizes staging and production with zero open AwsSolutions and HIPAA.Security findings', () => {
    expect(findings.filter((f) => NAG_PACKS.includes(f.pack))).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('no validation plugin reports an open finding', () => {
    expect(findings).toEqual([]);
  });

  test.each(['staging', 'production'])('the %s template carries the packs\' acknowledgements, each with a reason', (name) => {
    const template = JSON.parse(readFileSync(templatePaths[name === 'staging' ? 0 : 1], 'utf8'));
    const acks = acknowledgedRules(template);
    // Proves both packs ran: their suppressions are written by the packs themselves.
    expect([...acks.keys()].some((id) => id.startsWith('AwsSolutions-'))).toBe(true);
    expect([...acks.keys()].some((id) => id.startsWith('HIPAA.Security-'))).toBe(true);
    for (const [id, uses] of acks) {
      for (const use of uses) {
        expect({ id, reason: use.reason.length >= 40 }).toEqual({ id, reason: true });
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
  test('fails synthesis when a resource breaks a rule in both packs', () => {
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
