import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandHelp, COMMANDS, globalHelp, parseArgs } from '../../src/cli/args';
import { COMMAND_EXIT_CODES } from '../../src/cli/command-specs';
import { UsageError } from '../../src/cli/errors';
import { main } from '../../src/cli/main';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer:1.4.2';
const BASE = ['--cluster', 'hedis-optimizer-staging', '--service', 'hedis-optimizer'];

function problem(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseArgs(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`parsed without a problem: ${argv.join(' ')}`);
}

/** Runs main() with captured output and an environment with no AWS endpoint at all. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { code, stdout, stderr };
}

describe('parseArgs', () => {
  test('reads a full deploy command line with defaults', () => {
    const args = parseArgs(['deploy', ...BASE, '--image', IMAGE, '--migrate-command', 'alembic upgrade head', '--health-url=https://api.example.com/health'], {});
    expect(args).toEqual({
      command: 'deploy',
      cluster: 'hedis-optimizer-staging',
      service: 'hedis-optimizer',
      container: undefined,
      json: false,
      timeoutSeconds: 1800,
      pollIntervalMs: 5000,
      retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20000 },
      image: { raw: IMAGE, repository: IMAGE.replace(/:1\.4\.2$/, ''), tag: '1.4.2', digest: undefined },
      migrateCommand: ['alembic', 'upgrade', 'head'],
      healthUrl: 'https://api.example.com/health',
      healthChecks: 3,
      healthFailures: 3,
      imageTagParameter: undefined,
      rollbackTimeoutSeconds: 900,
    });
  });

  test('reads --connect-to beside the health URL', () => {
    const args = parseArgs(['deploy', ...BASE, '--image', IMAGE, '--health-url', 'https://api.example.com/health', '--connect-to', 'svc-prod-alb-1.us-east-1.elb.amazonaws.com'], {});
    expect(args).toMatchObject({ healthUrl: 'https://api.example.com/health', connectTo: 'svc-prod-alb-1.us-east-1.elb.amazonaws.com' });
  });

  test('takes the poll interval and retry policy from the environment, flags first', () => {
    const env = { HARDENED_SERVICE_POLL_INTERVAL: '0.25', HARDENED_SERVICE_MAX_ATTEMPTS: '2', HARDENED_SERVICE_RETRY_BASE_DELAY: '0.1' };
    expect(parseArgs(['status', ...BASE], env)).toMatchObject({ pollIntervalMs: 250, retry: { maxAttempts: 2, baseDelayMs: 100 } });
    expect(parseArgs(['status', ...BASE, '--timeout', '5'], env)).toMatchObject({ timeoutSeconds: 5 });
    expect(parseArgs(['rollback', ...BASE, '--poll-interval', '1', '--to', 'hedis-optimizer:7'], env)).toMatchObject({ pollIntervalMs: 1000, to: 'hedis-optimizer:7' });
  });

  test('-h anywhere prints help, even next to bad flags', () => {
    expect(parseArgs(['deploy', '--bogus', '-h'], {})).toEqual({ command: 'help', text: commandHelp('deploy') });
    expect(parseArgs(['--help'], {})).toEqual({ command: 'help', text: globalHelp() });
  });

  test.each([
    [['deploy', '--cluster', 'c', '--service', 's'], '--image is required'],
    [['deploy', ...BASE, '--image'], '--image needs a value: --image IMAGE'],
    [['deploy', ...BASE, '--image', 'hedis-optimizer'], '--image "hedis-optimizer" has no tag; pass the tag you built and pushed, for example --image hedis-optimizer:1.4.2 (or a digest, hedis-optimizer@sha256:...)'],
    [['deploy', ...BASE, '--image', 'localhost:5000/app'], '--image "localhost:5000/app" has no tag; pass the tag you built and pushed, for example --image localhost:5000/app:1.4.2 (or a digest, localhost:5000/app@sha256:...)'],
    [['deploy', ...BASE, '--image', 'app:latest'], '--image "app:latest" uses the mutable tag "latest"; pass an immutable tag such as the git commit SHA, so that rollback and the image-tag parameter name one image'],
    [['deploy', ...BASE, '--image', 'App:1'], '--image "App:1" is not an image reference; expected [registry/]repository:tag with a lowercase repository, for example my-service:1.4.2'],
    [['deploy', ...BASE, '--image', 'app:1@sha256:abc'], '--image "app:1@sha256:abc" has a malformed digest "sha256:abc"; a digest is sha256: followed by 64 lowercase hex digits'],
    [['deploy', ...BASE, '--image', IMAGE, '--timeout', '0'], '--timeout "0" is not a number of seconds; pass a positive number such as 30 or 0.5'],
    [['deploy', ...BASE, '--image', IMAGE, '--timeout', '10m'], '--timeout "10m" is not a number of seconds; pass a positive number such as 30 or 0.5'],
    [['deploy', ...BASE, '--image', IMAGE, '--health-checks', '2.5'], '--health-checks "2.5" is not a count; pass a whole number from 1 to 100'],
    [['deploy', ...BASE, '--image', IMAGE, '--health-url', 'api/health'], '--health-url "api/health" is not a URL; pass an absolute URL such as https://api.example.com/health'],
    [['deploy', ...BASE, '--image', IMAGE, '--health-url', 'ftp://x/health'], '--health-url "ftp://x/health" uses ftp; pass an http or https URL'],
    [['deploy', ...BASE, '--image', IMAGE, '--connect-to', 'lb.example.com'], "--connect-to needs --health-url: it says where the health URL's requests go; pass both, or neither"],
    [['deploy', ...BASE, '--image', IMAGE, '--health-url', 'https://api.example.com/health', '--connect-to', 'https://lb.example.com/'], '--connect-to "https://lb.example.com/" is not a host; pass a DNS name or an IP address such as my-alb-123.us-east-1.elb.amazonaws.com (no scheme, port or path)'],
    [['deploy', ...BASE, '--image', IMAGE, '--migrate-command', 'echo "oops'], '--migrate-command "echo "oops" has an unterminated double quote; close it or escape it with a backslash'],
    [['deploy', ...BASE, '--image', IMAGE, '--imag', 'x'], 'unknown flag --imag for deploy (did you mean --image?) (see hardened-service deploy -h)'],
    [['deploy', ...BASE, '--image', IMAGE, '--image', IMAGE], '--image is given more than once; give it once'],
    [['deploy', ...BASE, '--image', IMAGE, 'now'], 'unexpected argument "now"; every value follows a flag (see hardened-service deploy -h)'],
    [['deploy', ...BASE, '--image', IMAGE, '--json=yes'], '--json takes no value; remove "=yes"'],
    [['status', '--cluster', 'my cluster', '--service', 's'], '--cluster "my cluster" is not a cluster name or ARN; a name is 1-255 letters, digits, hyphens or underscores'],
    [['rollback', ...BASE, '--to', 'previous'], '--to "previous" is not a revision; pass a revision number (7), FAMILY:REVISION (my-service:7) or a task definition ARN'],
    [['migrate', ...BASE, '--image', IMAGE], '--command is required'],
    [['migrate', ...BASE, '--image', IMAGE, '--command', '  '], '--command is empty; pass the command to run, for example --command "alembic upgrade head"'],
    [['status', ...BASE, '--region', 'US East'], '--region "US East" is not an AWS region; pass a region name such as us-east-1 or eu-west-2'],
    [['revisions', ...BASE, '--limit', '0'], '--limit "0" is not a count; pass a whole number from 1 to 100'],
    [['status', ...BASE, '--image-tag-parameter', 'not a name'], '--image-tag-parameter "not a name" is not an SSM parameter name; expected a path such as /my-service/production/image-tag'],
  ])('fails for %j', (argv, message) => {
    expect(problem(argv)).toBe(message);
  });

  test('fails when several arguments are wrong, with every problem at once, in one line', () => {
    expect(problem(['deploy', '--service', 's', '--image', 'app', '--timeout', 'soon'])).toBe(
      '--cluster is required; --image "app" has no tag; pass the tag you built and pushed, for example --image app:1.4.2 (or a digest, app@sha256:...); ' +
        '--timeout "soon" is not a number of seconds; pass a positive number such as 30 or 0.5',
    );
  });

  test('fails when an environment variable is malformed, naming it', () => {
    expect(problem(['status', ...BASE], { HARDENED_SERVICE_POLL_INTERVAL: 'fast' })).toBe(
      '$HARDENED_SERVICE_POLL_INTERVAL "fast" is not a number of seconds; pass a positive number such as 30 or 0.5',
    );
  });

  test('fails when the command is missing or unknown', () => {
    expect(problem([])).toBe('missing command; expected one of deploy, migrate, rollback, revisions, status, doctor, recovery-plan, diff, first-deploy (see hardened-service -h)');
    expect(problem(['ship'])).toBe('unknown command "ship"; expected one of deploy, migrate, rollback, revisions, status, doctor, recovery-plan, diff, first-deploy (see hardened-service -h)');
  });
});

describe('global flags and per-command help', () => {
  test('--region is taken before or after the command, by every command', () => {
    expect(parseArgs(['status', ...BASE, '--region', 'eu-west-2'], {})).toMatchObject({ command: 'status', region: 'eu-west-2' });
    expect(parseArgs(['--region', 'eu-west-2', 'rollback', ...BASE], {})).toMatchObject({ command: 'rollback', region: 'eu-west-2' });
    expect(parseArgs(['--region=ap-southeast-2', 'recovery-plan', '--stack-name', 's', '--template', 't.json'], {})).toMatchObject({ command: 'recovery-plan', region: 'ap-southeast-2' });
    expect(parseArgs(['deploy', ...BASE, '--image', IMAGE], {})).toMatchObject({ region: undefined });
    for (const command of ['deploy', 'migrate', 'rollback', 'revisions', 'status', 'recovery-plan'] as const) {
      expect(commandHelp(command)).toMatch(/Global flags:\n {2}--region REGION {2}AWS region of every call/);
    }
  });

  test('revisions reads its flags with a default limit of 10', () => {
    expect(parseArgs(['revisions', ...BASE], {})).toMatchObject({ command: 'revisions', limit: 10, timeoutSeconds: 120 });
    expect(parseArgs(['revisions', ...BASE, '--limit', '3', '--json'], {})).toMatchObject({ limit: 3, json: true });
  });

  test('each command -h lists its own exit codes', () => {
    // rollback's timeout undoes nothing: the service keeps rolling to the target.
    expect(commandHelp('rollback')).toContain('  3        timed out (--timeout) or interrupted: nothing is undone, the service is still rolling to the target revision');
    expect(commandHelp('rollback')).not.toContain('what was started was undone');
    expect(commandHelp('rollback')).not.toContain('the undo was sent');
    expect(commandHelp('deploy')).toMatch(/ {2}1 +failed and undone: .*the service was busy/);
    expect(commandHelp('deploy')).toMatch(/ {2}130\/143 {2}a second SIGINT\/SIGTERM: exited at once/);
    expect(commandHelp('deploy')).toMatch(/ {2}2 +bad input: .*no AWS region \(--region, AWS_REGION\) or no AWS credentials/);
    expect(commandHelp('status')).toMatch(/ {2}5 {2}needs attention: the image-tag parameter differs from the running image .*or a deployment's rollout FAILED/);
    expect(commandHelp('doctor')).not.toContain('130/143');
    expect(commandHelp('migrate')).toContain('  4        stopping the timed-out migration task failed');
    expect(globalHelp()).toContain('  5  status: the image-tag parameter differs from the running image, or a rollout failed');
  });

  test('every command has its own exit codes', () => {
    expect(COMMANDS.filter((c) => COMMAND_EXIT_CODES[c] === undefined)).toEqual([]);
  });

  test('--version prints the version of the package, and exits 0', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `hardened-service ${version}\n`, stderr: '' });
    expect(await run(['status', '--version'])).toEqual({ code: 0, stdout: `hardened-service ${version}\n`, stderr: '' });
    expect(globalHelp()).toContain('--version');
  });
});

describe('main', () => {
  test('prints help on stdout and exits 0', async () => {
    const result = await run(['deploy', '--help']);
    expect(result).toEqual({ code: 0, stdout: commandHelp('deploy'), stderr: '' });
    expect(result.stdout).toContain('  2        bad input: a missing or malformed flag, an unknown cluster, service or container, or no AWS region (--region, AWS_REGION) or no AWS credentials (AWS_PROFILE, a role); nothing was changed');
  });

  test('fails when the input is bad, with exit code 2 and exactly one line on stderr, before any AWS call', async () => {
    const result = await run(['deploy', '--cluster', 'c', '--service', 's', '--image', 'registry.example.com/app']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'hardened-service deploy: --image "registry.example.com/app" has no tag; pass the tag you built and pushed, for example --image registry.example.com/app:1.4.2 (or a digest, registry.example.com/app@sha256:...)\n',
    );
  });

  test('fails when the input is bad with --json, also giving a JSON document on stdout', async () => {
    const result = await run(['status', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      command: 'status',
      exitCode: 2,
      error: { code: 'BAD_INPUT', exitCode: 2, message: '--cluster is required; --service is required' },
    });
    expect(result.stderr).toBe('hardened-service status: --cluster is required; --service is required\n');
  });

  test('fails when the command is missing, with exit code 2', async () => {
    const result = await run([]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'hardened-service: missing command; expected one of deploy, migrate, rollback, revisions, status, doctor, recovery-plan, diff, first-deploy (see hardened-service -h)\n' });
  });
});

describe('parseArgs first-deploy', () => {
  const base = [
    'first-deploy', '--stack-name', 'hedis-optimizer-staging', '--cluster', 'hedis-optimizer-staging', '--service', 'hedis-optimizer',
    '--repository', 'hedis-optimizer-staging', '--image-tag-parameter', '/hedis-optimizer/staging/image-tag',
    '--deploy-command', 'npx cdk deploy hedis-optimizer-staging --require-approval never', '--push-command', 'scripts/aws-deploy.sh -e staging -t abc -p',
  ];

  test('splits the commands into arguments and reads --dry-run', () => {
    const args = parseArgs([...base, '--tag', 'abc', '--dry-run'], {});
    expect(args).toMatchObject({
      command: 'first-deploy',
      tag: 'abc',
      dryRun: true,
      deployCommand: ['npx', 'cdk', 'deploy', 'hedis-optimizer-staging', '--require-approval', 'never'],
      pushCommand: ['scripts/aws-deploy.sh', '-e', 'staging', '-t', 'abc', '-p'],
      timeoutSeconds: 5400,
    });
  });

  test('fails when the tag is mutable or missing, naming the flag, the value and the fix', () => {
    expect(problem([...base, '--tag', 'latest'])).toBe('--tag "latest" is not an immutable image tag; pass up to 128 letters, digits, . _ - such as the commit SHA (never "latest")');
    expect(problem(base)).toBe('--tag is required');
    expect(problem([...base.slice(0, 3), '--tag', 'abc'])).toBe(
      '--cluster is required; --service is required; --repository is required; --image-tag-parameter is required; --deploy-command is required; --push-command is required',
    );
  });
});
