/**
 * The options that describe one service, whatever the environment. `HardenedServiceStackProps`
 * extends them, and the projen project type renders the same values into the Dockerfile,
 * compose files, workflows and docs, so that one value has one source.
 */
export interface HardenedServiceOptions {
  /**
   * Name of the service: 1-20 characters, lowercase letters, digits and single hyphens,
   * starting with a letter. It prefixes every physical name (cluster, load balancer, log
   * groups, alarms, dashboards), which is what bounds its length: AWS limits load balancer
   * and target group names to 32 characters.
   */
  readonly serviceName: string;

  /**
   * ARN of an ACM certificate for the HTTPS listener, in the stack's region.
   * Required in production unless `domainName` and `hostedZoneId` are given.
   * @default - a DNS-validated certificate for `domainName`; in staging without a domain, none (HTTP only is refused: set one of the two)
   */
  readonly certificateArn?: string;

  /**
   * Domain name that serves the API, for example `api.example.com`. With `hostedZoneId` and
   * `hostedZoneName`, the stack issues a DNS-validated certificate and an alias record. With
   * `certificateArn` instead (DNS managed elsewhere), the stack creates no record: point the
   * name at the `LoadBalancerDnsName` output yourself. Either way `ServiceUrl` and the
   * deploy's health URL use this name, which the certificate covers.
   * @default - no domain; `certificateArn` is then required
   */
  readonly domainName?: string;

  /**
   * Route 53 hosted zone id for `domainName`.
   * @default - none
   */
  readonly hostedZoneId?: string;

  /**
   * Route 53 hosted zone name (for example `example.com`) for `domainName`.
   * @default - none
   */
  readonly hostedZoneName?: string;

  /** Email address that receives alarm and budget notifications. */
  readonly alarmEmail: string;

  /** GitHub repository, as `owner/repo`, whose workflows may assume the deploy role. */
  readonly githubRepository: string;

  /**
   * ARN of an existing GitHub OIDC provider in the account (an account holds only one).
   * @default - the stack creates the provider
   */
  readonly githubOidcProviderArn?: string;

  /**
   * Whether the stack creates the account's GitHub OIDC provider. An account holds one provider
   * per issuer URL, so when two stacks share an account only one may create it; with false, the
   * stack imports the provider of its own account by its fixed ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
   * The project type sets it from `stagingAccount` and `productionAccount`.
   * @default - true, unless `githubOidcProviderArn` is set
   */
  readonly createGithubOidcProvider?: boolean;

  /**
   * Whether the stack creates the multi-region CloudTrail trail (with its key, buckets and log
   * group). A trail records every region of its account, and a second trail bills management
   * events again: when two stacks share an account, one creates it. The project type sets it
   * from `stagingAccount` and `productionAccount`.
   * @default true
   */
  readonly createAuditTrail?: boolean;

  /**
   * The compliance frameworks whose cdk-nag packs gate synthesis, some of `ComplianceFramework.ALL`:
   * "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321". Every acknowledgement of
   * the kit carries the rule's id in each selected pack.
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly complianceFrameworks?: string[];

  /**
   * Monthly budget in US dollars; alerts at 80% of actual and 100% of forecast spend.
   * @default - the environment's monthly cost estimate (from these options and a us-east-1 price table) plus 25%, rounded up to the next 50 USD: staging 300, production 650 with the default options
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * Port the container listens on.
   * @default 8000
   */
  readonly containerPort?: number;

  /**
   * HTTP path that reports the service's health, checked by the load balancer and the
   * container's health check.
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * Fargate task CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Fargate task memory in MiB; must be valid for `cpu`.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * Fewest running tasks.
   * @default - staging 1, production 2
   */
  readonly minCapacity?: number;

  /**
   * Most running tasks.
   * @default - staging 2, production 10
   */
  readonly maxCapacity?: number;

  /**
   * p95 target response time in milliseconds; an alarm fires above it.
   * @default 100
   */
  readonly latencyP95Ms?: number;

  /**
   * Requests per task per minute that autoscaling holds each task at (besides CPU). Keep it at
   * most half the capacity one task of this service measures (the kit's container check,
   * docs/container-testing.md).
   * @default 6000
   */
  readonly targetRequestsPerTask?: number;

  /**
   * Whether to create the RDS PostgreSQL database.
   * @default true
   */
  readonly database?: boolean;

  /**
   * Whether to create the ElastiCache Redis replication group.
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Origins allowed by the service's CORS policy, passed to the container as `ALLOWED_ORIGINS`.
   * @default - none (same-origin only)
   */
  readonly allowedOrigins?: string[];

  /**
   * Staging only: scale the service to zero tasks outside working hours
   * (07:00-19:00 UTC, Monday to Friday). Ignored in production.
   * @default false
   */
  readonly scaleToZeroOutsideWorkingHours?: boolean;

  /**
   * How callers of the API authenticate: "api-keys" (machine clients; digests of the keys in a
   * Secrets Manager secret the stack creates), "jwt" (access tokens from an OIDC issuer, see
   * `jwtIssuerUrl` and `jwtAudience`), "jwt-and-api-keys" (both), or "none" (anyone may call
   * the API: only by explicit choice, reported as an open gap of HIPAA 164.312(d)). Names are
   * in `AuthenticationMode`. Passed to the container as `AUTH_MODE`.
   * @default "api-keys" (a JWT issuer is something only the team can name)
   */
  readonly authentication?: string;

  /**
   * OIDC issuer URL (https) whose tokens the service accepts, exactly as the tokens' `iss`
   * claim has it, for example "https://login.example.com/oauth2/default". The service reads
   * `<issuer>/.well-known/openid-configuration` for the JWKS. Required with the JWT modes.
   * @default - none
   */
  readonly jwtIssuerUrl?: string;

  /**
   * Audience (`aud` claim) the service's tokens carry, for example "api://hedis-optimizer".
   * Required with the JWT modes.
   * @default - none
   */
  readonly jwtAudience?: string;

  /**
   * Scope or group (in the token's `scope`, `scp`, `groups` or `roles` claim) that allows
   * reading (GET routes).
   * @default "api:read"
   */
  readonly jwtReadScope?: string;

  /**
   * Scope or group that allows writing (POST, PUT, PATCH, DELETE routes).
   * @default "api:write"
   */
  readonly jwtWriteScope?: string;

  /**
   * Longest life of an API key in days: the rotation schedule. The service refuses a key
   * older than this whatever its record says, and the rotation runbook issues keys for it.
   * @default 90
   */
  readonly apiKeyMaxAgeDays?: number;
}
