import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { Blueprint } from '../../src/blueprints/blueprint';
import { findBlueprint, registerBlueprint } from '../../src/blueprints/index';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../src/project/hardened-service-project';

/**
 * A blueprint kept in the tests, so that the project type is tested against data whose every
 * value is known here (the real blueprints are tested through the e2e tests and the snapshot).
 */
export const TEST_BLUEPRINT: Blueprint = {
  id: 'test-api',
  description: 'A test API.',
  runtime: 'Python 3.11',
  baseImage: 'python:3.11.11-slim-bookworm',
  containerPort: 8080,
  healthCheckPath: '/healthz',
  sampleDir: path.join(__dirname, 'fixtures', 'sample'),
  dependencyFiles: ['requirements.txt'],
  installCommands: ['python -m venv /app/.venv', '/app/.venv/bin/pip install -r requirements.txt'],
  buildCommands: ['/app/.venv/bin/python -m compileall -q .'],
  runtimePaths: ['.venv', 'main.py'],
  startCommand: ['/app/.venv/bin/gunicorn', 'main:app'],
  migrateCommand: '/app/.venv/bin/alembic upgrade head',
  apiKeyToolCommand: 'python -m service.apikeys',
  testCommand: 'pytest',
  lintCommand: 'ruff check .',
  healthCheckCommand: ['python', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:{{port}}{{path}}")'],
};

if (!findBlueprint(TEST_BLUEPRINT.id)) registerBlueprint(TEST_BLUEPRINT);

/** A fresh output folder under the OS temp dir (never the checkout). */
export function tempOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-project-'));
}

/** The smallest valid options, as `projen new` would pass them, plus overrides. */
export function projectOptions(overrides: Partial<HardenedServiceProjectOptions> = {}): HardenedServiceProjectOptions {
  return {
    name: 'hedis-optimizer',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.1.0',
    projenrcTs: true,
    serviceName: 'hedis-optimizer',
    blueprint: TEST_BLUEPRINT.id,
    alarmEmail: 'oncall@example.com',
    githubRepository: 'example-org/hedis-optimizer',
    awsRegion: 'us-east-1',
    stagingCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
    productionCertificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000',
    outdir: tempOutdir(),
    ...overrides,
  };
}

/** Synthesizes a project in a temp dir and returns its files by path. */
export function synth(overrides: Partial<HardenedServiceProjectOptions> = {}): Record<string, any> {
  const project = new HardenedServiceProject(projectOptions(overrides));
  return synthSnapshot(project);
}
