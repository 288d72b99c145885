import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { UsageError } from './errors';
import { Reporter } from './output';
import { describeRetry, RetryPolicy, withRetry } from './retry';
import { Deadline } from './timing';

/** The AWS clients a command uses, built from the standard SDK configuration. */
export interface AwsClients {
  readonly ecs: ECSClient;
  readonly ssm: SSMClient;
}

/**
 * Clients that honour the standard AWS environment: `AWS_REGION`/`AWS_DEFAULT_REGION`,
 * `AWS_PROFILE`, the credential chain and `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_ECS`,
 * `AWS_ENDPOINT_URL_SSM`). The SDK's own retries are off: `AwsCaller` retries instead, so
 * that every retry is reported and none outlives `--timeout`.
 */
export function createClients(region?: string): AwsClients {
  const config = clientConfig(region);
  return { ecs: new ECSClient(config), ssm: new SSMClient(config) };
}

/**
 * The configuration every AWS client of the CLI gets: the SDK's retries off, bounded
 * connections, and `--region` when given (else the SDK's chain: AWS_REGION, the profile).
 */
export function clientConfig(region?: string) {
  return {
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    ...(region ? { region } : {}),
  };
}

/** Runs AWS calls with retries, backoff, the deadline, and readable configuration errors. */
export class AwsCaller {
  constructor(private readonly policy: RetryPolicy, private readonly reporter: Reporter) {}

  /**
   * Calls `send` (which must pass the abort signal on to the client), retrying throttling and
   * transient errors. A call in flight when the deadline passes is aborted.
   */
  public async call<T>(operation: string, deadline: Deadline, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetry(
      operation,
      async () => {
        deadline.check(`before ${operation}`);
        const signal = deadline.signal();
        try {
          return await send(signal);
        } catch (err) {
          if (signal.aborted) {
            throw deadline.exceeded(`waiting for ${operation}`);
          }
          throw configurationError(err) ?? err;
        }
      },
      {
        policy: this.policy,
        deadline,
        onRetry: (info) =>
          this.reporter.warn(describeRetry(info), { operation: info.operation, reason: info.reason, attempt: info.attempt, delayMs: info.delayMs }),
      },
    );
  }
}

/** Missing region or credentials are bad input, not a failed operation. */
function configurationError(err: unknown): UsageError | undefined {
  if (!(err instanceof Error)) {
    return undefined;
  }
  if (/region is missing/i.test(err.message)) {
    return new UsageError('no AWS region is configured; pass --region, or set AWS_REGION (or a region in the AWS_PROFILE profile)');
  }
  if (err.name === 'CredentialsProviderError' || /could not load credentials/i.test(err.message)) {
    return new UsageError(`no AWS credentials were found (${err.message.split('\n')[0]}); set AWS_PROFILE, or run in a role such as the GitHub OIDC deploy role`);
  }
  return undefined;
}
