import { github } from 'projen';
import { ACTION_PINS, uses } from './workflow-actions';
import { newWorkflow, READ, WORKFLOW_TIMEOUTS, WorkflowContext } from './workflow-context';
import { checkoutStep, expr, shellScript } from './workflow-steps';
import { REPLACEMENTS_ACK_FILE } from '../../core/stateful-resources';
import { kitName } from '../files/kit-package';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

/** Where the two cloud assemblies are synthesized (shell words): outside both checkouts. */
const BASE_ASSEMBLY = '$RUNNER_TEMP/cdk.out.base';
const HEAD_ASSEMBLY = '$RUNNER_TEMP/cdk.out.head';

/**
 * Synthesis needs no AWS account: the stacks name their account and region, and nothing looks
 * anything up. No job here has credentials; the CDK CLI is told not to look for an instance
 * role either.
 */
const OFFLINE_ENV = { AWS_EC2_METADATA_DISABLED: 'true' };

/** `cdk synth` of the app in the current folder into `output`, with the compliance gate. */
function synthScript(output: string): string {
  return `npx cdk synth --quiet --output "${output}"\n`;
}

/**
 * `infrastructure-diff.yml`, on every pull request (the upgrade pull request too): synthesizes
 * the base branch and the pull request without AWS credentials, runs `hardened-service diff`,
 * writes its Markdown report to the job summary and fails on a replacement or removal of a
 * stateful resource that the pull request's `REPLACEMENTS_ACK_FILE` does not acknowledge.
 */
export function infrastructureDiffWorkflow(gh: github.GitHub, ctx: Pick<WorkflowContext, 'runsOn' | 'nodeVersion' | 'installCommand'>): github.GithubWorkflow {
  const workflow = newWorkflow(gh, 'infrastructure-diff', `infrastructure-diff-${expr('github.ref')}`);
  workflow.on({ pullRequest: {} });
  // A newer push to the pull request makes the running diff moot.
  workflow.file?.addOverride('concurrency.cancel-in-progress', true);
  workflow.addJobs({ 'infrastructure-diff': diffJob(ctx) });
  return workflow;
}

function diffJob(ctx: Pick<WorkflowContext, 'runsOn' | 'nodeVersion' | 'installCommand'>): Job {
  const checkout = (path: string, ref?: string): JobStep => {
    const step = checkoutStep(ref);
    return { ...step, name: `Check out the ${path === 'base' ? 'base branch' : 'pull request'}`, with: { ...step.with, path } };
  };
  const inBoth = (name: string, run: (side: 'base' | 'head') => string, env: Record<string, string> = {}): JobStep[] =>
    (['base', 'head'] as const).map((side) => ({
      name: `${name} (${side === 'base' ? 'base branch' : 'pull request'})`,
      workingDirectory: side,
      ...(Object.keys(env).length > 0 ? { env } : {}),
      run: run(side),
    }));
  return {
    name: 'Infrastructure diff',
    runsOn: ctx.runsOn,
    // Reads the code and writes the job summary; no token to write anything, no id-token.
    permissions: { contents: READ },
    timeoutMinutes: WORKFLOW_TIMEOUTS.diff,
    env: OFFLINE_ENV,
    steps: [
      // The merge of the pull request into its base (GitHub's default ref), and the base itself.
      checkout('head'),
      checkout('base', expr('github.event.pull_request.base.sha')),
      {
        name: 'Set up Node.js',
        uses: uses(ACTION_PINS.setupNode),
        with: { 'node-version': ctx.nodeVersion, 'cache': 'npm', 'cache-dependency-path': 'head/package-lock.json\nbase/package-lock.json' },
      },
      ...inBoth('Install dependencies', () => ctx.installCommand),
      ...inBoth('Synthesize the stacks', (side) => synthScript(side === 'base' ? BASE_ASSEMBLY : HEAD_ASSEMBLY)),
      {
        name: 'Compare the stacks (fails on an unacknowledged replacement or removal of a stateful resource)',
        workingDirectory: 'head',
        run: shellScript('infrastructure-diff', { base: BASE_ASSEMBLY, head: HEAD_ASSEMBLY, ackFile: REPLACEMENTS_ACK_FILE }),
      },
    ],
  };
}

