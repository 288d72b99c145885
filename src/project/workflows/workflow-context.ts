import { github } from 'projen';
import { ACTION_PINS, uses } from './workflow-actions';
import { ServiceModel } from '../service-model';

type JobStep = github.workflows.JobStep;

/** Job permission levels, short. */
export const READ = github.workflows.JobPermission.READ;
export const WRITE = github.workflows.JobPermission.WRITE;

/**
 * The branch whose pushes build images: the publish roles trust only `refs/heads/main`
 * (`GithubDeployRole`'s default publish branch).
 */
export const MAIN_BRANCH = 'main';

/** Job time limits, in minutes. */
export const WORKFLOW_TIMEOUTS = {
  /** Install, drift check, compile, tests and `cdk synth` of the infrastructure; the app's tests. */
  test: 30,
  /** Image build (cached), push to staging's repository and its scan (up to 5 minutes). */
  build: 45,
  /** Copy of the image staging verified to production's repository, and that scan. */
  promote: 30,
  /**
   * `cdk deploy` plus the deploy tool: migration and rollout (its own limit, 30 minutes) and,
   * on failure, the rollback (15 more), so the job never stops the tool half-way.
   */
  deploy: 120,
  /** Two installs and two `cdk synth` runs (base and pull request), and the offline diff. */
  diff: 30,
  /** Jobs of other workflows (projen's own) that set no limit. */
  other: 30,
} as const;

/** Name of the artifact, and of the JSON file in it, that `build.yml` records the image in. */
export const IMAGE_RECORD = 'image';

/** What every workflow is rendered from. */
export interface WorkflowContext {
  readonly model: ServiceModel;
  readonly runsOn: string[];
  readonly nodeVersion: string;
  readonly installCommand: string;
  readonly extraTestSteps: JobStep[];
  readonly extraDeploySteps: JobStep[];
}

/** A workflow with top-level read-only permissions and one concurrency group. */
export function newWorkflow(gh: github.GitHub, name: string, group: string): github.GithubWorkflow {
  const workflow = new github.GithubWorkflow(gh, name, {
    limitConcurrency: true,
    concurrencyOptions: { group, cancelInProgress: false },
  });
  // Jobs ask for more where they need it; nothing else gets write access.
  workflow.file?.addOverride('permissions', { contents: 'read' });
  return workflow;
}

/** Uploads `path` as the artifact `artifact`, whatever the job's outcome. */
export function uploadStep(name: string, artifact: string, path: string): JobStep {
  return {
    name,
    if: 'always()',
    uses: uses(ACTION_PINS.uploadArtifact),
    with: { 'name': artifact, path, 'if-no-files-found': 'ignore', 'retention-days': 30 },
  };
}
