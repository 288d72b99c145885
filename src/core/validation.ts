import { Token } from 'aws-cdk-lib';
import { validateAccountSingletonProps } from './account-singletons';
import { AuthenticationMode } from './authentication';
import { validateComplianceFrameworks } from './compliance-frameworks';
import { SERVICE_DEFAULTS } from './defaults';
import { DeploymentEnvironment } from './deployment-environment';
import { validateDeploymentOptions } from './deployment-strategy';
import { HardenedServiceOptions } from './service-options';

/**
 * Validation of the service options, shared by `HardenedServiceStack` and the projen project
 * type so that both refuse the same input with the same words. Every check adds a message
 * that names the option, the bad value and the fix; callers throw once with all of them.
 */

/** Valid Fargate memory sizes (MiB) for each CPU size. */
export const FARGATE_MEMORY_BY_CPU: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const SERVICE_NAME_MAX = 20;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** A message when `value` is not a GitHub repository as "owner/repo"; empty when it is. */
export function validateGithubRepository(value: unknown, option = 'githubRepository'): string[] {
  if (typeof value !== 'string' || value.length === 0) {
    return [`${option} is required as "owner/repo" (for example "example-org/platform")`];
  }
  return GITHUB_REPOSITORY.test(value) ? [] : [`${option} "${value}" must be "owner/repo" (for example "example-org/platform"), without a URL or ".git"`];
}
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const DOMAIN = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const HEALTH_PATH = /^\/[A-Za-z0-9._~\-/]*$/;
const ISSUER_URL = /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~%!$&'()*+,;=:@-]*)*$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** A message per problem with the options; empty when they are valid. */
export function validateServiceOptions(
  options: HardenedServiceOptions,
  environment?: DeploymentEnvironment,
): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const known = (value: unknown) => value !== undefined && !Token.isUnresolved(value);

  // Service name
  const name = options.serviceName;
  if (typeof name !== 'string' || name.length === 0) {
    problems.push('serviceName is required (for example "hedis-optimizer")');
  } else if (!Token.isUnresolved(name)) {
    const suggestion = suggestServiceName(name);
    const hint = suggestion && suggestion !== name ? ` (try "${suggestion}")` : '';
    check(
      SERVICE_NAME.test(name),
      `serviceName "${name}" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen${hint}`,
    );
    check(
      name.length <= SERVICE_NAME_MAX,
      `serviceName "${name}" is ${name.length} characters; it must be at most ${SERVICE_NAME_MAX} so that load balancer and target group names stay within AWS's 32 (try "${name.slice(0, SERVICE_NAME_MAX).replace(/-+$/, '')}")`,
    );
  }

  // Container
  if (known(options.containerPort)) {
    const port = options.containerPort!;
    check(
      Number.isInteger(port) && port >= 1024 && port <= 65535,
      `containerPort ${port} must be an integer from 1024 to 65535 (non-root containers cannot bind lower ports; try 8000)`,
    );
  }
  if (known(options.healthCheckPath)) {
    const path = options.healthCheckPath!;
    check(
      HEALTH_PATH.test(path) && path.length <= 1024,
      `healthCheckPath "${path}" must be an absolute URL path such as "/health" (a leading "/", no query string or spaces)`,
    );
  }
  const cpu = options.cpu ?? 512;
  const memory = options.memoryLimitMiB ?? 1024;
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
    // Sizes only known at deploy time are checked by Fargate.
  } else if (!(cpu in FARGATE_MEMORY_BY_CPU)) {
    problems.push(`cpu ${cpu} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`);
  } else if (!FARGATE_MEMORY_BY_CPU[cpu].includes(memory)) {
    const valid = FARGATE_MEMORY_BY_CPU[cpu];
    problems.push(
      `memoryLimitMiB ${memory} is not valid with cpu ${cpu}; Fargate accepts ${describeSizes(valid)} MiB for that cpu`,
    );
  }

  // Capacity
  const min = options.minCapacity;
  const max = options.maxCapacity;
  if (known(min)) {
    check(Number.isInteger(min) && min! >= 1, `minCapacity ${min} must be a whole number of at least 1 (scaling to zero is scaleToZeroOutsideWorkingHours)`);
  }
  if (known(max)) {
    check(Number.isInteger(max) && max! >= 1 && max! <= 100, `maxCapacity ${max} must be a whole number from 1 to 100`);
  }
  if (known(min) && known(max) && min! > max!) {
    problems.push(`minCapacity ${min} is greater than maxCapacity ${max}; raise maxCapacity to at least ${min} or lower minCapacity`);
  }
  if (environment === DeploymentEnvironment.PRODUCTION && known(min) && min! < 2) {
    problems.push(`minCapacity ${min} leaves production in one Availability Zone; use at least 2`);
  }

  // Thresholds
  if (known(options.latencyP95Ms)) {
    const latency = options.latencyP95Ms!;
    check(
      Number.isFinite(latency) && latency >= 1 && latency <= 60000,
      `latencyP95Ms ${latency} must be a number of milliseconds from 1 to 60000 (for example 100)`,
    );
  }
  if (known(options.targetRequestsPerTask)) {
    const target = options.targetRequestsPerTask!;
    check(
      Number.isInteger(target) && target >= 1,
      `targetRequestsPerTask ${target} must be a whole number of requests per task per minute, at least 1 (for example ${SERVICE_DEFAULTS.targetRequestsPerTask})`,
    );
  }
  if (known(options.monthlyBudgetUsd)) {
    const budget = options.monthlyBudgetUsd!;
    check(
      Number.isFinite(budget) && budget > 0,
      `monthlyBudgetUsd ${budget} must be a positive number of US dollars (for example 300)`,
    );
  }

  // People and repositories
  if (typeof options.alarmEmail !== 'string' || options.alarmEmail.length === 0) {
    problems.push('alarmEmail is required: the address that receives alarms (for example "oncall@example.com")');
  } else if (!Token.isUnresolved(options.alarmEmail)) {
    check(
      EMAIL.test(options.alarmEmail),
      `alarmEmail "${options.alarmEmail}" is not an email address (for example "oncall@example.com")`,
    );
  }
  problems.push(...alarmHttpsEndpointProblems(options.alarmHttpsEndpoints));
  problems.push(...alarmSlackChannelProblems(options.alarmSlackChannel));
  if (typeof options.githubRepository !== 'string' || options.githubRepository.length === 0) {
    problems.push('githubRepository is required as "owner/repo" (for example "example-org/hedis-optimizer")');
  } else if (!Token.isUnresolved(options.githubRepository)) {
    check(
      GITHUB_REPOSITORY.test(options.githubRepository),
      `githubRepository "${options.githubRepository}" must be "owner/repo" (for example "example-org/hedis-optimizer"), without a URL or ".git"`,
    );
  }
  if (known(options.githubOidcProviderArn)) {
    check(
      OIDC_PROVIDER_ARN.test(options.githubOidcProviderArn!),
      `githubOidcProviderArn "${options.githubOidcProviderArn}" must be an IAM OIDC provider ARN such as "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"`,
    );
  }

  // TLS
  if (known(options.certificateArn)) {
    check(
      ACM_ARN.test(options.certificateArn!),
      `certificateArn "${options.certificateArn}" must be an ACM certificate ARN such as "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab"`,
    );
  }
  if (known(options.domainName)) {
    check(
      DOMAIN.test(options.domainName!),
      `domainName "${options.domainName}" must be a lowercase DNS name such as "api.example.com"`,
    );
  }
  if (known(options.hostedZoneId)) {
    check(
      HOSTED_ZONE_ID.test(options.hostedZoneId!),
      `hostedZoneId "${options.hostedZoneId}" must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"`,
    );
  }
  const hasZone = options.hostedZoneId !== undefined && options.hostedZoneName !== undefined;
  if (options.domainName !== undefined && !hasZone && options.certificateArn === undefined) {
    problems.push(
      `domainName "${options.domainName}" needs hostedZoneId and hostedZoneName to issue its certificate, or a certificateArn`,
    );
  }
  if (options.certificateArn === undefined && options.domainName === undefined) {
    const where = environment ? `${environment} ` : '';
    problems.push(
      `certificateArn is required for the ${where}HTTPS listener: pass an ACM certificate ARN, or domainName with hostedZoneId and hostedZoneName`,
    );
  }

  if (options.allowedOrigins !== undefined) {
    for (const origin of options.allowedOrigins) {
      check(
        /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/.test(origin),
        `allowedOrigins entry "${origin}" must be an origin such as "https://app.example.com" (scheme and host, no path or trailing slash)`,
      );
    }
  }
  if (environment === DeploymentEnvironment.PRODUCTION && options.scaleToZeroOutsideWorkingHours) {
    problems.push('scaleToZeroOutsideWorkingHours is for staging only; set it to false for production');
  }
  problems.push(...validateAuthentication(options));
  problems.push(...validateDeploymentOptions(options, environment));
  problems.push(...validateAccountSingletonProps(options), ...validateComplianceFrameworks(options.complianceFrameworks));
  return problems;
}

