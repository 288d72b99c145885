import { github } from 'projen';
import { ServiceWorkflowsOptions } from './workflow-options';

/** Options of `ServiceWorkflows`: its own, and the projen options that concern workflows. */
export interface ServiceWorkflowsProps extends ServiceWorkflowsOptions {
  /** Runner labels of every job. @default ["ubuntu-latest"] */
  readonly workflowRunsOn?: string[];
  /** Node.js version of the jobs that run the CDK app. @default - `minNodeVersion`, else "24" (the LTS line of the currency table) */
  readonly workflowNodeVersion?: string;
  /** projen's generic build workflow, which would also be `build.yml`. @default false */
  readonly buildWorkflow?: boolean;
}

/**
 * Problems with the workflow options, each naming the option, the value and the fix. The
 * project type checks them with every other option, so they join the one validation error.
 */
export function validateWorkflowOptions(options: ServiceWorkflowsProps, hasGithub: boolean): string[] {
  const problems: string[] = [];
  if (options.workflows === true && !hasGithub) {
    problems.push('workflows is true but github is false: the workflows need the GitHub component (set github to true, or workflows to false)');
  }
  if (options.buildWorkflow === true && options.workflows !== false && hasGithub) {
    problems.push("buildWorkflow is true but the kit's build.yml replaces projen's build workflow: remove buildWorkflow, or set workflows to false");
  }
  const lists: [string, github.workflows.JobStep[] | undefined][] = [
    ['workflowExtraTestSteps', options.workflowExtraTestSteps],
    ['workflowExtraDeploySteps', options.workflowExtraDeploySteps],
  ];
  for (const [option, steps] of lists) {
    (steps ?? []).forEach((step, index) => {
      if (step.uses !== undefined && !isPinnedOrLocal(step.uses)) {
        problems.push(
          `${option}[${index}].uses "${step.uses}" must be pinned to a full commit SHA (owner/repo@<40 hex digits>, the release in a comment) or be a local action (./path)`,
        );
      }
    });
  }
  return problems;
}

/** `./local/action`, `owner/repo[/path]@<40 hex digits>` or `docker://image@sha256:<64 hex digits>`. */
export function isPinnedOrLocal(ref: string): boolean {
  return ref.startsWith('./') || /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) || /^docker:\/\/\S+@sha256:[0-9a-f]{64}$/.test(ref);
}
