import { createHash } from 'crypto';
import { parse } from 'yaml';
import { LOCAL_API_KEY, LOCAL_ISSUER_PORT } from '../../../src/project/container/local-auth';
import { HardenedServiceProject } from '../../../src/project/hardened-service-project';
import { projectOptions, synth } from '../helpers';

const ISSUER = 'https://login.example.com/oauth2/default';
const JWT = { authentication: 'jwt', jwtIssuerUrl: ISSUER, jwtAudience: 'api://hedis-optimizer' };

function problems(overrides: Parameters<typeof projectOptions>[0]): string[] {
  try {
    new HardenedServiceProject(projectOptions(overrides));
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected the options to be refused');
}

function taskContainer(files: Record<string, any>) {
  const container = files['infrastructure/aws/ecs-task-definition.json'].containerDefinitions[0];
  return {
    env: Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value])),
    secrets: container.secrets.map((s: { name: string }) => s.name),
  };
}

/** The cells of the HIPAA checklist's row of a safeguard. */
function checklistRow(checklist: string, section: string): string {
  const row = checklist.split('\n').find((line) => line.startsWith(`| ${section} `));
  if (!row) throw new Error(`no row ${section}`);
  return row;
}

describe('authentication: API keys by default', () => {
  // GIVEN the smallest options, which name no authentication
  const files = synth();

  test('the task definition passes the mode and key life and injects the API keys secret', () => {
    const { env, secrets } = taskContainer(files);
    expect(env).toMatchObject({ AUTH_MODE: 'api-keys', API_KEY_MAX_AGE_DAYS: '90' });
    expect(env.AUTH_JWT_ISSUER).toBeUndefined();
    expect(secrets).toContain('API_KEYS');
  });

  test('.env.example carries the digest of the local key, never another key, and names the key for curl', () => {
    const env = files['.env.example'] as string;
    const digest = createHash('sha256').update(LOCAL_API_KEY).digest('hex');
    expect(env).toContain('AUTH_MODE=api-keys');
    const apiKeys = /^API_KEYS='(.*)'$/m.exec(env);
    expect(JSON.parse(apiKeys![1]).keys).toEqual([expect.objectContaining({ id: 'local-dev', sha256: digest, scopes: ['read', 'write'] })]);
    expect(env).toContain(`X-API-Key: ${LOCAL_API_KEY}`);
  });

  test('the HIPAA checklist answers 164.312(d) and (b) with the API\'s own authentication and no open gap', () => {
    const checklist = files['docs/HIPAA_COMPLIANCE_CHECKLIST.md'] as string;
    expect(checklistRow(checklist, '164.312(d)')).toContain('the API requires an API key (`X-API-Key`) on every route but the health path');
    expect(checklistRow(checklist, '164.312(d)')).toContain('`hedis-optimizer-production/api-keys`');
    expect(checklistRow(checklist, '164.312(b)')).toContain('every application access log line names the caller');
    expect(checklist).not.toContain('## Open gaps');
  });

  test('the runbook has the API key rotation and the key compromise procedure', () => {
    const runbook = files['docs/OPERATIONS_RUNBOOK.md'] as string;
    expect(runbook).toContain('### API keys');
    expect(runbook).toContain('secret=hedis-optimizer-production/api-keys');
    expect(runbook).toContain('python -m service.apikeys issue --client billing-batch --scopes read < keys.json > keys.new.json');
    expect(runbook).toContain('### Compromised API credential');
    const guide = files['docs/SECURITY_GUIDE.md'] as string;
    expect(guide).toContain('Mode: `api-keys`');
    expect(guide).toContain('the service refuses a key older than 90 days');
  });

  test('the rendered stack props leave authentication to its default', () => {
    expect(files['infrastructure/service-stacks.ts']).not.toContain('authentication');
  });
});

describe('authentication: JWT', () => {
  const files = synth(JWT);

  test('issuer, audience and scopes reach the task definition and the stack props, and no API keys secret', () => {
    const { env, secrets } = taskContainer(files);
    expect(env).toMatchObject({
      AUTH_MODE: 'jwt',
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: 'api://hedis-optimizer',
      AUTH_READ_SCOPE: 'api:read',
      AUTH_WRITE_SCOPE: 'api:write',
    });
    expect(secrets).not.toContain('API_KEYS');
    const stacks = files['infrastructure/service-stacks.ts'] as string;
    expect(stacks).toContain("authentication: 'jwt'");
    expect(stacks).toContain(`jwtIssuerUrl: '${ISSUER}'`);
  });

  test('local compose points at the local issuer on the host; the production-like compose does not', () => {
    const api = parse(files['docker-compose.yml']).services.api;
    expect(api.environment.AUTH_JWT_ISSUER).toEqual(`http://host.docker.internal:${LOCAL_ISSUER_PORT}`);
    expect(api.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
    const prod = parse(files['docker-compose.prod.yml']).services.api;
    expect(prod.environment.AUTH_JWT_ISSUER).toBeUndefined();
    expect(files['.env.example']).toContain(`AUTH_JWT_ISSUER=http://127.0.0.1:${LOCAL_ISSUER_PORT}`);
    expect(files['.env.example']).not.toContain('API_KEYS=');
  });

  test('the checklist names the issuer and audience under 164.312(d)', () => {
    expect(checklistRow(files['docs/HIPAA_COMPLIANCE_CHECKLIST.md'], '164.312(d)')).toContain(
      `the API requires a JWT access token from \`${ISSUER}\` for audience \`api://hedis-optimizer\``,
    );
  });
});

describe('authentication: none, by explicit choice', () => {
  const files = synth({ authentication: 'none' });

  test('the checklist opens with 164.312(d) as an open gap', () => {
    const checklist = files['docs/HIPAA_COMPLIANCE_CHECKLIST.md'] as string;
    expect(checklist).toContain('## Open gaps');
    expect(checklist).toContain('- **164.312(d) Person or entity authentication**: OPEN GAP: `authentication` is "none"');
    expect(checklistRow(checklist, '164.312(d)')).toContain('the API itself authenticates no caller');
    expect(checklistRow(checklist, '164.312(b)')).toContain('application access logs record no caller identity');
    expect(files['docs/SECURITY_GUIDE.md']).toContain('**Open gap (HIPAA 164.312(d))**');
    expect(taskContainer(files).env.AUTH_MODE).toEqual('none');
  });
});

describe('authentication option validation', () => {
  test('fails when the mode is unknown', () => {
    expect(problems({ authentication: 'oauth' })).toEqual([
      'authentication "oauth" is not a known mode; use one of "api-keys", "jwt", "jwt-and-api-keys", "none"',
    ]);
  });

  test('fails when a JWT mode has neither issuer nor audience, once for both environments', () => {
    expect(problems({ authentication: 'jwt-and-api-keys' })).toEqual([
      'jwtIssuerUrl is required when authentication is "jwt-and-api-keys": the https URL of your OIDC issuer, exactly as its tokens\' "iss" claim (for example "https://login.example.com/oauth2/default")',
      'jwtAudience is required when authentication is "jwt-and-api-keys": the "aud" value your issuer puts in this service\'s tokens (for example "api://hedis-optimizer")',
    ]);
  });

  test('fails when JWT options are given to the API key mode', () => {
    expect(problems({ jwtAudience: 'api://x' })).toEqual([
      'jwtAudience is set but authentication is "api-keys", which ignores it; set authentication to "jwt" or "jwt-and-api-keys", or remove jwtAudience',
    ]);
  });
});
