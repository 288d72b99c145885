import { API_KEYS_SECRET_VARIABLE, CACHE_SECRET_VARIABLE, containerEnvironment, DATABASE_SECRET_FIELDS } from '../../src/core/container-environment';
import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import { RUNTIME_VARIABLES, RuntimePlace, serviceEnvironment } from '../../src/core/runtime-contract';
import { resolveSettings } from '../../src/core/settings';

const CONTRACT = RUNTIME_VARIABLES.map((v) => v.name);

/** The names that are not in the contract, or out of its order; empty when all is well. */
function offContract(names: string[]): string[] {
  const positions = names.map((n) => CONTRACT.indexOf(n));
  return names.filter((_name, i) => positions[i] < 0 || (i > 0 && positions[i] < positions[i - 1]));
}

const PLACE: RuntimePlace = {
  appEnv: 'local',
  logLevel: 'debug',
  webConcurrency: 2,
  authentication: [['AUTH_MODE', 'api-keys'], ['API_KEY_MAX_AGE_DAYS', '90']],
  database: { host: 'localhost', port: 5432, password: 'p', sslMode: 'disable' },
  cache: { host: 'localhost', port: 6379, password: 'r', tls: false },
};

describe('the runtime contract', () => {
  test('the AWS environment and its secrets use only contract names, in contract order', () => {
    const s = resolveSettings(
      { serviceName: 'svc', alarmEmail: 'a@example.com', githubRepository: 'o/r', authentication: 'jwt-and-api-keys', jwtIssuerUrl: 'https://i.example.com/', jwtAudience: 'a' },
      DeploymentEnvironment.PRODUCTION,
    );
    expect(offContract(Object.keys(containerEnvironment(s, 'redis.example')))).toEqual([]);
    expect(offContract([...Object.keys(DATABASE_SECRET_FIELDS)])).toEqual([]);
    expect(CONTRACT).toEqual(expect.arrayContaining([CACHE_SECRET_VARIABLE, API_KEYS_SECRET_VARIABLE]));
  });

  test('a place outside AWS gets every variable of the service, in contract order', () => {
    const env = serviceEnvironment({ containerPort: 8080, allowedOrigins: ['https://a.example.com', 'https://b.example.com'], database: true, cache: true }, PLACE);
    expect(env).toEqual([
      ['PORT', '8080'],
      ['APP_ENV', 'local'],
      ['LOG_LEVEL', 'debug'],
      ['ALLOWED_ORIGINS', 'https://a.example.com,https://b.example.com'],
      ['WEB_CONCURRENCY', '2'],
      ['AUTH_MODE', 'api-keys'],
      ['API_KEY_MAX_AGE_DAYS', '90'],
      ['DB_HOST', 'localhost'],
      ['DB_PORT', '5432'],
      ['DB_NAME', 'app'],
      ['DB_USER', 'app'],
      ['DB_PASSWORD', 'p'],
      ['DB_SSLMODE', 'disable'],
      ['DB_POOL_SIZE', '5'],
      ['REDIS_HOST', 'localhost'],
      ['REDIS_PORT', '6379'],
      ['REDIS_PASSWORD', 'r'],
      ['REDIS_TLS', 'false'],
    ]);
    expect(offContract(env.map(([name]) => name))).toEqual([]);
  });

  test('without a database or cache, and with ports set elsewhere, those variables are left out', () => {
    const env = serviceEnvironment({ containerPort: 8000, allowedOrigins: [], database: false, cache: true }, {
      ...PLACE,
      webConcurrency: undefined,
      authentication: undefined,
      cache: { host: '127.0.0.1', password: '', tls: false },
    });
    expect(env.map(([name]) => name)).toEqual(['PORT', 'APP_ENV', 'LOG_LEVEL', 'ALLOWED_ORIGINS', 'REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_TLS']);
  });

  test('fails when a name is outside the contract or out of its order', () => {
    expect(offContract(['PORT', 'DB_HOST', 'APP_ENV'])).toEqual(['APP_ENV']);
    expect(offContract(['PORT', 'DATABASE_URL'])).toEqual(['DATABASE_URL']);
  });
});
