/**
 * How the service's callers authenticate. The values are plain strings so that they work as
 * `projen new` flags and in every jsii language; `AuthenticationMode` names them.
 */
export class AuthenticationMode {
  /**
   * API keys for machine clients: each key's SHA-256 digest is kept in a Secrets Manager
   * secret the stack creates, two keys per client may be valid at once for rotation.
   * The default, because it needs nothing outside the stack.
   */
  public static readonly API_KEYS = 'api-keys';
  /** JWT access tokens from an OIDC issuer (`jwtIssuerUrl`, `jwtAudience`). */
  public static readonly JWT = 'jwt';
  /** Both: JWTs for people and applications, API keys for machine clients. */
  public static readonly JWT_AND_API_KEYS = 'jwt-and-api-keys';
  /**
   * No authentication: any caller may read and write. Only by explicit choice; the generated
   * HIPAA checklist then reports 164.312(d) as an open gap.
   */
  public static readonly NONE = 'none';

  /** Every mode, in the order docs list them. */
  public static readonly ALL: string[] = [
    AuthenticationMode.API_KEYS,
    AuthenticationMode.JWT,
    AuthenticationMode.JWT_AND_API_KEYS,
    AuthenticationMode.NONE,
  ];

  /** Whether the mode accepts JWTs. */
  public static usesJwt(mode: string): boolean {
    return mode === AuthenticationMode.JWT || mode === AuthenticationMode.JWT_AND_API_KEYS;
  }

  /** Whether the mode accepts API keys (and so the stack creates the API keys secret). */
  public static usesApiKeys(mode: string): boolean {
    return mode === AuthenticationMode.API_KEYS || mode === AuthenticationMode.JWT_AND_API_KEYS;
  }

  private constructor() {}
}
