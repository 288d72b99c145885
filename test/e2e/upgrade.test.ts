import * as fs from 'fs';
import * as path from 'path';
import { listTree, packKit, run, scaffold, tempDir } from './helpers';

/**
 * Upgrades regenerate: scaffold with kit N, edit the user files and change an option, move
 * to kit N+1 (a changed Dockerfile template, one managed script dropped), run `npx projen`,
 * and check that the managed files follow while the user files stay byte-identical.
 */
const SERVICE = 'hedis-optimizer';
const UPGRADE_LINE = '# Rebuilt by hardened-service-kit 1.1.0.';
const USER_FILES = ['.projenrc.ts', 'infrastructure/hooks.ts', 'infrastructure/main.test.ts'];

let workspace: string;

beforeAll(() => {
  workspace = tempDir('hsk-upgrade-');
});

afterAll(() => {
  if (workspace && !process.env.HSK_KEEP_E2E) fs.rmSync(workspace, { recursive: true, force: true });
});

test('npx projen after a kit upgrade rewrites managed files, keeps user files and removes what the kit no longer makes', () => {
  // GIVEN a repo scaffolded with kit 1.0.0
  const kitDir = path.join(workspace, 'kit');
  const v1 = packKit(kitDir, '1.0.0');
  const v2 = packKit(kitDir, '1.1.0', (dir) => {
    // A template change...
    fs.appendFileSync(path.join(dir, 'lib', 'templates', 'Dockerfile.hbs'), `${UPGRADE_LINE}\n`);
    // ...and a managed file that the new version no longer produces.
    const scripts = path.join(dir, 'lib', 'project', 'container', 'deploy-scripts.js');
    const code = fs.readFileSync(scripts, 'utf-8');
    const dropped = code.replace("'docker-run.sh', ", '');
    if (dropped === code) throw new Error(`cannot find the script list in ${scripts}`);
    fs.writeFileSync(scripts, dropped);
  });
  expect(path.basename(v1)).not.toEqual(path.basename(v2));
  const repo = scaffold(workspace, SERVICE, v1, ['--service-name', SERVICE, '--blueprint', 'python-api']);
  expect(fs.existsSync(path.join(repo, 'scripts', 'docker-run.sh'))).toBe(true);
  const before = readManaged(repo);

  // WHEN the user edits their files, changes an option and moves to kit 1.1.0
  const appFiles = listTree(repo).filter((f) => f.startsWith('app/'));
  expect(appFiles.length).toBeGreaterThan(0);
  for (const file of ['infrastructure/hooks.ts', 'infrastructure/main.test.ts', appFiles[0]]) {
    fs.appendFileSync(path.join(repo, file), '\n// edited by the team\n');
  }
  const projenrcPath = path.join(repo, '.projenrc.ts');
  const projenrc = fs.readFileSync(projenrcPath, 'utf-8');
  expect(projenrc).toContain(v1);
  expect(projenrc).toContain(`serviceName: '${SERVICE}',`);
  fs.writeFileSync(
    projenrcPath,
    projenrc.replace(v1, v2).replace(`serviceName: '${SERVICE}',`, `serviceName: '${SERVICE}',\n  containerPort: 9000,`),
  );
  const userBytes = snapshot(repo, [...USER_FILES, ...appFiles]);
  // The first run installs the new kit, the second renders with it (PROJEN_NOTES).
  run('npx', ['projen'], { cwd: repo });
  run('npx', ['projen'], { cwd: repo });

  // THEN the kit is the new one
  const installed = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'hardened-service-kit', 'package.json'), 'utf-8'));
  expect(installed.version).toEqual('1.1.0');
  expect(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf-8')).dependencies['hardened-service-kit']).toEqual(`file:${v2}`);
  // the managed files follow the new template and the changed option
  const after = readManaged(repo);
  expect(after.Dockerfile).toContain(UPGRADE_LINE);
  expect(after.Dockerfile).toContain('EXPOSE 9000');
  expect(before.Dockerfile).not.toContain('EXPOSE 9000');
  expect(after['infrastructure/service-stacks.ts']).toContain('containerPort: 9000,');
  expect(after['docker-compose.yml']).toContain('127.0.0.1:9000:9000');
  // the user files are byte-identical
  expect(snapshot(repo, [...USER_FILES, ...appFiles])).toEqual(userBytes);
  // and the file the new kit no longer makes is gone, from disk and from projen's list
  expect(fs.existsSync(path.join(repo, 'scripts', 'docker-run.sh'))).toBe(false);
  const managedList = JSON.parse(fs.readFileSync(path.join(repo, '.projen', 'files.json'), 'utf-8')).files;
  expect(managedList).not.toContain('scripts/docker-run.sh');
  expect(managedList).toContain('scripts/docker-build.sh');
});

function readManaged(repo: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of ['Dockerfile', 'infrastructure/service-stacks.ts', 'docker-compose.yml']) {
    files[file] = fs.readFileSync(path.join(repo, file), 'utf-8');
  }
  return files;
}

function snapshot(repo: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(repo, f)).toString('base64')]));
}
