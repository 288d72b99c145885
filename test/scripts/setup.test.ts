import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SETUP = path.join(__dirname, '..', '..', 'scripts', 'setup.sh');

/**
 * Runs a copy of scripts/setup.sh in a folder whose npm dependencies are up to date, on a
 * machine without Debian's packages and without root: `dpkg`, `apt-get` and `id` are stand-ins
 * that record their calls.
 */
function runSetup(args: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-setup-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(SETUP, path.join(dir, 'scripts', 'setup.sh'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const later = new Date(Date.now() + 60_000);
  fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{}');
  fs.utimesSync(path.join(dir, 'node_modules', '.package-lock.json'), later, later);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(dir, 'calls');
  for (const [tool, body] of [['dpkg', 'exit 1'], ['apt-get', 'exit 0'], ['id', 'echo 1000'], ['npm', 'exit 0']]) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${calls}'\n${body}\n`, { mode: 0o755 });
  }
  const result = spawnSync('bash', [path.join(dir, 'scripts', 'setup.sh'), ...args], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '' };
}

describe('scripts/setup.sh', () => {
  test('demo needs no Debian package: it never asks dpkg or apt-get, and is ready', () => {
    const run = runSetup(['demo']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('setup: ready\n');
    expect(run.calls).not.toMatch(/dpkg|apt-get/);
  });

  test.each([[[]], [['test']]])('with %j it still requires every package the tests use', (args) => {
    const run = runSetup(args);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('setup: missing Debian packages: curl postgresql redis-server shellcheck docker-compose buildah podman debootstrap uidmap fuse-overlayfs; run as root');
    expect(run.stderr).toContain('bash scripts/setup.sh demo');
    expect(run.calls).toContain('dpkg -s buildah');
  });

  test('fails on an unknown command, naming it and the choices', () => {
    const run = runSetup(['container']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('setup: unknown command "container"; pass demo, test (the default) or nothing\n');
  });
});
