import { github } from 'projen';
import { withVersionComments } from './workflow-actions';

/** Top-level keys of a workflow in the order people read them: permissions before jobs. */
const TOP_LEVEL_ORDER = ['name', 'run-name', 'on', 'permissions', 'concurrency', 'defaults', 'env', 'jobs'];

/**
 * Post-processes a workflow file's rendered text: the release tag beside each pinned commit
 * (`uses: owner/repo@<commit> # vX.Y.Z`), and top-level `permissions` above the jobs.
 * projen renders workflows from objects, which carry no comments, and adds keys set through
 * overrides (such as top-level `permissions`) after the others. Safe to call more than once.
 */
export function polishWorkflowFile(workflow: github.GithubWorkflow): void {
  const file = workflow.file as unknown as PolishedFile | undefined;
  if (!file || file[POLISHED]) return;
  const render = file.synthesizeContent.bind(file);
  file.synthesizeContent = (resolver: unknown) => {
    const text = render(resolver);
    return text === undefined ? undefined : orderTopLevelKeys(withVersionComments(text));
  };
  file[POLISHED] = true;
}

/**
 * Reorders the top-level blocks of a YAML document rendered by projen (each block starts with
 * an unindented `key:` line) into `TOP_LEVEL_ORDER`; unknown keys keep their place after the
 * known ones. Comment lines before the first key stay first.
 */
export function orderTopLevelKeys(text: string): string {
  const lines = text.split('\n');
  const head: string[] = [];
  const blocks: { key: string; lines: string[] }[] = [];
  for (const line of lines) {
    const key = /^([A-Za-z][\w-]*):/.exec(line);
    if (key) {
      blocks.push({ key: key[1], lines: [line] });
    } else if (blocks.length === 0) {
      head.push(line);
    } else {
      blocks[blocks.length - 1].lines.push(line);
    }
  }
  const rank = (key: string) => {
    const index = TOP_LEVEL_ORDER.indexOf(key);
    return index === -1 ? TOP_LEVEL_ORDER.length : index;
  };
  // A stable sort keeps the original order among keys of the same rank.
  const ordered = blocks.map((block, index) => ({ block, index })).sort((a, b) => rank(a.block.key) - rank(b.block.key) || a.index - b.index);
  // The last block carries the file's final newline; give every block one, then restore it.
  const body = ordered.map(({ block }) => block.lines.join('\n').replace(/\n*$/, '')).join('\n');
  return [...head, body].join('\n') + (text.endsWith('\n') ? '\n' : '');
}

const POLISHED = Symbol.for('hardened-service-kit.polished-workflow');

interface PolishedFile {
  [POLISHED]?: boolean;
  synthesizeContent(resolver: unknown): string | undefined;
}
