import { Match, Template } from 'aws-cdk-lib/assertions';
import { newApp, snippetProps, synthFindings } from './helpers';
import { AuthenticationMode, DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps } from '../../src';
import { ACK, acknowledgedIds } from '../../src/constructs/private/acknowledgements';
import { ComplianceFramework } from '../../src/core/compliance-frameworks';

const { PRODUCTION } = DeploymentEnvironment;
const ISSUER = 'https://login.example.com/oauth2/default';

function stack(overrides: Partial<HardenedServiceStackProps> = {}) {
  const app = newApp();
  const s = new HardenedServiceStack(app, 'svc', { ...snippetProps(PRODUCTION), ...overrides });
  return { app, stack: s, template: Template.fromStack(s) };
}

function containerEnvironment(template: Template): Record<string, unknown> {
  const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  const container = definition.Properties.ContainerDefinitions[0];
  return Object.fromEntries((container.Environment ?? []).map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
}

function containerSecrets(template: Template): string[] {
  const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  return (definition.Properties.ContainerDefinitions[0].Secrets ?? []).map((s: { Name: string }) => s.Name);
}

describe('authentication: API keys (the default)', () => {
  // GIVEN the issue's snippet, which names no authentication
  const { template, stack: s } = stack();

  test('creates the API keys secret, KMS-encrypted with the data key, holding no key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'hedis-optimizer-production/api-keys',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
      SecretString: '{"keys":[]}',
    });
    expect(s.apiKeys).toBeDefined();
  });

  test('injects the secret as API_KEYS and passes the mode and key life as plain variables', () => {
    expect(containerSecrets(template)).toContain('API_KEYS');
    const env = containerEnvironment(template);
    expect(env).toMatchObject({ AUTH_MODE: 'api-keys', API_KEY_MAX_AGE_DAYS: '90' });
    expect(Object.keys(env)).not.toContain('AUTH_JWT_ISSUER');
  });

  test('acknowledges only the rotation findings of the packs on the secret, with the runbook as reason', () => {
    const [secret] = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'hedis-optimizer-production/api-keys' } })) as any[];
    const ids = (secret.Metadata.cdk_nag.rules_to_suppress as { id: string; reason: string }[]).map((r) => r.id)
      .filter((id) => id.startsWith('AwsSolutions-') || id.startsWith('HIPAA.Security-'))
      .sort();
    expect(ids).toEqual(acknowledgedIds(ACK.apiKeysRotatedByRunbook, ComplianceFramework.DEFAULTS).map((a) => a.id).sort());
  });

  test('outputs the secret ARN for the rotation runbook', () => {
    template.hasOutput('ApiKeysSecretArn', {});
  });
});

describe('authentication: JWT', () => {
  const { template, stack: s } = stack({
    authentication: AuthenticationMode.JWT,
    jwtIssuerUrl: ISSUER,
    jwtAudience: 'api://hedis-optimizer',
    jwtWriteScope: 'measures.write',
  });

  test('passes issuer, audience and scopes to the container and creates no API keys secret', () => {
    expect(containerEnvironment(template)).toMatchObject({
      AUTH_MODE: 'jwt',
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: 'api://hedis-optimizer',
      AUTH_READ_SCOPE: 'api:read',
      AUTH_WRITE_SCOPE: 'measures.write',
    });
    expect(containerSecrets(template)).not.toContain('API_KEYS');
    expect(s.apiKeys).toBeUndefined();
    expect(Object.keys(template.findOutputs('ApiKeysSecretArn'))).toEqual([]);
  });
});

describe('authentication: JWT and API keys, with the compliance gate', () => {
  test('synthesizes with zero open findings and both credentials configured', () => {
    const { app, template } = stack({
      authentication: AuthenticationMode.JWT_AND_API_KEYS,
      jwtIssuerUrl: ISSUER,
      jwtAudience: 'api://hedis-optimizer',
      apiKeyMaxAgeDays: 30,
    });
    expect(synthFindings(app).findings).toEqual([]);
    expect(containerSecrets(template)).toContain('API_KEYS');
    expect(containerEnvironment(template)).toMatchObject({ AUTH_MODE: 'jwt-and-api-keys', API_KEY_MAX_AGE_DAYS: '30', AUTH_JWT_AUDIENCE: 'api://hedis-optimizer' });
  });
});

describe('authentication: none, by explicit choice', () => {
  test('passes AUTH_MODE none and creates no secret for keys', () => {
    const { template } = stack({ authentication: AuthenticationMode.NONE });
    expect(containerEnvironment(template).AUTH_MODE).toEqual('none');
    expect(containerSecrets(template)).not.toContain('API_KEYS');
  });
});
