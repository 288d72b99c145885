import { DeadlineExceededError } from '../../src/cli/errors';
import { RetriesExhaustedError, retryReason, withRetry } from '../../src/cli/retry';
import { Deadline } from '../../src/cli/timing';

const FAST = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

function awsError(name: string, status: number): Error {
  return Object.assign(new Error('boom'), { name, $metadata: { httpStatusCode: status } });
}

describe('retryReason', () => {
  test.each([
    [awsError('ThrottlingException', 400), 'throttled'],
    [awsError('TooManyRequestsException', 429), 'throttled'],
    [awsError('Whatever', 429), 'throttled'],
    [awsError('ServerException', 500), 'transient'],
    [awsError('ServiceUnavailable', 503), 'transient'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), 'transient'],
    [awsError('ClientException', 400), undefined],
    [awsError('AccessDeniedException', 400), undefined],
    [new Error('plain'), undefined],
  ])('classifies %s as %s', (err, reason) => {
    expect(retryReason(err)).toBe(reason);
  });
});

describe('withRetry', () => {
  test('retries throttling until the call succeeds, telling the listener each time', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withRetry('DescribeServices', async () => {
      if (++calls < 3) {
        throw awsError('ThrottlingException', 400);
      }
      return 'ok';
    }, { policy: FAST, deadline: Deadline.after(60), onRetry: (info) => retries.push(info.attempt) });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  test('fails when the error is one a retry cannot fix, without retrying', async () => {
    let calls = 0;
    await expect(withRetry('UpdateService', async () => {
      calls++;
      throw awsError('AccessDeniedException', 400);
    }, { policy: FAST, deadline: Deadline.after(60) })).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });

  test('fails when the attempts run out, naming the operation and the last error', async () => {
    let calls = 0;
    const failure = withRetry('DescribeTasks', async () => {
      calls++;
      throw awsError('ThrottlingException', 400);
    }, { policy: FAST, deadline: Deadline.after(60) });
    await expect(failure).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(failure).rejects.toThrow('DescribeTasks failed 4 times in a row, last with ThrottlingException: boom');
    expect(calls).toBe(4);
  });

  test('fails when the next wait would pass the deadline, with the deadline error rather than sleeping past it', async () => {
    const failure = withRetry('DescribeServices', async () => {
      throw awsError('ThrottlingException', 400);
    }, { policy: { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000 }, deadline: Deadline.after(0.05) });
    // Any backoff drawn from up to 60 s that would outlive the 50 ms deadline ends the call.
    await expect(failure).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(failure).rejects.toThrow(/^timed out after 0.05s retrying DescribeServices \(ThrottlingException: boom\)$/);
  });
});
