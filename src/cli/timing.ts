import { DeadlineExceededError } from './errors';

/**
 * Set when the process is asked to stop (SIGINT from a terminal, or a cancelled CI job):
 * every interruptible deadline expires at once, so the command undoes what it started, as it
 * would on `--timeout`. Cleanup deadlines (the rollback's) are not interruptible.
 */
const interruption: { signal?: string; controller: AbortController; wake: Set<() => void> } = {
  controller: new AbortController(),
  wake: new Set(),
};

/** Expires every interruptible deadline and wakes every sleeper. */
export function interrupt(signal: string): void {
  if (interruption.signal) {
    return;
  }
  interruption.signal = signal;
  interruption.controller.abort();
  for (const wake of interruption.wake) {
    wake();
  }
}

/** The signal that interrupted the command, if one did. */
export function interruptedBy(): string | undefined {
  return interruption.signal;
}

/** For tests: forget an interruption. */
export function resetInterruption(): void {
  interruption.signal = undefined;
  interruption.controller = new AbortController();
}

/**
 * A hard deadline for one phase of a command (the whole deploy, or the rollback after it).
 * Every wait and every retry asks it how much time is left, so `--timeout` is a promise, not
 * a hint.
 */
export class Deadline {
  /** A deadline `seconds` from now; `interruptible: false` for cleanup that must run to the end. */
  public static after(seconds: number, options: { interruptible?: boolean } = {}): Deadline {
    return new Deadline(Date.now() + seconds * 1000, seconds, options.interruptible ?? true);
  }

  private constructor(private readonly at: number, public readonly seconds: number, private readonly interruptible: boolean) {}

  /** Milliseconds left, never negative. */
  public remainingMs(): number {
    if (this.interruptible && interruption.signal) {
      return 0;
    }
    return Math.max(0, this.at - Date.now());
  }

  public expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** Throws a `DeadlineExceededError` saying what was going on when time ran out. */
  public check(doing: string): void {
    if (this.expired()) {
      throw this.exceeded(doing);
    }
  }

  /** The error to throw when time ran out while `doing` something. */
  public exceeded(doing: string): DeadlineExceededError {
    if (this.interruptible && interruption.signal) {
      return new DeadlineExceededError(`interrupted by ${interruption.signal} ${doing}`);
    }
    return new DeadlineExceededError(`timed out after ${formatSeconds(this.seconds)} ${doing}`);
  }

  /** Aborts a request when the deadline passes (or, if interruptible, on an interruption). */
  public signal(): AbortSignal {
    const timeout = AbortSignal.timeout(Math.max(1, this.remainingMs()));
    return this.interruptible ? AbortSignal.any([timeout, interruption.controller.signal]) : timeout;
  }
}

/** Waits `ms` milliseconds, or less if the deadline comes first (or an interruption ends it). */
export async function sleep(ms: number, deadline?: Deadline): Promise<void> {
  const wait = deadline ? Math.min(ms, deadline.remainingMs()) : ms;
  if (wait <= 0) {
    return;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      interruption.wake.delete(done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    interruption.wake.add(done);
  });
}

/** `90s`, `1.5s`, `0.25s`. */
export function formatSeconds(seconds: number): string {
  const rounded = seconds >= 10 ? Math.round(seconds) : Number(seconds.toFixed(seconds < 1 ? 2 : 1));
  return `${rounded}s`;
}
