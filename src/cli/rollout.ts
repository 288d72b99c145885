import { Deployment, Service } from '@aws-sdk/client-ecs';
import { EcsOperations, ServiceRef, shortRevision } from './ecs';
import { DeadlineExceededError } from './errors';
import { Reporter } from './output';
import { Deadline, sleep } from './timing';

/** How a rollout ended (a timeout is thrown, not returned). */
export interface RolloutOutcome {
  readonly completed: boolean;
  /** Why it failed, in ECS's words where it gave any. */
  readonly reason: string;
  readonly service: Service;
}

export interface FollowOptions {
  readonly deadline: Deadline;
  readonly pollIntervalMs: number;
  readonly reporter: Reporter;
  /** `rollout` or `rollback`: the status key and the first word of each line. */
  readonly label: string;
}

/**
 * Polls the service until the deployment of `targetArn` is complete, or has failed: its
 * `rolloutState` is FAILED (the deployment circuit breaker), or the service moved to another
 * task definition (the circuit breaker rolled back, or someone else deployed). Throws the
 * deadline's error, with the last state seen, when time runs out.
 */
export async function followRollout(ecs: EcsOperations, ref: ServiceRef, targetArn: string, options: FollowOptions): Promise<RolloutOutcome> {
  const seen = { last: 'no deployment seen yet' };
  try {
    return await pollRollout(ecs, ref, targetArn, options, seen);
  } catch (err) {
    // A call cut short by the deadline names the call; the user needs the phase and the state.
    if (err instanceof DeadlineExceededError) {
      throw options.deadline.exceeded(`waiting for the ${options.label} of ${shortRevision(targetArn)} (last seen: ${seen.last})`);
    }
    throw err;
  }
}

async function pollRollout(
  ecs: EcsOperations,
  ref: ServiceRef,
  targetArn: string,
  options: FollowOptions,
  seen: { last: string },
): Promise<RolloutOutcome> {
  const { deadline, reporter, label } = options;
  for (;;) {
    const service = await ecs.describeService(ref, deadline);
    const deployments = service.deployments ?? [];
    const ours = deployments.filter((d) => d.taskDefinition === targetArn);
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    const current = ours.find((d) => d.status === 'PRIMARY') ?? ours[0];
    seen.last = describeDeployment(label, targetArn, current, deployments);
    reporter.status(label, seen.last, {
      taskDefinition: targetArn,
      rolloutState: current?.rolloutState,
      running: current?.runningCount,
      desired: current?.desiredCount,
      pending: current?.pendingCount,
      failedTasks: current?.failedTasks,
    });

    const failed = ours.find((d) => d.rolloutState === 'FAILED');
    if (failed) {
      return { completed: false, reason: `${label} of ${shortRevision(targetArn)} failed: ${failed.rolloutStateReason ?? 'rolloutState FAILED'}`, service };
    }
    if (service.taskDefinition !== targetArn || (primary && primary.taskDefinition !== targetArn && ours.length > 0)) {
      const now = service.taskDefinition !== targetArn ? service.taskDefinition : primary?.taskDefinition;
      const why = primary?.rolloutStateReason ? ` (${primary.rolloutStateReason})` : '';
      return { completed: false, reason: `${label} of ${shortRevision(targetArn)} was abandoned: the service moved to ${shortRevision(now)}${why}`, service };
    }
    if (current?.status === 'PRIMARY' && isSteady(current, deployments)) {
      return { completed: true, reason: current.rolloutStateReason ?? 'steady', service };
    }
    // The deadline error is thrown here or by the next call, and reworded by followRollout.
    deadline.check('polling');
    await sleep(options.pollIntervalMs, deadline);
    deadline.check('polling');
  }
}

/**
 * COMPLETED means ECS found the new tasks healthy and the old ones drained. Services without
 * a circuit breaker have no rolloutState: then one deployment at its desired count is steady.
 */
function isSteady(deployment: Deployment, deployments: Deployment[]): boolean {
  if (deployment.rolloutState) {
    return deployment.rolloutState === 'COMPLETED';
  }
  return deployments.length === 1 && deployment.runningCount === deployment.desiredCount && (deployment.pendingCount ?? 0) === 0;
}

function describeDeployment(label: string, targetArn: string, current: Deployment | undefined, all: Deployment[]): string {
  if (!current) {
    return `${label} ${shortRevision(targetArn)}: waiting for ECS to start the deployment`;
  }
  const parts = [
    `${label} ${shortRevision(targetArn)} ${current.rolloutState ?? current.status ?? 'UNKNOWN'}`,
    `running ${current.runningCount ?? 0}/${current.desiredCount ?? 0}`,
    `pending ${current.pendingCount ?? 0}`,
  ];
  if (current.failedTasks) {
    parts.push(`failed tasks ${current.failedTasks}`);
  }
  const others = all.filter((d) => d !== current && d.status !== 'INACTIVE' && (d.runningCount ?? 0) + (d.pendingCount ?? 0) > 0);
  for (const other of others) {
    parts.push(`(${shortRevision(other.taskDefinition)} still running ${other.runningCount ?? 0})`);
  }
  return parts.join('  ');
}
