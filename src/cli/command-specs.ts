import { ExitCode } from './errors';
import { DEFAULT_RETRY_POLICY } from './retry';
import { FIRST_DEPLOY_CONTEXT } from '../core/first-deploy';
import { END_OF_LIFE_WARNING_DAYS, RUNTIMES_FILE } from '../core/runtime-currency';
import { REPLACEMENTS_ACK_FILE } from '../core/stateful-resources';

/**
 * What each command of the deploy tool accepts: the commands, their flags and the help text.
 * `parseArgs` (args.ts) reads the same specs, so help and parsing cannot disagree.
 */

/** The commands, in the order help lists them. */
export const COMMANDS = ['deploy', 'migrate', 'rollback', 'revisions', 'status', 'doctor', 'recovery-plan', 'diff', 'first-deploy'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Environment variables the CLI reads besides the standard AWS ones. */
export const ENV = {
  pollInterval: 'HARDENED_SERVICE_POLL_INTERVAL',
  maxAttempts: 'HARDENED_SERVICE_MAX_ATTEMPTS',
  retryBaseDelay: 'HARDENED_SERVICE_RETRY_BASE_DELAY',
} as const;

export type FlagKind = 'string' | 'seconds' | 'count' | 'boolean';

export interface FlagSpec {
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

export interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  readonly defaultTimeoutSeconds: number;
}

/** `first-deploy`: the stack, its first image and its tasks, in order, from an empty account. */
const FIRST_DEPLOY_SPEC: Record<'first-deploy', CommandSpec> = {
  'first-deploy': {
    summary: 'first deploy from an empty account: image-tag parameter, stack without tasks, image push, migration, stack with tasks; a no-op once done',
    usage: 'hardened-service first-deploy --stack-name NAME --cluster C --service S --repository NAME --image-tag-parameter NAME --tag TAG --deploy-command "CMD" --push-command "CMD" [--migrate-command "CMD"] [--dry-run]',
    defaultTimeoutSeconds: 5400,
    flags: [
      { name: 'stack-name', kind: 'string', placeholder: 'NAME', required: true, description: 'the service stack (<service>-<environment>)' },
      CLUSTER, SERVICE, CONTAINER,
      { name: 'repository', kind: 'string', placeholder: 'NAME', required: true, description: 'the ECR repository the stack creates (<service>-<environment>)' },
      { ...PARAMETER, required: true },
      { name: 'tag', kind: 'string', placeholder: 'TAG', required: true, description: 'the image tag to push and run first, for example the commit SHA' },
      { name: 'deploy-command', kind: 'string', placeholder: '"CMD"', required: true, description: `deploys the stack, for example "npx cdk deploy STACK --require-approval never"; the first phase appends --context ${FIRST_DEPLOY_CONTEXT}=true` },
      { name: 'push-command', kind: 'string', placeholder: '"CMD"', required: true, description: 'builds the image and pushes TAG to the repository, for example "scripts/aws-deploy.sh -e staging -t TAG -p"' },
      { name: 'migrate-command', kind: 'string', placeholder: '"CMD"', description: 'run this one-off task with the pushed image before the service starts its tasks' },
      { name: 'dry-run', kind: 'boolean', description: 'print the ordered plan, with what is done already, and change nothing' },
      timeout(5400), POLL, JSON_FLAG,
    ],
  },
};

/** What each command accepts. Help text and parsing both come from here. */
export const SPECS: Record<CommandName, CommandSpec> = {
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
  'revisions': {
    summary: 'list the ACTIVE task definition revisions of the service, newest first, with their images: what rollback --to takes',
    usage: 'hardened-service revisions --cluster C --service S [--container NAME] [--limit N] [--json]',
    defaultTimeoutSeconds: 120,
    flags: [
      CLUSTER, SERVICE, CONTAINER,
      { name: 'limit', kind: 'count', placeholder: 'N', description: 'list at most N revisions (default 10)' },
      timeout(120), JSON_FLAG,
    ],
  },
  'status': {
    summary: `show the service, its deployments and, with --image-tag-parameter, whether the stack agrees (exit ${ExitCode.NEEDS_ATTENTION} if not, or if a rollout failed)`,
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
  // Offline: reads two cloud assemblies, never AWS.
  'diff': {
    summary: 'compare two synthesized cloud assemblies; fail when a stateful resource would be replaced or removed without an acknowledgement',
    usage: 'hardened-service diff --base DIR --head DIR [--acknowledgements FILE] [--json | --markdown]',
    defaultTimeoutSeconds: 60,
    flags: [
      { name: 'base', kind: 'string', placeholder: 'DIR', required: true, description: 'cloud assembly of the base (what is deployed, or the target branch): the folder npx cdk synth --output DIR wrote' },
      { name: 'head', kind: 'string', placeholder: 'DIR', required: true, description: 'cloud assembly of the change (the pull request); stacks are paired with the base by stack name' },
      { name: 'acknowledgements', kind: 'string', placeholder: 'FILE', description: `reviewed replacements and removals, { "acknowledgements": [ { "stack", "logicalId", "reason" } ] } (default: ${REPLACEMENTS_ACK_FILE} if it exists)` },
      { name: 'json', kind: 'boolean', description: 'one JSON document on stdout: every stack, resource and property change, the blocking and acknowledged ones' },
      { name: 'markdown', kind: 'boolean', description: 'the report as Markdown on stdout (for $GITHUB_STEP_SUMMARY and pull request bodies)' },
    ],
  },
  ...FIRST_DEPLOY_SPEC,
};

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
    'Run "hardened-service <command> -h" for its flags and exit codes.',
    '',
    globalFlagsHelp(),
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
    globalFlagsHelp(),
    '',
    exitCodesHelp(command),
    '',
    ENVIRONMENT_HELP,
    '',
  ].join('\n');
}

