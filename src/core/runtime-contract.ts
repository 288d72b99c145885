import { SERVICE_DEFAULTS } from './defaults';

/**
 * The runtime contract every sample app honours: the variables the stack, compose, the task
 * definition and the tests set, in this order, and nothing else is read. The AWS values are
 * `containerEnvironment()` (`container-environment.ts`); the local and CI values come from
 * `serviceEnvironment()` below, so each place lists the same names in the same order.
 */
export const RUNTIME_VARIABLES: readonly { readonly name: string; readonly meaning: string }[] = [
  { name: 'PORT', meaning: 'port to listen on' },
  { name: 'APP_ENV', meaning: '`local`, `test`, `staging` or `production`' },
  { name: 'LOG_LEVEL', meaning: '`debug`, `info`, `warning`, `error`' },
  { name: 'ALLOWED_ORIGINS', meaning: 'comma-separated CORS origins, may be empty' },
  { name: 'WEB_CONCURRENCY', meaning: 'worker processes' },
  { name: 'AUTH_MODE', meaning: '`api-keys`, `jwt`, `jwt-and-api-keys` or `none`; unset means `api-keys` (fail closed)' },
  { name: 'AUTH_JWT_ISSUER', meaning: 'the JWT modes: OIDC issuer' },
  { name: 'AUTH_JWT_AUDIENCE', meaning: 'the JWT modes: audience' },
  { name: 'AUTH_READ_SCOPE', meaning: 'the JWT modes: scope or group of read access' },
  { name: 'AUTH_WRITE_SCOPE', meaning: 'the JWT modes: scope or group of write access' },
  { name: 'API_KEY_MAX_AGE_DAYS', meaning: 'the API key modes: the longest life of a key' },
  { name: 'API_KEYS', meaning: "the API key modes: the secret's JSON document of key digests" },
  { name: 'DB_HOST', meaning: 'PostgreSQL host (absent when the service has no database)' },
  { name: 'DB_PORT', meaning: 'PostgreSQL port' },
  { name: 'DB_NAME', meaning: 'PostgreSQL database' },
  { name: 'DB_USER', meaning: 'PostgreSQL user' },
  { name: 'DB_PASSWORD', meaning: 'PostgreSQL password' },
  { name: 'DB_SSLMODE', meaning: '`verify-full` in AWS (server certificate and name checked), `disable` locally' },
  { name: 'DB_SSLROOTCERT', meaning: 'CA bundle file the server certificate must chain to (the RDS CAs in the image); unset: the system store' },
  { name: 'DB_POOL_SIZE', meaning: 'connections per worker process' },
  { name: 'REDIS_HOST', meaning: 'Redis host (absent when the service has no cache)' },
  { name: 'REDIS_PORT', meaning: 'Redis port' },
  { name: 'REDIS_PASSWORD', meaning: 'Redis AUTH token' },
  { name: 'REDIS_TLS', meaning: '`true` or `false`' },
];

/** What the service is, as far as its environment goes. */
export interface ServiceEnvironmentInput {
  readonly containerPort: number;
  readonly allowedOrigins: readonly string[];
  readonly database: boolean;
  readonly cache: boolean;
}

/** Where a container of the service runs, and what it is told there. */
export interface RuntimePlace {
  readonly appEnv: string;
  readonly logLevel: string;
  /** Worker processes; none: the variable is not set. */
  readonly webConcurrency?: number;
  /** The authentication variables of that place, in their contract order. */
  readonly authentication?: readonly [string, string][];
  /** How the place reaches PostgreSQL (used when the service has a database). */
  readonly database: {
    readonly host: string;
    /** None: the variable is set elsewhere (a CI step hands the published port on). */
    readonly port?: number;
    readonly password: string;
    readonly sslMode: string;
  };
  /** How the place reaches Redis (used when the service has a cache). */
  readonly cache: {
    readonly host: string;
    /** None: the variable is set elsewhere. */
    readonly port?: number;
    readonly password: string;
    readonly tls: boolean;
  };
}

/**
 * The contract's variables for one place outside AWS (`.env.example`, the CI app job), in
 * the contract's order: the values that are the same everywhere (port, origins, database name
 * and user, pool size) come from the service, the rest from the place.
 */
export function serviceEnvironment(service: ServiceEnvironmentInput, place: RuntimePlace): [string, string][] {
  const vars: [string, string | number | undefined][] = [
    ['PORT', service.containerPort],
    ['APP_ENV', place.appEnv],
    ['LOG_LEVEL', place.logLevel],
    ['ALLOWED_ORIGINS', service.allowedOrigins.join(',')],
    ['WEB_CONCURRENCY', place.webConcurrency],
    ...(place.authentication ?? []),
  ];
  if (service.database) {
    vars.push(
      ['DB_HOST', place.database.host],
      ['DB_PORT', place.database.port],
      ['DB_NAME', SERVICE_DEFAULTS.databaseName],
      ['DB_USER', SERVICE_DEFAULTS.databaseName],
      ['DB_PASSWORD', place.database.password],
      ['DB_SSLMODE', place.database.sslMode],
      ['DB_POOL_SIZE', SERVICE_DEFAULTS.dbPoolSizePerWorker],
    );
  }
  if (service.cache) {
    vars.push(
      ['REDIS_HOST', place.cache.host],
      ['REDIS_PORT', place.cache.port],
      ['REDIS_PASSWORD', place.cache.password],
      ['REDIS_TLS', String(place.cache.tls)],
    );
  }
  return vars.filter((v): v is [string, string | number] => v[1] !== undefined).map(([name, value]) => [name, String(value)]);
}
