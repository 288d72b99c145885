import { Component, github, Project } from 'projen';
import { pinProjectActions } from './workflow-actions';
import { WORKFLOW_TIMEOUTS } from './workflow-context';
import { polishWorkflowFile } from './workflow-file';

/**
 * Top-level read-only permissions and a time limit on every job, for the workflows projen
 * makes itself (`upgrade.yml`, `pull-request-lint.yml`, ...) and the kit does not render.
 */
export function hardenWorkflow(workflow: github.GithubWorkflow): void {
  workflow.file?.addOverride('permissions', { contents: 'read' });
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if ('uses' in job || job.timeoutMinutes !== undefined) continue;
    workflow.updateJob(id, { ...job, timeoutMinutes: WORKFLOW_TIMEOUTS.other });
  }
}

/**
 * The base of the kit's workflow components: every third-party action of the project pinned
 * to the table's commit (projen's own workflows included); at synth time, version comments
 * beside the pins in every workflow (any added later in `.projenrc.ts` too), and projen's own
 * workflows (made before this component) read-only and time-limited.
 */
export abstract class HardenedWorkflows extends Component {
  /** The project's GitHub component, when it has one. */
  protected readonly gh?: github.GitHub;
  private readonly projenWorkflows: github.GithubWorkflow[];

  constructor(project: Project) {
    super(project);
    this.gh = github.GitHub.of(project);
    this.projenWorkflows = this.gh ? [...this.gh.workflows] : [];
    if (this.gh) pinProjectActions(this.gh);
  }

  public preSynthesize(): void {
    if (!this.gh) return;
    for (const workflow of this.gh.workflows) polishWorkflowFile(workflow);
    for (const workflow of this.projenWorkflows) hardenWorkflow(workflow);
  }
}
