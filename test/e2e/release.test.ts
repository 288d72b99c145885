import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, KIT_ROOT, run, runFailing, tempDir } from './helpers';

/**
 * The release pipeline, offline, on a scratch clone of this checkout (docs/releasing.md):
 * projen's real `release` task (bump from the conventional commits since the last tag, build,
 * unbump, nothing left changed) produces the bumped version, the changelog and the package;
 * the bump rules for a first release and a breaking change; and the pull request's jsii-diff
 * check against a baseline assembly. No network (npm runs offline), no publishing, and every
 * tag stays in the scratch clone.
 *
 * The clone shares this checkout's node_modules through a symlink (read only: nothing here
 * installs), and its `build` task is cut to what makes the package (compile, docgen, package):
 * the unit suites and the synth of `.projenrc.ts` are what the pull-request build already ran.
 */
const IDENTITY = { GIT_AUTHOR_NAME: 'Release Test', GIT_AUTHOR_EMAIL: 'release-test@example.com', GIT_COMMITTER_NAME: 'Release Test', GIT_COMMITTER_EMAIL: 'release-test@example.com' };
/** What the release job runs with: CI (package the js target only), and npm without the network. */
const ENV = cleanEnv({ ...IDENTITY, CI: 'true', npm_config_offline: 'true' });
/** The environment the `release` task gives `bump` (MIN_MAJOR from `minMajorVersion`). */
const RELEASE_ENV = { ...ENV, RELEASE: 'true', MIN_MAJOR: '1' };

let workspace: string;
let kit: string;

const git = (...args: string[]) => run('git', args, { cwd: kit, env: ENV }).trim();
const projen = (task: string, env: NodeJS.ProcessEnv = ENV) => run('npx', ['projen', task], { cwd: kit, env });
const read = (file: string) => fs.readFileSync(path.join(kit, file), 'utf-8');
function commit(message: string, file: string): void {
  fs.writeFileSync(path.join(kit, file), `${message}\n`);
  git('add', file);
  git('commit', '--quiet', '-m', message);
}

