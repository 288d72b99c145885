import { BaseSettings } from './base-settings';
import { DEPLOYMENT_ALARM_IDS, DeploymentStrategyName, TARGET_HEALTH } from './deployment-strategy';
import { alarmDefinitions, MonitoringTargets } from './monitoring-definitions';

/**
 * How long a deploy and a rollback take, computed from the settings the stack is built from
 * (health check, deregistration delay, strategy shares and waits, deployment alarms). Pure:
 * the generated DEPLOYMENT_GUIDE prints it per environment, and the deploy tool's emulated
 * timelines are checked against it. The formula is in the kit's docs/deploy-timing.md.
 */

/** One phase of a deploy or a rollback. */
export interface DeployPhase {
  /** What happens, for example "canary at 10% of the traffic". */
  readonly name: string;
  /** How long it takes, in seconds. */
  readonly seconds: number;
  /** Where the figure comes from, for example "2 healthy checks x 15 s interval". */
  readonly basis: string;
}

/** The expected timing of one environment's deploy and rollback. */
export interface DeployTiming {
  /** "staging" or "production". */
  readonly environment: string;
  /** One of `DeploymentStrategyName`. */
  readonly strategy: string;
  /** The deploy's phases, in order. */
  readonly phases: DeployPhase[];
  /** Sum of `phases`: from the new revision's first task starting to the old revision stopped. */
  readonly totalSeconds: number;
  /** The rollback's phases, in order: from a bad revision breaching an alarm to the old revision serving all traffic. */
  readonly rollbackPhases: DeployPhase[];
  /** Sum of `rollbackPhases`. */
  readonly rollbackSeconds: number;
}

/**
 * Seconds from ECS placing a task to the task registered with its target group: Fargate
 * provisioning, the image pull and the application's start. Not a setting of the stack but an
 * assumption (a slim image from ECR in the same region), stated in the guide.
 */
export const TASK_START_SECONDS = 60;

/** Dimension values for computing the alarms' timings (names only matter in the stack). */
const TIMING_TARGETS: MonitoringTargets = {
  loadBalancerFullName: 'lb',
  targetGroupFullName: 'tg',
  clusterName: 'cluster',
  serviceName: 'service',
  appLogGroupName: 'logs',
};

/** The expected deploy and rollback timing of one environment's settings. */
export function estimateDeployTiming(settings: BaseSettings): DeployTiming {
  const d = settings.deployment;
  const h = TARGET_HEALTH;
  const start: DeployPhase = { name: 'start the new tasks', seconds: TASK_START_SECONDS, basis: 'assumed: Fargate placement, image pull and application start' };
  const healthy: DeployPhase = {
    name: 'pass the load balancer health check',
    seconds: h.healthyThresholdCount * h.intervalSeconds,
    basis: `${h.healthyThresholdCount} healthy checks x ${h.intervalSeconds} s interval`,
  };
  const drain = (which: string): DeployPhase => ({
    name: `drain the ${which} revision`,
    seconds: h.deregistrationDelaySeconds,
    basis: `deregistration delay ${h.deregistrationDelaySeconds} s`,
  });
  const wait = (name: string, minutes: number, basis: string): DeployPhase => ({ name, seconds: minutes * 60, basis });
  const bake = wait('bake with all traffic on the new revision', d.bakeTimeMinutes, `bakeTimeMinutes ${d.bakeTimeMinutes}`);

  let phases: DeployPhase[];
  switch (d.strategy) {
    case DeploymentStrategyName.CANARY:
      phases = [start, healthy, wait(`canary at ${d.canaryPercent}% of the traffic`, d.canaryBakeMinutes, `canaryBakeMinutes ${d.canaryBakeMinutes}`), bake, drain('old')];
      break;
    case DeploymentStrategyName.LINEAR: {
      const steps = linearSteps(d.linearStepPercent);
      phases = [
        start,
        healthy,
        wait(
          `${steps} steps of ${d.linearStepPercent}% of the traffic`,
          (steps - 1) * d.linearStepMinutes,
          `(${steps} steps - 1) x linearStepMinutes ${d.linearStepMinutes}: no wait after the step that reaches 100%`,
        ),
        bake,
        drain('old'),
      ];
      break;
    }
    case DeploymentStrategyName.BLUE_GREEN:
      phases = [start, healthy, bake, drain('old')];
      break;
    default:
      phases = [start, healthy, drain('old')];
  }

  const detection = alarmDetection(settings);
  const rollbackPhases: DeployPhase[] = DeploymentStrategyName.shiftsTraffic(d.strategy)
    ? [detection, { name: 'shift all traffic back to the old revision', seconds: 0, basis: 'a listener rule change; the old tasks still run' }, drain('new')]
    : [detection, { ...start, name: 'start tasks of the old revision' }, healthy, drain('new')];

  return {
    environment: settings.environment,
    strategy: d.strategy,
    phases,
    totalSeconds: sum(phases),
    rollbackPhases,
    rollbackSeconds: sum(rollbackPhases),
  };
}

/** Traffic steps of a linear deployment: ceil(100 / step), counted in tenths to avoid float error. */
export function linearSteps(stepPercent: number): number {
  return Math.ceil(1000 / Math.round(stepPercent * 10));
}

/** The fastest deployment alarm: its datapoints to alarm x its period. */
function alarmDetection(settings: BaseSettings): DeployPhase {
  const alarms = alarmDefinitions(settings, TIMING_TARGETS).filter((a) => (DEPLOYMENT_ALARM_IDS as readonly string[]).includes(a.id));
  const fastest = alarms.reduce((best, a) => (a.datapointsToAlarm * a.periodSeconds < best.datapointsToAlarm * best.periodSeconds ? a : best));
  return {
    name: `deployment alarm ${fastest.name} fires`,
    seconds: fastest.datapointsToAlarm * fastest.periodSeconds,
    basis: `the fastest deployment alarm: ${fastest.datapointsToAlarm} datapoints x ${fastest.periodSeconds} s period`,
  };
}

function sum(phases: DeployPhase[]): number {
  return phases.reduce((total, p) => total + p.seconds, 0);
}
