import { Deadline, formatSeconds, sleep } from './timing';

/** How often and how patiently AWS calls are retried. */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** The backoff before the second attempt; it doubles each time (full jitter). */
  readonly baseDelayMs: number;
  /** The longest single backoff. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
};

/** Error names AWS services use when a caller is throttled. */
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
]);

/** Error names that mean "the service had a problem, try again". */
const TRANSIENT_ERRORS = new Set([
  'ServerException',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Network failures that a retry can fix. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** Why an error is worth retrying (`throttled`, `transient`), or undefined if it is not. */
export function retryReason(err: unknown): 'throttled' | 'transient' | undefined {
  if (typeof err !== 'object' || err === null) {
    return undefined;
  }
  const e = err as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
    cause?: unknown;
  };
  const status = e.$metadata?.httpStatusCode;
  if ((e.name && THROTTLING_ERRORS.has(e.name)) || e.$retryable?.throttling || status === 429) {
    return 'throttled';
  }
  if ((e.name && TRANSIENT_ERRORS.has(e.name)) || (status !== undefined && status >= 500)) {
    return 'transient';
  }
  if (e.code && TRANSIENT_NETWORK_CODES.has(e.code)) {
    return 'transient';
  }
  // fetch and some SDK paths wrap the socket error.
  if (e.cause && e.cause !== err) {
    return retryReason(e.cause);
  }
  return undefined;
}

/** Told about each retry, so that a slow command says why it is slow. */
export type RetryListener = (info: {
  operation: string;
  reason: 'throttled' | 'transient';
  error: string;
  attempt: number;
  maxAttempts: number;
  delayMs: number;
}) => void;

/**
 * Runs `fn`, retrying throttling and transient errors with capped exponential backoff and full
 * jitter. Never sleeps past the deadline: when the next backoff would, the deadline error is
 * thrown instead, naming the operation and its last error.
 */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  options: { policy: RetryPolicy; deadline: Deadline; onRetry?: RetryListener },
): Promise<T> {
  const { policy, deadline } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const reason = retryReason(err);
      if (!reason || attempt >= policy.maxAttempts) {
        if (reason) {
          throw new RetriesExhaustedError(operation, attempt, err);
        }
        throw err;
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(Math.random() * ceiling);
      if (delayMs >= deadline.remainingMs()) {
        throw deadline.exceeded(`retrying ${operation} (${errorLabel(err)})`);
      }
      options.onRetry?.({
        operation,
        reason,
        error: errorLabel(err),
        attempt,
        maxAttempts: policy.maxAttempts,
        delayMs,
      });
      await sleep(delayMs, deadline);
    }
  }
}

/** A retryable error that kept coming back. */
export class RetriesExhaustedError extends Error {
  constructor(public readonly operation: string, public readonly attempts: number, public readonly lastError: unknown) {
    super(`${operation} failed ${attempts} times in a row, last with ${errorLabel(lastError)}`);
    this.name = 'RetriesExhaustedError';
  }
}

function errorLabel(err: unknown): string {
  if (err instanceof Error) {
    return err.message && err.message !== err.name ? `${err.name}: ${err.message}` : err.name;
  }
  return String(err);
}

/** `retry 2/8 in 1.3s`. */
export function describeRetry(info: Parameters<RetryListener>[0]): string {
  return `${info.operation} ${info.reason} (${info.error}); retry ${info.attempt}/${info.maxAttempts - 1} in ${formatSeconds(info.delayMs / 1000)}`;
}
