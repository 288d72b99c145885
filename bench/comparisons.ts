import * as fs from 'fs';
import * as path from 'path';
import { packKit, PROJEN_VERSION, run } from '../test/e2e/helpers';

/** What one timing runs: a command in a folder. */
export interface Step {
  readonly command: string[];
  readonly cwd: string;
}

/** One side-by-side measurement: two commands timed alternately in the same run. */
export interface Comparison {
  readonly name: string;
  /** Called untimed before every timing of our side; returns what to time. */
  readonly ours: () => Step;
  /** Called untimed before every timing of the baseline; returns what to time. */
  readonly baseline: () => Step;
  /** The ratio (ours / baseline) the product aims at, printed next to the measured one. */
  readonly target?: number;
  /** Runs once before the measurement. */
  readonly setup?: () => void;
}

const SERVICE = 'hedis-optimizer';
const tsx = ['node', '--import', 'tsx'];
const projen = ['npx', '-y', `projen@${PROJEN_VERSION}`];
const cdkSynth = ['npx', 'cdk', 'synth', '--quiet'];

/** Every comparison `npm run bench` runs, in order. `work` is a scratch folder for this run. */
export function comparisons(root: string, work: string): Comparison[] {
  const cdkVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).devDependencies['aws-cdk-lib'].replace(/^\D+/, '');
  const fresh = (prefix: string) => fs.mkdtempSync(path.join(work, prefix));
  // A fresh empty folder per timing; the previous one (with its node_modules) is removed first.
  const replaced = new Map<string, string>();
  const freshEach = (prefix: string) => {
    const previous = replaced.get(prefix);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
    const dir = fresh(prefix);
    replaced.set(prefix, dir);
    return dir;
  };
  // Packed and scaffolded once, by the first comparison that needs them.
  let tarball = '';
  let oursRepo = '';
  let stockRepo = '';
  // `projen new` of each, as a user runs it (CI unset, no git), dependencies installed. The
  // stock app gets the CDK version of the kit's generated repo, so both install the same aws-cdk-lib.
  const newOurs = (): string[] => [...projen, 'new', '--from', `hardened-service-kit@file:${tarball}`, 'hardened-service', '--no-git',
    '--service-name', SERVICE, '--blueprint', 'python-api'];
  const newStock = (): string[] => [...projen, 'new', 'awscdk-app-ts', '--no-git', '--cdk-version', cdkVersion];
  const scaffolded = () => {
    if (oursRepo) return;
    tarball = packKit(path.join(work, 'kit'), '1.0.0');
    oursRepo = fresh('ours-');
    run(newOurs()[0], newOurs().slice(1), { cwd: oursRepo });
    stockRepo = fresh('stock-');
    run(newStock()[0], newStock().slice(1), { cwd: stockRepo });
  };

  return [
    {
      // The kit's two-environment app with both compliance packs, versus plain ecs-patterns + RDS.
      name: 'construct-synth',
      ours: () => ({ command: [...tsx, 'bench/apps/hardened.ts'], cwd: root }),
      baseline: () => ({ command: [...tsx, 'bench/apps/baseline.ts'], cwd: root }),
    },
    {
      // `projen new` of the HEDIS optimizer from the packed kit (which first installs the kit),
      // versus projen's stock `awscdk-app-ts`: both write their files and install their
      // dependencies, from the same npm cache, each in a fresh empty folder.
      name: 'projen-new',
      target: 1.2,
      setup: scaffolded,
      ours: () => ({ command: newOurs(), cwd: freshEach('new-ours-') }),
      baseline: () => ({ command: newStock(), cwd: freshEach('new-stock-') }),
    },
    {
      // `npx projen` in a scaffolded repo: what every option change and kit upgrade runs.
      name: 're-synth',
      target: 1.2,
      setup: scaffolded,
      ours: () => ({ command: ['npx', 'projen'], cwd: oursRepo }),
      baseline: () => ({ command: ['npx', 'projen'], cwd: stockRepo }),
    },
    {
      // The generated repo's `cdk synth`: both environments' stacks through both compliance
      // packs (run by tsx), versus the stock app's empty sample stack (run by ts-node).
      name: 'cdk-synth',
      target: 1.0,
      setup: scaffolded,
      ours: () => ({ command: cdkSynth, cwd: oursRepo }),
      baseline: () => ({ command: cdkSynth, cwd: stockRepo }),
    },
  ];
}
