#!/usr/bin/env node
// Load for the container check: wrk against one URL with N connections for a bounded time,
// after a short warm-up with 10 connections. Prints one JSON object on stdout:
//   { url, connections, seconds, requests, rps, p50, p95, p99, max, errors, non2xx, timeouts }
// Latencies are in milliseconds, from wrk's histogram of every response (load.lua). `errors`
// counts connection, read and write errors, timeouts and every answer that is not 2xx or 3xx
// (wrk's "status" errors; the endpoints checked answer 200).
//
// wrk, not autocannon: the load generator shares the machine's two cores with the service,
// PostgreSQL and Redis, and wrk (C, one thread here) needs a fraction of the CPU autocannon
// (Node) takes for the same request rate, CPU that otherwise shows as service latency.
//
// HSK_LOAD_AUTH_HEADER ("Name: value"), when set, is sent on every request: the credential the
// container check made for the image under test.
//
//   node test/container/load.js URL [--connections 100] [--seconds 15] [--warmup 2]
'use strict';

const { spawnSync } = require('child_process');
const path = require('path');

function parseArgs(argv) {
  const options = { connections: 100, seconds: 15, warmup: 2 };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--(connections|seconds|warmup)$/.exec(arg);
    if (match) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${arg} "${argv[i]}" must be a whole number >= 0`);
      options[match[1]] = value;
    } else {
      rest.push(arg);
    }
  }
  if (rest.length !== 1) throw new Error('usage: load.js URL [--connections N] [--seconds S] [--warmup S]');
  if (options.connections < 1 || options.seconds < 1) throw new Error('--connections and --seconds must be at least 1');
  options.url = rest[0];
  return options;
}

/** Runs wrk and returns load.lua's summary. */
function wrk(url, connections, seconds) {
  // One thread: it keeps 100 connections busy at well over the rates measured here, and a
  // second would take CPU from the service.
  const threads = 1;
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s',
    ...authHeader(), '-s', path.join(__dirname, 'load.lua'), url];
  const result = spawnSync('wrk', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`wrk could not run (${result.error.message}); install the Debian package wrk`);
  const line = (result.stdout || '').split('\n').find((l) => l.startsWith('{'));
  if (result.status !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return JSON.parse(line);
}

/** wrk's `-H` for HSK_LOAD_AUTH_HEADER, or nothing. */
function authHeader() {
  const header = process.env.HSK_LOAD_AUTH_HEADER;
  if (!header) return [];
  if (!/^[A-Za-z0-9-]+: \S/.test(header)) throw new Error('HSK_LOAD_AUTH_HEADER must be "Name: value"');
  return ['-H', header];
}

const ms = (us) => Math.round(us / 100) / 10;

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.warmup > 0) wrk(options.url, Math.min(10, options.connections), options.warmup);
  const run = wrk(options.url, options.connections, options.seconds);
  const seconds = run.duration_us / 1e6;
  const summary = {
    url: options.url,
    connections: options.connections,
    seconds: Math.round(seconds * 10) / 10,
    requests: run.requests,
    rps: Math.round(run.requests / seconds),
    p50: ms(run.p50_us),
    p95: ms(run.p95_us),
    p99: ms(run.p99_us),
    max: ms(run.max_us),
    errors: run.connect + run.read + run.write + run.timeout + run.status,
    non2xx: run.status,
    timeouts: run.timeout,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`load.js: ${error.message}\n`);
  process.exit(2);
}
