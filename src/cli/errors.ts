/**
 * Exit codes of the `hardened-service` CLI. They are part of its contract with the generated
 * scripts and workflows (and documented in docs/deploy-tool.md): change them only with a
 * major version.
 */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /**
   * The operation failed and nothing is left half-done: a migration exited non-zero, or a
   * rollout or health verification failed and the previous revision was restored. For the
   * read-only commands: `doctor` found a runtime at its end of life, `diff` a stateful resource
   * that would be replaced or removed without an acknowledgement.
   */
  FAILED: 1,
  /** Bad input: a missing or malformed flag, an unknown cluster or service, an untagged image. */
  BAD_INPUT: 2,
  /** The command ran out of time (`--timeout`); whatever it had started was undone. */
  TIMEOUT: 3,
  /** Restoring the previous revision failed: the service needs a human. */
  ROLLBACK_FAILED: 4,
  /**
   * `status` only: the service answered, but needs attention: the image-tag parameter names
   * another image than the one that runs (drift), or a rollout failed.
   */
  NEEDS_ATTENTION: 5,
} as const;

/** The name of an exit code (`BAD_INPUT`), as `--json` reports it in `error.code`. */
export function exitCodeName(code: number): string {
  return (Object.keys(ExitCode) as (keyof typeof ExitCode)[]).find((k) => ExitCode[k] === code) ?? 'FAILED';
}

/** One of the values of `ExitCode`. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one line and turns into a documented exit code. */
export class CliError extends Error {
  /** Structured detail for the `--json` failure document (for example the alarm that fired). */
  public details?: Record<string, unknown>;

  constructor(message: string, public readonly exitCode: ExitCodeValue) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input (exit code 2). The message names the flag as written, the bad value and the fix. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.BAD_INPUT);
  }
}

/** The operation failed and was undone (exit code 1). */
export class OperationFailedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.FAILED);
  }
}

/** The hard deadline passed (exit code 3). */
export class DeadlineExceededError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.TIMEOUT);
  }
}

/** Restoring the previous revision failed (exit code 4). */
export class RollbackFailedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.ROLLBACK_FAILED);
  }
}

/** The message of anything thrown, on one line. */
export function describeError(err: unknown): string {
  if (err instanceof CliError) {
    return oneLine(err.message);
  }
  if (err instanceof Error) {
    const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return oneLine(`${name}${err.message || '(no message)'}`);
  }
  return oneLine(String(err));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