/** The `authentication` option and the options that go with its mode. */
function validateAuthentication(options: HardenedServiceOptions): string[] {
  const problems: string[] = [];
  const mode = options.authentication ?? AuthenticationMode.API_KEYS;
  const modes = AuthenticationMode.ALL.map((m) => `"${m}"`).join(', ');
  if (!AuthenticationMode.ALL.includes(mode)) {
    problems.push(`authentication "${mode}" is not a known mode; use one of ${modes}`);
    return problems;
  }
  const jwt = AuthenticationMode.usesJwt(mode);
  const jwtOptions = [
    ['jwtIssuerUrl', options.jwtIssuerUrl],
    ['jwtAudience', options.jwtAudience],
    ['jwtReadScope', options.jwtReadScope],
    ['jwtWriteScope', options.jwtWriteScope],
  ] as const;
  if (!jwt) {
    for (const [name, value] of jwtOptions) {
      if (value !== undefined) {
        problems.push(`${name} is set but authentication is "${mode}", which ignores it; set authentication to "jwt" or "jwt-and-api-keys", or remove ${name}`);
      }
    }
  } else {
    if (options.jwtIssuerUrl === undefined || options.jwtIssuerUrl === '') {
      problems.push(`jwtIssuerUrl is required when authentication is "${mode}": the https URL of your OIDC issuer, exactly as its tokens' "iss" claim (for example "https://login.example.com/oauth2/default")`);
    } else if (!Token.isUnresolved(options.jwtIssuerUrl)) {
      if (!ISSUER_URL.test(options.jwtIssuerUrl) || options.jwtIssuerUrl.endsWith('/.well-known/openid-configuration')) {
        problems.push(`jwtIssuerUrl "${options.jwtIssuerUrl}" must be an https URL without query or fragment, the issuer itself rather than its discovery document (for example "https://login.example.com/oauth2/default")`);
      }
    }
    if (options.jwtAudience === undefined || options.jwtAudience === '') {
      problems.push(`jwtAudience is required when authentication is "${mode}": the "aud" value your issuer puts in this service's tokens (for example "api://hedis-optimizer")`);
    } else if (!Token.isUnresolved(options.jwtAudience) && !SCOPE.test(options.jwtAudience)) {
      problems.push(`jwtAudience "${options.jwtAudience}" must be 1-128 printable characters without spaces or quotes (for example "api://hedis-optimizer")`);
    }
    for (const [name, value] of jwtOptions.slice(2)) {
      if (value !== undefined && !SCOPE.test(value)) {
        problems.push(`${name} "${value}" must be one scope or group name of 1-128 printable characters without spaces or quotes (for example "${name === 'jwtReadScope' ? 'api:read' : 'api:write'}")`);
      }
    }
    const read = options.jwtReadScope ?? 'api:read';
    if (options.jwtWriteScope !== undefined && options.jwtWriteScope === read) {
      problems.push(`jwtWriteScope "${options.jwtWriteScope}" is the same as jwtReadScope; use a separate scope so that read-only callers cannot write (for example "api:write")`);
    }
  }
  if (options.apiKeyMaxAgeDays !== undefined) {
    const days = options.apiKeyMaxAgeDays;
    if (!AuthenticationMode.usesApiKeys(mode)) {
      problems.push(`apiKeyMaxAgeDays is set but authentication is "${mode}", which uses no API keys; remove apiKeyMaxAgeDays or set authentication to "api-keys" or "jwt-and-api-keys"`);
    } else if (!Token.isUnresolved(days) && !(Number.isInteger(days) && days >= 15 && days <= 365)) {
      problems.push(`apiKeyMaxAgeDays ${days} must be a whole number of days from 15 to 365 (old and new key overlap for 14 days during a rotation; for example 90)`);
    }
  }
  return problems;
}

