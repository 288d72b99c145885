#!/usr/bin/env node
// Load generator of the container check: open loop, without coordinated omission.
//
//   node test/container/load.js users URL [--users 100] [--think 1] [--seconds 15] [--warmup 2]
//   node test/container/load.js capacity URL --p95-ms 100 [--saturation RPS] [--steps 0.6,0.75,0.85,0.95,1.05]
//                                            [--step-seconds 4] [--connections 100]
//   node test/container/load.js saturation URL [--connections 100] [--seconds 5] [--warmup 1]
//
// users      N users, each on its own keep-alive connection, each sending one request every
//            think time on a fixed timeline (user i at phase_i + k * think; the phases spread
//            the users over the first think time). When an answer is late, the user's next
//            request waits for it, but its latency still counts from the time it was scheduled,
//            so a slow answer cannot hide the requests it delayed (no coordinated omission).
// capacity   a paced rate (requests scheduled every 1/rate seconds, sent on a pool of up to
//            --connections keep-alive connections, queued in the generator when all are busy,
//            latency again from the scheduled time) stepped up as fractions of the saturation
//            throughput; the capacity is the highest step whose p95 is under --p95-ms with no
//            errors. Stepping stops at the first step that misses. Without --saturation it runs
//            `saturation` first.
// saturation wrk (closed loop, one thread): the throughput of N connections that each send the
//            next request the moment the last answer arrives. Reported, not a latency measure.
//
// Prints one JSON object on stdout; latencies in milliseconds. `errors` counts connection errors,
// timeouts (no answer within 10 s) and every answer that is not 2xx or 3xx. `cpu` is this
// process's own CPU time over the measured time (percent of one core): it shares the machine
// with the service. A request still unanswered when a capacity step ends counts as infinitely
// slow in that step's percentiles.
//
// HSK_LOAD_AUTH_HEADER="Name: value" adds that header to every request (for example a
// credential the service's /api routes require).
'use strict';

const net = require('net');
const path = require('path');
const { performance } = require('perf_hooks');
const { spawnSync } = require('child_process');

const TIMEOUT_MS = 10_000;
const DEFAULT_STEPS = [0.6, 0.75, 0.85, 0.95, 1.05];

class UsageError extends Error {}

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  if (!['users', 'capacity', 'saturation'].includes(mode)) throw new UsageError(`mode "${mode ?? ''}" must be users, capacity or saturation`);
  const options = { mode, users: 100, think: 1, seconds: mode === 'saturation' ? 5 : 15, warmup: mode === 'saturation' ? 1 : 2, connections: 100, stepSeconds: 4, steps: DEFAULT_STEPS };
  const numeric = { '--users': 'users', '--think': 'think', '--seconds': 'seconds', '--warmup': 'warmup', '--connections': 'connections', '--step-seconds': 'stepSeconds', '--p95-ms': 'p95Ms', '--saturation': 'saturation' };
  const urls = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg in numeric) {
      const value = Number(rest[++i]);
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`${arg} "${rest[i] ?? ''}" must be a number >= 0`);
      options[numeric[arg]] = value;
    } else if (arg === '--steps') {
      const steps = String(rest[++i] ?? '').split(',').map(Number);
      if (steps.length === 0 || steps.some((s) => !(s > 0))) throw new UsageError(`--steps "${rest[i] ?? ''}" must be fractions of the saturation throughput, comma-separated (for example 0.6,0.8,1)`);
      options.steps = steps.sort((a, b) => a - b);
    } else {
      urls.push(arg);
    }
  }
  if (urls.length !== 1) throw new UsageError(`one URL expected, got ${urls.length}`);
  options.url = new URL(urls[0]);
  if (options.url.protocol !== 'http:') throw new UsageError(`URL "${urls[0]}" must be http:// (the check talks to the container directly)`);
  if (options.users < 1 || options.connections < 1 || options.seconds <= 0) throw new UsageError('--users, --connections and --seconds must be at least 1');
  if (options.think <= 0) throw new UsageError(`--think "${options.think}" must be above 0 seconds`);
  if (mode === 'capacity' && !(options.p95Ms > 0)) throw new UsageError('capacity needs --p95-ms (the p95 latency a step must stay under)');
  options.header = authHeader(process.env.HSK_LOAD_AUTH_HEADER);
  return options;
}

