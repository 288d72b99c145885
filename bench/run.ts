// `npm run bench`: each comparison runs ours and its baseline alternately in fresh processes,
// in the same run, and prints the medians and their ratio. No thresholds are asserted here:
// these machines are noisy, so the ratio is what is reported, next to its target.
//
//   npm run bench [-- NAME...]      BENCH_ROUNDS=5 (timings per side, after one warm-up each)
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { join } from 'path';
import { comparisons, Step } from './comparisons';
import { cleanEnv } from '../test/e2e/helpers';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

function timeOnce(step: Step): number {
  const start = process.hrtime.bigint();
  // The environment of a user's shell: no CI (projen would `npm ci` without a lock file).
  const result = spawnSync(step.command[0], step.command.slice(1), { cwd: step.cwd, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`bench command failed (${result.status}) in ${step.cwd}: ${step.command.join(' ')}\n${result.stderr}`);
  }
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const only = process.argv.slice(2);
const root = join(__dirname, '..');
const work = fs.mkdtempSync(join(os.tmpdir(), 'hsk-bench-'));
const all = comparisons(root, work);
const unknown = only.filter((name) => !all.some((c) => c.name === name));
if (unknown.length > 0) {
  console.error(`bench: unknown comparison ${unknown.join(', ')}; there are ${all.map((c) => c.name).join(', ')}`);
  process.exit(2);
}
try {
  for (const comparison of all) {
    if (only.length > 0 && !only.includes(comparison.name)) continue;
    comparison.setup?.();
    const ours: number[] = [];
    const baseline: number[] = [];
    // One warm-up of each, so that disk caches favour neither side.
    timeOnce(comparison.ours());
    timeOnce(comparison.baseline());
    for (let i = 0; i < rounds; i++) {
      ours.push(timeOnce(comparison.ours()));
      baseline.push(timeOnce(comparison.baseline()));
    }
    const o = median(ours);
    const b = median(baseline);
    const target = comparison.target === undefined ? '' : ` (target at most ${comparison.target.toFixed(1)})`;
    console.log(`bench ${comparison.name}: ours ${o.toFixed(2)}s, baseline ${b.toFixed(2)}s, ratio ${(o / b).toFixed(2)}${target}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