const EXIT_CODES_HELP = [
  'Exit codes (each command lists its own under "hardened-service <command> -h"):',
  '  0  done',
  '  1  failed, nothing half-done (migration failed; rollout or verification failed and was rolled back;',
  '     the service was busy; an AWS call failed after its retries)',
  '  2  bad input (flags, unknown cluster or service, image without a tag, no AWS region or credentials)',
  '  3  timed out or interrupted by SIGINT/SIGTERM (what was started was undone)',
  '  4  the rollback itself failed: the service needs attention',
  `  ${ExitCode.NEEDS_ATTENTION}  status: the image-tag parameter differs from the running image, or a rollout failed`,
  '  130/143  a second SIGINT/SIGTERM: exited at once, without waiting for the undo it started',
].join('\n');

// ---- Global flags, --version and per-command exit codes (newcomer path) ----

/**
 * Flags every command takes, before or after the command name. `--region` goes to every AWS
 * client the command makes; without it, the SDK's own settings (AWS_REGION, the profile) apply.
 */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'region', kind: 'string', placeholder: 'REGION', description: 'AWS region of every call (default: AWS_REGION, AWS_DEFAULT_REGION or the AWS_PROFILE profile\'s region)' },
];

function globalFlagsHelp(): string {
  const labels = GLOBAL_FLAGS.map((f) => `--${f.name} ${f.placeholder}`);
  const width = Math.max(...labels.map((l) => l.length), '--version'.length);
  return [
    'Global flags:',
    ...GLOBAL_FLAGS.map((f, i) => `  ${labels[i].padEnd(width)}  ${f.description}`),
    `  ${'--version'.padEnd(width)}  print the version of hardened-service-kit and exit`,
  ].join('\n');
}

type ExitCodeLine = readonly [code: number | string, meaning: string];

const BAD_INPUT_LINE: ExitCodeLine = [ExitCode.BAD_INPUT, 'bad input: a missing or malformed flag, an unknown cluster, service or container, or no AWS region (--region, AWS_REGION) or no AWS credentials (AWS_PROFILE, a role); nothing was changed'];
const AWS_FAILED = 'an AWS call failed after its retries';
const SECOND_SIGNAL_LINE: ExitCodeLine = ['130/143', 'a second SIGINT/SIGTERM: exited at once; the undo was sent but not waited for (check with hardened-service status)'];

