import { randomUUID } from 'node:crypto';
import { ContainerDefinition, RunTaskCommandInput, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { EcsOperations, ServiceRef, shortRevision } from './ecs';
import { DeadlineExceededError, RollbackFailedError } from './errors';
import { Reporter } from './output';
import { Deadline, sleep } from './timing';

export interface MigrationOptions {
  readonly ref: ServiceRef;
  /** The service, whose subnets, security groups and platform the task reuses. */
  readonly service: Service;
  /** The revision to run: the one about to be deployed, so the migration runs the same image and settings. */
  readonly revision: TaskDefinition;
  readonly container: string;
  readonly command: string[];
  readonly deadline: Deadline;
  /** Time allowed to stop the task after `deadline` has passed. */
  readonly cleanupDeadline: () => Deadline;
  readonly pollIntervalMs: number;
  readonly reporter: Reporter;
}

/** Where a task's container logs are. */
export interface LogLocation {
  readonly group: string;
  readonly stream?: string;
  readonly region?: string;
  /** A command that shows them. */
  readonly tail: string;
}

export interface MigrationResult {
  readonly taskArn: string;
  readonly succeeded: boolean;
  readonly exitCode?: number;
  /** Why it failed, or `exit code 0`. */
  readonly reason: string;
  readonly logs?: LogLocation;
}

/**
 * Runs the service's task definition once with a command override, in the service's own
 * network, and waits for it to stop. Success is exit code 0 of `container` and nothing else.
 *
 * When the deadline passes first the task is stopped (nothing is left running on its own) and
 * the deadline's error is thrown; if it cannot be confirmed stopped, a `RollbackFailedError`.
 */
export async function runMigration(ecs: EcsOperations, options: MigrationOptions): Promise<MigrationResult> {
  const { ref, revision, reporter, deadline } = options;
  const task = await ecs.runTask(runTaskInput(options), deadline);
  const taskArn = task.taskArn!;
  const taskId = taskArn.split('/').pop()!;
  const logs = logLocation(revision.containerDefinitions?.find((c) => c.name === options.container), taskId);
  reporter.step('migration-started', `migration task ${taskId} started from ${shortRevision(revision.taskDefinitionArn)}: ${options.command.join(' ')}`, {
    taskArn,
    taskDefinition: revision.taskDefinitionArn,
    command: options.command,
    logs,
  });

  let current: Task = task;
  try {
    while (current.lastStatus !== 'STOPPED') {
      deadline.check('polling');
      await sleep(options.pollIntervalMs, deadline);
      deadline.check('polling');
      current = await ecs.describeTask(ref.cluster, taskArn, deadline);
      reporter.status('migration', `migration task ${taskId} ${current.lastStatus ?? 'UNKNOWN'}`, { taskArn, lastStatus: current.lastStatus });
    }
  } catch (err) {
    if (!(err instanceof DeadlineExceededError)) {
      throw err;
    }
    // Nothing may keep running on its own after the command gave up.
    await stopMigration(ecs, ref.cluster, taskArn, options);
    throw deadline.exceeded(`waiting for migration task ${taskId} (last status ${current.lastStatus ?? 'unknown'}); the task was stopped and the service was not changed`);
  }

  const container = current.containers?.find((c) => c.name === options.container) ?? current.containers?.[0];
  const exitCode = container?.exitCode;
  const where = logs ? `; logs: ${logs.tail}` : '; the container has no awslogs log configuration, so its output was not kept';
  if (exitCode === 0) {
    reporter.step('migration-succeeded', `migration task ${taskId} exited 0${where}`, { taskArn, exitCode, logs });
    return { taskArn, succeeded: true, exitCode, reason: 'exit code 0', logs };
  }
  const why = exitCode !== undefined
    ? `exited with code ${exitCode}`
    : `stopped without an exit code (${[current.stopCode, current.stoppedReason, container?.reason].filter(Boolean).join(': ') || 'no reason given'})`;
  reporter.step('migration-failed', `migration task ${taskId} ${why}${where}`, { taskArn, exitCode, stopCode: current.stopCode, stoppedReason: current.stoppedReason, logs });
  return { taskArn, succeeded: false, exitCode, reason: `migration task ${taskId} ${why}${where}`, logs };
}

/** The RunTask request: same network, platform and revision as the service, one command override. */
function runTaskInput(options: MigrationOptions): RunTaskCommandInput {
  const { service, revision } = options;
  const strategy = service.capacityProviderStrategy ?? [];
  const fargateOnly = strategy.length > 0 && strategy.every((s) => s.capacityProvider?.startsWith('FARGATE'));
  // A migration must not be interrupted by a Spot reclaim: Fargate services run it on demand.
  const placement: Partial<RunTaskCommandInput> = service.launchType
    ? { launchType: service.launchType }
    : fargateOnly || strategy.length === 0
      ? { launchType: 'FARGATE' }
      : { capacityProviderStrategy: strategy };
  return {
    cluster: options.ref.cluster,
    taskDefinition: revision.taskDefinitionArn,
    count: 1,
    ...placement,
    platformVersion: placement.launchType === 'FARGATE' ? service.platformVersion : undefined,
    networkConfiguration: service.networkConfiguration,
    overrides: { containerOverrides: [{ name: options.container, command: options.command }] },
    startedBy: 'hardened-service-migrate',
    propagateTags: 'TASK_DEFINITION',
    // Makes a retried RunTask (after a throttle or a dropped connection) start one task, not two.
    clientToken: randomUUID(),
  };
}

/** Stops the task and waits until ECS says it stopped, on the cleanup budget. */
async function stopMigration(ecs: EcsOperations, cluster: string, taskArn: string, options: MigrationOptions): Promise<void> {
  const cleanup = options.cleanupDeadline();
  const taskId = taskArn.split('/').pop();
  try {
    options.reporter.step('migration-stopping', `stopping migration task ${taskId}: --timeout reached`, { taskArn });
    await ecs.stopTask(cluster, taskArn, 'hardened-service: --timeout reached before the migration finished', cleanup);
    for (;;) {
      const task = await ecs.describeTask(cluster, taskArn, cleanup);
      if (task.lastStatus === 'STOPPED') {
        options.reporter.step('migration-stopped', `migration task ${taskId} stopped`, { taskArn });
        return;
      }
      if (cleanup.expired()) {
        throw cleanup.exceeded(`waiting for migration task ${taskId} to stop (last status ${task.lastStatus})`);
      }
      await sleep(options.pollIntervalMs, cleanup);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new RollbackFailedError(
      `the migration timed out and stopping task ${taskArn} failed (${message}); stop it with: aws ecs stop-task --cluster ${cluster} --task ${taskArn}`,
    );
  }
}

/** From the container's awslogs configuration; undefined when it has none. */
export function logLocation(container: ContainerDefinition | undefined, taskId: string): LogLocation | undefined {
  const config = container?.logConfiguration;
  if (!container || config?.logDriver !== 'awslogs' || !config.options?.['awslogs-group']) {
    return undefined;
  }
  const group = config.options['awslogs-group'];
  const prefix = config.options['awslogs-stream-prefix'];
  const region = config.options['awslogs-region'];
  const stream = prefix ? `${prefix}/${container.name}/${taskId}` : undefined;
  const tail = `aws logs tail ${group}${stream ? ` --log-stream-names ${stream}` : ''}${region ? ` --region ${region}` : ''}`;
  return { group, stream, region, tail };
}
