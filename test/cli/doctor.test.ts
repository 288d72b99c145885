import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { RUNTIMES_FILE } from '../../src/core/runtime-currency';
import { ENGINE_OPTION } from '../../src/project/service-model';
import { synth } from '../project/helpers';

/** A repo folder holding the runtimes file that the project type generates for these options. */
function generatedRepo(overrides: Parameters<typeof synth>[0]): string {
  const files = synth({ blueprint: 'node-api', ...overrides });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-doctor-'));
  fs.mkdirSync(path.join(dir, path.dirname(RUNTIMES_FILE)), { recursive: true });
  fs.writeFileSync(path.join(dir, RUNTIMES_FILE), JSON.stringify(files[RUNTIMES_FILE]));
  return dir;
}

/** Runs the CLI in-process on the day `today`. */
async function doctor(args: string[], today: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['doctor', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    now: () => new Date(`${today}T12:00:00Z`),
  });
  return { code, stdout, stderr };
}

describe('hardened-service doctor', () => {
  let eol: string;
  let current: string;

  beforeAll(() => {
    // GIVEN a repo whose options pin Node 20 (image and workflows), and one on the defaults
    eol = generatedRepo({ baseImage: 'node:20.20.2-bookworm-slim', workflowNodeVersion: '20' });
    current = generatedRepo({});
  });

  test('fails when a runtime is past its end of life: names each with its date and the option to change, and exits 1', async () => {
    // WHEN
    const result = await doctor(['--dir', eol], '2026-12-01');
    // THEN
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      'END OF LIFE  Node.js of the image: Node.js 20 (20.20.2) reached its end of life on 2026-04-30 (215 days ago); change baseImage (source: https://github.com/nodejs/Release#release-schedule)',
    );
    expect(lines).toContain(
      'END OF LIFE  Node.js of the CI jobs (CDK app, projen, deploy tool): Node.js 20 (20) reached its end of life on 2026-04-30 (215 days ago); change workflowNodeVersion (source: https://github.com/nodejs/Release#release-schedule)',
    );
    expect(lines).toContain('ok           Debian of the image: Debian 12 (bookworm) (bookworm) is supported until 2028-06-30 (577 days)');
    expect(lines).toContain('ok           PostgreSQL (RDS and compose): PostgreSQL 16 (16) is supported until 2028-11-09 (709 days)');
    expect(result.stderr).toBe(
      'hardened-service doctor: 2 of 5 runtimes checked on 2026-12-01 are past or within 90 days of their end of life: ' +
        'Node.js 20 (2026-04-30, option baseImage), Node.js 20 (2026-04-30, option workflowNodeVersion)\n',
    );
  });

  test('passes on the defaults today, and says so', async () => {
    const result = await doctor(['--dir', current], '2026-12-01');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok           Node.js of the image: Node.js 24 (24.22.3) is supported until 2028-04-30 (516 days)');
    expect(result.stdout).toContain('ok           Redis OSS (ElastiCache and compose): ElastiCache Redis OSS 7.1 (7.1) has no end of life announced');
    expect(result.stdout).toContain('5 runtimes checked on 2026-12-01: none is past or within 90 days of its end of life');
    expect(result.stderr).toBe('');
  });

  test('warns 90 days ahead: the same defaults on a day within the window of Node 24', async () => {
    const result = await doctor(['--dir', current], '2028-02-15');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'ENDING SOON  Node.js of the image: Node.js 24 (24.22.3) reaches its end of life on 2028-04-30 (in 75 days); change baseImage',
    );
  });

  test('--json: one document with every runtime judged; in GitHub Actions, annotations', async () => {
    const json = await doctor(['--dir', eol, '--json'], '2026-12-01');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ ok: false, command: 'doctor', exitCode: 1, today: '2026-12-01', warningDays: 90 });
    expect(doc.runtimes.map((r: { option: string; state: string }) => [r.option, r.state])).toEqual([
      ['baseImage', 'end-of-life'],
      ['baseImage', 'supported'],
      ['workflowNodeVersion', 'end-of-life'],
      [ENGINE_OPTION, 'supported'],
      [ENGINE_OPTION, 'no-date'],
    ]);
    const actions = await doctor(['--dir', eol], '2026-12-01', { GITHUB_ACTIONS: 'true' });
    expect(actions.stdout.split('\n').filter((l) => l.startsWith('::warning title=End of life::END OF LIFE  Node.js'))).toHaveLength(2);
  });

  test('fails when the folder has no runtimes file, with exit code 2', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-doctor-empty-'));
    const result = await doctor(['--dir', empty], '2026-12-01');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `hardened-service doctor: --dir "${empty}" has no ${RUNTIMES_FILE}; run doctor in a repo made by hardened-service-kit, after npx projen with this kit version (or pass --dir)\n`,
    });
  });

  test('fails when a flag is unknown, with exit code 2, naming it', async () => {
    const result = await doctor(['--cluster', 'x'], '2026-12-01');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hardened-service doctor: unknown flag --cluster for doctor (see hardened-service doctor -h)\n');
  });
});
