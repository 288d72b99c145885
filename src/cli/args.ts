import { UsageError } from './errors';
import { ImageRef, parseImage, splitCommandLine } from './image';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry';
import { END_OF_LIFE_WARNING_DAYS, RUNTIMES_FILE } from '../core/runtime-currency';

/** The commands, in the order help lists them. */
export const COMMANDS = ['deploy', 'migrate', 'rollback', 'status', 'doctor', 'recovery-plan'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Environment variables the CLI reads besides the standard AWS ones. */
export const ENV = {
  pollInterval: 'HARDENED_SERVICE_POLL_INTERVAL',
  maxAttempts: 'HARDENED_SERVICE_MAX_ATTEMPTS',
  retryBaseDelay: 'HARDENED_SERVICE_RETRY_BASE_DELAY',
} as const;

type FlagKind = 'string' | 'seconds' | 'count' | 'boolean';

interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly description: string;
}

const CLUSTER: FlagSpec = { name: 'cluster', kind: 'string', placeholder: 'NAME', required: true, description: 'ECS cluster name or ARN (the stack names it <service>-<environment>)' };
const SERVICE: FlagSpec = { name: 'service', kind: 'string', placeholder: 'NAME', required: true, description: 'ECS service name or ARN (the stack names it <service>)' };
const CONTAINER: FlagSpec = { name: 'container', kind: 'string', placeholder: 'NAME', description: 'container to change (default: the only container, else "app")' };
const IMAGE: FlagSpec = { name: 'image', kind: 'string', placeholder: 'IMAGE', required: true, description: 'image to run, with an immutable tag or a digest: REPOSITORY:TAG or REPOSITORY@sha256:...' };
const PARAMETER: FlagSpec = { name: 'image-tag-parameter', kind: 'string', placeholder: 'NAME', description: 'SSM String parameter the stack reads its image tag from (/<service>/<environment>/image-tag)' };
const JSON_FLAG: FlagSpec = { name: 'json', kind: 'boolean', description: 'one JSON document on stdout; progress as JSON lines on stderr' };
const POLL: FlagSpec = { name: 'poll-interval', kind: 'seconds', placeholder: 'SECONDS', description: `seconds between polls of ECS and of the health URL (default 5, or $${ENV.pollInterval})` };
const timeout = (seconds: number): FlagSpec => ({ name: 'timeout', kind: 'seconds', placeholder: 'SECONDS', description: `hard limit for the whole command (default ${seconds})` });

interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  readonly defaultTimeoutSeconds: number;
}

