import { spawn } from 'node:child_process';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { AwsCaller } from './aws';
import { OperationFailedError } from './errors';
import { OutputStream } from './output';
import { Deadline } from './timing';

/** A stack as `first-deploy` needs it: its status and outputs. */
export interface StackState {
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Reads stacks (CloudFormation `DescribeStacks`). */
export class StackReader {
  constructor(private readonly client: CloudFormationClient, private readonly caller: AwsCaller) {}

  /** The stack, or undefined when there is none of that name. */
  public async find(stackName: string, deadline: Deadline): Promise<StackState | undefined> {
    try {
      const out = await this.caller.call('DescribeStacks', deadline, (abortSignal) =>
        this.client.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal }));
      const stack = out.Stacks?.[0];
      if (!stack) return undefined;
      const outputs: Record<string, string> = {};
      for (const o of stack.Outputs ?? []) {
        if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';
      }
      return { status: stack.StackStatus ?? 'UNKNOWN', outputs };
    } catch (err) {
      // CloudFormation says "Stack with id X does not exist" as a ValidationError.
      if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
      throw err;
    }
  }
}

/** Reads images (ECR `DescribeImages`). */
export class ImageRegistry {
  constructor(private readonly client: ECRClient, private readonly caller: AwsCaller) {}

  /** The digest of `repository:tag`; undefined when the image or the repository is missing. */
  public async digest(repository: string, tag: string, deadline: Deadline): Promise<string | undefined> {
    try {
      const out = await this.caller.call('DescribeImages', deadline, (abortSignal) =>
        this.client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }), { abortSignal }));
      return out.imageDetails?.[0]?.imageDigest;
    } catch (err) {
      if (err instanceof Error && (err.name === 'ImageNotFoundException' || err.name === 'RepositoryNotFoundException')) return undefined;
      throw err;
    }
  }
}

/**
 * Runs one of the commands `first-deploy` is given (`cdk deploy`, the image push) without a
 * shell, its output going to `output` (stderr, so that `--json` keeps stdout to itself), and
 * stops it (SIGTERM) when the deadline passes. Resolves when it exited 0.
 */
export async function runExternal(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  output: OutputStream,
  deadline: Deadline,
): Promise<void> {
  deadline.check(`before ${argv[0]}`);
  const signal = deadline.signal();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => output.write(chunk.toString());
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(new OperationFailedError(`could not start ${argv[0]} (${err.message}); is it installed and on PATH?`));
    });
    child.on('close', (code, killed) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) {
        reject(deadline.exceeded(`waiting for ${argv.join(' ')}`));
      } else if (code === 0) {
        resolve();
      } else {
        reject(new OperationFailedError(`${argv.join(' ')} ${killed ? `was killed by ${killed}` : `exited with code ${code}`}`));
      }
    });
  });
}
