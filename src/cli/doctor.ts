import * as fs from 'fs';
import * as path from 'path';
import { DoctorArgs } from './args';
import { ExitCode, UsageError } from './errors';
import { Reporter } from './output';
import {
  assessCurrency,
  CurrencyFinding,
  END_OF_LIFE_WARNING_DAYS,
  RUNTIMES_FILE,
  RuntimeUse,
} from '../core/runtime-currency';

/**
 * `hardened-service doctor`: judges every runtime, base-image distribution and engine that the
 * repo's `RUNTIMES_FILE` lists against this kit's currency table on `today`, and reports each
 * one that is past its end of life or within `END_OF_LIFE_WARNING_DAYS` of it, with its date and
 * the option to change. Resolves to `ExitCode.FAILED` when there is any, else `ExitCode.OK`.
 * Reads one local file: no AWS call.
 */
export function doctor(args: DoctorArgs, reporter: Reporter, today: Date, env: Record<string, string | undefined>): number {
  const day = today.toISOString().slice(0, 10);
  const uses = readRuntimes(args.dir);
  const findings = assessCurrency(uses, day);
  const due = findings.filter((f) => f.state === 'end-of-life' || f.state === 'ending-soon');
  const lines = [...findings.map(describe), '', summary(findings, due, day)];
  const data = { today: day, warningDays: END_OF_LIFE_WARNING_DAYS, runtimes: findings };
  if (env.GITHUB_ACTIONS === 'true' && !reporter.json) {
    // Annotations show on the workflow run's summary, where a warning step would be missed.
    for (const f of due) lines.push(`::warning title=${f.state === 'end-of-life' ? 'End of life' : 'End of life soon'}::${describe(f)}`);
  }
  if (due.length === 0) {
    reporter.result(lines, data);
    return ExitCode.OK;
  }
  if (!reporter.json) reporter.result(lines, {});
  reporter.failure(summary(findings, due, day), ExitCode.FAILED, data);
  return ExitCode.FAILED;
}

function readRuntimes(dir: string): RuntimeUse[] {
  const file = path.join(dir, RUNTIMES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    throw new UsageError(
      `--dir "${dir}" has no ${RUNTIMES_FILE}; run doctor in a repo made by hardened-service-kit, after npx projen with this kit version (or pass --dir)`,
    );
  }
  let parsed: { runtimes?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON (${(err as Error).message}); run npx projen to rewrite it`);
  }
  const runtimes = parsed.runtimes;
  const valid = (u: unknown): u is RuntimeUse =>
    typeof u === 'object' && u !== null && ['item', 'product', 'version', 'option'].every((k) => typeof (u as Record<string, unknown>)[k] === 'string');
  if (!Array.isArray(runtimes) || !runtimes.every(valid)) {
    throw new UsageError(`${file} has no "runtimes" list of { item, product, version, option }; run npx projen to rewrite it`);
  }
  return runtimes;
}

/** One line per runtime. */
function describe(f: CurrencyFinding): string {
  const what = `${f.item}: ${f.name ?? `${f.product} ${f.version}`} (${f.version})`;
  const change = `change ${f.option}`;
  switch (f.state) {
    case 'end-of-life':
      return `END OF LIFE  ${what} reached its end of life on ${f.endOfLife} (${-f.daysLeft!} days ago); ${change} (source: ${f.source})`;
    case 'ending-soon':
      return `ENDING SOON  ${what} reaches its end of life on ${f.endOfLife} (in ${f.daysLeft} days); ${change} (source: ${f.source})`;
    case 'supported':
      return `ok           ${what} is supported until ${f.endOfLife} (${f.daysLeft} days)`;
    case 'no-date':
      return `ok           ${what} has no end of life announced (source: ${f.source})`;
    case 'unknown':
      return `unknown      ${what} is not in this kit's currency table; check its end of life by hand or upgrade hardened-service-kit`;
  }
}

function summary(findings: CurrencyFinding[], due: CurrencyFinding[], day: string): string {
  if (due.length === 0) {
    return `${findings.length} runtimes checked on ${day}: none is past or within ${END_OF_LIFE_WARNING_DAYS} days of its end of life`;
  }
  const names = due.map((f) => `${f.name} (${f.endOfLife}, option ${f.option})`).join(', ');
  return `${due.length} of ${findings.length} runtimes checked on ${day} are past or within ${END_OF_LIFE_WARNING_DAYS} days of their end of life: ${names}`;
}
