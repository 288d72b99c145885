import { newApp, snippetProps } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps } from '../../src';

const { STAGING, PRODUCTION } = DeploymentEnvironment;

/** The one problem the props have, read from the thrown error; fails when there is not exactly one. */
function onlyProblem(overrides: Partial<HardenedServiceStackProps>, environment = STAGING): string {
  const app = newApp({});
  const props = { ...snippetProps(environment), ...overrides } as HardenedServiceStackProps;
  let message = '';
  try {
    new HardenedServiceStack(app, 'svc', props);
  } catch (e) {
    message = (e as Error).message;
  }
  const lines = message.split('\n');
  expect(lines[0]).toEqual('Invalid HardenedServiceStack "svc" props (1 problem):');
  expect(lines).toHaveLength(2);
  // Nothing was created: validation runs before the stack exists.
  expect(app.node.children).toHaveLength(0);
  return lines[1].replace(/^ {2}- /, '');
}

const cases: [string, Partial<HardenedServiceStackProps>, DeploymentEnvironment, string][] = [
  ['serviceName with uppercase and underscore', { serviceName: 'HEDIS_Optimizer' }, STAGING,
    'serviceName "HEDIS_Optimizer" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "hedis-optimizer")'],
  ['serviceName too long for load balancer names', { serviceName: 'hedis-star-rating-optimizer' }, STAGING,
    'serviceName "hedis-star-rating-optimizer" is 27 characters; it must be at most 20 so that load balancer and target group names stay within AWS\'s 32 (try "hedis-star-rating-op")'],
  ['serviceName starting with a digit', { serviceName: '1hedis' }, STAGING,
    'serviceName "1hedis" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "hedis")'],
  ['serviceName ending with a hyphen', { serviceName: 'hedis-' }, STAGING,
    'serviceName "hedis-" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "hedis")'],
  ['serviceName with a double hyphen', { serviceName: 'hedis--optimizer' }, STAGING,
    'serviceName "hedis--optimizer" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "hedis-optimizer")'],
  ['empty serviceName', { serviceName: '' }, STAGING, 'serviceName is required (for example "hedis-optimizer")'],
  ['privileged containerPort', { containerPort: 80 }, STAGING,
    'containerPort 80 must be an integer from 1024 to 65535 (non-root containers cannot bind lower ports; try 8000)'],
  ['containerPort above 65535', { containerPort: 70000 }, STAGING,
    'containerPort 70000 must be an integer from 1024 to 65535 (non-root containers cannot bind lower ports; try 8000)'],
  ['fractional containerPort', { containerPort: 8000.5 }, STAGING,
    'containerPort 8000.5 must be an integer from 1024 to 65535 (non-root containers cannot bind lower ports; try 8000)'],
  ['relative healthCheckPath', { healthCheckPath: 'health' }, STAGING,
    'healthCheckPath "health" must be an absolute URL path such as "/health" (a leading "/", no query string or spaces)'],
  ['healthCheckPath with a query', { healthCheckPath: '/health?full=1' }, STAGING,
    'healthCheckPath "/health?full=1" must be an absolute URL path such as "/health" (a leading "/", no query string or spaces)'],
  ['cpu that Fargate has no size for', { cpu: 300 }, STAGING,
    'cpu 300 is not a Fargate CPU size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384'],
  ['memory too large for 256 cpu', { cpu: 256, memoryLimitMiB: 4096 }, STAGING,
    'memoryLimitMiB 4096 is not valid with cpu 256; Fargate accepts 512, 1024, 2048 MiB for that cpu'],
  ['memory not a step of 1024 for 512 cpu', { memoryLimitMiB: 1000 }, STAGING,
    'memoryLimitMiB 1000 is not valid with cpu 512; Fargate accepts 1024 to 4096 in steps of 1024 MiB for that cpu'],
  ['memory too small for 4096 cpu', { cpu: 4096, memoryLimitMiB: 4096 }, STAGING,
    'memoryLimitMiB 4096 is not valid with cpu 4096; Fargate accepts 8192 to 30720 in steps of 1024 MiB for that cpu'],
  ['minCapacity of zero', { minCapacity: 0 }, STAGING,
    'minCapacity 0 must be a whole number of at least 1 (scaling to zero is scaleToZeroOutsideWorkingHours)'],
  ['minCapacity above maxCapacity', { minCapacity: 5, maxCapacity: 3 }, STAGING,
    'minCapacity 5 is greater than maxCapacity 3; raise maxCapacity to at least 5 or lower minCapacity'],
  ['production with a single task', { minCapacity: 1 }, PRODUCTION,
    'minCapacity 1 leaves production in one Availability Zone; use at least 2'],
  ['maxCapacity above 100', { maxCapacity: 500 }, STAGING, 'maxCapacity 500 must be a whole number from 1 to 100'],
  ['latency threshold of zero', { latencyP95Ms: 0 }, STAGING,
    'latencyP95Ms 0 must be a number of milliseconds from 1 to 60000 (for example 100)'],
  ['fractional request target', { targetRequestsPerTask: 99.5 }, STAGING,
    'targetRequestsPerTask 99.5 must be a whole number of requests per task per minute, at least 1 (for example 6000)'],
  ['request target of zero', { targetRequestsPerTask: 0 }, PRODUCTION,
    'targetRequestsPerTask 0 must be a whole number of requests per task per minute, at least 1 (for example 6000)'],
  ['negative budget', { monthlyBudgetUsd: -5 }, STAGING,
    'monthlyBudgetUsd -5 must be a positive number of US dollars (for example 300)'],
  ['alarmEmail without a domain', { alarmEmail: 'oncall' }, STAGING,
    'alarmEmail "oncall" is not an email address (for example "oncall@example.com")'],
  ['an http alarm endpoint', { alarmHttpsEndpoints: ['http://events.example.com/sns'] }, STAGING,
    'alarmHttpsEndpoints[0] "http://events.example.com/sns" uses http; alarms may only go to https:// endpoints (SNS sends anything else in clear text): use the endpoint\'s https address'],
  ['an alarm endpoint that is not a URL', { alarmHttpsEndpoints: ['https://ok.example.com/a', 'events.example.com/sns'] }, PRODUCTION,
    'alarmHttpsEndpoints[1] "events.example.com/sns" is not a URL; pass the endpoint\'s full address, for example "https://events.example.com/integration/sns"'],
  ['an alarm endpoint listed twice', { alarmHttpsEndpoints: ['https://ok.example.com/a', 'https://ok.example.com/a'] }, STAGING,
    'alarmHttpsEndpoints[1] "https://ok.example.com/a" is listed twice; list each endpoint once'],
  ['a Slack channel name instead of its id', { alarmSlackChannel: { workspaceId: 'T0123ABCD', channelId: '#oncall' } }, PRODUCTION,
    'alarmSlackChannel.channelId "#oncall" is not a Slack channel id (for example "C0123ABCD"): the id at the bottom of the channel\'s details in Slack, not the channel\'s name'],
  ['a lower-case Slack workspace id', { alarmSlackChannel: { workspaceId: 'acme', channelId: 'C0123ABCD' } }, STAGING,
    'alarmSlackChannel.workspaceId "acme" is not a Slack workspace id (for example "T0123ABCD"): the AWS Chatbot console shows it once the workspace is authorized in the account'],
  ['a Slack channel without a workspace', { alarmSlackChannel: { channelId: 'C0123ABCD' } as any }, STAGING,
    'alarmSlackChannel.workspaceId is required (for example "T0123ABCD"): the AWS Chatbot console shows it once the workspace is authorized in the account'],
  ['githubRepository as a URL', { githubRepository: 'https://github.com/example-org/hedis-optimizer.git' }, STAGING,
    'githubRepository "https://github.com/example-org/hedis-optimizer.git" must be "owner/repo" (for example "example-org/hedis-optimizer"), without a URL or ".git"'],
  ['githubRepository without an owner', { githubRepository: 'hedis-optimizer' }, STAGING,
    'githubRepository "hedis-optimizer" must be "owner/repo" (for example "example-org/hedis-optimizer"), without a URL or ".git"'],
  ['malformed certificateArn', { certificateArn: 'arn:aws:acm:us-east-1:123:certificate/abc' }, STAGING,
    'certificateArn "arn:aws:acm:us-east-1:123:certificate/abc" must be an ACM certificate ARN such as "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab"'],
  ['production without certificate or domain', { certificateArn: undefined }, PRODUCTION,
    'certificateArn is required for the production HTTPS listener: pass an ACM certificate ARN, or domainName with hostedZoneId and hostedZoneName'],
  ['domainName without a hosted zone', { certificateArn: undefined, domainName: 'api.example.com' }, STAGING,
    'domainName "api.example.com" needs hostedZoneId and hostedZoneName to issue its certificate, or a certificateArn'],
  ['malformed domainName', { domainName: 'API_example' }, STAGING,
    'domainName "API_example" must be a lowercase DNS name such as "api.example.com"'],
  ['malformed hostedZoneId', { domainName: 'api.example.com', hostedZoneId: 'zone-1', hostedZoneName: 'example.com' }, STAGING,
    'hostedZoneId "zone-1" must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"'],
  ['malformed githubOidcProviderArn', { githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' }, STAGING,
    'githubOidcProviderArn "arn:aws:iam::123456789012:oidc-provider/example.com" must be an IAM OIDC provider ARN such as "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"'],
  ['allowedOrigins entry with a path', { allowedOrigins: ['https://app.example.com/'] }, STAGING,
    'allowedOrigins entry "https://app.example.com/" must be an origin such as "https://app.example.com" (scheme and host, no path or trailing slash)'],
  ['scale to zero in production', { scaleToZeroOutsideWorkingHours: true }, PRODUCTION,
    'scaleToZeroOutsideWorkingHours is for staging only; set it to false for production'],
  ['no region', { env: { account: '123456789012' } }, STAGING,
    'env.region is required: load balancer access logs and the VPC\'s Availability Zones need a concrete region (for example env: { account: "123456789012", region: "us-east-1" })'],
  ['authentication mode that does not exist', { authentication: 'basic' }, STAGING,
    'authentication "basic" is not a known mode; use one of "api-keys", "jwt", "jwt-and-api-keys", "none"'],
  ['jwt without an issuer', { authentication: 'jwt', jwtAudience: 'api://hedis-optimizer' }, STAGING,
    'jwtIssuerUrl is required when authentication is "jwt": the https URL of your OIDC issuer, exactly as its tokens\' "iss" claim (for example "https://login.example.com/oauth2/default")'],
  ['jwt without an audience', { authentication: 'jwt-and-api-keys', jwtIssuerUrl: 'https://login.example.com/oauth2/default' }, STAGING,
    'jwtAudience is required when authentication is "jwt-and-api-keys": the "aud" value your issuer puts in this service\'s tokens (for example "api://hedis-optimizer")'],
  ['plain-http issuer', { authentication: 'jwt', jwtIssuerUrl: 'http://login.example.com', jwtAudience: 'api://hedis-optimizer' }, STAGING,
    'jwtIssuerUrl "http://login.example.com" must be an https URL without query or fragment, the issuer itself rather than its discovery document (for example "https://login.example.com/oauth2/default")'],
  ['issuer given as its discovery document', { authentication: 'jwt', jwtIssuerUrl: 'https://login.example.com/.well-known/openid-configuration', jwtAudience: 'api://x' }, STAGING,
    'jwtIssuerUrl "https://login.example.com/.well-known/openid-configuration" must be an https URL without query or fragment, the issuer itself rather than its discovery document (for example "https://login.example.com/oauth2/default")'],
  ['issuer for the api-keys mode', { jwtIssuerUrl: 'https://login.example.com' }, STAGING,
    'jwtIssuerUrl is set but authentication is "api-keys", which ignores it; set authentication to "jwt" or "jwt-and-api-keys", or remove jwtIssuerUrl'],
  ['read scope with a space', { authentication: 'jwt', jwtIssuerUrl: 'https://login.example.com', jwtAudience: 'api://x', jwtReadScope: 'api read' }, STAGING,
    'jwtReadScope "api read" must be one scope or group name of 1-128 printable characters without spaces or quotes (for example "api:read")'],
  ['write scope equal to the read scope', { authentication: 'jwt', jwtIssuerUrl: 'https://login.example.com', jwtAudience: 'api://x', jwtWriteScope: 'api:read' }, STAGING,
    'jwtWriteScope "api:read" is the same as jwtReadScope; use a separate scope so that read-only callers cannot write (for example "api:write")'],
  ['API key life of a week', { apiKeyMaxAgeDays: 7 }, STAGING,
    'apiKeyMaxAgeDays 7 must be a whole number of days from 15 to 365 (old and new key overlap for 14 days during a rotation; for example 90)'],
  ['API key life without API keys', { authentication: 'none', apiKeyMaxAgeDays: 90 }, STAGING,
    'apiKeyMaxAgeDays is set but authentication is "none", which uses no API keys; remove apiKeyMaxAgeDays or set authentication to "api-keys" or "jwt-and-api-keys"'],
];

describe('HardenedServiceStack props validation', () => {
  test.each(cases)('fails when given a %s', (_name, overrides, environment, expected) => {
    expect(onlyProblem(overrides, environment)).toEqual(expected);
  });

  test('fails when several props are wrong, listing every problem in one error', () => {
    const app = newApp({});
    const props = {
      ...snippetProps(PRODUCTION),
      serviceName: 'Bad Name',
      containerPort: 22,
      alarmEmail: 'nobody',
      certificateArn: undefined,
    };
    expect(() => new HardenedServiceStack(app, 'svc', props)).toThrow(
      [
        'Invalid HardenedServiceStack "svc" props (4 problems):',
        '  - serviceName "Bad Name" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "bad-name")',
        '  - containerPort 22 must be an integer from 1024 to 65535 (non-root containers cannot bind lower ports; try 8000)',
        '  - alarmEmail "nobody" is not an email address (for example "oncall@example.com")',
        '  - certificateArn is required for the production HTTPS listener: pass an ACM certificate ARN, or domainName with hostedZoneId and hostedZoneName',
      ].join('\n'),
    );
    expect(app.node.children).toHaveLength(0);
  });

  test('accepts a domain with its hosted zone instead of a certificate ARN', () => {
    const app = newApp({});
    const stack = new HardenedServiceStack(app, 'svc', {
      ...snippetProps(PRODUCTION),
      certificateArn: undefined,
      domainName: 'api.example.com',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
    });
    expect(stack.certificate).toBeDefined();
  });
});
