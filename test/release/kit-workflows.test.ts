import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ACTION_PINS } from '../../src/project/workflows/workflow-actions';
import { actionlint, Workflows } from '../project/workflows/workflow-test-support';

/**
 * The kit's own workflows, as committed (projen renders them from .projenrc.ts and
 * projenrc/kit-workflows.ts; the build fails when they drift): the release pipeline of
 * docs/releasing.md, held to the rules of the workflows the kit generates.
 */
const KIT_ROOT = path.join(__dirname, '..', '..');
const DIR = path.join(KIT_ROOT, '.github', 'workflows');
const FILES = ['build.yml', 'pull-request-lint.yml', 'release.yml'];

function kitWorkflows(): Workflows {
  const text: Record<string, string> = {};
  const doc: Record<string, any> = {};
  for (const name of fs.readdirSync(DIR).sort()) {
    text[name] = fs.readFileSync(path.join(DIR, name), 'utf-8');
    doc[name] = YAML.parse(text[name]);
  }
  return { text, doc };
}

const tasks = JSON.parse(fs.readFileSync(path.join(KIT_ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks;
const workflows = kitWorkflows();
const steps = (file: string, job: string): any[] => workflows.doc[file].jobs[job].steps;

describe("the kit's workflows", () => {
  test('are exactly the build, the release and the pull-request title lint', () => {
    expect(Object.keys(workflows.doc)).toEqual(FILES);
  });

  test('are actionlint-clean', async () => {
    expect(await actionlint(workflows)).toEqual([]);
  });

  test("pin every action to the commit of the kit's table, with its release in a comment", () => {
    const pinned = new Map<string, string>(Object.values(ACTION_PINS).map((pin) => [`${pin.action}@${pin.commit}`, pin.version]));
    for (const [name, text] of Object.entries(workflows.text)) {
      const lines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const [, ref, version] = /uses:\s+(\S+)(?:\s+# (\S+))?$/.exec(line) ?? [];
        expect({ name, ref, version }).toEqual({ name, ref, version: pinned.get(ref) ?? 'a commit of ACTION_PINS' });
      }
    }
  });

  test('read only at the top, give every job a time limit, and write only where a job must', () => {
    const writes: string[] = [];
    for (const [name, doc] of Object.entries<any>(workflows.doc)) {
      expect({ name, permissions: doc.permissions }).toEqual({ name, permissions: { contents: 'read' } });
      for (const [id, job] of Object.entries<any>(doc.jobs)) {
        expect({ name, id, timeout: job['timeout-minutes'] }).toEqual({ name, id, timeout: expect.any(Number) });
        for (const [scope, level] of Object.entries(job.permissions ?? {})) if (level === 'write') writes.push(`${name} ${id} ${scope}`);
      }
    }
    // The GitHub release (its tag), npm's OIDC token, and the title lint's comment on the pull request.
    expect(writes.sort()).toEqual([
      'pull-request-lint.yml validate pull-requests',
      'release.yml release_github contents',
      'release.yml release_npm id-token',
    ]);
  });

  test('publish to npm through OIDC trusted publishing with provenance, with no npm token anywhere', () => {
    const publish = steps('release.yml', 'release_npm').find((s) => s.name === 'Release');
    expect(publish.env).toMatchObject({ NPM_TRUSTED_PUBLISHER: 'true', NPM_CONFIG_PROVENANCE: 'true' });
    // publib runs with the OIDC token: an exact version, never latest
    expect(publish.run).toMatch(/publib@\d+\.\d+\.\d+'/);
    for (const text of Object.values(workflows.text)) {
      expect(text).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN|npmTokenSecret/);
      // the only secret is the job's own GITHUB_TOKEN
      expect(text.match(/secrets\.\w+/g)?.filter((s) => s !== 'secrets.GITHUB_TOKEN') ?? []).toEqual([]);
    }
    // npm 11.5.1+ (trusted publishing) comes with Node 24
    for (const job of ['release', 'release_npm']) {
      expect(steps('release.yml', job).find((s) => String(s.uses).startsWith('actions/setup-node@')).with['node-version']).toBe('24.x');
    }
  });

  test('release every push to main with projen: bump, build, unbump, and nothing left changed', () => {
    expect(workflows.doc['release.yml'].on.push.branches).toEqual(['main']);
    expect(steps('release.yml', 'release').map((s) => s.run).filter(Boolean)).toContain('npx projen release');
    expect(tasks.release.steps).toEqual([
      { execArgs: ['rm', '-fr', 'dist'] },
      { spawn: 'bump' },
      { spawn: 'build' },
      { spawn: 'unbump' },
      { exec: 'git diff --ignore-space-at-eol --exit-code' },
    ]);
    // conventional commits decide the bump; from the first release (1.0.0) a break is a major
    expect(tasks.release.env).toEqual({ RELEASE: 'true', MIN_MAJOR: '1' });
    // the package keeps 0.0.0 between releases: the demo and the e2e tests read and repack it
    expect(JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'package.json'), 'utf-8')).version).toBe('0.0.0');
  });

  test('check the API against the last release on every pull request, after the build, from a full clone', () => {
    const build = workflows.doc['build.yml'];
    expect(Object.keys(build.on)).toContain('pull_request');
    const list = steps('build.yml', 'build');
    const buildIndex = list.findIndex((s) => s.run === 'npx projen build');
    const compatIndex = list.findIndex((s) => s.run === 'scripts/api-compat.sh');
    expect(buildIndex).toBeGreaterThan(-1);
    expect(compatIndex).toBeGreaterThan(buildIndex);
    // the pull request's text reaches the script through env, never into the script
    expect(list[compatIndex].env).toEqual({
      PR_TITLE: '${{ github.event.pull_request.title }}',
      PR_BODY: '${{ github.event.pull_request.body }}',
      UPSTREAM: '${{ github.server_url }}/${{ github.repository }}.git',
    });
    expect(list[0].with['fetch-depth']).toBe(0);
    // the build never pushes: a build that changes files fails
    expect(list.some((s) => s.name === 'Fail build on mutation')).toBe(true);
    expect(workflows.text['build.yml']).not.toContain('git push');
  });

  test('pull request titles are conventional commits (squash merges make them the release notes)', () => {
    const lint = steps('pull-request-lint.yml', 'validate')[0];
    expect(lint.uses).toBe(`${ACTION_PINS.semanticPullRequest.action}@${ACTION_PINS.semanticPullRequest.commit}`);
    expect(lint.with.types.split('\n')).toEqual(expect.arrayContaining(['feat', 'fix', 'chore']));
  });

  test('the API check script is shellcheck-clean', () => {
    expect(execFileSync('shellcheck', [path.join(KIT_ROOT, 'scripts', 'api-compat.sh')], { encoding: 'utf-8' })).toBe('');
  });
});
