import { github } from 'projen';
import { WORKFLOW_TIMEOUTS } from './workflow-context';

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
