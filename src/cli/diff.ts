import * as fs from 'fs';
import { DiffArgs } from './args';
import { readAssembly } from './assembly';
import { markdownReport, textReport, verdict } from './diff-report';
import { ExitCode, UsageError } from './errors';
import { Reporter } from './output';
import { diffAssemblies } from './stack-diff';
import { parseReplacementAcks, REPLACEMENTS_ACK_FILE, ReplacementAcknowledgement } from '../core/stateful-resources';

/**
 * `hardened-service diff --base DIR --head DIR`: compares two synthesized cloud assemblies
 * offline (no AWS call) and prints, per stack, what is added, removed, replaced and changed.
 * Resolves to `ExitCode.FAILED` when a stateful resource (`STATEFUL_RESOURCE_TYPES`, or any
 * resource its template retains or snapshots) would be replaced or removed and the
 * acknowledgements file does not name it; `ExitCode.BAD_INPUT` for a missing assembly or a
 * malformed acknowledgements file.
 */
export function diff(args: DiffArgs, reporter: Reporter): number {
  const acks = readAcks(args.acknowledgements);
  const ackFile = args.acknowledgements ?? REPLACEMENTS_ACK_FILE;
  const result = diffAssemblies(readAssembly(args.base, '--base'), readAssembly(args.head, '--head'), acks);
  const data = { base: args.base, head: args.head, acknowledgementsFile: ackFile, ...result };
  const lines = args.markdown ? markdownReport(result, ackFile) : textReport(result, ackFile);
  if (result.blocking.length === 0) {
    reporter.result(lines, data);
    return ExitCode.OK;
  }
  if (!reporter.json) reporter.result(lines, {});
  reporter.failure(verdict(result, ackFile), ExitCode.FAILED, data);
  return ExitCode.FAILED;
}

/**
 * The acknowledgements: `--acknowledgements FILE` must exist; the default file may be absent
 * (a repository that never replaced anything has none).
 */
function readAcks(given: string | undefined): ReplacementAcknowledgement[] {
  const file = given ?? REPLACEMENTS_ACK_FILE;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (err) {
    if (given === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`--acknowledgements "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass the repository's ${REPLACEMENTS_ACK_FILE}, or leave the flag out`);
  }
  try {
    return parseReplacementAcks(text, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
