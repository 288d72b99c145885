import { FaultProxy } from './fault-proxy';

/** How the simulated ECS deployment of a task definition ends. */
export type Rollout = 'complete' | 'fail' | 'stuck';

interface ServiceState {
  taskDefinition: string;
  /** The task definition the service ran before; its tasks drain as the new ones start. */
  from: string;
  /** DescribeServices calls since the service moved to `taskDefinition`. */
  polls: number;
  /** The last task definition whose deployment completed. */
  stable: string;
  /** First sight: the service was created before the test and is steady. */
  initial: boolean;
}

/**
 * moto's UpdateService changes the task definition but never starts a deployment, so its
 * rollouts never move (see the product brief). This rewrites DescribeServices and
 * UpdateService responses the way ECS reports a rolling deployment: the new task definition's
 * PRIMARY deployment is IN_PROGRESS for `pollsBeforeDone` polls, with tasks starting one by
 * one while the previous deployment's drain, then COMPLETED, or FAILED by the deployment circuit breaker (with ECS's own rollback
 * deployment to the last stable revision), or IN_PROGRESS forever.
 */
export function simulateRollouts(proxy: FaultProxy, outcome: (taskDefinitionArn: string) => Rollout, pollsBeforeDone = 2): void {
  const states = new Map<string, ServiceState>();
  const rewrite = (countsAsPoll: boolean) => (response: any) => {
    const services: any[] = response?.services ?? (response?.service ? [response.service] : []);
    for (const service of services) {
      const previous = states.get(service.serviceArn);
      let state: ServiceState;
      if (!previous) {
        state = { taskDefinition: service.taskDefinition, from: service.taskDefinition, polls: 0, stable: service.taskDefinition, initial: true };
      } else if (previous.taskDefinition !== service.taskDefinition) {
        const previousCompleted = previous.initial || (previous.polls > pollsBeforeDone && outcome(previous.taskDefinition) === 'complete');
        state = {
          taskDefinition: service.taskDefinition,
          from: previous.taskDefinition,
          polls: 0,
          stable: previousCompleted ? previous.taskDefinition : previous.stable,
          initial: false,
        };
      } else {
        state = previous;
      }
      if (countsAsPoll) {
        state.polls++;
      }
      states.set(service.serviceArn, state);
      render(service, state, state.initial ? 'complete' : outcome(service.taskDefinition), pollsBeforeDone);
    }
    return response;
  };
  proxy.rewrite('DescribeServices', rewrite(true));
  proxy.rewrite('UpdateService', rewrite(false));
}

function render(service: any, state: ServiceState, rollout: Rollout, pollsBeforeDone: number): void {
  const desired: number = service.desiredCount;
  const id = (td: string) => `ecs-svc/${Math.abs(hash(td)).toString().padStart(19, '0')}`;
  const deployment = (td: string, status: string, rolloutState: string, running: number, extra: Record<string, unknown> = {}) => ({
    id: id(td),
    status,
    taskDefinition: td,
    desiredCount: status === 'PRIMARY' ? desired : 0,
    pendingCount: status === 'PRIMARY' ? desired - running : 0,
    runningCount: running,
    failedTasks: 0,
    launchType: 'FARGATE',
    rolloutState,
    rolloutStateReason: `ECS deployment ${id(td)} ${rolloutState === 'COMPLETED' ? 'completed' : 'in progress'}.`,
    createdAt: now(),
    updatedAt: now(),
    ...extra,
  });
  const td = state.taskDefinition;
  const done = state.initial || state.polls > pollsBeforeDone;
  if (done && rollout === 'complete') {
    service.deployments = [deployment(td, 'PRIMARY', 'COMPLETED', desired)];
    service.runningCount = desired;
    service.pendingCount = 0;
    service.events = [{ id: 'e1', createdAt: now(), message: `(service ${service.serviceName}) has reached a steady state.` }];
    return;
  }
  if (done && rollout === 'fail') {
    service.deployments = [
      deployment(state.stable, 'PRIMARY', 'IN_PROGRESS', desired, {
        rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${id(state.stable)}.`,
      }),
      deployment(td, 'ACTIVE', 'FAILED', 0, {
        failedTasks: 2 * desired,
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    ];
    service.runningCount = desired;
    service.pendingCount = 0;
    return;
  }
  const running = Math.min(desired, Math.max(0, state.polls - 1));
  service.deployments = [
    deployment(td, 'PRIMARY', 'IN_PROGRESS', running),
    deployment(state.from, 'ACTIVE', 'COMPLETED', desired - running),
  ];
  service.runningCount = desired;
  service.pendingCount = desired - running;
}

/** Seconds since the epoch, as the JSON protocol sends timestamps. */
function now(): number {
  return Math.floor(Date.now() / 1000);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) {
    h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  }
  return h;
}

/** Stopped tasks report `exitCode` for every container (moto always says 0). */
export function simulateTaskExit(proxy: FaultProxy, exitCode: number): void {
  proxy.rewrite('DescribeTasks', (response: any) => {
    for (const task of response?.tasks ?? []) {
      if (task.lastStatus === 'STOPPED') {
        task.stopCode = 'EssentialContainerExited';
        task.stoppedReason = 'Essential container in task exited';
        for (const container of task.containers ?? []) {
          container.exitCode = exitCode;
          container.lastStatus = 'STOPPED';
        }
      }
    }
    return response;
  });
}

/** Tasks stay RUNNING until someone calls StopTask (moto stops them after a few polls). */
export function simulateTaskNeverStops(proxy: FaultProxy): void {
  proxy.rewrite('DescribeTasks', (response: any) => {
    for (const task of response?.tasks ?? []) {
      if (task.desiredStatus !== 'STOPPED') {
        task.lastStatus = 'RUNNING';
      }
    }
    return response;
  });
}
