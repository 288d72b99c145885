import * as fs from 'fs';
import * as path from 'path';
import { acknowledgedRules, listTree, openFindings, PACKS, packKit, run, scaffold, tempDir } from './helpers';

/**
 * End to end, as a new user makes the platform repo: pack the kit, `projen new ...
 * hardened-platform --platform-name acme` from the tarball, then `npx projen build` in it
 * (type-check, its compliance test, `cdk synth` with the gate).
 */
let workspace: string;
let repo: string;

beforeAll(() => {
  workspace = tempDir('hsk-e2e-platform-');
  const tarball = packKit(path.join(workspace, 'kit'), '1.0.0');
  repo = scaffold(workspace, 'acme-platform', tarball, ['--platform-name', 'acme'], 'hardened-platform');
});

afterAll(() => {
  if (workspace && !process.env.HSK_KEEP_E2E) fs.rmSync(workspace, { recursive: true, force: true });
});

test('projen new hardened-platform writes the platform repo', () => {
  expect(fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8')).toContain("platformName: 'acme'");
  const tree = listTree(repo);
  for (const file of [
    'infrastructure/main.ts', 'infrastructure/platform-stacks.ts', 'infrastructure/hooks.ts', 'infrastructure/main.test.ts',
    'docs/PLATFORM.md', 'docs/JOINING.md', 'docs/ACCOUNT_HIPAA_CHECKLIST.md', 'cdk.json', 'README.md',
    '.github/workflows/test.yml', '.github/workflows/deploy-staging.yml', '.github/workflows/deploy-production.yml',
  ]) {
    expect(tree).toContain(file);
  }
});

test('npx projen build passes with zero open findings in both platform stacks', () => {
  run('npx', ['projen', 'build'], { cwd: repo });
  const cdkOut = path.join(repo, 'cdk.out');
  expect(fs.existsSync(path.join(cdkOut, 'acme-staging.template.json'))).toBe(true);
  expect(fs.existsSync(path.join(cdkOut, 'acme-production.template.json'))).toBe(true);
  expect(openFindings(cdkOut)).toEqual([]);
  const acknowledged = acknowledgedRules(cdkOut);
  expect(PACKS.filter((pack) => acknowledged.some((id) => id.startsWith(`${pack}-`)))).toEqual(PACKS);
});
