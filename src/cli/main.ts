#!/usr/bin/env node
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import { COMMANDS, parseArgs, ParsedArgs } from './args';
import { AwsCaller, clientConfig, createClients } from './aws';
import { CommandContext } from './context';
import { deploy } from './deploy';
import { doctor } from './doctor';
import { EcsOperations } from './ecs';
import { CliError, describeError, ExitCode } from './errors';
import { firstDeploy } from './first-deploy';
import { ImageRegistry, StackReader } from './first-deploy-aws';
import { migrate } from './migrate';
import { CliIo, Reporter } from './output';
import { ImageTagParameter } from './parameter';
import { recoveryPlan } from './recovery-plan';
import { revisions } from './revisions';
import { rollback } from './rollback';
import { status } from './status';
import { interrupt, interruptedBy } from './timing';

/**
 * Runs the `hardened-service` CLI and resolves to its exit code (see `ExitCode`). Never
 * throws and never calls `process.exit`, so tests run it in-process.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const named = (COMMANDS as readonly string[]).includes(argv[0]) ? argv[0] : '';
  let reporter = new Reporter(io, argv.includes('--json'), named);
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, io.env);
  } catch (err) {
    return fail(reporter, err);
  }
  if (args.command === 'help' || args.command === 'version') {
    io.stdout.write(args.text);
    return ExitCode.OK;
  }
  reporter = new Reporter(io, args.json, args.command);
  if (args.command === 'doctor') {
    // Local files only: no AWS clients.
    try {
      return doctor(args, reporter, io.now?.() ?? new Date(), io.env);
    } catch (err) {
      return fail(reporter, err);
    }
  }
  if (args.command === 'diff') {
    // Two local cloud assemblies: no AWS clients. Loaded here only: the AWS service
    // specification it reads is large, and no other command needs it.
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./diff') as typeof import('./diff')).diff(args, reporter);
    } catch (err) {
      return fail(reporter, err);
    }
  }
  if (args.command === 'recovery-plan') {
    const cloudformation = new CloudFormationClient(clientConfig(args.region));
    try {
      return await recoveryPlan(args, cloudformation, new AwsCaller(args.retry, reporter), reporter);
    } catch (err) {
      return fail(reporter, err);
    } finally {
      cloudformation.destroy();
    }
  }
  const clients = createClients(args.region);
  const caller = new AwsCaller(args.retry, reporter);
  const ctx: CommandContext = {
    ecs: new EcsOperations(clients.ecs, caller),
    parameters: new ImageTagParameter(clients.ssm, caller),
    reporter,
  };
  try {
    switch (args.command) {
      case 'deploy':
        await deploy(ctx, args);
        break;
      case 'migrate':
        await migrate(ctx, args);
        break;
      case 'rollback':
        await rollback(ctx, args);
        break;
      case 'revisions':
        await revisions(ctx, args);
        break;
      case 'status':
        return await status(ctx, args);
      case 'first-deploy':
        await runFirstDeploy(ctx, args, caller, io);
        break;
    }
    return ExitCode.OK;
  } catch (err) {
    return fail(reporter, err);
  } finally {
    clients.ecs.destroy();
    clients.ssm.destroy();
  }
}

async function runFirstDeploy(ctx: CommandContext, args: Extract<ParsedArgs, { command: 'first-deploy' }>, caller: AwsCaller, io: CliIo): Promise<void> {
  const config = clientConfig(args.region);
  const cloudformation = new CloudFormationClient(config);
  const ecr = new ECRClient(config);
  try {
    const stacks = new StackReader(cloudformation, caller);
    await firstDeploy({ ...ctx, stacks, images: new ImageRegistry(ecr, caller), commandOutput: io.stderr, env: io.env }, args);
  } finally {
    cloudformation.destroy();
    ecr.destroy();
  }
}

function fail(reporter: Reporter, err: unknown): number {
  const exitCode = err instanceof CliError ? err.exitCode : ExitCode.FAILED;
  reporter.failure(describeError(err), exitCode, err instanceof CliError ? err.details : undefined);
  return exitCode;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

if (require.main === module) {
  // The SDK's notice that it will need Node 22 from 2027 is for the kit's maintainers: keep
  // it out of every deploy log (set the variable to "false" to see it).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A first SIGINT/SIGTERM (Ctrl-C, a cancelled CI job) is handled like --timeout: what was
  // started is undone. A second one exits at once, with the undo sent but not waited for.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interruptedBy()) {
        process.stderr.write(`hardened-service: ${signal} again, exiting without waiting; check with hardened-service status\n`);
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      }
      interrupt(signal);
    });
  }
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