/** The artifact (and file) the upgrade job hands the pull request's body to the pr job in. */
const UPGRADE_BODY = 'upgrade-pr-body';
/** GitHub refuses pull request bodies over 65536 characters; leave room for the note. */
const MAX_BODY_BYTES = 60_000;

/**
 * Makes projen's `upgrade.yml` say what the upgrade does: before the upgrade it records the kit's
 * version and synthesizes the stacks; after it, it synthesizes them again and runs
 * `hardened-service diff`. The pull request's body names the kit versions (from, to) and carries
 * the diff's Markdown report. Synthesis stays offline and the job keeps its read-only token.
 */
export function addDiffToUpgradeWorkflow(workflow: github.GithubWorkflow): void {
  const upgrade = workflow.getJob('upgrade') as Job;
  const pr = workflow.getJob('pr') as Job;
  const upgradeAt = indexOf(upgrade, (s) => s.name === 'Upgrade dependencies');
  const patchAt = indexOf(upgrade, (s) => s.id === 'create_patch');
  const before: JobStep = {
    id: 'before-upgrade',
    name: 'Record the kit version and synthesize the stacks before the upgrade',
    run: [
      `echo "kit=$(node -p "require('./node_modules/${kitName()}/package.json').version")" >> "$GITHUB_OUTPUT"`,
      synthScript(BASE_ASSEMBLY),
    ].join('\n'),
  };
  const summary: JobStep = {
    name: 'Diff the stacks after the upgrade (the pull request body)',
    env: { KIT_BEFORE: expr('steps.before-upgrade.outputs.kit') },
    run: shellScript('upgrade-summary', { base: BASE_ASSEMBLY, head: HEAD_ASSEMBLY, bodyFile: `${UPGRADE_BODY}.md`, kitPackage: kitName(), ackFile: REPLACEMENTS_ACK_FILE, maxBodyBytes: MAX_BODY_BYTES }),
  };
  const uploadBody: JobStep = {
    name: 'Upload the pull request body',
    uses: uses(ACTION_PINS.uploadArtifact),
    with: { 'name': UPGRADE_BODY, 'path': `${expr('runner.temp')}/${UPGRADE_BODY}.md`, 'overwrite': true, 'retention-days': 7 },
  };
  const steps = upgrade.steps;
  workflow.updateJob('upgrade', {
    ...upgrade,
    env: { ...upgrade.env, ...OFFLINE_ENV },
    steps: [...steps.slice(0, upgradeAt), before, ...steps.slice(upgradeAt, patchAt), summary, uploadBody, ...steps.slice(patchAt)],
  });

  const createAt = indexOf(pr, (s) => s.id === 'create-pr');
  const download: JobStep = {
    name: 'Download the pull request body',
    uses: uses(ACTION_PINS.downloadArtifact),
    with: { name: UPGRADE_BODY, path: `${expr('runner.temp')}/${UPGRADE_BODY}` },
  };
  // projen's fixed body gives way to the one the upgrade job wrote.
  const createWith: Record<string, unknown> = { ...pr.steps[createAt].with, 'body-path': `${expr('runner.temp')}/${UPGRADE_BODY}/${UPGRADE_BODY}.md` };
  delete createWith.body;
  const create: JobStep = { ...pr.steps[createAt], with: createWith };
  workflow.updateJob('pr', { ...pr, steps: [...pr.steps.slice(0, createAt), download, create, ...pr.steps.slice(createAt + 1)] });
}

function indexOf(job: Job, match: (step: JobStep) => boolean): number {
  const at = job.steps.findIndex(match);
  if (at < 0) {
    throw new Error(`projen's upgrade workflow has changed (a step the infrastructure diff hooks into is gone): update addDiffToUpgradeWorkflow in the kit's src/project/workflows/diff-workflow.ts (job "${job.name}")`);
  }
  return at;
}
