import { X509Certificate } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, ENVIRONMENT_NAMES, snippetTemplates } from './helpers';
import { DATABASE_CA_BUNDLE } from '../../src/core/container-environment';
import { COST_ALLOCATION_TAG_KEY, SERVICE_DEFAULTS } from '../../src/core/defaults';

/**
 * Defects that only a real deploy would have shown (cfn-lint, cdk-nag and the emulator cannot
 * know them), asserted on the synthesized templates of both environments.
 */
const stacks = ENVIRONMENT_NAMES.map((name) => ({ name }));
/** The stack and template of one environment, synthesized on first use and shared by the tests. */
const snippet = (name: string) => ({ stack: snippetTemplates().stackOf(name), template: snippetTemplates().of(name) });

describe('RDS refuses the engine version', () => {
  test.each(stacks)('$name pins only the PostgreSQL major, so RDS picks and upgrades the minor', ({ name }) => {
    const { template } = snippet(name);
    // A pinned minor stops deploying once RDS retires it, and once RDS has upgraded a live
    // instance the older minor in the template makes the next update fail.
    const major = String(SERVICE_DEFAULTS.postgresMajorVersion);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: major,
      AutoMinorVersionUpgrade: true,
    });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: `postgres${major}` });
  });
});

describe('the database server is never authenticated', () => {
  test.each(stacks)('$name tasks verify the server (verify-full) against the CA bundle in the image', ({ name }) => {
    const { template } = snippet(name);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([
          { Name: 'DB_SSLMODE', Value: 'verify-full' },
          { Name: 'DB_SSLROOTCERT', Value: DATABASE_CA_BUNDLE.imagePath },
        ]),
      })],
    });
  });

  test('the bundle the image carries holds the root CA that signs the instance certificate', () => {
    // GIVEN the CA the stack asks RDS to sign the instance certificate with
    const instance = Object.values(snippetTemplates().prod.findResources('AWS::RDS::DBInstance'))[0];
    expect(instance.Properties.CACertificateIdentifier).toBe('rds-ca-rsa2048-g1');
    // WHEN the kit's bundle is parsed THEN it has that root for the stack's region, still valid
    const pem = readFileSync(join(__dirname, '..', '..', 'src', 'templates', 'certs', 'rds-ca-bundle.pem.hbs'), 'utf-8');
    const certificates = (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => new X509Certificate(c));
    const root = certificates.find((c) => c.subject.includes(`CN=Amazon RDS ${ENV.region} Root CA RSA2048 G1`));
    expect(root).toBeDefined();
    expect(root!.ca).toBe(true);
    expect(new Date(root!.validTo).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('each budget covers the whole account', () => {
  test.each(stacks)('$name budget counts only costs tagged with its own stack', ({ name }) => {
    const { stack, template } = snippet(name);
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ CostFilters: { TagKeyValue: [`user:${COST_ALLOCATION_TAG_KEY}$${stack.stackName}`] } }),
    });
  });

  test.each(stacks)('$name: the resources that cost money carry the tag, and the service passes it to its tasks', ({ name }) => {
    const { stack, template } = snippet(name);
    const tag = { Key: COST_ALLOCATION_TAG_KEY, Value: stack.stackName };
    for (const type of [
      'AWS::EC2::NatGateway',
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::EC2::VPCEndpoint',
      'AWS::ECR::Repository',
      'AWS::Logs::LogGroup',
      'AWS::KMS::Key',
    ]) {
      const resources = Object.entries(template.findResources(type));
      expect({ type, count: resources.length > 0 }).toEqual({ type, count: true });
      for (const [id, resource] of resources) {
        expect({ id, tags: resource.Properties.Tags ?? resource.Properties.TagList }).toEqual({ id, tags: expect.arrayContaining([tag]) });
      }
    }
    template.hasResourceProperties('AWS::ECS::Service', { PropagateTags: 'SERVICE', Tags: Match.arrayWith([tag]) });
  });

  test('the two environments in one account have two different filters', () => {
    const filter = (t: Template) => Object.values(t.findResources('AWS::Budgets::Budget'))[0].Properties.Budget.CostFilters;
    expect(filter(snippetTemplates().stg)).not.toEqual(filter(snippetTemplates().prod));
  });
});

describe('the deploy roles are account administrators', () => {
  /** The statements of the deploy role's managed policy, by Sid. */
  const deployStatements = (template: Template) => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const deploy = policies.find((p) => p.Properties.PolicyDocument.Statement.some((st: any) => st.Sid === 'CdkDeploy'))!;
    return Object.fromEntries(deploy.Properties.PolicyDocument.Statement.map((st: any) => [st.Sid, st]));
  };

  test.each(stacks)('$name deploy role may assume only the CDK roles cdk deploy needs, never all of them', ({ name }) => {
    const { template } = snippet(name);
    const resources = deployStatements(template).CdkDeploy.Resource.map((r: any) => JSON.stringify(r));
    expect(resources).toHaveLength(3);
    for (const role of ['deploy-role', 'file-publishing-role', 'lookup-role']) {
      expect(resources.some((r: string) => r.includes(`:role/cdk-hnb659fds-${role}-*`))).toBe(true);
    }
    expect(resources.some((r: string) => /cdk-hnb659fds-\*/.test(r) || r.includes('image-publishing'))).toBe(false);
  });

  test.each(stacks)('$name deploy role registers only revisions tagged like the stack, passing only its two roles', ({ name }) => {
    const { stack, template } = snippet(name);
    const statements = deployStatements(template);
    expect(statements.RegisterTaggedRevisions).toMatchObject({
      Action: 'ecs:RegisterTaskDefinition',
      Condition: { StringEquals: { [`aws:RequestTag/${COST_ALLOCATION_TAG_KEY}`]: stack.stackName } },
    });
    expect(JSON.stringify(statements.ActionsWithoutResourceScope.Action)).not.toContain('RegisterTaskDefinition');
    expect(statements.PassTaskRoles.Resource).toHaveLength(2);
    // The task definition the deploy tool copies carries the tag, so its revisions pass.
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Tags: Match.arrayWith([{ Key: COST_ALLOCATION_TAG_KEY, Value: stack.stackName }]) });
  });
});
