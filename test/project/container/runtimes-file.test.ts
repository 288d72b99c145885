import * as YAML from 'yaml';
import { RUNTIMES_FILE } from '../../../src/core/runtime-currency';
import { ENGINE_OPTION } from '../../../src/project/service-model';
import { synth } from '../helpers';

const BLUEPRINTS = ['python-api', 'node-api'];

/**
 * Ways a file names Node.js 20: "Node 20", "Node.js 20", "node:20", "node-20", "NODE_20",
 * "node20", `node-version: 20`, `@types/node` 20 and an `engines` range from 20.
 */
const NODE_20 = [
  /\bnode(?:\.?js)?[\s:@_-]*v?20\b/i,
  /["']?node-version["']?\s*:\s*["']?20\b/,
  /@types\/node["']?\s*[:@]\s*["']?[\^~]?20\b/,
  /["']node["']\s*:\s*["']\s*>=?\s*20\b/,
];

/** A file's text; lockfiles without their dependencies' entries (their engines are not ours). */
function text(file: string, content: unknown): string {
  if (file.endsWith('package-lock.json')) {
    const lock = typeof content === 'string' ? JSON.parse(content) : (content as { packages: Record<string, unknown> });
    return JSON.stringify({ ...lock, packages: { '': lock.packages[''] } }, undefined, 2);
  }
  return typeof content === 'string' ? content : JSON.stringify(content, undefined, 2);
}

/** The `node-version` of every setup-node step, as `workflow/job`. */
function nodeVersions(files: Record<string, any>): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith('.github/workflows/')) continue;
    const workflow = YAML.parse(content);
    for (const [id, job] of Object.entries(workflow.jobs ?? {}) as [string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }][]) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/setup-node@')) versions[`${file.replace('.github/workflows/', '')}/${id}`] = String(step.with?.['node-version']);
      }
    }
  }
  return versions;
}

test('the Node 20 patterns catch what the kit generated before', () => {
  for (const line of [
    'FROM node:20.20.2-bookworm-slim', 'need npx "install Node.js 20"', '- AWS CLI v2, Node.js 20 and Docker', 'runtime: Node 20',
    '          node-version: "20"', '    "@types/node": "^20",', '"@types/node": "20.19.43"', '    "node": ">=20.19 <21"',
  ]) {
    expect([line, NODE_20.some((pattern) => pattern.test(line))]).toEqual([line, true]);
  }
  for (const line of ['FROM node:24.22.3-bookworm-slim', '"node": ">=24 <25"', 'retention 20 days', 'node-version: "24"']) {
    expect([line, NODE_20.some((pattern) => pattern.test(line))]).toEqual([line, false]);
  }
});

describe.each(BLUEPRINTS)('the %s blueprint on supported runtimes', (blueprint) => {
  let files: Record<string, any>;

  beforeAll(() => {
    files = synth({ blueprint });
  });

  test('no generated file names Node 20', () => {
    const offending: string[] = [];
    for (const [file, content] of Object.entries(files)) {
      const lines = text(file, content).split('\n');
      lines.forEach((line, i) => {
        if (NODE_20.some((pattern) => pattern.test(line))) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(Object.keys(files).length).toBeGreaterThan(40);
    expect(offending).toEqual([]);
  });

  test('every workflow job that sets up Node.js uses Node 24 by default', () => {
    const versions = nodeVersions(files);
    // build.yml runs the CDK app through test.yml, which it calls.
    const jobs = ['deploy-production.yml/deploy', 'deploy-staging.yml/deploy', 'infrastructure-diff.yml/infrastructure-diff', 'test.yml/infrastructure', ...(blueprint === 'node-api' ? ['test.yml/app'] : [])];
    expect(Object.keys(versions).sort()).toEqual(jobs.sort());
    expect(new Set(Object.values(versions))).toEqual(new Set(['24']));
  });

  test('the test workflow runs the doctor as a warning, after the install', () => {
    const steps = YAML.parse(files['.github/workflows/test.yml']).jobs.infrastructure.steps as { 'name': string; 'run'?: string; 'continue-on-error'?: boolean }[];
    const doctor = steps.findIndex((s) => s.run === './node_modules/.bin/hardened-service doctor');
    expect(steps[doctor]).toEqual({ 'id': 'doctor', 'name': 'Check runtime end-of-life dates (warns within 90 days)', 'run': './node_modules/.bin/hardened-service doctor', 'continue-on-error': true });
    expect(doctor).toBeGreaterThan(steps.findIndex((s) => s.name === 'Install dependencies'));
  });

  test('lists its runtimes with the option of each, and documents them with their end of life', () => {
    const runtimes = files[RUNTIMES_FILE].runtimes;
    const image = blueprint === 'node-api' ? ['nodejs', '24.22.3'] : ['python', '3.11.16'];
    expect(runtimes.map((r: { product: string; version: string; option: string }) => [r.product, r.version, r.option])).toEqual([
      [...image, 'baseImage'],
      ['debian', 'bookworm', 'baseImage'],
      ['nodejs', '24', 'workflowNodeVersion'],
      ['postgresql', '16', ENGINE_OPTION],
      ['redis', '7.1', ENGINE_OPTION],
    ]);
    expect(files['docs/SECURITY_GUIDE.md']).toContain(
      '| Node.js of the CI jobs (CDK app, projen, deploy tool) | Node.js 24 (24) | 2028-04-30 | workflowNodeVersion | <https://github.com/nodejs/Release#release-schedule> |',
    );
  });
});

describe('the Node.js options', () => {
  test('workflowNodeVersion moves the infrastructure jobs, baseImage the app job, and both the runtimes file', () => {
    // GIVEN node-api pinned to Node 22 for the image and for the CDK jobs
    const files = synth({ blueprint: 'node-api', baseImage: 'node:22.22.0-bookworm-slim', workflowNodeVersion: '22' });
    // THEN
    const versions = nodeVersions(files);
    expect(versions['test.yml/infrastructure']).toBe('22');
    expect(versions['test.yml/app']).toBe('22');
    expect(new Set(Object.values(versions))).toEqual(new Set(['22']));
    expect(files['package.json'].devDependencies['@types/node']).toBe('^22');
    expect(files[RUNTIMES_FILE].runtimes.filter((r: { product: string }) => r.product === 'nodejs').map((r: { version: string }) => r.version)).toEqual(['22.22.0', '22']);
  });
});
