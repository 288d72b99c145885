/** One side-by-side measurement: two commands timed alternately in the same run. */
export interface Comparison {
  readonly name: string;
  readonly ours: string[];
  readonly baseline: string[];
  readonly cwd?: string;
  /** Runs once before the measurement. */
  readonly setup?: () => void;
  /** Runs before every timed command. */
  readonly beforeEach?: () => void;
}

/** Every comparison `npm run bench` runs, in order. */
export function comparisons(_root: string): Comparison[] {
  const tsx = ['node', '--import', 'tsx'];
  return [
    {
      // The kit's two-environment app with both compliance packs, versus plain ecs-patterns + RDS.
      name: 'construct-synth',
      ours: [...tsx, 'bench/apps/hardened.ts'],
      baseline: [...tsx, 'bench/apps/baseline.ts'],
    },
  ];
}