/** What each exit code means for each command (see `ExitCode`); `-h` prints them. */
export const COMMAND_EXIT_CODES: Partial<Record<CommandName, readonly ExitCodeLine[]>> = {
  'deploy': [
    [ExitCode.OK, 'deployed: the new revision is stable (and healthy at --health-url, and recorded in --image-tag-parameter)'],
    [ExitCode.FAILED, `failed and undone: the migration exited non-zero, or the rollout or health check failed and the previous revision is back, or the service was busy (a deployment in progress: nothing was changed), or ${AWS_FAILED}`],
    BAD_INPUT_LINE,
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted (SIGINT/SIGTERM): the migration task was stopped or the previous revision is back'],
    [ExitCode.ROLLBACK_FAILED, 'the rollback itself failed (or --rollback-timeout passed): the service needs attention; the message names what to run'],
    SECOND_SIGNAL_LINE,
  ],
  'migrate': [
    [ExitCode.OK, 'the migration task exited 0; the service was not changed'],
    [ExitCode.FAILED, `the migration task exited non-zero (or did not start), or ${AWS_FAILED}; the service was not changed`],
    BAD_INPUT_LINE,
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted (SIGINT/SIGTERM): the migration task was stopped'],
    [ExitCode.ROLLBACK_FAILED, 'stopping the timed-out migration task failed: the message gives the aws ecs stop-task command'],
    SECOND_SIGNAL_LINE,
  ],
  'rollback': [
    [ExitCode.OK, 'the service runs the target revision and is stable (and --image-tag-parameter names its tag)'],
    [ExitCode.FAILED, AWS_FAILED],
    [ExitCode.BAD_INPUT, 'bad input: a flag, an unknown cluster, service or revision, no AWS region or credentials, or no older ACTIVE revision, or --to names no revision of the service\'s family (list them: hardened-service revisions)'],
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted: nothing is undone, the service is still rolling to the target revision (check with hardened-service status)'],
    [ExitCode.ROLLBACK_FAILED, 'the rollback deployment failed: the service needs attention'],
    ['130/143', 'a second SIGINT/SIGTERM: exited at once; the service keeps rolling to the target revision (check with hardened-service status)'],
  ],
  'revisions': [
    [ExitCode.OK, 'listed'],
    [ExitCode.FAILED, AWS_FAILED],
    BAD_INPUT_LINE,
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted; nothing is changed by this command'],
  ],
  'status': [
    [ExitCode.OK, 'the service answered; with --image-tag-parameter, the parameter names the running image; no rollout failed'],
    [ExitCode.FAILED, AWS_FAILED],
    BAD_INPUT_LINE,
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted; nothing is changed by this command'],
    [ExitCode.NEEDS_ATTENTION, 'needs attention: the image-tag parameter differs from the running image (the next cdk deploy would change it), or a deployment\'s rollout FAILED'],
  ],
  'doctor': [
    [ExitCode.OK, `nothing is past or within ${END_OF_LIFE_WARNING_DAYS} days of its end of life`],
    [ExitCode.FAILED, `a runtime, base image or engine is past or within ${END_OF_LIFE_WARNING_DAYS} days of its end of life`],
    [ExitCode.BAD_INPUT, `bad input: a flag, or no (or a malformed) ${RUNTIMES_FILE}`],
  ],
  'recovery-plan': [
    [ExitCode.OK, 'the mapping covers every retained resource: run cdk import with it'],
    [ExitCode.FAILED, `something stops the import (listed as "problem:"), or ${AWS_FAILED}`],
    [ExitCode.BAD_INPUT, 'bad input: a flag, an unreadable --template, the stack still exists or was not deleted in the last 90 days, or no AWS region or credentials'],
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted; nothing is changed by this command'],
  ],
  'first-deploy': [
    [ExitCode.OK, 'every step is done (or was already: a second run prints "nothing to do" and changes nothing)'],
    [ExitCode.FAILED, `a step failed (the message names it; the steps before it are done and the next run resumes there), or ${AWS_FAILED}`],
    [ExitCode.BAD_INPUT, 'bad input: a flag, the image-tag parameter holds another tag, no AWS region or credentials'],
    [ExitCode.TIMEOUT, 'timed out (--timeout) or interrupted (SIGINT/SIGTERM): the steps done stay done; run it again to resume'],
  ],
  'diff': [
    [ExitCode.OK, 'no stateful resource would be replaced or removed, or each one is acknowledged'],
    [ExitCode.FAILED, 'a stateful resource would be replaced or removed and the acknowledgements file does not name it (each is listed)'],
    [ExitCode.BAD_INPUT, 'bad input: a flag, no cloud assembly at --base or --head, or a malformed acknowledgements file'],
  ],
};

/** The exit codes of one command, or the general list for a command without its own. */
export function exitCodesHelp(command: CommandName): string {
  const lines = COMMAND_EXIT_CODES[command];
  if (!lines) {
    return EXIT_CODES_HELP;
  }
  const width = Math.max(...lines.map(([code]) => String(code).length));
  return ['Exit codes:', ...lines.map(([code, meaning]) => `  ${String(code).padEnd(width)}  ${meaning}`)].join('\n');
}

const ENVIRONMENT_HELP = [
  'Environment:',
  '  AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL and the other standard AWS SDK settings (--region wins over AWS_REGION)',
  `  ${ENV.pollInterval.padEnd(34)}  default for --poll-interval`,
  `  ${ENV.maxAttempts.padEnd(34)}  attempts per AWS call on throttling or transient errors (default ${DEFAULT_RETRY_POLICY.maxAttempts})`,
  `  ${ENV.retryBaseDelay.padEnd(34)}  first retry backoff in seconds, doubling (default ${DEFAULT_RETRY_POLICY.baseDelayMs / 1000})`,
].join('\n');
