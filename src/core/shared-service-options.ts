/**
 * The options that mean the same for one stack (`HardenedServiceOptions`, the stack props) and
 * for a whole repository (`HardenedServiceProjectOptions`, both environments): declared once,
 * extended by both. Options whose value differs per environment (capacity, budget, certificate,
 * domain) are declared by each side, since the project has a staging variant of each.
 */
export interface SharedServiceOptions {
  /**
   * Name of the service: 1-20 characters, lowercase letters, digits and single hyphens,
   * starting with a letter. It prefixes every AWS resource name (stacks, cluster, load
   * balancer, log groups, alarms, dashboards), which is what bounds its length: AWS limits
   * load balancer and target group names to 32 characters.
   */
  readonly serviceName: string;

  /**
   * Port the container listens on.
   * @default - a stack: 8000; a project: the blueprint's port (8000 for both blueprints)
   */
  readonly containerPort?: number;

  /**
   * HTTP path that reports health: load balancer target group, container HEALTHCHECK, compose
   * healthcheck and the deploy tool's verification all use it.
   * @default - a stack: "/health"; a project: the blueprint's health path ("/health")
   */
  readonly healthCheckPath?: string;

  /**
   * Fargate task CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384); a project uses it in
   * both environments.
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Fargate task memory in MiB, valid for `cpu`; a project uses it in both environments.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * Whether the service has a PostgreSQL database (RDS in AWS, a container locally).
   * @default true
   */
  readonly database?: boolean;

  /**
   * Whether the service has a Redis cache (an ElastiCache replication group in AWS, a
   * container locally).
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Email address that receives alarm and budget notifications. Required; the default is the
   * placeholder `projen new` writes.
   * @default "oncall@example.com"
   */
  readonly alarmEmail: string;

  /**
   * HTTPS endpoints that receive every alarm (and budget alert) besides `alarmEmail`: a paging
   * or chat service's SNS integration URL (PagerDuty, Opsgenie, an incoming-webhook relay). Each
   * is an HTTPS subscription of the KMS-encrypted alarm topic and must confirm it (these services
   * do so themselves). Only `https://` URLs: SNS would otherwise send alarms in clear text. The
   * URL is written into the template and this repository: use an endpoint whose URL may be read
   * by whoever reads the repository, or keep the key out of the URL.
   * @default - none: alarms go to alarmEmail only
   */
  readonly alarmHttpsEndpoints?: string[];

  /**
   * A Slack channel that AWS Chatbot posts every alarm (and budget alert) to, besides
   * `alarmEmail`: a Chatbot Slack channel configuration subscribed to the encrypted alarm topic.
   * Authorize the Slack workspace once per account in the AWS Chatbot console first (the stack
   * cannot: it is an OAuth consent), and invite the AWS app to a private channel. People in the
   * channel can read alarms only: the configuration's guardrail allows `cloudwatch:DescribeAlarms`
   * on this stack's alarms and nothing else, and its role has no permissions.
   * @default - none: alarms go to alarmEmail (and alarmHttpsEndpoints) only
   */
  readonly alarmSlackChannel?: AlarmSlackChannel;

  /**
   * GitHub repository, as "owner/repo", whose workflows may assume the deploy roles. Required;
   * the default is the placeholder `projen new` writes.
   * @default "example-org/example-service"
   */
  readonly githubRepository: string;

  /**
   * Route 53 hosted zone id of `domainName`.
   * @default - none
   */
  readonly hostedZoneId?: string;

  /**
   * Route 53 hosted zone name of `domainName`, for example "example.com".
   * @default - none
   */
  readonly hostedZoneName?: string;

  /**
   * p95 response time target in milliseconds; an alarm fires above it.
   * @default 100
   */
  readonly latencyP95Ms?: number;

  /**
   * Requests per task per minute that autoscaling holds each task at (besides CPU). Keep it at
   * most half the capacity one task of this service measures (the kit's container check,
   * docs/container-testing.md; the generated MONITORING_GUIDE.md says how to measure it).
   * @default 6000
   */
  readonly targetRequestsPerTask?: number;

  /**
   * Origins the service's CORS policy allows, for example ["https://app.example.com"], passed
   * to the container as `ALLOWED_ORIGINS`.
   * @default - none (same-origin only)
   */
  readonly allowedOrigins?: string[];

  /**
   * How callers of the API authenticate (a project: in both environments): "api-keys"
   * (machine clients; only SHA-256 digests of the keys, in a Secrets Manager secret each stack
   * creates), "jwt" (access tokens of an OIDC issuer: set `jwtIssuerUrl` and `jwtAudience`),
   * "jwt-and-api-keys" (both), or "none" (anyone may call the API: only by explicit choice,
   * reported as an open gap of HIPAA 164.312(d)). Names are in `AuthenticationMode`; passed to
   * the container as `AUTH_MODE`. API keys are the default because a JWT issuer is something
   * only the team can name; the generated SECURITY_GUIDE.md explains how to switch.
   * @default "api-keys"
   * @pjnew "api-keys"
   */
  readonly authentication?: string;

  /**
   * OIDC issuer URL (https) whose access tokens the service accepts, exactly as the tokens'
   * `iss` claim has it, for example "https://login.example.com/oauth2/default". The service
   * reads `<issuer>/.well-known/openid-configuration` for the JWKS. Required when
   * `authentication` is "jwt" or "jwt-and-api-keys".
   * @default - none
   */
  readonly jwtIssuerUrl?: string;

  /**
   * Audience (`aud` claim) of the service's access tokens, for example
   * "api://hedis-optimizer". Required with the JWT modes.
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

  /**
   * The compliance frameworks whose cdk-nag packs gate synthesis, some of `ComplianceFramework.ALL`:
   * "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321". Every acknowledgement of
   * the kit carries the rule's id in each selected pack, and the generated HIPAA checklist lists
   * every acknowledged rule per framework.
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly complianceFrameworks?: string[];
}

/** A Slack channel for alarms through AWS Chatbot (`alarmSlackChannel`). */
export interface AlarmSlackChannel {
  /**
   * The Slack workspace (team) id, upper-case letters and digits such as "T0123ABCD": the AWS
   * Chatbot console shows it once the workspace is authorized in the account.
   */
  readonly workspaceId: string;

  /**
   * The channel id, letters and digits such as "C0123ABCD" (Slack: the channel's details, at
   * the bottom), not its name.
   */
  readonly channelId: string;
}
