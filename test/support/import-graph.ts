import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** One import of a source file: the file that imports and what it names (a path or a package). */
export interface ImportEdge {
  readonly from: string;
  /** `src/...` for a file of the kit, the package name otherwise. */
  readonly to: string;
}

/**
 * Every static import, `export ... from` and `require()` of the `.ts` files under `dir`
 * (relative to `root`), read with the TypeScript compiler's own pre-processor, with relative
 * specifiers resolved to the file they name.
 */
export function importGraph(root: string, dir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(path.join(root, dir))) {
    const from = path.relative(root, file).split(path.sep).join('/');
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf-8'), true, true);
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      edges.push({ from, to: spec.startsWith('.') ? resolve(root, path.dirname(file), spec) : packageName(spec) });
    }
  }
  return edges;
}

/** The import cycles among the kit's own files, each as the list of files around it. */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!edge.to.startsWith('src/')) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  // Tarjan's strongly connected components: every component of more than one file is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (next.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'templates' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(root: string, dir: string, spec: string): string {
  const base = path.resolve(dir, spec);
  const file = [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (!file) throw new Error(`cannot resolve the import '${spec}' in ${path.relative(root, dir)}`);
  return path.relative(root, file).split(path.sep).join('/');
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