/** What each command accepts. Help text and parsing both come from here. */
const SPECS: Record<CommandName, CommandSpec> = {
  'deploy': {
    summary: 'migrate (optional), roll out a new image, verify it, and roll back on failure',
    usage: 'hardened-service deploy --cluster C --service S --image IMAGE [--container NAME] [--migrate-command "CMD"] [--health-url URL [--connect-to HOST]] [--image-tag-parameter NAME] [--timeout SECONDS]',
    defaultTimeoutSeconds: 1800,
    flags: [
      CLUSTER, SERVICE, IMAGE, CONTAINER,
      { name: 'migrate-command', kind: 'string', placeholder: '"CMD"', description: 'run this one-off task with the new image first; the deploy stops if it exits non-zero' },
      { name: 'health-url', kind: 'string', placeholder: 'URL', description: 'after the rollout, require consecutive 2xx responses from this URL' },
      { name: 'connect-to', kind: 'string', placeholder: 'HOST', description: "send the health URL's requests to HOST (the load balancer's DNS name) while naming the URL's host in TLS and Host, and verifying the certificate against that name" },
      { name: 'health-checks', kind: 'count', placeholder: 'N', description: 'consecutive successes the health URL must give (default 3)' },
      { name: 'health-failures', kind: 'count', placeholder: 'N', description: 'consecutive failures of the health URL that fail the deploy (default 3)' },
      PARAMETER,
      timeout(1800),
      { name: 'rollback-timeout', kind: 'seconds', placeholder: 'SECONDS', description: 'time allowed for a rollback, on top of --timeout (default 900)' },
      POLL, JSON_FLAG,
    ],
  },
  'migrate': {
    summary: 'run a one-off task (a database migration) with an image and wait for exit code 0',
    usage: 'hardened-service migrate --cluster C --service S --image IMAGE --command "CMD" [--container NAME] [--timeout SECONDS]',
    defaultTimeoutSeconds: 1800,
    flags: [
      CLUSTER, SERVICE, IMAGE,
      { name: 'command', kind: 'string', placeholder: '"CMD"', required: true, description: 'command to run, split like a shell would (no shell runs it)' },
      CONTAINER, timeout(1800), POLL, JSON_FLAG,
    ],
  },
  'rollback': {
    summary: 'put the service back on an earlier task definition revision and wait until it is stable',
    usage: 'hardened-service rollback --cluster C --service S [--to REVISION] [--image-tag-parameter NAME] [--timeout SECONDS]',
    defaultTimeoutSeconds: 900,
    flags: [
      CLUSTER, SERVICE,
      { name: 'to', kind: 'string', placeholder: 'REVISION', description: 'revision number, FAMILY:REVISION or ARN (default: the newest ACTIVE revision older than the current one)' },
      CONTAINER, PARAMETER, timeout(900), POLL, JSON_FLAG,
    ],
  },
  'status': {
    summary: 'show the service, its deployments and, with --image-tag-parameter, whether the stack agrees',
    usage: 'hardened-service status --cluster C --service S [--image-tag-parameter NAME] [--json]',
    defaultTimeoutSeconds: 60,
    flags: [CLUSTER, SERVICE, CONTAINER, PARAMETER, timeout(60), JSON_FLAG],
  },
  'doctor': {
    summary: `report runtimes, base images and engines of a generated repo that are past or within ${END_OF_LIFE_WARNING_DAYS} days of their end of life`,
    usage: 'hardened-service doctor [--dir DIR] [--json]',
    defaultTimeoutSeconds: 60,
    flags: [
      { name: 'dir', kind: 'string', placeholder: 'DIR', description: `the generated repo (default: the current folder); reads its ${RUNTIMES_FILE}` },
      JSON_FLAG,
    ],
  },
  'recovery-plan': {
    summary: 'after a stack was deleted, map the resources it retained into the new template for `cdk import --resource-mapping`',
    usage: 'hardened-service recovery-plan --stack-name NAME --template FILE [--out FILE] [--json]',
    defaultTimeoutSeconds: 120,
    flags: [
      { name: 'stack-name', kind: 'string', placeholder: 'NAME', required: true, description: 'the deleted stack (CloudFormation lists a deleted stack\'s resources for 90 days)' },
      { name: 'template', kind: 'string', placeholder: 'FILE', required: true, description: 'the synthesized template to deploy again (cdk.out/<stack>.template.json)' },
      { name: 'out', kind: 'string', placeholder: 'FILE', description: 'write the resource mapping here (default: print it)' },
      timeout(120), JSON_FLAG,
    ],
  },
};

/** Options every command has. */
export interface CommonArgs {
  readonly cluster: string;
  readonly service: string;
  readonly container?: string;
  readonly json: boolean;
  readonly timeoutSeconds: number;
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
}

export interface DeployArgs extends CommonArgs {
  readonly command: 'deploy';
  readonly image: ImageRef;
  readonly migrateCommand?: string[];
  readonly healthUrl?: string;
  /** Host the health requests connect to, instead of the URL's host (same name checks). */
  readonly connectTo?: string;
  readonly healthChecks: number;
  readonly healthFailures: number;
  readonly imageTagParameter?: string;
  readonly rollbackTimeoutSeconds: number;
}

export interface MigrateArgs extends CommonArgs {
  readonly command: 'migrate';
  readonly image: ImageRef;
  readonly migrateCommand: string[];
}

