import { awscdk, Component, github } from 'projen';
import { hardenWorkflow } from '../src/project/workflows/projen-workflows';
import { pinProjectActions } from '../src/project/workflows/workflow-actions';
import { polishWorkflowFile } from '../src/project/workflows/workflow-file';

/**
 * The kit's own workflows (docs/releasing.md): projen's `build.yml` (every pull request),
 * `release.yml` (every push to main) and `pull-request-lint.yml` (conventional titles), held to
 * the rules of the workflows the kit generates: every action pinned to the commit of the kit's
 * table (`ACTION_PINS`, with the release in a comment), read-only top-level permissions, a time
 * limit on every job, write access only where a job needs it.
 */

/** Node.js of the kit's own workflows: npm trusted publishing needs npm 11.5.1+, which Node 24 ships. */
export const KIT_WORKFLOW_NODE_VERSION = '24.x';

/** Conventional commit types a pull request title may start with (squash merges make it the commit). */
export const CONVENTIONAL_TYPES = ['feat', 'fix', 'perf', 'refactor', 'docs', 'test', 'build', 'ci', 'chore', 'revert'];

/** Minutes per job: the build runs the unit suites, jsii, docgen and the package. */
const TIMEOUTS: Record<string, Record<string, number>> = {
  'build': { 'build': 60, 'package-js': 20 },
  'release': { release: 60, release_github: 10, release_npm: 20 },
  'pull-request-lint': { validate: 5 },
};

/** The jsii-diff step of the pull-request build: the compiled API against the last release. */
const API_COMPAT_STEP: github.workflows.JobStep = {
  name: 'API compatibility with the last release (jsii-diff)',
  // Event text reaches the script through env only, never interpolated into it.
  env: {
    PR_TITLE: '${{ github.event.pull_request.title }}',
    PR_BODY: '${{ github.event.pull_request.body }}',
    // The release tags are the upstream repository's (a fork's checkout may lack them).
    UPSTREAM: '${{ github.server_url }}/${{ github.repository }}.git',
  },
  run: 'scripts/api-compat.sh',
};

export function hardenKitWorkflows(project: awscdk.AwsCdkConstructLibrary): void {
  const gh = github.GitHub.of(project)!;
  pinProjectActions(gh);

  // jsii-diff needs the release tags (a full clone) and the compiled .jsii of the build.
  project.buildWorkflow!.addPostBuildSteps(API_COMPAT_STEP);
  const build = gh.tryFindWorkflow('build')!;
  build.file!.addOverride('jobs.build.steps.0.with.fetch-depth', 0);
  // Not a mutable build: it never pushes, so it reads only.
  build.file!.addOverride('jobs.build.permissions', { contents: 'read' });
  // `projen release` bumps, builds and tags in the runner only; the GitHub release job makes
  // the tag on GitHub (contents: write) and the npm job publishes with its OIDC token.
  gh.tryFindWorkflow('release')!.file!.addOverride('jobs.release.permissions', { contents: 'read' });
  // publib publishes to npm's public registry when NPM_REGISTRY is unset; the files of this
  // repository name no registry host.
  gh.tryFindWorkflow('release')!.file!.addDeletionOverride('jobs.release_npm.steps.9.env.NPM_REGISTRY');

  new KitWorkflowLimits(project, gh);
}

/** At synth time, when projen has added the release's publishing jobs: limits, permissions, pins. */
class KitWorkflowLimits extends Component {
  constructor(project: awscdk.AwsCdkConstructLibrary, private readonly gh: github.GitHub) {
    super(project);
  }

  public preSynthesize(): void {
    for (const workflow of this.gh.workflows) {
      for (const [id, minutes] of Object.entries(TIMEOUTS[workflow.name] ?? {})) {
        const job = workflow.getJob(id);
        if (!job) throw new Error(`the kit's ${workflow.name} workflow has no job "${id}": update TIMEOUTS in projenrc/kit-workflows.ts`);
        if (!('uses' in job)) workflow.updateJob(id, { ...job, timeoutMinutes: minutes });
      }
      hardenWorkflow(workflow);
      polishWorkflowFile(workflow);
    }
  }
}
