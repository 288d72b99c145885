import { NODE_API } from '../../src/blueprints/node-api';
import { PYTHON_API } from '../../src/blueprints/python-api';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';
import {
  assessCurrency,
  CURRENCY_TABLE,
  DEFAULT_LINES,
  defaultLine,
  END_OF_LIFE_WARNING_DAYS,
  findLine,
  imageRuntimes,
} from '../../src/core/runtime-currency';
import { DEFAULT_NODE_VERSION } from '../../src/project/workflows/workflow-steps';

describe('the currency table', () => {
  test('every line has a real date (or none announced) and an https source', () => {
    for (const line of CURRENCY_TABLE) {
      if (line.endOfLife !== undefined) {
        expect(line.endOfLife).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(Date.parse(line.endOfLife))).toBe(false);
      }
      expect(line.source).toMatch(/^https:\/\//);
    }
  });

  test('drives the defaults: both blueprints, the workflows and the engines', () => {
    expect(NODE_API.baseImage).toEqual(`node:${defaultLine('node').release}-bookworm-slim`);
    expect(NODE_API.runtime).toEqual('Node.js 24');
    expect(PYTHON_API.baseImage).toEqual(`python:${defaultLine('python').release}-slim-bookworm`);
    expect(DEFAULT_NODE_VERSION).toEqual('24');
    expect(findLine('postgresql', String(SERVICE_DEFAULTS.postgresMajorVersion))).toBe(defaultLine('postgres'));
    expect(findLine('redis', SERVICE_DEFAULTS.redisVersion)).toBe(defaultLine('redis'));
  });

  // Deliberately on the real clock: this is the check that keeps the kit's defaults current.
  // It fails once a default comes within the warning window of its end of life, so that the
  // table (and with it every generated repo) moves on before the doctor of every repo warns.
  test.each(Object.keys(DEFAULT_LINES))('the default %s line is not within the warning window of its end of life today', (role) => {
    const line = defaultLine(role as keyof typeof DEFAULT_LINES);
    const [finding] = assessCurrency([{ item: role, product: line.product, version: line.line, option: '-' }], new Date().toISOString().slice(0, 10));
    expect(['supported', 'no-date']).toContain(finding.state);
  });
});

describe('imageRuntimes', () => {
  test('reads the runtime and the Debian release of official node and python images, with any prefix', () => {
    expect(imageRuntimes('node:24.22.3-bookworm-slim', 'baseImage')).toEqual([
      { item: 'Node.js of the image', product: 'nodejs', version: '24.22.3', option: 'baseImage' },
      { item: 'Debian of the image', product: 'debian', version: 'bookworm', option: 'baseImage' },
    ]);
    expect(imageRuntimes('public.ecr.aws/docker/library/python:3.11.16-slim-bookworm@sha256:' + 'a'.repeat(64), 'baseImage')).toEqual([
      { item: 'Python of the image', product: 'python', version: '3.11.16', option: 'baseImage' },
      { item: 'Debian of the image', product: 'debian', version: 'bookworm', option: 'baseImage' },
    ]);
    expect(imageRuntimes('node:22', 'baseImage')).toEqual([{ item: 'Node.js of the image', product: 'nodejs', version: '22', option: 'baseImage' }]);
  });

  test('yields nothing for other images', () => {
    expect(imageRuntimes('registry.example.com/base/api:1.2.3', 'baseImage')).toEqual([]);
    expect(imageRuntimes('gcr.io/distroless/nodejs24-debian12', 'baseImage')).toEqual([]);
  });
});

describe('assessCurrency', () => {
  const use = (product: string, version: string) => ({ item: 'x', product, version, option: 'opt' });

  test('past, within the window (both ends) and beyond it', () => {
    const findings = assessCurrency([use('nodejs', '20.20.2'), use('nodejs', '22'), use('nodejs', '24')], '2027-01-30');
    expect(findings.map((f) => [f.name, f.state, f.daysLeft])).toEqual([
      ['Node.js 20', 'end-of-life', -275],
      ['Node.js 22', 'ending-soon', 90],
      ['Node.js 24', 'supported', 456],
    ]);
    expect(assessCurrency([use('nodejs', '22')], '2027-01-29')[0].state).toBe('supported');
    expect(assessCurrency([use('nodejs', '22')], '2027-04-30')[0]).toMatchObject({ state: 'ending-soon', daysLeft: 0 });
    expect(assessCurrency([use('nodejs', '22')], '2027-05-01')[0]).toMatchObject({ state: 'end-of-life', daysLeft: -1 });
    expect(END_OF_LIFE_WARNING_DAYS).toBe(90);
  });

  test('a line with no announced date, and a version the table does not know', () => {
    expect(assessCurrency([use('redis', '7.1')], '2026-12-01')[0]).toMatchObject({ state: 'no-date', name: 'ElastiCache Redis OSS 7.1' });
    expect(assessCurrency([use('nodejs', '25.1.0')], '2026-12-01')[0]).toMatchObject({ state: 'unknown' });
    // 3.1 is not 3.11: lines match on whole components.
    expect(findLine('python', '3.1')).toBeUndefined();
    expect(findLine('python', '3.11.16')?.name).toBe('Python 3.11');
  });
});
