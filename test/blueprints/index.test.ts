import * as fs from 'fs';
import * as path from 'path';
import { Blueprint } from '../../src/blueprints/blueprint';
import { BLUEPRINTS, blueprintIds, findBlueprint, registerBlueprint } from '../../src/blueprints/index';
import { NODE_API } from '../../src/blueprints/node-api';
import { PYTHON_API } from '../../src/blueprints/python-api';

describe('the blueprint registry', () => {
  test('python-api and node-api are registered from the explicit list', () => {
    expect(BLUEPRINTS.map((b) => b.id)).toEqual(['node-api', 'python-api']);
    expect(blueprintIds()).toEqual(expect.arrayContaining(['node-api', 'python-api']));
    expect(findBlueprint('python-api')).toBe(PYTHON_API);
    expect(findBlueprint('node-api')).toBe(NODE_API);
  });

  test('fails when a blueprint file of src/blueprints is missing from the list', () => {
    // The list replaces a folder scan: this keeps the two from drifting apart.
    const dir = path.join(__dirname, '..', '..', 'src', 'blueprints');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'blueprint.ts');
    const listed = new Set<unknown>(BLUEPRINTS);
    const unlisted = files.filter((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(path.join(dir, file)) as Record<string, unknown>);
      return !exported.some((value) => listed.has(value));
    });
    expect(unlisted).toEqual([]);
  });

  test('an unknown id finds nothing, and a registered blueprint is found', () => {
    expect(findBlueprint('no-such-api')).toBeUndefined();
    const extra: Blueprint = { ...PYTHON_API, id: 'registry-test-api' };
    registerBlueprint(extra);
    expect(findBlueprint('registry-test-api')).toBe(extra);
  });
});
