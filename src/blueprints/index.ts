import * as fs from 'fs';
import * as path from 'path';
import { Blueprint } from './blueprint';

export type { Blueprint } from './blueprint';

/**
 * The registry of blueprints, by id. Every module in this folder other than `index` and
 * `blueprint` is loaded, and each exported value shaped like a `Blueprint` is registered, so
 * adding a kind of service means adding one file here (whatever it names its export).
 */
const registry = new Map<string, Blueprint>();
let loaded = false;

function load(): Map<string, Blueprint> {
  if (loaded) return registry;
  loaded = true;
  const modules = fs
    .readdirSync(__dirname)
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.(js|ts)$/, ''))
    .filter((name) => name !== 'index' && name !== 'blueprint');
  for (const name of [...new Set(modules)].sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(__dirname, name)) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (isBlueprint(value) && !registry.has(value.id)) registry.set(value.id, value);
    }
  }
  return registry;
}

/** Ids of the known blueprints, sorted. */
export function blueprintIds(): string[] {
  return [...load().keys()].sort();
}

/** The blueprint with this id, or undefined. */
export function findBlueprint(id: string): Blueprint | undefined {
  return load().get(id);
}

/** Adds a blueprint that does not live in this folder (tests, experiments). */
export function registerBlueprint(blueprint: Blueprint): void {
  load().set(blueprint.id, blueprint);
}

function isBlueprint(value: unknown): value is Blueprint {
  const candidate = value as Partial<Blueprint> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.id === 'string' &&
    typeof candidate.baseImage === 'string' &&
    Array.isArray(candidate.startCommand)
  );
}