export interface RollbackArgs extends CommonArgs {
  readonly command: 'rollback';
  readonly to?: string;
  readonly imageTagParameter?: string;
}

export interface StatusArgs extends CommonArgs {
  readonly command: 'status';
  readonly imageTagParameter?: string;
}

export interface DoctorArgs {
  readonly command: 'doctor';
  readonly dir: string;
  readonly json: boolean;
}

export interface RecoveryPlanArgs {
  readonly command: 'recovery-plan';
  readonly stackName: string;
  readonly template: string;
  readonly out?: string;
  readonly json: boolean;
  readonly timeoutSeconds: number;
  readonly retry: RetryPolicy;
}

export interface HelpArgs {
  readonly command: 'help';
  readonly text: string;
}

export type ParsedArgs = DeployArgs | MigrateArgs | RollbackArgs | StatusArgs | DoctorArgs | RecoveryPlanArgs | HelpArgs;

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:[a-z-]+\/\S+$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:]+\]?)$/;
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const REVISION = /^(?:[1-9][0-9]*|[A-Za-z0-9_-]{1,255}:[1-9][0-9]*|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9][0-9]*)$/;

/**
 * Parses the command line. Every problem is collected and thrown once, as one line.
 * `-h`/`--help` anywhere wins over any problem.
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    if (command === undefined) {
      throw new UsageError(`missing command; expected one of ${COMMANDS.join(', ')} (see hardened-service -h)`);
    }
    return { command: 'help', text: globalHelp() };
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command "${command}"; expected one of ${COMMANDS.join(', ')} (see hardened-service -h)`);
  }
  const name = command as CommandName;
  const spec = SPECS[name];
  const { values, problems, help } = readFlags(name, spec, rest);
  if (help) {
    return { command: 'help', text: commandHelp(name) };
  }

  for (const flag of spec.flags) {
    if (flag.required && values.get(flag.name) === undefined && !problems.some((p) => p.startsWith(`--${flag.name} `))) {
      problems.push(`--${flag.name} is required`);
    }
  }

  const str = (flag: string) => values.get(flag) as string | undefined;
  const seconds = (flag: string, fallback: number, envName?: string) =>
    readNumber(problems, `--${flag}`, str(flag), envName, envName ? env[envName] : undefined, fallback, 'seconds');
  const count = (flag: string, fallback: number) => readNumber(problems, `--${flag}`, str(flag), undefined, undefined, fallback, 'count');

  const cluster = str('cluster');
  if (cluster !== undefined && !NAME.test(cluster) && !ARN.test(cluster)) {
    problems.push(`--cluster "${cluster}" is not a cluster name or ARN; a name is 1-255 letters, digits, hyphens or underscores`);
  }
  const service = str('service');
  if (service !== undefined && !NAME.test(service) && !ARN.test(service)) {
    problems.push(`--service "${service}" is not a service name or ARN; a name is 1-255 letters, digits, hyphens or underscores`);
  }
  const container = str('container');
  if (container !== undefined && !NAME.test(container)) {
    problems.push(`--container "${container}" is not a container name; a name is 1-255 letters, digits, hyphens or underscores`);
  }
  const parameter = str('image-tag-parameter');
  if (parameter !== undefined && !PARAMETER_NAME.test(parameter)) {
    problems.push(`--image-tag-parameter "${parameter}" is not an SSM parameter name; expected a path such as /my-service/production/image-tag`);
  }
  let image: ImageRef | undefined;
  if (str('image') !== undefined) {
    const parsed = parseImage(str('image')!);
    if (typeof parsed === 'string') {
      problems.push(parsed);
    } else {
      image = parsed;
    }
  }
  const commandFlag = name === 'migrate' ? 'command' : 'migrate-command';
  let commandArgs: string[] | undefined;
  if (str(commandFlag) !== undefined) {
    const parsed = splitCommandLine(str(commandFlag)!, `--${commandFlag}`);
    if (typeof parsed === 'string') {
      problems.push(parsed);
    } else {
      commandArgs = parsed;
    }
  }
  const healthUrl = str('health-url');
  if (healthUrl !== undefined) {
    const problem = checkUrl(healthUrl);
    if (problem) {
      problems.push(problem);
    }
  }
  const connectTo = str('connect-to');
  if (connectTo !== undefined) {
    if (!HOST.test(connectTo)) {
      problems.push(`--connect-to "${connectTo}" is not a host; pass a DNS name or an IP address such as my-alb-123.us-east-1.elb.amazonaws.com (no scheme, port or path)`);
    }
    if (healthUrl === undefined) {
      problems.push('--connect-to needs --health-url: it says where the health URL\'s requests go; pass both, or neither');
    }
  }
  const to = str('to');
  if (to !== undefined && !REVISION.test(to)) {
    problems.push(`--to "${to}" is not a revision; pass a revision number (7), FAMILY:REVISION (my-service:7) or a task definition ARN`);
  }

  const common: CommonArgs = {
    cluster: cluster ?? '',
    service: service ?? '',
    container,
    json: values.get('json') === true,
    timeoutSeconds: seconds('timeout', spec.defaultTimeoutSeconds),
    pollIntervalMs: seconds('poll-interval', 5, ENV.pollInterval) * 1000,
    retry: readRetryPolicy(problems, env),
  };
  const healthChecks = count('health-checks', 3);
  const healthFailures = count('health-failures', 3);
  const rollbackTimeoutSeconds = seconds('rollback-timeout', 900);

  if (problems.length > 0) {
    throw new UsageError(problems.join('; '));
  }
  switch (name) {
    case 'deploy':
      return {
        ...common,
        command: name,
        image: image!,
        migrateCommand: commandArgs,
        healthUrl,
        connectTo,
        healthChecks,
        healthFailures,
        imageTagParameter: parameter,
        rollbackTimeoutSeconds,
      };
    case 'migrate':
      return { ...common, command: name, image: image!, migrateCommand: commandArgs! };
    case 'rollback':
      return { ...common, command: name, to, imageTagParameter: parameter };
    case 'status':
      return { ...common, command: name, imageTagParameter: parameter };
    case 'doctor':
      return { command: name, dir: str('dir') ?? '.', json: common.json };
    case 'recovery-plan':
      return {
        command: name,
        stackName: str('stack-name')!,
        template: str('template')!,
        out: str('out'),
        json: common.json,
        timeoutSeconds: common.timeoutSeconds,
        retry: common.retry,
      };
  }
}

function readFlags(command: CommandName, spec: CommandSpec, args: readonly string[]) {
  const values = new Map<string, string | boolean>();
  const problems: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === '-h' || token === '--help') {
      help = true;
      continue;
    }
    if (!token.startsWith('--')) {
      problems.push(`unexpected argument "${token}"; every value follows a flag (see hardened-service ${command} -h)`);
      continue;
    }
    const eq = token.indexOf('=');
    const flagName = token.slice(2, eq >= 0 ? eq : undefined);
    const flag = spec.flags.find((f) => f.name === flagName);
    if (!flag) {
      const guess = closest(flagName, spec.flags.map((f) => f.name));
      problems.push(`unknown flag --${flagName} for ${command}${guess ? ` (did you mean --${guess}?)` : ''} (see hardened-service ${command} -h)`);
      if (eq < 0 && i + 1 < args.length && !args[i + 1].startsWith('-')) {
        i++;
      }
      continue;
    }
    if (values.has(flag.name)) {
      problems.push(`--${flag.name} is given more than once; give it once`);
    }
    if (flag.kind === 'boolean') {
      if (eq >= 0) {
        problems.push(`--${flag.name} takes no value; remove "=${token.slice(eq + 1)}"`);
      }
      values.set(flag.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = token.slice(eq + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      value = args[++i];
    }
    if (value === undefined) {
      problems.push(`--${flag.name} needs a value: --${flag.name} ${flag.placeholder}`);
      continue;
    }
    values.set(flag.name, value);
  }
  return { values, problems, help };
}

function readNumber(
  problems: string[],
  flag: string,
  raw: string | undefined,
  envName: string | undefined,
  envValue: string | undefined,
  fallback: number,
  kind: 'seconds' | 'count',
): number {
  const source = raw !== undefined ? flag : envName !== undefined && envValue !== undefined && envValue !== '' ? `$${envName}` : undefined;
  const text = raw ?? (source ? envValue : undefined);
  if (text === undefined || source === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (kind === 'seconds' && (!/^[0-9]*\.?[0-9]+$/.test(text.trim()) || !(value > 0))) {
    problems.push(`${source} "${text}" is not a number of seconds; pass a positive number such as 30 or 0.5`);
    return fallback;
  }
  if (kind === 'count' && (!/^[0-9]+$/.test(text.trim()) || value < 1 || value > 100)) {
    problems.push(`${source} "${text}" is not a count; pass a whole number from 1 to 100`);
    return fallback;
  }
  return value;
}

function readRetryPolicy(problems: string[], env: Record<string, string | undefined>): RetryPolicy {
  const attempts = readNumber(problems, '', undefined, ENV.maxAttempts, env[ENV.maxAttempts], DEFAULT_RETRY_POLICY.maxAttempts, 'count');
  const base = readNumber(problems, '', undefined, ENV.retryBaseDelay, env[ENV.retryBaseDelay], DEFAULT_RETRY_POLICY.baseDelayMs / 1000, 'seconds');
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: attempts, baseDelayMs: base * 1000 };
}

function checkUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `--health-url "${raw}" is not a URL; pass an absolute URL such as https://api.example.com/health`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `--health-url "${raw}" uses ${url.protocol.replace(/:$/, '')}; pass an http or https URL`;
  }
  return undefined;
}

/** The candidate within edit distance 2 of `name`, if any. */
function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/** `hardened-service -h`. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.length));
  return [
    'hardened-service: deploy, migrate, verify and roll back an ECS service made by hardened-service-kit',
    '',
    'Usage: hardened-service <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.padEnd(width)}  ${SPECS[c].summary}`),
    '',
    'Run "hardened-service <command> -h" for its flags.',
    '',
    EXIT_CODES_HELP,
    '',
    ENVIRONMENT_HELP,
    '',
  ].join('\n');
}

/** `hardened-service <command> -h`. */
export function commandHelp(command: CommandName): string {
  const spec = SPECS[command];
  const labels = spec.flags.map((f) => `--${f.name}${f.placeholder ? ` ${f.placeholder}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length), '-h, --help'.length);
  return [
    `hardened-service ${command}: ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Flags:',
    ...spec.flags.map((f, i) => `  ${labels[i].padEnd(width)}  ${f.required ? '(required) ' : ''}${f.description}`),
    `  ${'-h, --help'.padEnd(width)}  show this help`,
    '',
    EXIT_CODES_HELP,
    '',
    ENVIRONMENT_HELP,
    '',
  ].join('\n');
}

const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  done',
  '  1  failed, nothing half-done (migration failed; rollout or verification failed and was rolled back);',
  `     doctor: a runtime, base image or engine is past or within ${END_OF_LIFE_WARNING_DAYS} days of its end of life`,
  `  2  bad input (flags, unknown cluster or service, image without a tag); doctor: no ${RUNTIMES_FILE}`,
  '  3  timed out (what was started was undone)',
  '  4  the rollback itself failed: the service needs attention',
].join('\n');

const ENVIRONMENT_HELP = [
  'Environment:',
  '  AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL and the other standard AWS SDK settings',
  `  ${ENV.pollInterval.padEnd(34)}  default for --poll-interval`,
  `  ${ENV.maxAttempts.padEnd(34)}  attempts per AWS call on throttling or transient errors (default ${DEFAULT_RETRY_POLICY.maxAttempts})`,
  `  ${ENV.retryBaseDelay.padEnd(34)}  first retry backoff in seconds, doubling (default ${DEFAULT_RETRY_POLICY.baseDelayMs / 1000})`,
].join('\n');
