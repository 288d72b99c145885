import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { SERVICE_DOCS } from '../../../src/project/docs/service-docs';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { buildServiceStacks } from '../../../src/project/infrastructure/stack-facts';
import { resolveServiceModel } from '../../../src/project/service-model';
import { projectOptions } from '../helpers';

/**
 * What the generated README and guides name, checked against what the repository really has:
 * the scripts' own getopts, the workflows' variables and secrets, and the synthesized
 * templates' alarms and clusters.
 */

const VARIANTS: [string, Partial<HardenedServiceProjectOptions>][] = [
  ['the defaults', {}],
  ['two accounts', { stagingAccount: '111111111111', productionAccount: '222222222222' }],
  ['a platform', { platform: { name: 'acme' } }],
];

function generate(overrides: Partial<HardenedServiceProjectOptions>) {
  const options = projectOptions(overrides);
  const files = synthSnapshot(new HardenedServiceProject(options)) as Record<string, unknown>;
  const docs = ['README.md', ...SERVICE_DOCS.map((d) => `docs/${d}`)].map((f) => [f, String(files[f])] as const);
  return { options, files, docs };
}

/** The options string of a script's `getopts` loop, e.g. `:e:t:inpu:c:h`. */
function getoptsOf(script: string): string {
  const m = /while getopts "([^"]+)" opt/.exec(script);
  if (!m) throw new Error('no getopts loop');
  return m[1].replace(/^:/, '');
}