/** A clone of this checkout at HEAD, plus what is not committed yet (as one more commit). */
function scratchClone(dest: string): string {
  const head = run('git', ['rev-parse', 'HEAD'], { cwd: KIT_ROOT }).trim();
  run('git', ['clone', '--quiet', '--no-checkout', KIT_ROOT, dest], { cwd: workspace, env: ENV });
  run('git', ['checkout', '--quiet', head], { cwd: dest, env: ENV });
  const changed = run('git', ['ls-files', '-z', '--modified', '--others', '--exclude-standard'], { cwd: KIT_ROOT }).split('\0').filter(Boolean);
  const deleted = new Set(run('git', ['ls-files', '-z', '--deleted'], { cwd: KIT_ROOT }).split('\0').filter(Boolean));
  for (const file of changed) {
    const target = path.join(dest, file);
    if (deleted.has(file)) {
      fs.rmSync(target, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(KIT_ROOT, file), target);
  }
  for (const file of deleted) fs.rmSync(path.join(dest, file), { force: true });
  run('git', ['add', '--all'], { cwd: dest, env: ENV });
  if (run('git', ['status', '--porcelain'], { cwd: dest, env: ENV }).trim()) {
    run('git', ['commit', '--quiet', '-m', 'chore: the checkout as the test found it'], { cwd: dest, env: ENV });
  }
  fs.symlinkSync(path.join(KIT_ROOT, 'node_modules'), path.join(dest, 'node_modules'));
  return dest;
}

/** The files and manifests of a packed tarball. */
function tarball(file: string): { files: string[]; pkg: any; jsii: any } {
  const list = execFileSync('tar', ['-tzf', file], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
  const json = (member: string) => JSON.parse(execFileSync('tar', ['-xzOf', file, member], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 }));
  return { files: list, pkg: json('package/package.json'), jsii: json('package/.jsii') };
}

beforeAll(() => {
  workspace = tempDir('hsk-release-');
  kit = scratchClone(path.join(workspace, 'kit'));
  // The build the release runs, without the suites the pull request ran (see above); a
  // committed change, so that the release's last step (git diff --exit-code) sees a clean tree.
  const tasksFile = path.join(kit, '.projen', 'tasks.json');
  const tasks = JSON.parse(fs.readFileSync(tasksFile, 'utf-8'));
  tasks.tasks.build.steps = [{ spawn: 'compile' }, { spawn: 'post-compile' }, { spawn: 'package' }];
  fs.writeFileSync(tasksFile, `${JSON.stringify(tasks, undefined, 2)}\n`);
  git('commit', '--quiet', '--all', '-m', 'chore: release test: build without the unit suites');
});

afterAll(() => {
  if (workspace && !process.env.HSK_KEEP_E2E) fs.rmSync(workspace, { recursive: true, force: true });
});

describe('the release on a scratch clone', () => {
  test('bumps by the conventional commits, writes the changelog and packs the bumped version', () => {
    // GIVEN a last release v1.2.3 and a feature and a fix since
    git('tag', 'v1.2.3');
    commit('feat: a marker feature of the release test', 'docs/release-test-feature.md');
    commit('fix: a marker fix of the release test', 'docs/release-test-fix.md');

    // WHEN the release job's `npx projen release` runs
    projen('release');

    // THEN the version is the minor bump, and the tag is named (not made: the GitHub release makes it)
    expect(read('dist/version.txt')).toBe('1.3.0');
    expect(read('dist/releasetag.txt')).toBe('v1.3.0');
    expect(git('tag', '--list')).toBe('v1.2.3');
    // the changelog lists the feature and the fix, not the chores
    const changelog = read('dist/changelog.md');
    expect(changelog).toMatch(/^## \[1\.3\.0\]\(.*compare\/v1\.2\.3\.\.\.v1\.3\.0\)/m);
    expect(changelog).toMatch(/### Features\n\n\* a marker feature of the release test/);
    expect(changelog).toMatch(/### Bug Fixes\n\n\* a marker fix of the release test/);
    expect(changelog).not.toContain('release test: build without');
    // the package carries the bumped version, the compiled kit, its templates and the assembly
    const packed = tarball(path.join(kit, 'dist', 'js', 'hardened-service-kit@1.3.0.jsii.tgz'));
    expect(packed.pkg.version).toBe('1.3.0');
    expect(packed.jsii.version).toBe('1.3.0');
    expect(packed.files).toEqual(expect.arrayContaining(['package/lib/index.js', 'package/lib/cli/main.js', 'package/lib/templates/Dockerfile.hbs', 'package/.jsii', 'package/API.md']));
    expect(packed.files.filter((f) => /^package\/(src|test|scripts|docs|\.cache|dist)\//.test(f))).toEqual([]);
    // and the checkout is as before: version 0.0.0 (what the demo and the e2e tests repack), no change
    expect(JSON.parse(read('package.json')).version).toBe('0.0.0');
    expect(git('status', '--porcelain')).toBe('');
  }, 30 * 60_000);

  test('a breaking change bumps the major; the first release is 1.0.0; a docs-only change is a patch', () => {
    const bump = () => {
      fs.rmSync(path.join(kit, 'dist'), { recursive: true, force: true });
      projen('bump', RELEASE_ENV);
      const version = read('dist/version.txt');
      const changelog = read('dist/changelog.md');
      projen('unbump', RELEASE_ENV);
      return { version, changelog };
    };
    // GIVEN the release above tagged
    git('tag', 'v1.3.0');
    // WHEN a breaking change lands
    commit('feat!: a marker break of the release test\n\nBREAKING CHANGE: users rename one option', 'docs/release-test-break.md');
    // THEN the major moves and the changelog leads with the break
    const major = bump();
    expect(major.version).toBe('2.0.0');
    expect(major.changelog).toMatch(/### ⚠ BREAKING CHANGES\n\n\* users rename one option/);

    git('tag', 'v2.0.0');
    commit('docs: a marker page of the release test', 'docs/release-test-docs.md');
    expect(bump().version).toBe('2.0.1');

    // GIVEN no release yet: the first one is 1.0.0 (minMajorVersion), not 0.x
    for (const tag of git('tag', '--list').split('\n')) git('tag', '--delete', tag);
    expect(bump().version).toBe('1.0.0');
    expect(git('status', '--porcelain')).toBe('');
  }, 10 * 60_000);
});

describe("the pull request's API check (scripts/api-compat.sh)", () => {
  const compat = (env: Record<string, string>) => {
    const options = { cwd: kit, env: { ...ENV, ...env } };
    try {
      return { status: 0, output: run('bash', ['scripts/api-compat.sh'], options) };
    } catch {
      return runFailing('bash', ['scripts/api-compat.sh'], options);
    }
  };
  let baseline: string;

  beforeAll(() => {
    // The assembly the release above compiled, as the baseline's package (inside the clone, so
    // that its dependencies' assemblies resolve from node_modules).
    if (!fs.existsSync(path.join(kit, '.jsii'))) projen('compile');
    baseline = path.join(kit, '.cache', 'api-baseline');
    fs.mkdirSync(baseline, { recursive: true });
    fs.copyFileSync(path.join(kit, 'package.json'), path.join(baseline, 'package.json'));
    fs.copyFileSync(path.join(kit, '.jsii'), path.join(baseline, '.jsii'));
  });

  test('passes with nothing to compare before the first release, and with an unchanged API', () => {
    expect(compat({})).toMatchObject({ status: 0, output: expect.stringContaining('no release tag (v*) yet') });
    expect(compat({ BASELINE: baseline })).toMatchObject({ status: 0, output: expect.stringContaining(`no breaking change against ${baseline}`) });
  }, 10 * 60_000);

  test('fails when an API of the last release is gone, unless the pull request declares the break', () => {
    // GIVEN a last release that had one more construct
    const assembly = JSON.parse(fs.readFileSync(path.join(baseline, '.jsii'), 'utf-8'));
    const fqn = `${assembly.name}.RetiredConstruct`;
    assembly.types[fqn] = { assembly: assembly.name, fqn, kind: 'class', name: 'RetiredConstruct', locationInModule: { filename: 'src/index.ts', line: 1 } };
    fs.writeFileSync(path.join(baseline, '.jsii'), JSON.stringify(assembly));
    // WHEN a pull request that does not declare it is checked, THEN it fails naming the type and the fix
    const undeclared = compat({ BASELINE: baseline, PR_TITLE: 'feat: tidy the constructs' });
    expect(undeclared.status).toBe(1);
    expect(undeclared.output).toContain(fqn);
    expect(undeclared.output).toContain('Keep the API compatible, or declare the break');
    // WHEN the title declares it, THEN it passes, announcing a major
    const declared = compat({ BASELINE: baseline, PR_TITLE: 'feat!: retire RetiredConstruct' });
    expect(declared).toMatchObject({ status: 0, output: expect.stringContaining('declared by the pull request: the next release is a major') });
  }, 10 * 60_000);
});
