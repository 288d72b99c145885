import { Reporter } from '../../src/cli/output';

function capture(isTTY: boolean) {
  const out = { text: '', isTTY, write: (t: string) => (out.text += t) };
  const err = { text: '', write: (t: string) => (err.text += t) };
  return { out, err, io: { stdout: out, stderr: err, env: {} } };
}

const strip = (text: string) => text.replace(/\[ *[0-9.]+s\] /g, '');

describe('Reporter', () => {
  test('in a log, prints a polled status only when it changes', () => {
    const { out, io } = capture(false);
    const reporter = new Reporter(io, false, 'deploy');
    reporter.status('rollout', 'rollout app:2 IN_PROGRESS  running 0/2');
    reporter.status('rollout', 'rollout app:2 IN_PROGRESS  running 0/2');
    reporter.status('rollout', 'rollout app:2 COMPLETED  running 2/2');
    reporter.step('done', 'rollout completed');
    expect(strip(out.text)).toBe('rollout app:2 IN_PROGRESS  running 0/2\nrollout app:2 COMPLETED  running 2/2\nrollout completed\n');
  });

  test('on a terminal, redraws a polled status in place and keeps changed ones', () => {
    const { out, io } = capture(true);
    const reporter = new Reporter(io, false, 'deploy');
    reporter.status('rollout', 'IN_PROGRESS 0/2');
    reporter.status('rollout', 'IN_PROGRESS 0/2');
    reporter.status('rollout', 'COMPLETED 2/2');
    reporter.step('done', 'finished');
    expect(strip(out.text)).toBe('\r\x1b[2KIN_PROGRESS 0/2\r\x1b[2KIN_PROGRESS 0/2\n\r\x1b[2KCOMPLETED 2/2\nfinished\n');
  });

  test('with --json, writes events as JSON lines on stderr and one document on stdout', () => {
    const { out, err, io } = capture(false);
    const reporter = new Reporter(io, true, 'status');
    reporter.step('start', 'starting', { service: 'api' });
    reporter.status('rollout', 'same', { running: 1 });
    reporter.status('rollout', 'same', { running: 1 });
    reporter.result(['ignored in JSON mode'], { taskDefinition: 'arn' });
    const events = err.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([
      { elapsedSeconds: expect.any(Number), event: 'start', message: 'starting', service: 'api' },
      { elapsedSeconds: expect.any(Number), event: 'rollout', message: 'same', running: 1 },
    ]);
    expect(JSON.parse(out.text)).toEqual({ ok: true, command: 'status', taskDefinition: 'arn', elapsedSeconds: expect.any(Number) });
  });

  test('a failure is one line on stderr', () => {
    const { out, err, io } = capture(true);
    const reporter = new Reporter(io, false, 'rollback');
    reporter.status('rollback', 'IN_PROGRESS');
    reporter.failure('it broke', 4);
    expect(err.text).toBe('hardened-service rollback: it broke\n');
    // The live status line is ended first, so the error starts on its own line.
    expect(out.text.endsWith('\n')).toBe(true);
  });
});
