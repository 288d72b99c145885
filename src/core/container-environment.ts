import { AuthenticationMode } from './authentication';
import { BaseSettings, workerCount } from './base-settings';
import { SERVICE_DEFAULTS } from './defaults';

/** The container's environment contract in AWS: variable names, secrets' fields and values. */

/** Container variables filled from the database secret's JSON fields, by variable name. */
export const DATABASE_SECRET_FIELDS: Record<string, string> = {
  DB_HOST: 'host',
  DB_PORT: 'port',
  DB_NAME: 'dbname',
  DB_USER: 'username',
  DB_PASSWORD: 'password',
};

/**
 * The RDS certificate authorities, written by the project type into the repo and copied into
 * the image, so the service verifies the database server's certificate and name
 * (`DB_SSLMODE=verify-full`) instead of only encrypting (`require`).
 */
export const DATABASE_CA_BUNDLE = {
  /** Path in the generated repo (a managed file, refreshed on every kit upgrade). */
  repoPath: 'certs/rds-ca-bundle.pem',
  /** Path in the image (`DB_SSLROOTCERT`). */
  imagePath: '/etc/ssl/certs/rds-ca-bundle.pem',
} as const;

/** Container variable filled from the cache's AUTH token secret. */
export const CACHE_SECRET_VARIABLE = 'REDIS_PASSWORD';

/** Container variable filled from the API keys secret (a JSON document of key digests). */
export const API_KEYS_SECRET_VARIABLE = 'API_KEYS';

/** The container's authentication variables (no secret among them), by mode. */
export function authenticationEnvironment(s: BaseSettings): Record<string, string> {
  const env: Record<string, string> = { AUTH_MODE: s.authentication };
  if (AuthenticationMode.usesJwt(s.authentication)) {
    env.AUTH_JWT_ISSUER = s.jwtIssuerUrl ?? '';
    env.AUTH_JWT_AUDIENCE = s.jwtAudience ?? '';
    env.AUTH_READ_SCOPE = s.jwtReadScope;
    env.AUTH_WRITE_SCOPE = s.jwtWriteScope;
  }
  if (AuthenticationMode.usesApiKeys(s.authentication)) {
    env.API_KEY_MAX_AGE_DAYS = String(s.apiKeyMaxAgeDays);
  }
  return env;
}

/**
 * The container's non-secret environment in AWS, for the stack's task definition and the
 * generated `ecs-task-definition.json` alike. `redisHost` is the cache's primary endpoint
 * (a token in the stack, a placeholder in the file).
 */
export function containerEnvironment(s: BaseSettings, redisHost: string): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(s.containerPort),
    APP_ENV: s.environment,
    LOG_LEVEL: 'info',
    ALLOWED_ORIGINS: s.allowedOrigins.join(','),
    WEB_CONCURRENCY: String(workerCount(s.cpu)),
    ...authenticationEnvironment(s),
  };
  if (s.database) {
    // Encrypted and authenticated: the server's certificate must chain to an RDS CA and name
    // the host the service connects to.
    env.DB_SSLMODE = 'verify-full';
    env.DB_SSLROOTCERT = DATABASE_CA_BUNDLE.imagePath;
    env.DB_POOL_SIZE = String(SERVICE_DEFAULTS.dbPoolSizePerWorker);
  }
  if (s.cache) {
    env.REDIS_HOST = redisHost;
    env.REDIS_PORT = String(SERVICE_DEFAULTS.cachePort);
    env.REDIS_TLS = 'true';
  }
  return env;
}
