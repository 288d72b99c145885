import { Blueprint } from './blueprint';
import { NODE_API } from './node-api';
import { PYTHON_API } from './python-api';

export type { Blueprint } from './blueprint';

/**
 * The kit's blueprints. Adding a kind of service means adding its file in this folder and
 * listing its blueprint here.
 */
export const BLUEPRINTS: readonly Blueprint[] = [NODE_API, PYTHON_API];

/** The registry, by id: the kit's blueprints and any registered since (tests, experiments). */
const registry = new Map<string, Blueprint>(BLUEPRINTS.map((blueprint) => [blueprint.id, blueprint]));

/** Ids of the known blueprints, sorted. */
export function blueprintIds(): string[] {
  return [...registry.keys()].sort();
}

/** The blueprint with this id, or undefined. */
export function findBlueprint(id: string): Blueprint | undefined {
  return registry.get(id);
}

/** Adds a blueprint that does not live in this folder (tests, experiments). */
export function registerBlueprint(blueprint: Blueprint): void {
  registry.set(blueprint.id, blueprint);
}
