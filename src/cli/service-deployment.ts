import { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { EcsOperations, ServiceRef, shortRevision } from './ecs';
import { DeadlineExceededError, describeError, OperationFailedError } from './errors';
import { EventData, Reporter } from './output';
import { RetriesExhaustedError } from './retry';
import { Deadline, sleep } from './timing';

/**
 * Native ECS deployments (canary, linear, blue/green): ECS shifts the load balancer's traffic
 * in steps, bakes, and rolls back by itself when a deployment alarm fires. Their progress is
 * in ECS's service deployments (`ListServiceDeployments`, `DescribeServiceDeployments`), not in
 * the rolling deployment's `rolloutState`; this follows them.
 */

/** The service's strategy when ECS deploys it natively; undefined for a rolling deployment. */
export function nativeStrategy(service: Service): string | undefined {
  const strategy = service.deploymentConfiguration?.strategy;
  return strategy && strategy !== 'ROLLING' ? strategy : undefined;
}

/** What a deploy knows before it updates the service. */
export interface NativeWatch {
  readonly strategy: string;
  /** Service deployments that existed before the update: none of them is the deploy's. */
  readonly known: ReadonlySet<string>;
}

/** One lifecycle stage as the deploy saw it. */
export interface StageSeen {
  readonly stage: string;
  readonly status: string;
  /** Share of production traffic on the new revision, when ECS reported it. */
  readonly trafficPercent?: number;
  /** Seconds since the deploy started, when the stage was first seen. */
  readonly atSeconds: number;
}

/** What `--json` reports of a native deployment. */
export interface DeploymentSummary {
  readonly strategy: string;
  serviceDeploymentArn?: string;
  status?: string;
  readonly stages: StageSeen[];
  triggeredAlarms: string[];
  rollbackReason?: string;
}

/** How a native deployment ended (a timeout is thrown). */
export interface NativeOutcome {
  readonly completed: boolean;
  readonly reason: string;
  readonly summary: DeploymentSummary;
}

/** ECS rolled the deployment back itself (an alarm fired, or the circuit breaker): exit 1. */
export class EcsRollbackError extends OperationFailedError {
  constructor(message: string, public readonly summary: DeploymentSummary) {
    super(message);
    this.details = { deployment: summary, triggeredAlarms: summary.triggeredAlarms };
  }
}

const ROLLBACK_STATES = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

/**
 * Before `UpdateService`: the strategy and the service deployments there are. Undefined for a
 * rolling service, or when ECS answers that it has no service deployments API (an older
 * endpoint or emulator): then the rollout is followed through `DescribeServices` as before.
 */
export async function prepareNativeFollow(
  ecs: EcsOperations,
  ref: ServiceRef,
  service: Service,
  deadline: Deadline,
  reporter: Reporter,
): Promise<NativeWatch | undefined> {
  const strategy = nativeStrategy(service);
  if (!strategy) {
    return undefined;
  }
  try {
    const known = await ecs.listServiceDeployments(ref, deadline);
    return { strategy, known: new Set(known.map((d) => d.serviceDeploymentArn ?? '')) };
  } catch (err) {
    if (isUnavailable(err)) {
      reporter.warn(`ListServiceDeployments is not available here (${describeError(err)}); following the ${strategy} deployment through DescribeServices only`, { strategy });
      return undefined;
    }
    throw err;
  }
}

export interface NativeFollowOptions {
  readonly deadline: Deadline;
  readonly pollIntervalMs: number;
  readonly reporter: Reporter;
}

/**
 * Polls the service deployment that the update started (the newest one that was not there
 * before) until it is SUCCESSFUL, or ECS rolls it back or stops it. Each change of status,
 * stage or traffic share is one progress line (`deployment` events with `--json`).
 */
export async function followNativeDeployment(
  ecs: EcsOperations,
  ref: ServiceRef,
  targetArn: string,
  watch: NativeWatch,
  options: NativeFollowOptions,
): Promise<NativeOutcome> {
  const summary: DeploymentSummary = { strategy: watch.strategy, stages: [], triggeredAlarms: [] };
  const label = watch.strategy.toLowerCase().replace(/_/g, '-');
  let last = 'no service deployment seen yet';
  try {
    for (;;) {
      if (!summary.serviceDeploymentArn) {
        const listed = await ecs.listServiceDeployments(ref, options.deadline);
        const fresh = listed.filter((d) => d.serviceDeploymentArn && !watch.known.has(d.serviceDeploymentArn));
        summary.serviceDeploymentArn = fresh[0]?.serviceDeploymentArn;
      }
      if (!summary.serviceDeploymentArn) {
        last = `${label} ${shortRevision(targetArn)}: waiting for ECS to start the service deployment`;
        options.reporter.status('deployment', last, { taskDefinition: targetArn, strategy: watch.strategy });
      } else {
        const sd = await ecs.describeServiceDeployment(summary.serviceDeploymentArn, options.deadline);
        last = observe(summary, sd, label, targetArn, options.reporter);
        const status = sd.status ?? '';
        if (status === 'SUCCESSFUL') {
          return { completed: true, reason: sd.statusReason ?? 'SUCCESSFUL', summary };
        }
        if (ROLLBACK_STATES.includes(status)) {
          throw new EcsRollbackError(rollbackReason(label, targetArn, summary, sd), summary);
        }
        if (status === 'STOPPED' || status === 'STOP_REQUESTED') {
          return { completed: false, reason: `${label} deployment of ${shortRevision(targetArn)} was stopped: ${sd.statusReason ?? status}`, summary };
        }
      }
      options.deadline.check('polling');
      await sleep(options.pollIntervalMs, options.deadline);
      options.deadline.check('polling');
    }
  } catch (err) {
    if (err instanceof DeadlineExceededError) {
      throw options.deadline.exceeded(`waiting for the ${label} deployment of ${shortRevision(targetArn)} (last seen: ${last})`);
    }
    throw err;
  }
}

/**
 * After ECS started rolling back: waits until it reports ROLLBACK_SUCCESSFUL (true) or
 * ROLLBACK_FAILED (false), with progress lines under `rollback`.
 */
export async function awaitEcsRollback(
  ecs: EcsOperations,
  summary: DeploymentSummary,
  previousArn: string,
  options: NativeFollowOptions,
): Promise<boolean> {
  const label = 'rollback';
  for (;;) {
    const sd = await ecs.describeServiceDeployment(summary.serviceDeploymentArn!, options.deadline);
    observe(summary, sd, label, previousArn, options.reporter);
    if (sd.status === 'ROLLBACK_SUCCESSFUL') {
      return true;
    }
    if (sd.status === 'ROLLBACK_FAILED') {
      return false;
    }
    options.deadline.check(`waiting for ECS to roll back to ${shortRevision(previousArn)}`);
    await sleep(options.pollIntervalMs, options.deadline);
  }
}

/** Records what changed and prints it; returns the line. */
function observe(summary: DeploymentSummary, sd: ServiceDeployment, label: string, arn: string, reporter: Reporter): string {
  const target = sd.targetServiceRevision;
  const traffic = target?.requestedProductionTrafficWeight;
  const stage = sd.lifecycleStage ?? 'UNKNOWN';
  const status = sd.status ?? 'UNKNOWN';
  summary.status = status;
  summary.triggeredAlarms = sd.alarms?.triggeredAlarmNames ?? summary.triggeredAlarms;
  summary.rollbackReason = sd.rollback?.reason ?? summary.rollbackReason;
  const previous = summary.stages[summary.stages.length - 1];
  if (!previous || previous.stage !== stage || previous.status !== status || previous.trafficPercent !== traffic) {
    summary.stages.push({ stage, status, trafficPercent: traffic, atSeconds: reporter.elapsedSeconds() });
  }
  const parts = [`${label} ${shortRevision(arn)} ${status}`, `stage ${stage}`];
  if (traffic !== undefined) {
    parts.push(`traffic ${formatPercent(traffic)} on the new revision`);
  }
  if (target?.requestedTaskCount !== undefined) {
    parts.push(`running ${target.runningTaskCount ?? 0}/${target.requestedTaskCount}`);
  }
  if (summary.triggeredAlarms.length > 0) {
    parts.push(`alarm ${summary.triggeredAlarms.join(', ')}`);
  }
  const line = parts.join('  ');
  const data: EventData = {
    taskDefinition: arn,
    serviceDeploymentArn: sd.serviceDeploymentArn,
    status,
    lifecycleStage: stage,
    trafficPercent: traffic,
    running: target?.runningTaskCount,
    requested: target?.requestedTaskCount,
    triggeredAlarms: summary.triggeredAlarms,
  };
  reporter.status(label === 'rollback' ? 'rollback' : 'deployment', line, data);
  return line;
}

function rollbackReason(label: string, arn: string, summary: DeploymentSummary, sd: ServiceDeployment): string {
  const at = summary.stages.filter((s) => !ROLLBACK_STATES.includes(s.status)).pop();
  const where = at ? ` during ${at.stage}${at.trafficPercent !== undefined ? ` at ${formatPercent(at.trafficPercent)} of traffic` : ''}` : '';
  const alarms = summary.triggeredAlarms;
  const cause = alarms.length > 0
    ? `alarm ${alarms.join(', ')} fired${where}`
    : `${sd.deploymentCircuitBreaker?.failureCount ? 'the deployment circuit breaker counted failed tasks' : 'ECS detected a failure'}${where}`;
  const detail = sd.rollback?.reason ?? sd.statusReason;
  return `${label} deployment of ${shortRevision(arn)} was rolled back by ECS: ${cause}${detail ? ` (${detail})` : ''}`;
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

/**
 * An endpoint without the service deployments API (an unknown operation), or one whose API
 * kept failing through every retry (moto answers 500): before the update, following the
 * rollout through DescribeServices is still safe; it only cannot name an alarm.
 */
function isUnavailable(err: unknown): boolean {
  if (err instanceof RetriesExhaustedError) {
    return true;
  }
  if (!(err instanceof Error)) {
    return false;
  }
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return ['UnknownOperationException', 'InvalidAction', 'NotImplemented', 'UnsupportedOperation'].includes(err.name) || status === 404 || status === 501;
}
