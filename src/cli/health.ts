import { Reporter } from './output';
import { Deadline, sleep } from './timing';

export interface HealthOptions {
  /** Consecutive successes that pass the verification. */
  readonly successes: number;
  /** Consecutive failures that fail it. */
  readonly failures: number;
  readonly intervalMs: number;
  readonly deadline: Deadline;
  readonly reporter: Reporter;
}

export interface HealthOutcome {
  readonly healthy: boolean;
  readonly reason: string;
  readonly checks: number;
}

/** The longest a single health request may take. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Requests `url` until it answers 2xx `successes` times in a row (healthy) or fails `failures`
 * times in a row (unhealthy). A failure is a non-2xx status, a network error or no answer
 * within 10 seconds. Throws the deadline's error when time runs out first.
 */
export async function verifyHealth(url: string, options: HealthOptions): Promise<HealthOutcome> {
  const { deadline, reporter } = options;
  let okInRow = 0;
  let failedInRow = 0;
  let checks = 0;
  let last = 'no check yet';
  for (;;) {
    checks++;
    const result = await check(url, deadline);
    if (result.ok) {
      okInRow++;
      failedInRow = 0;
      last = `health ${okInRow}/${options.successes} ok: ${result.detail}`;
      reporter.step('health', last, { url, ok: true, detail: result.detail, consecutive: okInRow });
      if (okInRow >= options.successes) {
        return { healthy: true, reason: `${url} answered ${result.detail} ${okInRow} times in a row`, checks };
      }
    } else {
      failedInRow++;
      okInRow = 0;
      last = `health check failed ${failedInRow}/${options.failures}: ${result.detail}`;
      reporter.step('health', last, { url, ok: false, detail: result.detail, consecutive: failedInRow });
      if (failedInRow >= options.failures) {
        return { healthy: false, reason: `health check of ${url} failed ${failedInRow} times in a row (last: ${result.detail})`, checks };
      }
    }
    if (deadline.expired()) {
      throw deadline.exceeded(`verifying ${url} (last: ${last})`);
    }
    await sleep(options.intervalMs, deadline);
    if (deadline.expired()) {
      throw deadline.exceeded(`verifying ${url} (last: ${last})`);
    }
  }
}

async function check(url: string, deadline: Deadline): Promise<{ ok: boolean; detail: string }> {
  const started = Date.now();
  const timeoutMs = Math.min(REQUEST_TIMEOUT_MS, Math.max(1, deadline.remainingMs()));
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), deadline.signal()]);
    const response = await fetch(url, { signal, headers: { 'user-agent': 'hardened-service-deploy-check' } });
    // Drain the body so the connection can be reused or closed.
    await response.arrayBuffer().catch(() => undefined);
    const detail = `HTTP ${response.status} in ${Date.now() - started}ms`;
    return { ok: response.status >= 200 && response.status < 300, detail };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return { ok: false, detail: `no answer within ${timeoutMs}ms` };
    }
    return { ok: false, detail: e.cause?.code ?? e.cause?.message ?? e.message ?? String(err) };
  }
}
