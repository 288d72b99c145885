import { DeadlineExceededError } from './errors';

/**
 * A hard deadline for one phase of a command (the whole deploy, or the rollback after it).
 * Every wait and every retry asks it how much time is left, so `--timeout` is a promise, not
 * a hint.
 */
export class Deadline {
  /** A deadline `seconds` from now. */
  public static after(seconds: number): Deadline {
    return new Deadline(Date.now() + seconds * 1000, seconds);
  }

  private constructor(private readonly at: number, public readonly seconds: number) {}

  /** Milliseconds left, never negative. */
  public remainingMs(): number {
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
    return new DeadlineExceededError(`timed out after ${formatSeconds(this.seconds)} ${doing}`);
  }
}

/** Waits `ms` milliseconds, or less if the deadline comes first. */
export async function sleep(ms: number, deadline?: Deadline): Promise<void> {
  const wait = deadline ? Math.min(ms, deadline.remainingMs()) : ms;
  if (wait <= 0) {
    return;
  }
  await new Promise<void>((resolve) => setTimeout(resolve, wait));
}

/** `90s`, `1.5s`, `0.25s`. */
export function formatSeconds(seconds: number): string {
  const rounded = seconds >= 10 ? Math.round(seconds) : Number(seconds.toFixed(seconds < 1 ? 2 : 1));
  return `${rounded}s`;
}
