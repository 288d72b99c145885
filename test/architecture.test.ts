import * as path from 'path';
import { importCycles, importGraph, ImportEdge } from './support/import-graph';

/*
 * The kit's layers and their one direction of imports (docs/architecture.md, "Layers"):
 *   src/core        pure data and rules: no other layer, no constructs, no projen
 *   src/constructs  the construct library: core only
 *   src/blueprints  the runtimes' data: core only
 *   src/project     the projen project types: core, constructs, blueprints
 *   src/cli         the deploy tool: core only (it never loads CDK or projen)
 */
const ROOT = path.join(__dirname, '..');
const EDGES = importGraph(ROOT, 'src');

interface LayerRule {
  readonly layer: string;
  /** Kit folders and packages this layer must not import. */
  readonly forbidden: string[];
}

const RULES: LayerRule[] = [
  { layer: 'src/core/', forbidden: ['src/constructs/', 'src/project/', 'src/cli/', 'src/blueprints/', 'constructs', 'projen'] },
  { layer: 'src/constructs/', forbidden: ['src/project/', 'src/cli/', 'src/blueprints/', 'projen'] },
  { layer: 'src/blueprints/', forbidden: ['src/constructs/', 'src/project/', 'src/cli/', 'constructs', 'projen', 'aws-cdk-lib'] },
  { layer: 'src/cli/', forbidden: ['src/constructs/', 'src/project/', 'src/blueprints/', 'constructs', 'projen', 'aws-cdk-lib'] },
  { layer: 'src/project/', forbidden: ['src/cli/'] },
];

const matches = (target: string, rule: string) => (rule.endsWith('/') ? target.startsWith(rule) : target === rule);
const layerViolations = (edges: ImportEdge[], { layer, forbidden }: LayerRule) =>
  edges.filter((e) => e.from.startsWith(layer) && forbidden.some((rule) => matches(e.to, rule)));
const show = (edges: ImportEdge[]) => edges.map((e) => `${e.from} -> ${e.to}`);

describe('layers', () => {
  test('the graph is read from the sources', () => {
    // Guards the rules below against passing on an empty graph.
    expect(EDGES.some((e) => e.from === 'src/constructs/hardened-service-stack.ts' && e.to === 'src/core/settings.ts')).toBe(true);
    expect(EDGES.some((e) => e.from === 'src/cli/main.ts' && e.to === '@aws-sdk/client-cloudformation')).toBe(true);
  });

  test.each(RULES)('$layer imports none of its forbidden layers', (rule) => {
    expect(show(layerViolations(EDGES, rule))).toEqual([]);
  });

  test('a private/ folder serves only the folder that holds it', () => {
    const bad = EDGES.filter((e) => {
      const at = e.to.indexOf('/private/');
      return at >= 0 && !e.from.startsWith(e.to.slice(0, at + 1));
    });
    expect(show(bad)).toEqual([]);
  });

  test('src/ has no import cycles', () => {
    expect(importCycles(EDGES)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  test('fails when the core imports a construct or projen', () => {
    const edges = [
      { from: 'src/core/settings.ts', to: 'src/constructs/api-service.ts' },
      { from: 'src/core/settings.ts', to: 'projen' },
      { from: 'src/core/settings.ts', to: 'src/core/names.ts' },
    ];
    expect(show(layerViolations(edges, RULES[0]))).toEqual([
      'src/core/settings.ts -> src/constructs/api-service.ts',
      'src/core/settings.ts -> projen',
    ]);
  });

  test('fails when two files import each other', () => {
    const cycle = importCycles([
      { from: 'src/a.ts', to: 'src/b.ts' },
      { from: 'src/b.ts', to: 'src/c.ts' },
      { from: 'src/c.ts', to: 'src/a.ts' },
      { from: 'src/c.ts', to: 'aws-cdk-lib' },
    ]);
    expect(cycle).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
  });
});