/** Every `scripts/<name>.sh ...` invocation in a document: the script and its words up to a comment, pipe or end of code. */
export function scriptInvocations(doc: string): { script: string; words: string[]; line: string }[] {
  const found: { script: string; words: string[]; line: string }[] = [];
  for (const line of doc.replace(/\\\n\s*/g, ' ').split('\n')) {
    for (const m of line.matchAll(/scripts\/([\w-]+\.sh)((?:\$\([^)]*\)|[^`#|;&)])*)/g)) {
      const words = (m[2].match(/"[^"]*"|'[^']*'|<[^>]*>|\S+/g) ?? []);
      found.push({ script: m[1], words, line });
    }
  }
  return found;
}

/** The flags of one invocation the script's getopts would refuse: unknown ones, or a flag whose argument is missing. */
function refusedFlags(optstring: string, words: string[]): string[] {
  const refused: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) continue;
    if (!/^-[A-Za-z]$/.test(w)) { refused.push(w); continue; }
    const at = optstring.indexOf(w[1]);
    if (at < 0) {refused.push(w);} else if (optstring[at + 1] === ':') {
      if (i + 1 >= words.length || words[i + 1].startsWith('-')) refused.push(`${w} (needs a value)`);
      i++;
    }
  }
  return refused;
}

/** The first backticked name of each cell under the given column headers, in every Markdown table of the text. */
function columnNames(text: string, headers: string[]): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = Object.fromEntries(headers.map((h) => [h, new Set<string>()]));
  const lines = text.split('\n');
  const cells = (l: string) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|[\s-|]+\|$/.test(lines[i + 1] ?? '') || (i > 0 && lines[i - 1].startsWith('|'))) continue;
    const header = cells(lines[i]);
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      const row = cells(lines[j]);
      header.forEach((h, k) => {
        const m = /^`([a-z0-9-]+)`/.exec(row[k] ?? '');
        if (out[h] && m) out[h].add(m[1]);
      });
    }
  }
  return out;
}

describe.each(VARIANTS)('generated docs with %s', (_label, overrides) => {
  let g: ReturnType<typeof generate>;
  beforeAll(() => {
    g = generate(overrides);
  });

  test('every scripts/<name>.sh command uses only flags its getopts accepts', () => {
    let checked = 0;
    const bad: string[] = [];
    for (const [file, doc] of g.docs) {
      for (const { script, words, line } of scriptInvocations(doc)) {
        const source = g.files[`scripts/${script}`];
        if (typeof source !== 'string') { bad.push(`${file}: scripts/${script} is not generated: ${line}`); continue; }
        const refused = refusedFlags(getoptsOf(source), words);
        if (refused.length) bad.push(`${file}: ${refused.join(', ')} not accepted by scripts/${script}: ${line.trim()}`);
        checked++;
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  test('every variable and secret a workflow reads (in ${{ }} or a bare if:) is in the CI/CD guide\'s table', () => {
    const guide = String(g.files['docs/CI_CD_GUIDE.md']);
    const table = guide.slice(guide.indexOf('## Secrets and variables'), guide.indexOf('\n## ', guide.indexOf('## Secrets and variables') + 1));
    const read = new Set<string>();
    const walk = (value: unknown): void => {
      if (typeof value === 'string') for (const m of value.matchAll(/\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)) read.add(`${m[1]}.${m[2]}`);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    for (const [file, content] of Object.entries(g.files)) {
      if (file.startsWith('.github/workflows/')) walk(typeof content === 'string' ? YAML.parse(content) : content);
    }
    read.delete('secrets.GITHUB_TOKEN');
    expect(read.size).toBeGreaterThan(2);
    const missing = [...read].filter((name) => {
      const [kind, variable] = name.split('.');
      const row = table.split('\n').find((l) => l.startsWith(`| \`${variable}\` |`));
      return !row || !row.includes(kind === 'secrets' ? '| secret |' : '| variable |');
    });
    expect(missing).toEqual([]);
  });

  test('every alarm and cluster the docs name exists in the synthesized templates', () => {
    const model = resolveServiceModel(g.options);
    const { stacks } = buildServiceStacks(model);
    type Resource = { Type: string; Properties?: any };
    const resources = stacks.flatMap((s: Stack) => Object.values(Template.fromStack(s).toJSON().Resources as Record<string, Resource>));
    const alarms = new Set(resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties.AlarmName));
    const all = g.docs.map(([, d]) => d).join('\n');
    const names = (type: string, property: (p: any) => unknown) =>
      new Set(resources.filter((r) => r.Type === type).map((r) => property(r.Properties)));
    const inTemplates: Record<string, Set<unknown>> = {
      Alarm: alarms,
      Dashboard: names('AWS::CloudWatch::Dashboard', (p) => p.DashboardName),
      Topic: names('AWS::SNS::Topic', (p) => p.TopicName),
    };
    const named = columnNames(all, Object.keys(inTemplates));
    // The runbook's headings name alarms too.
    for (const m of all.matchAll(/^#### `([a-z0-9-]+)`/gm)) named.Alarm.add(m[1]);
    expect(named.Alarm.size).toBeGreaterThan(10);
    expect(named.Dashboard.size).toBeGreaterThanOrEqual(4);
    expect(named.Topic.size).toBe(2);
    for (const [column, set] of Object.entries(named)) {
      expect({ column, missing: [...set].filter((n) => !inTemplates[column].has(n)) }).toEqual({ column, missing: [] });
    }

    // Clusters: every --cluster the docs pass, and the setup guide's table.
    const clusters = new Set<string>(resources.filter((r) => r.Type === 'AWS::ECS::Cluster').map((r) => r.Properties.ClusterName));
    const docClusters = new Set([...all.matchAll(/--cluster ([\w-]+)/g)].map((m) => m[1]));
    for (const m of all.matchAll(/^\| ECS cluster \/ service \| `([\w-]+)` \/ `[\w-]+` \| `([\w-]+)` \/ `[\w-]+` \|/gm)) { docClusters.add(m[1]); docClusters.add(m[2]); }
    expect(docClusters.size).toBe(2);
    const joined = g.options.platform !== undefined;
    // A joined service's stacks create no cluster: the platform's, whose name the stack reads from SSM.
    const expected = joined ? new Set(model.environments.map((e) => e.settings.names.clusterName)) : clusters;
    expect(joined ? clusters.size : expected.size).toBe(joined ? 0 : 2);
    expect([...docClusters].filter((c) => !expected.has(c))).toEqual([]);
  });
});
