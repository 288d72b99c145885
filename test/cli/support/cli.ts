import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fast polls and backoff so the tests take seconds, not minutes. */
export const FAST_ENV = {
  HARDENED_SERVICE_POLL_INTERVAL: '0.02',
  HARDENED_SERVICE_RETRY_BASE_DELAY: '0.01',
};

/** Runs the CLI's `main` in this process, against `endpoint`. */
export async function runCli(args: string[], endpoint: string, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const previous = process.env.AWS_ENDPOINT_URL;
  // The SDK reads AWS_ENDPOINT_URL from the process environment when main() builds its clients.
  process.env.AWS_ENDPOINT_URL = endpoint;
  try {
    const code = await main(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { ...process.env, ...FAST_ENV, ...env },
    });
    return { code, stdout, stderr };
  } finally {
    if (previous === undefined) {
      delete process.env.AWS_ENDPOINT_URL;
    } else {
      process.env.AWS_ENDPOINT_URL = previous;
    }
  }
}

/**
 * Runs `npx tsx src/cli/main.ts ...` as a child process, the way a script would.
 *
 * `signalWhen` sends `signal` once stdout matches `pattern` (event-driven, not timed). npx
 * does not pass signals on to its child, so then the CLI runs as `node --import tsx
 * src/cli/main.ts`: one process, as the installed bin (`node lib/cli/main.js`) is.
 */
export async function runCliProcess(
  args: string[],
  endpoint: string,
  env: Record<string, string> = {},
  signalWhen?: { pattern: RegExp; signal: NodeJS.Signals },
): Promise<CliRun> {
  const root = path.resolve(__dirname, '../../..');
  const [command, prefix] = signalWhen ? [process.execPath, ['--import', 'tsx']] : ['npx', ['tsx']];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...FAST_ENV, ...env, AWS_ENDPOINT_URL: endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (signalWhen && !signalled && signalWhen.pattern.test(stdout)) {
        signalled = true;
        child.kill(signalWhen.signal);
        // Cleanup only: a CLI that ignored the signal is killed so the test fails on its exit code.
        setTimeout(() => child.kill('SIGKILL'), 60_000).unref();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** An HTTP server on 127.0.0.1 standing in for the service's health endpoint. */
export class HealthEndpoint {
  public static async start(statuses: (n: number) => number): Promise<HealthEndpoint> {
    const endpoint = new HealthEndpoint(statuses);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  /** Requests answered so far. */
  public requests = 0;
  private readonly server: Server;

  private constructor(statuses: (n: number) => number) {
    this.server = createServer((_req, res) => {
      const status = statuses(++this.requests);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'unhealthy' }));
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/health`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
