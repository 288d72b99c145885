#!/usr/bin/env node
// Load for the container check: autocannon against one URL with N connections for a bounded
// time, after a short warm-up. Prints one JSON object on stdout:
//   { url, connections, seconds, requests, rps, p50, p95, p99, max, errors, non2xx, timeouts,
//     p95_by_second }
// Latencies are in milliseconds, computed from every response's own time (autocannon's summary
// has p97.5 and p99 but no p95). Every response that is not 2xx counts in `errors`.
// `p95_by_second` is the p95 of the responses that completed in each second of the load: it
// tells a tail spread over the whole run from one made by a few slow seconds.
//
//   node test/container/load.js URL [--connections 100] [--seconds 15] [--warmup 2]
'use strict';

const autocannon = require('autocannon');

function parseArgs(argv) {
  const options = { connections: 100, seconds: 15, warmup: 2 };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--(connections|seconds|warmup)$/.exec(arg);
    if (match) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} "${argv[i]}" must be a number >= 0`);
      options[match[1]] = value;
    } else {
      rest.push(arg);
    }
  }
  if (rest.length !== 1) throw new Error('usage: load.js URL [--connections N] [--seconds S] [--warmup S]');
  options.url = rest[0];
  return options;
}

/** Runs autocannon; resolves with its result and every response's latency in ms. */
function run(url, connections, seconds) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const completed = [];
    let non2xx = 0;
    const instance = autocannon({ url, connections, duration: seconds, timeout: 10 }, (error, result) => {
      if (error) reject(error);
      else resolve({ result, latencies, completed, non2xx });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      completed.push(Date.now());
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
  });
}

/** The p-th percentile (nearest rank) of sorted values. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (value) => Math.round(value * 10) / 10;

/** The latencies grouped by the second (from the first response) in which they completed. */
function bySecond(latencies, completed) {
  const seconds = [];
  for (let i = 0; i < latencies.length; i++) {
    const second = Math.floor((completed[i] - completed[0]) / 1000);
    if (!seconds[second]) seconds[second] = [];
    seconds[second].push(latencies[i]);
  }
  return seconds.filter(Boolean).map((values) => Float64Array.from(values));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.warmup > 0) await run(options.url, Math.min(10, options.connections), options.warmup);
  const { result, latencies, completed, non2xx } = await run(options.url, options.connections, options.seconds);
  const sorted = Float64Array.from(latencies).sort();
  const elapsedSeconds = (new Date(result.finish) - new Date(result.start)) / 1000 || options.seconds;
  const summary = {
    url: options.url,
    connections: options.connections,
    seconds: round(elapsedSeconds),
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsedSeconds),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : NaN),
    errors: result.errors + non2xx,
    non2xx,
    timeouts: result.timeouts,
    p95_by_second: bySecond(latencies, completed).map((values) => round(percentile(values.sort(), 95))),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error) => {
  process.stderr.write(`load.js: ${error.message}\n`);
  process.exit(2);
});
