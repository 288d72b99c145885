import { AssemblyDiff, PropertyChangeReport, ResourceReport, StackReport } from './stack-diff';

/** How `hardened-service diff` prints an `AssemblyDiff`: lines for a terminal, or Markdown. */

const SYMBOL: Record<ResourceReport['change'], string> = {
  'removed': '-',
  'replaced': '!',
  'may-be-replaced': '?',
  'added': '+',
  'changed': '~',
};

/** Counts per kind of change, for one stack or all. */
export function counts(resources: ResourceReport[]): Record<ResourceReport['change'], number> {
  const c = { 'removed': 0, 'replaced': 0, 'may-be-replaced': 0, 'added': 0, 'changed': 0 };
  for (const r of resources) c[r.change]++;
  return c;
}

function countLine(resources: ResourceReport[]): string {
  const c = counts(resources);
  const parts = [`${c.added} added`, `${c.removed} removed`, `${c.replaced} replaced`];
  if (c['may-be-replaced'] > 0) parts.push(`${c['may-be-replaced']} may be replaced`);
  parts.push(`${c.changed} changed`);
  return parts.join(', ');
}

/** A value on one line, cut to `max` characters. */
export function brief(value: unknown, max = 60): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function property(p: PropertyChangeReport): string {
  return `${p.name}: ${brief(p.before)} -> ${brief(p.after)}${p.effect === 'updates' ? '' : ` (${p.effect})`}`;
}

/** `<stack> <logicalId> (<type>, <path>)`: how a resource is named in messages. */
export function nameOf(r: ResourceReport): string {
  return `${r.stack} ${r.logicalId} (${r.type}${r.path ? `, ${r.path}` : ''})`;
}

/** How many blocking resources the one-line verdict names (the report lists them all). */
const VERDICT_LIMIT = 20;

/** The one-line verdict: what blocks, or that nothing does. */
export function verdict(diff: AssemblyDiff, ackFile: string): string {
  if (diff.blocking.length === 0) {
    const acked = diff.acknowledged.length > 0 ? `; ${diff.acknowledged.length} acknowledged in ${ackFile}` : '';
    return `${diff.stacks.length} stack(s) compared: no unacknowledged replacement or removal of a stateful resource${acked}`;
  }
  const named = diff.blocking.slice(0, VERDICT_LIMIT).map((r) => `${nameOf(r)} ${r.change.replace(/-/g, ' ')}`);
  const more = diff.blocking.length - named.length;
  const list = named.join('; ') + (more > 0 ? `; and ${more} more (listed in the report)` : '');
  return `${diff.blocking.length} stateful resource(s) would be replaced or removed: ${list}. `
    + 'Keep the construct ids (and the properties that replace) as they were, or, if losing or moving the resource is deliberate, '
    + `add { "stack", "logicalId", "reason" } for each to ${ackFile}`;
}

/** The report for a terminal or a CI log. */
export function textReport(diff: AssemblyDiff, ackFile: string): string[] {
  const lines: string[] = [];
  for (const stack of diff.stacks) {
    const presence = stack.presence === 'both' ? '' : stack.presence === 'added' ? ' (new stack)' : ' (stack removed)';
    if (stack.resources.length === 0 && stack.other.length === 0) {
      lines.push(`${stack.stack}${presence}: no changes`);
      continue;
    }
    lines.push(`${stack.stack}${presence}: ${countLine(stack.resources)}`);
    for (const r of stack.resources) {
      const flag = r.dangerous ? (r.acknowledged ? `  ACKNOWLEDGED: ${r.acknowledged}` : '  STATEFUL: blocks the merge') : '';
      lines.push(`  ${SYMBOL[r.change]} ${r.change.padEnd(15)} ${r.type}  ${r.logicalId}${r.path ? `  (${r.path})` : ''}${flag}`);
      if (r.dataOutcome && r.stateful) lines.push(`      ${r.dataOutcome}`);
      for (const p of r.properties) lines.push(`      ${property(p)}`);
    }
    for (const line of stack.other) lines.push(`  ${line}`);
  }
  lines.push('', ...unusedLines(diff, ackFile), verdict(diff, ackFile));
  return lines;
}

