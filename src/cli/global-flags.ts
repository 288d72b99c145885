/** Flags that every command takes, and what they read (the kit's version). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLOBAL_FLAGS } from './command-specs';

/** `--region X status ...` -> `status --region X ...`: global flags may come before the command. */
export function hoistGlobalFlags(argv: readonly string[]): string[] {
  const before: string[] = [];
  let i = 0;
  while (i < argv.length && GLOBAL_FLAGS.some((f) => argv[i] === `--${f.name}` || argv[i].startsWith(`--${f.name}=`))) {
    const takesNext = !argv[i].includes('=') && i + 1 < argv.length;
    before.push(...argv.slice(i, takesNext ? i + 2 : i + 1));
    i += takesNext ? 2 : 1;
  }
  return before.length === 0 ? [...argv] : [argv[i], ...before, ...argv.slice(i + 1)].filter((a) => a !== undefined);
}

/** The version of the installed kit: its package.json, two folders up from src/cli or lib/cli. */
export function kitVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
}
