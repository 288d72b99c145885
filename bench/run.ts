// `npm run bench`: each comparison runs ours and its baseline alternately in fresh processes,
// in the same run, and prints the medians and their ratio. No thresholds are asserted here:
// these machines are noisy, so the ratio is what is reported.
import { spawnSync } from 'child_process';
import { join } from 'path';
import { comparisons } from './comparisons';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

function timeOnce(command: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`bench command failed (${result.status}): ${command.join(' ')}\n${result.stderr}`);
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
for (const comparison of comparisons(root)) {
  if (only.length > 0 && !only.includes(comparison.name)) continue;
  comparison.setup?.();
  const ours: number[] = [];
  const baseline: number[] = [];
  // One warm-up of each, so that disk caches favour neither side.
  timeOnce(comparison.ours, comparison.cwd ?? root);
  timeOnce(comparison.baseline, comparison.cwd ?? root);
  for (let i = 0; i < rounds; i++) {
    comparison.beforeEach?.();
    ours.push(timeOnce(comparison.ours, comparison.cwd ?? root));
    comparison.beforeEach?.();
    baseline.push(timeOnce(comparison.baseline, comparison.cwd ?? root));
  }
  const o = median(ours);
  const b = median(baseline);
  console.log(`bench ${comparison.name}: ours ${o.toFixed(2)}s, baseline ${b.toFixed(2)}s, ratio ${(o / b).toFixed(2)}`);
}
