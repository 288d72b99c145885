import * as fs from 'fs';
import * as path from 'path';
import { acknowledgedRules, listTree, openFindings, PACKS, packKit, run, scaffold, tempDir } from './helpers';

/**
 * End to end, as a new user makes the platform repo: pack the kit, `projen new ...
 * hardened-platform --platform-name acme` from the tarball, then `npx projen build` in it
 * (type-check, its compliance test, `cdk synth` with the gate). Then a service joins it as its
 * team would: `projen new ... hardened-service`, one `platform` option added to `.projenrc.ts`,
 * `npx projen build`.
 */
let workspace: string;
let tarball: string;
let repo: string;

beforeAll(() => {
  workspace = tempDir('hsk-e2e-platform-');
  tarball = packKit(path.join(workspace, 'kit'), '1.0.0');
  repo = scaffold(workspace, 'acme-platform', tarball, ['--platform-name', 'acme'], 'hardened-platform');
});

/** The SSM parameter names a template writes (AWS::SSM::Parameter) and reads (SSM parameter types). */
function parameters(templatePath: string): { written: string[]; read: string[] } {
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  const written = Object.values<any>(template.Resources ?? {}).filter((r) => r.Type === 'AWS::SSM::Parameter').map((r) => r.Properties.Name);
  const read = Object.values<any>(template.Parameters ?? {})
    .filter((p) => String(p.Type).startsWith('AWS::SSM::Parameter::Value<'))
    .map((p) => p.Default as string);
  return { written, read };
}

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

test('a service repo joins the platform with one option, and builds with zero open findings', () => {
  // GIVEN a new service repo whose team adds the platform to its options
  const service = scaffold(workspace, 'claims-intake', tarball, ['--service-name', 'claims-intake', '--blueprint', 'node-api']);
  const projenrc = path.join(service, '.projenrc.ts');
  const options = fs.readFileSync(projenrc, 'utf-8');
  const joined = options.replace("serviceName: 'claims-intake',", "serviceName: 'claims-intake',\n  platform: { name: 'acme' },");
  expect(joined).not.toBe(options);
  fs.writeFileSync(projenrc, joined);
  // WHEN it builds (npx projen rewrites the managed files, then type-check, tests, synth)
  run('npx', ['projen', 'build'], { cwd: service });
  // THEN its stacks join the platform's: no network or cluster of their own, zero open findings,
  // and every platform parameter they read is one the platform repo's stacks write
  expect(fs.readFileSync(path.join(service, 'infrastructure', 'service-stacks.ts'), 'utf-8')).toContain("platformName: 'acme'");
  const cdkOut = path.join(service, 'cdk.out');
  expect(openFindings(cdkOut)).toEqual([]);
  const written = ['staging', 'production'].flatMap((env) => parameters(path.join(repo, 'cdk.out', `acme-${env}.template.json`)).written);
  for (const env of ['staging', 'production']) {
    const templatePath = path.join(cdkOut, `claims-intake-${env}.template.json`);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::ECS::Cluster', 'AWS::IAM::OIDCProvider', 'AWS::CloudTrail::Trail'].includes(t))).toEqual([]);
    const read = parameters(templatePath).read.filter((name) => name.startsWith('/hardened-platform/'));
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !written.includes(name))).toEqual([]);
  }
  // ...and the deploy scripts and workflows name the platform's cluster.
  expect(fs.readFileSync(path.join(service, '.github', 'workflows', 'deploy-production.yml'), 'utf-8')).toContain('acme-production');
});
