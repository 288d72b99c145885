import * as fs from 'fs';
import * as path from 'path';
import { acknowledgedRules, cleanEnv, listTree, openFindings, PACKS, packKit, requireTool, run, runFailing, scaffold, tempDir } from './helpers';

/**
 * End to end: pack the kit, `projen new` each blueprint from the tarball, then build the
 * generated repo with its own tasks (type-check, tests, `cdk synth` with the compliance gate)
 * and check its scripts, compose files and Dockerfile with the real tools.
 */
const BLUEPRINTS = ['python-api', 'node-api'];
const SERVICE = 'hedis-optimizer';

let tarball: string;
let workspace: string;

beforeAll(() => {
  requireTool('shellcheck', 'apt-get install -y shellcheck');
  requireTool('docker-compose', 'apt-get install -y docker-compose');
  workspace = tempDir('hsk-e2e-');
  tarball = packKit(path.join(workspace, 'kit'), '1.0.0');
});

afterAll(() => {
  if (workspace && !process.env.HSK_KEEP_E2E) fs.rmSync(workspace, { recursive: true, force: true });
});

test('the packed kit holds only what a user installs: lib/, bundled dependencies, .jsii and the top-level docs', () => {
  const entries = run('tar', ['-tzf', tarball], { cwd: workspace }).trim().split('\n');
  const topLevel = [...new Set(entries.map((entry) => entry.replace(/^package\//, '').split('/')[0]))].sort();
  expect(topLevel).toEqual(['.jsii', 'API.md', 'LICENSE', 'README.md', 'lib', 'node_modules', 'package.json']);
  // The bundled dependencies are the deploy tool's AWS SDK clients and handlebars with theirs.
  const bundled = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).bundledDependencies as string[];
  for (const name of bundled) expect(entries).toContain(`package/node_modules/${name}/package.json`);
  // Templates ship next to the compiled code that reads them.
  expect(entries).toContain('package/lib/templates/Dockerfile.hbs');
});

describe.each(BLUEPRINTS)('projen new --blueprint %s', (blueprint) => {
  let repo: string;

  beforeAll(() => {
    repo = scaffold(path.join(workspace, blueprint), SERVICE, tarball, ['--service-name', SERVICE, '--blueprint', blueprint]);
  });

  test('writes the options into .projenrc.ts and the kit, with the tarball spec, into package.json', () => {
    const projenrc = fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8');
    expect(projenrc).toContain(`serviceName: '${SERVICE}'`);
    expect(projenrc).toContain(`blueprint: '${blueprint}'`);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf-8'));
    expect(pkg.dependencies['hardened-service-kit']).toEqual(`file:${tarball}`);
    // .projenrc.ts names the CDK version the repo really pins (the kit's minimum), not projen's lower default.
    const cdkVersion = /cdkVersion: ["']([0-9.]+)["']/.exec(projenrc)?.[1];
    expect(pkg.dependencies['aws-cdk-lib']).toEqual(`^${cdkVersion}`);
    // The installed deploy tool knows its version.
    expect(run(path.join(repo, 'node_modules', '.bin', 'hardened-service'), ['--version'], { cwd: repo })).toBe('hardened-service 1.0.0\n');
    const tree = listTree(repo);
    for (const file of [
      'Dockerfile', '.dockerignore', 'docker-compose.yml', 'docker-compose.prod.yml', '.env.example',
      'scripts/docker-build.sh', 'scripts/docker-run.sh', 'scripts/aws-deploy.sh', 'scripts/db-migrate.sh',
      'infrastructure/main.ts', 'infrastructure/service-stacks.ts', 'infrastructure/hooks.ts', 'infrastructure/main.test.ts',
      'infrastructure/aws/ecs-task-definition.json', 'cdk.json', 'README.md',
    ]) {
      expect(tree).toContain(file);
    }
    expect(tree.some((f) => f.startsWith('app/'))).toBe(true);
  });

  test('builds: type-check, its own tests, cdk synth of both environments with zero open findings', () => {
    run('npx', ['projen', 'build'], { cwd: repo });
    const cdkOut = path.join(repo, 'cdk.out');
    expect(fs.existsSync(path.join(cdkOut, `${SERVICE}-staging.template.json`))).toBe(true);
    expect(fs.existsSync(path.join(cdkOut, `${SERVICE}-production.template.json`))).toBe(true);
    expect(openFindings(cdkOut)).toEqual([]);
    // Both packs ran: every remaining finding carries an acknowledgement with its reason.
    const acknowledged = acknowledgedRules(cdkOut);
    for (const pack of PACKS) expect(acknowledged.filter((id) => id.startsWith(`${pack}-`)).length).toBeGreaterThan(0);
    // Re-synthesizing changes no managed file: what is on disk is what the options make.
    const managed = (): Record<string, string> => Object.fromEntries(
      (JSON.parse(fs.readFileSync(path.join(repo, '.projen', 'files.json'), 'utf-8')).files as string[])
        .map((f) => [f, fs.readFileSync(path.join(repo, f), 'utf-8')]),
    );
    const before = managed();
    run('npx', ['projen'], { cwd: repo });
    expect(managed()).toEqual(before);
  });

  test('its scripts are shellcheck-clean, print usage on -h and name what is missing', () => {
    const scripts = fs.readdirSync(path.join(repo, 'scripts')).map((f) => path.join('scripts', f));
    expect(scripts.sort()).toEqual(['scripts/aws-deploy.sh', 'scripts/db-migrate.sh', 'scripts/docker-build.sh', 'scripts/docker-run.sh']);
    run('shellcheck', ['--severity=style', ...scripts], { cwd: repo });
    for (const script of scripts) {
      const usage = run('bash', [script, '-h'], { cwd: repo });
      expect(usage).toMatch(/^Usage: scripts\//);
      expect(() => fs.accessSync(path.join(repo, script), fs.constants.X_OK)).not.toThrow();
      const head = fs.readFileSync(path.join(repo, script), 'utf-8').split('\n').slice(0, 8).join('\n');
      expect(head).toMatch(/^#!\/usr\/bin\/env bash\n/);
      expect(head).toContain('set -euo pipefail');
    }
    const noEngine = runFailing('bash', ['scripts/docker-build.sh'], { cwd: repo, env: { PATH: process.env.PATH, CONTAINER_ENGINE: 'no-such-engine' } });
    expect(noEngine).toEqual({ status: 1, output: expect.stringContaining('error: no-such-engine is not installed or not on PATH') });
    const noEnvironment = runFailing('bash', ['scripts/aws-deploy.sh', '-t', 'abc123'], { cwd: repo });
    expect(noEnvironment.status).toEqual(1);
    expect(noEnvironment.output).toContain('error: -e is required: staging or production');
    const noTag = runFailing('bash', ['scripts/aws-deploy.sh', '-e', 'staging'], { cwd: repo });
    expect(noTag.output).toContain('error: -t IMAGE_TAG is required');
    const badEnvironment = runFailing('bash', ['scripts/db-migrate.sh', '-e', 'qa'], { cwd: repo });
    expect(badEnvironment.output).toContain('error: unknown environment "qa": use staging or production');
  });

  test('hardened-service doctor passes in the new repo, and names what an option pins past its end of life', () => {
    // The packed kit's bin, on the Node that runs this suite, reading the generated runtimes file.
    const ok = run('npx', ['hardened-service', 'doctor'], { cwd: repo });
    expect(ok).toContain('none is past or within 90 days of its end of life');
    const json = JSON.parse(run('npx', ['hardened-service', 'doctor', '--json'], { cwd: repo }));
    expect(json.runtimes.find((r: { option: string }) => r.option === 'workflowNodeVersion')).toMatchObject({ version: '24', state: 'supported' });
    // A copy whose runtimes file says Node 20, as `workflowNodeVersion: '20'` would write it.
    const copy = tempDir('hsk-e2e-doctor-');
    const file = path.join(repo, '.hardened-service', 'runtimes.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf-8'));
    manifest.runtimes = manifest.runtimes.map((r: { option: string }) => (r.option === 'workflowNodeVersion' ? { ...r, version: '20' } : r));
    fs.mkdirSync(path.join(copy, '.hardened-service'));
    fs.writeFileSync(path.join(copy, '.hardened-service', 'runtimes.json'), JSON.stringify(manifest));
    const eol = runFailing('npx', ['hardened-service', 'doctor', '--dir', copy], { cwd: repo });
    expect(eol.status).toBe(1);
    expect(eol.output).toContain('Node.js 20 (20) reached its end of life on 2026-04-30');
    expect(eol.output).toContain('change workflowNodeVersion');
  });

  // The diff does not depend on the blueprint: one is enough.
  (blueprint === 'python-api' ? test : test.skip)('hardened-service diff: the repo synthesizes offline; a change that replaces the cache fails and names it; the acknowledgements file lets it through', () => {
    // GIVEN no AWS configuration at all, as in the infrastructure-diff job
    const offline = Object.fromEntries(Object.entries(cleanEnv({ AWS_EC2_METADATA_DISABLED: 'true' })).filter(([key]) => !key.startsWith('AWS_') || key === 'AWS_EC2_METADATA_DISABLED'));
    const dir = tempDir('hsk-e2e-diff-');
    const [base, head] = [path.join(dir, 'base'), path.join(dir, 'head')];
    run('npx', ['cdk', 'synth', '--quiet', '--output', base], { cwd: repo, env: offline });
    // WHEN the user's hooks.ts changes the production cache's port, a property that replaces it
    const hooks = path.join(repo, 'infrastructure', 'hooks.ts');
    const original = fs.readFileSync(hooks, 'utf-8');
    try {
      fs.writeFileSync(hooks, original.replace('// Add your resources here.', "_stacks.production.cache?.replicationGroup.addPropertyOverride('Port', 6380);"));
      run('npx', ['cdk', 'synth', '--quiet', '--output', head], { cwd: repo, env: offline });
    } finally {
      fs.writeFileSync(hooks, original);
    }
    // THEN the packed kit's diff fails and names the cache
    const template = JSON.parse(fs.readFileSync(path.join(base, `${SERVICE}-production.template.json`), 'utf-8'));
    const cache = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::ElastiCache::ReplicationGroup')!;
    const blocked = runFailing('npx', ['hardened-service', 'diff', '--base', base, '--head', head], { cwd: repo, env: offline });
    expect(blocked.status).toBe(1);
    expect(blocked.output).toContain(`hardened-service diff: 1 stateful resource(s) would be replaced or removed: ${SERVICE}-production ${cache} (AWS::ElastiCache::ReplicationGroup, ${SERVICE}-production/Cache/ReplicationGroup) replaced`);
    expect(blocked.output).toContain('Port: 6379 -> 6380 (replaces)');
    // the repo's acknowledgements file, written empty by projen new, lets it through once it names the cache
    const ackFile = path.join(repo, 'infrastructure', 'replacements-ack.json');
    const ackText = fs.readFileSync(ackFile, 'utf-8');
    expect(JSON.parse(ackText).acknowledgements).toEqual([]);
    try {
      fs.writeFileSync(ackFile, JSON.stringify({ acknowledgements: [{ stack: `${SERVICE}-production`, logicalId: cache, reason: 'the cache holds only sessions; clients reconnect' }] }));
      const passed = run('npx', ['hardened-service', 'diff', '--base', base, '--head', head, '--markdown'], { cwd: repo, env: offline });
      expect(passed).toContain(`| ${SERVICE}-production | \`${cache}\` | AWS::ElastiCache::ReplicationGroup | ${SERVICE}-production/Cache/ReplicationGroup | replaced |`);
      expect(passed).toContain('| the cache holds only sessions; clients reconnect |');
    } finally {
      fs.writeFileSync(ackFile, ackText);
    }
  });

  test('both compose files are valid for docker-compose', () => {
    fs.copyFileSync(path.join(repo, '.env.example'), path.join(repo, '.env'));
    for (const file of ['docker-compose.yml', 'docker-compose.prod.yml']) {
      run('docker-compose', ['-f', file, 'config', '-q'], { cwd: repo });
    }
    const resolved = run('docker-compose', ['-f', 'docker-compose.prod.yml', 'config'], { cwd: repo });
    expect(resolved).toContain('read_only: true');
    expect(resolved).not.toMatch(/type: bind/);
    fs.rmSync(path.join(repo, '.env'));
  });

  test('the Dockerfile has a builder and a runtime stage, a pinned base, a non-root user and a HEALTHCHECK', () => {
    const dockerfile = fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf-8');
    const lines = dockerfile.split('\n');
    const stages = lines.filter((l) => /^FROM /.test(l));
    expect(stages).toEqual(['FROM ${BASE_IMAGE} AS builder', 'FROM ${BASE_IMAGE} AS runtime']);
    const base = /^ARG BASE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toMatch(/^[^:]+:[0-9][^:]*$/);
    expect(dockerfile).not.toMatch(/:latest\b/);
    const runtime = lines.slice(lines.indexOf('FROM ${BASE_IMAGE} AS runtime'));
    const user = runtime.filter((l) => l.startsWith('USER ')).pop();
    expect(user).toMatch(/^USER [1-9]\d{3,}:[1-9]\d{3,}$/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \[.*\/health/m);
    expect(dockerfile).toMatch(/^LABEL org\.opencontainers\.image\.title=/m);
    expect(dockerfile).toContain('org.opencontainers.image.revision="${REVISION}"');
    expect(dockerfile).not.toMatch(/PASSWORD|SECRET|TOKEN/i);
    // Mirrors are declared in the builder only, without values.
    const builder = lines.slice(0, lines.indexOf('FROM ${BASE_IMAGE} AS runtime'));
    expect(builder).toEqual(expect.arrayContaining(['ARG PIP_INDEX_URL', 'ARG npm_config_registry']));
    expect(runtime.join('\n')).not.toMatch(/PIP_INDEX_URL|npm_config_registry/);
  });
});
