import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
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
  /**
   * Host (name or IP address) to connect to instead of the URL's own host, such as the load
   * balancer's DNS name. The request still names the URL's host (TLS SNI and `Host`), and the
   * certificate is still verified against that name: only the address lookup changes.
   */
  readonly connectTo?: string;
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
    const result = await check(url, options.connectTo, deadline);
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

async function check(url: string, connectTo: string | undefined, deadline: Deadline): Promise<{ ok: boolean; detail: string }> {
  const started = Date.now();
  const timeoutMs = Math.min(REQUEST_TIMEOUT_MS, Math.max(1, deadline.remainingMs()));
  try {
    const signal = AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), deadline.signal()]);
    const status = await get(new URL(url), connectTo, signal);
    const detail = `HTTP ${status} in ${Date.now() - started}ms`;
    return { ok: status >= 200 && status < 300, detail };
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return { ok: false, detail: `no answer within ${timeoutMs}ms` };
    }
    // A certificate problem needs its explanation (which name, which certificate).
    if (e.code && /CERT|TLS|SSL|SELF_SIGNED/.test(e.code)) {
      return { ok: false, detail: `${e.code}: ${e.message}` };
    }
    return { ok: false, detail: e.code ?? e.message ?? String(err) };
  }
}

/**
 * One GET with Node's own HTTP client and its default TLS verification (the system's CAs plus
 * NODE_EXTRA_CA_CERTS, the certificate checked against the URL's host). With `connectTo`, the
 * URL's host name resolves to `connectTo`'s addresses instead of its own.
 */
function get(url: URL, connectTo: string | undefined, signal: AbortSignal): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  const lookup: http.RequestOptions['lookup'] = connectTo
    ? (_hostname, options, callback) => dns.lookup(connectTo, options, callback as never)
    : undefined;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { signal, lookup, headers: { 'user-agent': 'hardened-service-deploy-check' } }, (response) => {
      // Drain the body so the connection can be reused or closed.
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