/** The extra header from HSK_LOAD_AUTH_HEADER ("Name: value"), or undefined. Never echoes the value. */
function authHeader(text) {
  if (text === undefined || text === '') return undefined;
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*)$/.exec(text);
  if (!match || match[2] === '') {
    const name = text.includes(':') ? `"${text.split(':')[0]}: ..."` : 'a value without a colon';
    throw new UsageError(`HSK_LOAD_AUTH_HEADER (${name}) must be "Name: value" on one line, for example "Authorization: Bearer <token>"`);
  }
  return { name: match[1], value: match[2] };
}

function requestBytes(url, header) {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'User-Agent: hsk-load', 'Accept: application/json'];
  if (header) lines.push(`${header.name}: ${header.value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * One keep-alive connection with at most one request in flight. `send(scheduled)` writes the
 * request; `done(scheduled, sentAt, ok, status)` is called once per request.
 */
class Connection {
  constructor(target, onDone) {
    this.target = target;
    this.onDone = onDone;
    this.socket = undefined;
    this.busy = false;
  }

  send(scheduled) {
    this.busy = true;
    this.scheduled = scheduled;
    this.buffer = undefined;
    if (!this.socket) this.open();
    this.sentAt = performance.now();
    this.socket.write(this.target.request);
  }

  open() {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    const lost = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.busy) this.finish(false, 0);
    };
    socket.on('error', lost);
    socket.on('close', lost);
    this.socket = socket;
  }

  onData(chunk) {
    if (!this.busy) return;
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = responseEnd(this.buffer);
    if (end === -1) return;
    const status = Number(this.buffer.toString('latin1', 9, 12));
    const closing = /\r\nconnection:[ \t]*close/i.test(this.buffer.toString('latin1', 0, Math.min(this.buffer.length, 2048)));
    if (closing) this.drop();
    this.finish(status >= 200 && status < 400, status);
  }

  finish(ok, status) {
    this.busy = false;
    this.buffer = undefined;
    this.onDone(this, this.scheduled, this.sentAt, ok, status);
  }

  /** Gives up on the request in flight (a timeout). */
  abort() {
    this.drop();
    if (this.busy) this.finish(false, -1);
  }

  drop() {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) socket.destroy();
  }
}

/** Index just past a complete HTTP/1.1 response in `buf`, or -1 (Content-Length or chunked). */
function responseEnd(buf) {
  const head = buf.indexOf('\r\n\r\n', 0, 'latin1');
  if (head === -1) return -1;
  const headers = buf.toString('latin1', 0, head).toLowerCase();
  const bodyStart = head + 4;
  const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(headers);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length >= end ? end : -1;
  }
  if (/\r\ntransfer-encoding:[^\r\n]*chunked/.test(headers)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at, 'latin1');
      if (lineEnd === -1) return -1;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (size === 0) {
        const end = buf.indexOf('\r\n\r\n', lineEnd, 'latin1');
        return end === -1 ? -1 : end + 4;
      }
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return -1;
    }
  }
  const status = Number(buf.toString('latin1', 9, 12));
  // No body by definition (204, 304, 1xx); anything else without a length is not supported.
  return status === 204 || status === 304 || status < 200 ? bodyStart : -1;
}

/**
 * Runs one schedule: `events(k)` gives the k-th request's scheduled time (ms from the start)
 * and its user (a fixed connection) or -1 (any connection of the pool). Requests scheduled
 * before `recordFrom` are warm-up and not counted. Resolves with the latencies and counts once
 * every request has been answered, failed, or (with `drainMs`) was still open `drainMs` after
 * the last scheduled time.
 */
function runSchedule(pool, { count, events, recordFrom, drainMs }) {
  return new Promise((resolve) => {
    const start = performance.now();
    const result = { latencies: [], serviceTimes: [], sendLags: [], requests: 0, errors: 0, non2xx: 0, timeouts: 0, unfinished: 0 };
    let k = 0;
    let open = 0;
    let finished = false;
    const record = (scheduledAt, sentAt, ok, status) => {
      if (scheduledAt - start < recordFrom) return;
      const now = performance.now();
      result.requests++;
      if (!ok) {
        result.errors++;
        if (status === -1) result.timeouts++;
        else if (status > 0) result.non2xx++;
      }
      result.latencies.push(now - scheduledAt);
      result.serviceTimes.push(now - sentAt);
      result.sendLags.push(sentAt - scheduledAt);
    };
    pool.onDone = (connection, scheduledAt, sentAt, ok, status) => {
      open--;
      record(scheduledAt, sentAt, ok, status);
      pool.next(connection);
      if (k >= count && open === 0) end();
    };
    const end = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      clearTimeout(drainTimer);
      pool.onDone = () => {};
      // Requests never answered count with the time they have waited so far (a lower bound):
      // the percentiles cannot hide them.
      const now = performance.now();
      const waiting = pool.pending(start, recordFrom);
      result.unfinished = waiting.length;
      for (const at of waiting) result.latencies.push(now - at);
      resolve(result);
    };
    const watchdog = setInterval(() => pool.expire(TIMEOUT_MS), 250);
    let drainTimer;
    const pump = () => {
      const now = performance.now() - start;
      while (k < count) {
        const event = events(k);
        if (event.at > now) break;
        open++;
        pool.dispatch(start + event.at, event.user);
        k++;
      }
      if (k < count) {
        setTimeout(pump, Math.max(0, events(k).at - (performance.now() - start)));
      } else if (open === 0) {
        end();
      } else if (drainMs !== undefined) {
        drainTimer = setTimeout(end, drainMs);
      }
    };
    pump();
  });
}

/**
 * Connections and what waits for them: with users, user i owns connection i and its own
 * queue; without, any idle connection takes the oldest waiting request and the pool grows
 * up to `max` connections.
 */
class Pool {
  constructor(target, { users, max }) {
    this.target = target;
    this.max = max;
    this.onDone = () => {};
    const done = (...args) => this.onDone(...args);
    this.connections = [];
    this.idle = [];
    this.queue = [];
    this.userQueues = [];
    this.make = () => {
      const c = new Connection(target, done);
      c.index = this.connections.length;
      this.connections.push(c);
      return c;
    };
    for (let i = 0; i < users; i++) {
      this.make();
      this.userQueues.push([]);
    }
  }

  /** Opens every user's connection before the schedule starts. */
  async connectAll() {
    await Promise.all(this.connections.map((c) => new Promise((resolve, reject) => {
      c.open();
      c.socket.once('connect', resolve);
      c.socket.once('error', (error) => reject(new Error(`cannot connect to ${this.target.host}:${this.target.port}: ${error.message}`)));
    })));
  }

  dispatch(scheduledAt, user) {
    if (user >= 0) {
      const c = this.connections[user];
      if (c.busy) this.userQueues[user].push(scheduledAt);
      else c.send(scheduledAt);
      return;
    }
    const c = this.idle.pop() ?? (this.connections.length < this.max ? this.make() : undefined);
    if (c) c.send(scheduledAt);
    else this.queue.push(scheduledAt);
  }

  next(c) {
    const own = this.userQueues[c.index];
    if (own) {
      if (own.length > 0) c.send(own.shift());
    } else if (this.queue.length > 0) {
      c.send(this.queue.shift());
    } else {
      this.idle.push(c);
    }
  }

  expire(limitMs) {
    const now = performance.now();
    for (const c of this.connections) if (c.busy && now - c.sentAt > limitMs) c.abort();
  }

  /**
   * Scheduled times of the requests in flight or waiting that belong to the recorded window;
   * aborts and forgets them all.
   */
  pending(start, recordFrom) {
    const counted = (at) => at - start >= recordFrom;
    const times = this.queue.filter(counted);
    for (const q of this.userQueues) times.push(...q.filter(counted));
    for (const c of this.connections) {
      if (c.busy && counted(c.scheduled)) times.push(c.scheduled);
      if (c.busy) c.abort();
    }
    this.queue = [];
    this.userQueues = this.userQueues.map(() => []);
    return times;
  }

  close() {
    for (const c of this.connections) c.drop();
  }
}

const round1 = (x) => (x === null ? null : Math.round(x * 10) / 10);

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summarize(result, seconds) {
  const lat = Float64Array.from(result.latencies).sort();
  const svc = Float64Array.from(result.serviceTimes).sort();
  const lag = Float64Array.from(result.sendLags).sort();
  return {
    requests: result.requests,
    rps: Math.round(result.requests / seconds),
    p50: round1(percentile(lat, 0.5)),
    p95: round1(percentile(lat, 0.95)),
    p99: round1(percentile(lat, 0.99)),
    max: round1(lat.length ? lat[lat.length - 1] : null),
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    unanswered: result.unfinished,
    // What a closed-loop tool would have shown: latency from the actual send.
    serviceP95: round1(percentile(svc, 0.95)),
    // How late the generator itself sent (timer and CPU); counted in the latencies above.
    sendLagP99: round1(percentile(lag, 0.99)),
  };
}

function cpuPercent(before, wallMs) {
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 10;
}

function target(options) {
  return { host: options.url.hostname, port: Number(options.url.port || 80), request: requestBytes(options.url, options.header) };
}

async function users(options) {
  const pool = new Pool(target(options), { users: options.users, max: options.users });
  await pool.connectAll();
  const think = options.think * 1000;
  // Phases spread evenly over one think time: together the users send every think/users.
  const phases = Array.from({ length: options.users }, (_, i) => (i * think) / options.users);
  const total = options.warmup + options.seconds;
  const perUser = Math.ceil((total * 1000) / think);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await runSchedule(pool, {
    count: perUser * options.users,
    events: (k) => ({ at: phases[k % options.users] + Math.floor(k / options.users) * think, user: k % options.users }),
    recordFrom: options.warmup * 1000,
    drainMs: TIMEOUT_MS,
  });
  const wall = performance.now() - t0;
  pool.close();
  result.errors += result.unfinished;
  result.timeouts += result.unfinished;
  return {
    mode: 'users', url: options.url.href, users: options.users, think: options.think, seconds: options.seconds,
    ...summarize(result, options.seconds), cpu: cpuPercent(cpu, wall),
  };
}

/** One paced step at `rate` requests a second; the pool is reused between steps. */
async function step(pool, rate, seconds, warmup, p95Ms) {
  const count = Math.round(rate * (seconds + warmup));
  const result = await runSchedule(pool, { count, events: (k) => ({ at: (k * 1000) / rate, user: -1 }), recordFrom: warmup * 1000, drainMs: Math.max(1000, 2 * p95Ms) });
  const s = summarize(result, seconds);
  return { rate: Math.round(rate), ...s, pass: s.errors === 0 && s.p95 !== null && s.p95 < p95Ms };
}

async function capacity(options) {
  let saturation = options.saturation;
  let saturationRun;
  if (saturation === undefined) {
    saturationRun = runSaturation(options);
    saturation = saturationRun.rps;
  }
  if (!(saturation > 0)) throw new Error(`saturation throughput ${saturation} must be above 0`);
  const pool = new Pool(target(options), { users: 0, max: options.connections });
  const steps = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (const [i, fraction] of options.steps.entries()) {
    const s = await step(pool, saturation * fraction, options.stepSeconds, i === 0 ? 1 : 0.5, options.p95Ms);
    steps.push({ fraction, ...s });
    if (!s.pass) break;
  }
  const wall = performance.now() - t0;
  pool.close();
  const passed = steps.filter((s) => s.pass);
  const last = passed[passed.length - 1];
  return {
    mode: 'capacity', url: options.url.href, p95Ms: options.p95Ms, saturation: Math.round(saturation),
    // The highest paced rate that held p95 under the limit (0 when even the first step missed).
    capacity: last ? last.rate : 0,
    // Whether a step above it missed: when every step passed, the capacity is a lower bound.
    bounded: passed.length < steps.length,
    steps, cpu: cpuPercent(cpu, wall), ...(saturationRun ? { saturationRun } : {}),
  };
}

/** wrk, closed loop, one thread; returns load.lua's summary. */
function wrk(options, connections, seconds) {
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', path.join(__dirname, 'load.lua')];
  // load.lua adds HSK_LOAD_AUTH_HEADER itself: a credential stays out of wrk's command line.
  args.push(options.url.href);
  const result = spawnSync('wrk', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`wrk could not run (${result.error.message}); install the Debian package wrk`);
  const line = (result.stdout || '').split('\n').find((l) => l.startsWith('{'));
  if (result.status !== 0 || !line) throw new Error(`wrk on ${options.url.href} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return JSON.parse(line);
}

function runSaturation(options) {
  const connections = options.connections;
  const seconds = options.mode === 'saturation' ? options.seconds : 5;
  const warmup = options.mode === 'saturation' ? options.warmup : 1;
  if (warmup > 0) wrk(options, Math.min(10, connections), warmup);
  const run = wrk(options, connections, seconds);
  const elapsed = run.duration_us / 1e6;
  const ms = (us) => Math.round(us / 100) / 10;
  return {
    mode: 'saturation', url: options.url.href, connections, seconds: round1(elapsed),
    requests: run.requests, rps: Math.round(run.requests / elapsed),
    p50: ms(run.p50_us), p95: ms(run.p95_us), p99: ms(run.p99_us), max: ms(run.max_us),
    errors: run.connect + run.read + run.write + run.timeout + run.status, non2xx: run.status, timeouts: run.timeout,
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let out;
  if (options.mode === 'users') out = await users(options);
  else if (options.mode === 'capacity') out = await capacity(options);
  else out = runSaturation(options);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error) => {
  process.stderr.write(`load.js: ${error.message}\n`);
  if (error instanceof UsageError) process.stderr.write('usage: load.js users|capacity|saturation URL [options]; see the top of test/container/load.js\n');
  process.exit(2);
});
