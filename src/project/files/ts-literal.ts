/**
 * Renders plain data as a TypeScript literal in the style projen's ESLint rules expect
 * (single quotes, unquoted keys where possible, trailing commas), one property per line.
 */
export function tsLiteral(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 2);
  if (value === null || value === undefined) return 'undefined';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object')) return `[${value.map((v) => tsLiteral(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, indent + 2)},\n`).join('')}${pad}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${tsProperties(value as Record<string, unknown>, indent + 2)}${pad}}`;
  }
  throw new Error(`cannot render ${typeof value} as a TypeScript literal`);
}

/** The properties of an object, one `key: value,` line each, at the given indent. */
export function tsProperties(value: Record<string, unknown>, indent: number): string {
  const pad = ' '.repeat(indent);
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pad}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)}: ${tsLiteral(v, indent)},\n`)
    .join('');
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
