import { CommandName, commandHelp, COMMANDS, CommandSpec, ENV, GLOBAL_FLAGS, globalHelp, SPECS } from './command-specs';
import { UsageError } from './errors';
import { readFirstDeployFlags } from './first-deploy-args';
import { hoistGlobalFlags, kitVersion } from './global-flags';
import { ImageRef, parseImage, splitCommandLine } from './image';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry';
import { closest } from './suggest';

export { commandHelp, COMMANDS, ENV, globalHelp } from './command-specs';
export type { CommandName } from './command-specs';

/** Options every command has. */
export interface CommonArgs {
  readonly cluster: string;
  readonly service: string;
  readonly container?: string;
  readonly json: boolean;
  readonly timeoutSeconds: number;
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
  /** `--region`: the region of every AWS client; undefined leaves it to the SDK's settings. */
  readonly region?: string;
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

export interface RevisionsArgs extends CommonArgs {
  readonly command: 'revisions';
  readonly limit: number;
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
  readonly region?: string;
}

export interface DiffArgs {
  readonly command: 'diff';
  readonly base: string;
  readonly head: string;
  /** The acknowledgements file given with the flag (undefined: the default, if present). */
  readonly acknowledgements?: string;
  readonly json: boolean;
  readonly markdown: boolean;
}

export interface FirstDeployArgs extends CommonArgs {
  readonly command: 'first-deploy';
  readonly stackName: string;
  readonly repository: string;
  readonly imageTagParameter: string;
  readonly tag: string;
  readonly deployCommand: string[];
  readonly pushCommand: string[];
  readonly migrateCommand?: string[];
  readonly dryRun: boolean;
}

export interface HelpArgs {
  readonly command: 'help';
  readonly text: string;
}

/** `--version`: `text` is what to print. */
export interface VersionArgs {
  readonly command: 'version';
  readonly text: string;
}

export type ParsedArgs =
  | DeployArgs | MigrateArgs | RollbackArgs | RevisionsArgs | StatusArgs | DoctorArgs | RecoveryPlanArgs | DiffArgs | FirstDeployArgs
  | HelpArgs | VersionArgs;

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:[a-z-]+\/\S+$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:]+\]?)$/;
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/;
const REVISION = /^(?:[1-9][0-9]*|[A-Za-z0-9_-]{1,255}:[1-9][0-9]*|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9][0-9]*)$/;

/**
 * Parses the command line. Every problem is collected and thrown once, as one line.
 * `-h`/`--help` anywhere wins over any problem.
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedArgs {
  if (argv.includes('--version') && !argv.includes('-h') && !argv.includes('--help')) {
    return { command: 'version', text: `hardened-service ${kitVersion()}\n` };
  }
  const [command, ...rest] = hoistGlobalFlags(argv);
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
  const region = str('region');
  if (region !== undefined && !REGION.test(region)) {
    problems.push(`--region "${region}" is not an AWS region; pass a region name such as us-east-1 or eu-west-2`);
  }
  const firstDeploy = name === 'first-deploy' ? readFirstDeployFlags(problems, str) : undefined;
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
    region,
  };
  const healthChecks = count('health-checks', 3);
  const healthFailures = count('health-failures', 3);
  const rollbackTimeoutSeconds = seconds('rollback-timeout', 900);
  const limit = count('limit', 10);

  if (values.get('json') === true && values.get('markdown') === true) {
    problems.push('--json and --markdown are both given; pick one output');
  }

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
    case 'revisions':
      return { ...common, command: name, limit };
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
        region,
      };
    case 'diff':
      return { command: name, base: str('base')!, head: str('head')!, acknowledgements: str('acknowledgements'), json: common.json, markdown: values.get('markdown') === true };
    case 'first-deploy':
      return { ...common, command: name, ...firstDeploy!, imageTagParameter: parameter!, migrateCommand: commandArgs, dryRun: values.get('dry-run') === true };
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
    const flags = [...spec.flags, ...GLOBAL_FLAGS];
    const flag = flags.find((f) => f.name === flagName);
    if (!flag) {
      const guess = closest(flagName, flags.map((f) => f.name));
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
