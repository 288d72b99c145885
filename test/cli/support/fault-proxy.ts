import { createServer, IncomingHttpHeaders, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One call that went through the proxy. */
export interface ProxiedCall {
  /** `DescribeServices`, `PutParameter`, ... */
  readonly operation: string;
  readonly request: any;
  /** True when the proxy answered with a throttling error instead of forwarding. */
  readonly throttled: boolean;
}

type Rewrite = (response: any, request: any) => any;
/** Answers a call instead of moto: a JSON body, or undefined to forward it. */
type Answer = (request: any) => any | Promise<any>;

/**
 * A small HTTP proxy in front of moto. The CLI talks to it through `AWS_ENDPOINT_URL`; it
 * forwards every request and, where a test asks, injects states the emulator cannot produce:
 * a throttling error instead of forwarding, or a rewritten JSON response (a rollout state, a
 * task's exit code), or, for an API moto lacks (ECS service deployments), an answer of its own.
 * The SDK clients themselves are real and unmodified.
 */
export class FaultProxy {
  /** Starts a proxy for `target` (moto's endpoint) on a free port of 127.0.0.1. */
  public static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Every call, in order. */
  public readonly calls: ProxiedCall[] = [];
  private readonly server: Server;
  private readonly throttles = new Map<string, number>();
  private readonly rewrites: Array<{ operation: string; fn: Rewrite }> = [];
  private readonly answers = new Map<string, Answer>();

  private constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const operation = operationOf(req.headers, body);
        const parsed = parseJson(body);
        const remaining = this.throttles.get(operation) ?? 0;
        if (remaining > 0) {
          this.throttles.set(operation, remaining - 1);
          this.calls.push({ operation, request: parsed, throttled: true });
          const payload = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': 'ThrottlingException',
            'content-length': Buffer.byteLength(payload),
          });
          res.end(payload);
          return;
        }
        this.calls.push({ operation, request: parsed, throttled: false });
        const answer = this.answers.get(operation);
        if (answer) {
          void Promise.resolve()
            .then(() => answer(parsed))
            .then((json) => {
              if (json === undefined) {
                this.forward(req, res, body, operation, parsed);
                return;
              }
              const payload = JSON.stringify(json);
              res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(payload) });
              res.end(payload);
            })
            .catch((err) => {
              res.writeHead(500);
              res.end(String(err));
            });
          return;
        }
        this.forward(req, res, body, operation, parsed);
      });
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, operation: string, parsed: any): void {
    const upstream = request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        const out: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => out.push(chunk));
        upstreamRes.on('end', () => {
          let payload = Buffer.concat(out);
          const rules = this.rewrites.filter((r) => r.operation === operation);
          if (rules.length > 0 && upstreamRes.statusCode === 200) {
            let json = parseJson(payload);
            for (const rule of rules) {
              json = rule.fn(json, parsed) ?? json;
            }
            payload = Buffer.from(JSON.stringify(json));
          }
          const headers = { ...upstreamRes.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(payload.length);
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          res.end(payload);
        });
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    upstream.end(body);
  }

  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers the next `times` calls of `operation` with a 400 ThrottlingException. */
  public throttle(operation: string, times: number): void {
    this.throttles.set(operation, times);
  }

  /** Passes every successful JSON response of `operation` through `fn` (which may edit it in place). */
  public rewrite(operation: string, fn: Rewrite): void {
    this.rewrites.push({ operation, fn });
  }

  /** Answers every call of `operation` with `fn`'s JSON (moto never sees it) unless `fn` returns undefined. */
  public answer(operation: string, fn: Answer): void {
    this.answers.set(operation, fn);
  }

  /** Forgets rules and recorded calls (between tests). */
  public reset(): void {
    this.throttles.clear();
    this.answers.clear();
    this.rewrites.length = 0;
    this.calls.length = 0;
  }

  /** Calls of `operation` that reached moto. */
  public forwarded(operation: string): ProxiedCall[] {
    return this.calls.filter((c) => c.operation === operation && !c.throttled);
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The API operation: the JSON protocols put it in X-Amz-Target, the query protocol in Action. */
function operationOf(headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    return target.split('.').pop() ?? target;
  }
  const action = new URLSearchParams(body.toString()).get('Action');
  return action ?? 'unknown';
}

function parseJson(body: Buffer): any {
  if (body.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
}
