import { createHash } from 'crypto';
import { AuthenticationMode } from '../../core/authentication';
import { API_KEYS_SECRET_VARIABLE, authenticationEnvironment } from '../../core/container-environment';
import { ServiceModel } from '../service-model';

/**
 * Local development credentials: a well-known API key whose digest `.env.example` gives the
 * service, and the local issuer the sample's tests and `docker compose` use in the JWT
 * modes. Nothing here is valid in AWS: the stacks' services read their keys from Secrets
 * Manager and their issuer from `jwtIssuerUrl`. Internal module.
 */

/** The local key (`hsk.<key id>.<secret>`): printed in `.env.example` and the app README. */
export const LOCAL_API_KEY = 'hsk.local-dev.local-only-not-a-secret-change-me-0000';

/** Port of the sample's local OIDC issuer (`tests/issuer.py`, `test/issuer.ts`). */
export const LOCAL_ISSUER_PORT = 9400;

/** Local keys live long: `.env.example` is not rotated. */
const LOCAL_MAX_AGE_DAYS = 36500;

/** The `API_KEYS` document with the local key's digest (what the secret holds in AWS). */
export function localApiKeysDocument(): string {
  const sha256 = createHash('sha256').update(LOCAL_API_KEY).digest('hex');
  return JSON.stringify({
    keys: [{
      id: 'local-dev',
      client: 'local',
      sha256,
      scopes: ['read', 'write'],
      created: '2026-01-01T00:00:00Z',
      expires: '2126-01-01T00:00:00Z',
    }],
  });
}

/** The authentication variables of local runs (`.env.example`), in contract order. */
export function localAuthenticationEnvironment(model: ServiceModel, issuerHost = '127.0.0.1'): [string, string][] {
  const env = authenticationEnvironment(model.production.settings);
  if (AuthenticationMode.usesJwt(model.authentication)) {
    // The sample's local issuer mints tokens for the production audience and scopes.
    env.AUTH_JWT_ISSUER = `http://${issuerHost}:${LOCAL_ISSUER_PORT}`;
  }
  if (AuthenticationMode.usesApiKeys(model.authentication)) {
    env.API_KEY_MAX_AGE_DAYS = String(LOCAL_MAX_AGE_DAYS);
    env[API_KEYS_SECRET_VARIABLE] = `'${localApiKeysDocument()}'`;
  }
  return Object.entries(env);
}