/** A problem when `environment` is not one of the two, for a stack's props. */
export function validateDeploymentEnvironment(environment: DeploymentEnvironment): string[] {
  if (Object.values(DeploymentEnvironment).includes(environment)) return [];
  return [`environment "${environment}" must be DeploymentEnvironment.STAGING or DeploymentEnvironment.PRODUCTION`];
}

/** A problem when a stack's `env.region` is missing or a token; `needs` says what needs it. */
export function validateStackRegion(region: string | undefined, needs: string): string[] {
  if (region !== undefined && !Token.isUnresolved(region)) return [];
  return [`env.region is required: ${needs} need a concrete region (for example env: { account: "123456789012", region: "us-east-1" })`];
}

/** Throws one error that lists every problem, or returns when there is none. */
export function assertValid(problems: string[], what: string): void {
  if (problems.length === 0) return;
  const list = problems.map((p) => `  - ${p}`).join('\n');
  throw new Error(`Invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`);
}

/** A valid service name close to the given one, or undefined when none can be made. */
export function suggestServiceName(name: string): string | undefined {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, SERVICE_NAME_MAX)
    .replace(/-+$/, '');
  return cleaned.length > 0 ? cleaned : undefined;
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

function describeSizes(sizes: number[]): string {
  if (sizes.length <= 3) return sizes.join(', ');
  return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

/**
 * `alarmSlackChannel`: the ids AWS Chatbot takes, not names: the workspace id is upper-case
 * letters and digits (CloudFormation's pattern), the channel id letters and digits.
 */
export function alarmSlackChannelProblems(channel: { workspaceId?: unknown; channelId?: unknown } | undefined): string[] {
  if (channel === undefined || Token.isUnresolved(channel)) return [];
  const problems: string[] = [];
  const field = (name: 'workspaceId' | 'channelId', pattern: RegExp, example: string, hint: string) => {
    const value = channel[name];
    if (typeof value === 'string' && Token.isUnresolved(value)) return;
    if (typeof value !== 'string' || value.length === 0) {
      problems.push(`alarmSlackChannel.${name} is required (for example "${example}"): ${hint}`);
    } else if (!pattern.test(value)) {
      problems.push(`alarmSlackChannel.${name} "${value}" is not a Slack ${name === 'workspaceId' ? 'workspace' : 'channel'} id (for example "${example}"): ${hint}`);
    }
  };
  field('workspaceId', /^[0-9A-Z]{1,255}$/, 'T0123ABCD', 'the AWS Chatbot console shows it once the workspace is authorized in the account');
  field('channelId', /^[A-Za-z0-9]{1,255}$/, 'C0123ABCD', 'the id at the bottom of the channel\'s details in Slack, not the channel\'s name');
  return problems;
}

/**
 * `alarmHttpsEndpoints`: absolute `https://` URLs, each once. SNS delivers to `http://`
 * endpoints in clear text, so those are refused.
 */
export function alarmHttpsEndpointProblems(endpoints: readonly string[] | undefined): string[] {
  if (endpoints === undefined || Token.isUnresolved(endpoints)) {
    return [];
  }
  const problems: string[] = [];
  endpoints.forEach((endpoint, i) => {
    const option = `alarmHttpsEndpoints[${i}]`;
    if (Token.isUnresolved(endpoint)) {
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || /\s/.test(endpoint)) {
      problems.push(`${option} "${endpoint}" is not a URL; pass the endpoint's full address, for example "https://events.example.com/integration/sns"`);
    } else if (url.protocol !== 'https:') {
      problems.push(`${option} "${endpoint}" uses ${url.protocol.replace(/:$/, '')}; alarms may only go to https:// endpoints (SNS sends anything else in clear text): use the endpoint's https address`);
    } else if (endpoints.indexOf(endpoint) !== i) {
      problems.push(`${option} "${endpoint}" is listed twice; list each endpoint once`);
    }
  });
  return problems;
}
