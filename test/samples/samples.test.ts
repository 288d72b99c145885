import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_CONTEXT, renderSample, SAMPLES_DIR, SampleContext } from './render-sample';
import { NODE_API } from '../../src/blueprints/node-api';
import { PYTHON_API } from '../../src/blueprints/python-api';

/** Made by the blueprint's install or build commands, so absent from the sample itself. */
const BUILD_OUTPUTS = new Set(['.venv', 'node_modules', 'dist']);

const CONTEXT: SampleContext = {
  ...DEFAULT_CONTEXT,
  serviceName: 'claims-api',
  containerPort: 9000,
  healthCheckPath: '/healthz',
  allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
};

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function render(sample: string, context: SampleContext = CONTEXT): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sample-${sample}-`));
  made.push(dir);
  return { dir, files: renderSample(path.join(SAMPLES_DIR, sample), dir, context) };
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf-8');
}

function listAll(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe.each([PYTHON_API, NODE_API])('blueprint $id', (blueprint) => {
  test('its sample holds the dependency files and everything the runtime stage copies', () => {
    // GIVEN the blueprint's sample folder WHEN it is rendered
    const { dir, files } = render(blueprint.sampleDir);

    // THEN the Dockerfile's COPY sources exist (or are made by the install/build commands)
    for (const file of blueprint.dependencyFiles) expect(files).toContain(file);
    for (const runtimePath of blueprint.runtimePaths.filter((p) => !BUILD_OUTPUTS.has(p))) {
      expect(fs.existsSync(path.join(dir, runtimePath))).toBe(true);
    }
    expect(files.filter((file) => file.endsWith('.hbs'))).toEqual([]);
  });

  test('its base image is pinned to a patch version, never latest', () => {
    expect(blueprint.baseImage).toMatch(/^(python:3\.11\.\d+-slim-bookworm|node:24\.\d+\.\d+-bookworm-slim)$/);
  });

  test('its health check uses the runtime itself, with the port and path placeholders', () => {
    expect(blueprint.healthCheckCommand[0]).toMatch(/^(python3|node)$/);
    expect(blueprint.healthCheckCommand.join(' ')).toContain('127.0.0.1:{{port}}{{path}}');
    // The Dockerfile writes the command as a JSON array; double quotes would need escaping.
    expect(blueprint.healthCheckCommand.join(' ')).not.toContain('"');
  });

  test('the rendered sample carries the service values', () => {
    const { dir, files } = render(blueprint.sampleDir);
    const defaults = files.find((file) => /(^|\/)defaults\.(py|ts)$/.test(file));

    expect(defaults).toBeDefined();
    const text = read(dir, defaults!);
    expect(text).toContain('claims-api');
    expect(text).toContain('9000');
    expect(text).toContain('/healthz');
    expect(text).toContain('https://a.example.com,https://b.example.com');
  });
});

describe('python-api sample', () => {
  test('pins every runtime requirement exactly and layers the test tools on top', () => {
    const { dir } = render('python-api');
    const requirements = (file: string): string[] =>
      read(dir, file).split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => line !== '');

    for (const line of requirements('requirements.txt')) expect(line).toMatch(/^[A-Za-z0-9_.-]+==[0-9][\w.]*$/);
    const full = requirements('requirements-full.txt');
    expect(full[0]).toBe('-r requirements.txt');
    for (const line of full.slice(1)) expect(line).toMatch(/^[A-Za-z0-9_.-]+==[0-9][\w.]*$/);
    expect(requirements('requirements.txt')).toEqual(expect.arrayContaining(['fastapi==0.142.2', 'gunicorn==26.2.0']));
  });

  test('gunicorn listens on the service port by default', () => {
    const { dir } = render('python-api');

    expect(read(dir, 'gunicorn.conf.py')).toContain("os.environ.get('PORT') or 9000");
  });
});

describe('node-api sample', () => {
  test('pins exact versions, TypeScript 5.x, and a lock file that matches package.json', () => {
    const { dir } = render('node-api');
    const pkg = JSON.parse(read(dir, 'package.json'));
    const lock = JSON.parse(read(dir, 'package-lock.json'));

    expect(pkg.name).toBe('claims-api');
    expect(lock.name).toBe('claims-api');
    for (const version of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(pkg.devDependencies.typescript).toMatch(/^5\./);
    // `npm ci` refuses a lock file whose root entry disagrees with package.json.
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    for (const script of ['build', 'test', 'lint', 'migrate']) expect(pkg.scripts[script]).toBeDefined();
  });

  test('keeps its TypeScript out of the kit: every .ts source is a .hbs template', () => {
    // jsii compiles src/**/*.ts and jest runs src/**/*.test.ts: a plain .ts file here would be
    // compiled or run as part of the kit.
    const files = listAll(path.join(SAMPLES_DIR, 'node-api'));

    expect(files.filter((file) => /\.(ts|tsx)$/.test(file))).toEqual([]);
    // Only defaults.ts uses Handlebars; the others must render to themselves.
    const templated = files.filter((file) => file.endsWith('.ts.hbs') && !file.endsWith('defaults.ts.hbs'));
    expect(templated.length).toBeGreaterThan(5);
    for (const file of templated) expect(read(path.join(SAMPLES_DIR, 'node-api'), file)).not.toContain('{{');
  });
});

describe('renderSample', () => {
  test('copies files that are not templates byte for byte', () => {
    const { dir } = render('python-api');

    expect(read(dir, 'service/main.py')).toBe(read(path.join(SAMPLES_DIR, 'python-api'), 'service/main.py'));
  });

  test('fails when the context lacks a value a template uses', () => {
    const { serviceName: _omitted, ...partial } = CONTEXT;

    expect(() => render('node-api', partial as SampleContext)).toThrow(/"serviceName" not defined/);
  });

  test('no sample names a package registry host', () => {
    for (const sample of ['python-api', 'node-api']) {
      const root = path.join(SAMPLES_DIR, sample);
      for (const file of listAll(root)) {
        expect(read(root, file)).not.toMatch(/registry\.npmjs|pypi\.org|pythonhosted|yarnpkg/);
      }
    }
  });
});
