import { exitCodeName } from './errors';

/** Where the CLI writes. `main()` takes one so that tests can run it in-process. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Record<string, string | undefined>;
  /** The clock (tests set the day `doctor` judges on). @default - the system clock */
  readonly now?: () => Date;
}

/** The part of a Node stream the CLI uses. */
export interface OutputStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Structured detail attached to an event, printed as is with `--json`. */
export type EventData = Record<string, unknown>;

/**
 * Progress and results, for people or for machines.
 *
 * - Human mode writes progress lines to stdout, prefixed with the elapsed time. On a terminal
 *   a status that is polled (rollout state and counts, task state) is redrawn in place until
 *   it changes; elsewhere (CI logs) a status line is printed only when it changes.
 * - `--json` mode writes progress as one JSON object per line to stderr and, at the end,
 *   exactly one JSON document to stdout: the result, or `{ "ok": false, ... }`.
 *
 * Errors always end with one line on stderr.
 */
export class Reporter {
  private readonly startedAt = Date.now();
  private liveLine: string | undefined;
  private lastStatus = new Map<string, string>();

  constructor(
    private readonly io: CliIo,
    public readonly json: boolean,
    private readonly command: string,
  ) {}

  /** Seconds since the command started. */
  public elapsedSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 100) / 10;
  }

  /** A milestone: always printed. */
  public step(event: string, message: string, data: EventData = {}): void {
    if (this.json) {
      this.emit(event, message, data);
      return;
    }
    this.endLiveLine();
    this.io.stdout.write(`${this.prefix()}${message}\n`);
  }

  /**
   * A polled status under `key` (for example `rollout`). Printed when its text changes; on a
   * terminal, redrawn in place with the elapsed time in between.
   */
  public status(key: string, message: string, data: EventData = {}): void {
    const changed = this.lastStatus.get(key) !== message;
    this.lastStatus.set(key, message);
    if (this.json) {
      if (changed) {
        this.emit(key, message, data);
      }
      return;
    }
    if (this.io.stdout.isTTY) {
      if (changed) {
        this.endLiveLine();
      }
      const line = `${this.prefix()}${message}`;
      this.io.stdout.write(`\r\x1b[2K${line}`);
      this.liveLine = line;
      return;
    }
    if (changed) {
      this.io.stdout.write(`${this.prefix()}${message}\n`);
    }
  }

  /** A warning that does not change the outcome: always printed (stderr in human mode). */
  public warn(message: string, data: EventData = {}): void {
    if (this.json) {
      this.emit('warning', message, data);
      return;
    }
    this.endLiveLine();
    this.io.stderr.write(`${this.prefix()}warning: ${message}\n`);
  }

  /** The final result of a successful command. */
  public result(lines: string[], data: EventData): void {
    if (this.json) {
      this.io.stdout.write(`${JSON.stringify({ ok: true, command: this.command, ...data, elapsedSeconds: this.elapsedSeconds() }, undefined, 2)}\n`);
      return;
    }
    this.endLiveLine();
    for (const line of lines) {
      this.io.stdout.write(`${line}\n`);
    }
  }

  /**
   * The final error: one line on stderr, and in `--json` mode the JSON document, whose `error`
   * is `{ code, exitCode, message }` (`code` names the exit code: `BAD_INPUT`, `TIMEOUT`, ...).
   */
  public failure(message: string, exitCode: number, data: EventData = {}): void {
    this.endLiveLine();
    if (this.json) {
      const error = { code: exitCodeName(exitCode), exitCode, message };
      this.io.stdout.write(`${JSON.stringify({ ok: false, command: this.command, exitCode, error, ...data, elapsedSeconds: this.elapsedSeconds() }, undefined, 2)}\n`);
    }
    this.io.stderr.write(`hardened-service${this.command ? ` ${this.command}` : ''}: ${message}\n`);
  }

  private emit(event: string, message: string, data: EventData): void {
    this.io.stderr.write(`${JSON.stringify({ elapsedSeconds: this.elapsedSeconds(), event, message, ...data })}\n`);
  }

  private prefix(): string {
    return `[${this.elapsedSeconds().toFixed(1).padStart(6)}s] `;
  }

  private endLiveLine(): void {
    if (this.liveLine !== undefined) {
      this.io.stdout.write('\n');
      this.liveLine = undefined;
    }
  }
}