function unusedLines(diff: AssemblyDiff, ackFile: string): string[] {
  return diff.unusedAcknowledgements.map((a) =>
    `warning: ${ackFile} acknowledges ${a.stack} ${a.logicalId}, which this diff does not replace or remove; remove the entry once the change it was for is deployed`);
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The report as GitHub-flavoured Markdown: the job summary and the upgrade pull request's body. */
export function markdownReport(diff: AssemblyDiff, ackFile: string): string[] {
  const lines = ['## Infrastructure diff', ''];
  if (diff.blocking.length > 0) {
    lines.push(`**Blocked**: ${diff.blocking.length} stateful resource(s) would be replaced or removed, and ${code(ackFile)} does not acknowledge them.`, '');
  } else {
    lines.push(`No stateful resource is replaced or removed without an acknowledgement (${diff.acknowledged.length} acknowledged).`, '');
  }
  lines.push('| stack | added | removed | replaced | may be replaced | changed |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of diff.stacks) {
    const c = counts(s.resources);
    const name = s.presence === 'both' ? s.stack : `${s.stack} (${s.presence === 'added' ? 'new' : 'removed'})`;
    lines.push(`| ${cell(name)} | ${c.added} | ${c.removed} | ${c.replaced} | ${c['may-be-replaced']} | ${c.changed} |`);
  }
  const flagged = [...diff.blocking, ...diff.acknowledged];
  if (flagged.length > 0) {
    lines.push('', '### Stateful resources replaced or removed', '', '| stack | logical id | type | construct path | change | what happens to the data | acknowledged |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of flagged) {
      lines.push(`| ${cell(r.stack)} | ${code(r.logicalId)} | ${cell(r.type)} | ${cell(r.path ?? '')} | ${r.change.replace(/-/g, ' ')} | ${cell(r.dataOutcome ?? '')} | ${r.acknowledged ? cell(r.acknowledged) : '**no**'} |`);
    }
    if (diff.blocking.length > 0) {
      lines.push('', `If this is deliberate (the data is migrated or not needed), add an entry per resource to ${code(ackFile)} in this pull request:`, '', '```json');
      lines.push(JSON.stringify({ acknowledgements: diff.blocking.map((r) => ({ stack: r.stack, logicalId: r.logicalId, reason: 'why losing or moving this resource is safe' })) }, undefined, 2));
      lines.push('```', '', 'Otherwise keep the construct ids and the replacing properties as they were.');
    }
  }
  for (const warning of unusedLines(diff, ackFile)) lines.push('', `> ${warning.replace(/^warning: /, '**Warning**: ')}`);
  for (const s of diff.stacks) lines.push(...stackSection(s));
  lines.push('');
  return lines;
}

function stackSection(s: StackReport): string[] {
  if (s.resources.length === 0 && s.other.length === 0) return ['', `### ${s.stack}`, '', 'No changes.'];
  const lines = ['', `### ${s.stack}`, '', `<details><summary>${countLine(s.resources)}</summary>`, ''];
  if (s.resources.length > 0) {
    lines.push('| change | type | logical id | construct path | properties |', '| --- | --- | --- | --- | --- |');
    for (const r of s.resources) {
      const props = r.properties.map((p) => cell(property(p))).join('<br>');
      lines.push(`| ${SYMBOL[r.change]} ${r.change.replace(/-/g, ' ')} | ${cell(r.type)} | ${code(r.logicalId)} | ${cell(r.path ?? '')} | ${props} |`);
    }
  }
  if (s.other.length > 0) lines.push('', ...s.other.map((o) => `- ${o}`));
  lines.push('', '</details>');
  return lines;
}
