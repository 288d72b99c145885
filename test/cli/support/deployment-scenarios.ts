/**
 * Native ECS deployments the fault proxy plays (moto has no service deployments API), as data.
 * A scenario gives the strategy's parameters (traffic steps, bakes) and how long the phases
 * ECS adds take; `timeline()` turns it into the phases the proxy reports, so that a computed
 * estimate of a deploy's duration can be compared with the same timeline.
 *
 * Time is virtual: each `DescribeServiceDeployments` call of a deployment advances its clock
 * by `secondsPerPoll`, so a 25-minute canary plays in a few dozen polls and the same polls see
 * the same phases on a loaded machine.
 */

export type NativeStrategy = 'CANARY' | 'LINEAR';

export interface DeploymentScenario {
  readonly strategy: NativeStrategy;
  /**
   * Share of production traffic (percent) on the new revision after each shift, in order;
   * the last is 100. Canary: [canaryPercent, 100]; linear: stepPercent, 2 x stepPercent, ... 100.
   */
  readonly trafficSteps: readonly number[];
  /** Wait after each shift but the last: canaryBakeTimeInMinutes or stepBakeTimeInMinutes, in seconds. */
  readonly stepBakeSeconds: number;
  /** Wait at 100% before the old revision is removed (bakeTimeInMinutes), in seconds. */
  readonly bakeSeconds: number;
  /** Starting the new revision's tasks until they pass the target group's health checks. */
  readonly scaleUpSeconds: number;
  /** Removing the old revision's tasks (the deregistration delay). */
  readonly cleanUpSeconds: number;
  /** How long ECS's rollback takes once an alarm fired (traffic back, new tasks stopped). */
  readonly rollbackSeconds: number;
  /** Virtual seconds each DescribeServiceDeployments call advances the deployment. */
  readonly secondsPerPoll: number;
  /** The deployment's alarms (the 5xx-rate, p95-latency and unhealthy-host alarms). */
  readonly alarmNames: readonly string[];
  /** One of `alarmNames` goes into ALARM this many seconds into the deployment: ECS rolls back. */
  readonly alarm?: { readonly name: string; readonly atSecond: number };
}

/** One phase of a deployment, in the words of `DescribeServiceDeployments`. */
export interface TimelinePhase {
  readonly status: 'IN_PROGRESS' | 'SUCCESSFUL' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL';
  readonly stage: string;
  readonly trafficPercent: number;
  readonly startSecond: number;
  /** Exclusive; the last phase (a final status) has no end. */
  readonly endSecond: number;
}

const ALARMS = ['hedis-optimizer-production-5xx-rate', 'hedis-optimizer-production-p95-latency', 'hedis-optimizer-production-unhealthy-hosts'];
const COMMON = { scaleUpSeconds: 60, cleanUpSeconds: 30, rollbackSeconds: 60, secondsPerPoll: 30, alarmNames: ALARMS };

/** (a) 10% canary, 5 minutes' canary bake, then all traffic and a 5-minute bake: completes. */
export const CANARY_COMPLETES: DeploymentScenario = { ...COMMON, strategy: 'CANARY', trafficSteps: [10, 100], stepBakeSeconds: 300, bakeSeconds: 300 };

/** (b) The same canary; the 5xx-rate alarm fires 3 minutes into the canary bake: ECS rolls back. */
export const CANARY_ALARM_ROLLBACK: DeploymentScenario = { ...CANARY_COMPLETES, alarm: { name: ALARMS[0], atSecond: 60 + 180 } };

/** (c) Linear: 25% more traffic every 2 minutes, then a 3-minute bake: completes. */
export const LINEAR_COMPLETES: DeploymentScenario = { ...COMMON, strategy: 'LINEAR', trafficSteps: [25, 50, 75, 100], stepBakeSeconds: 120, bakeSeconds: 180 };

/**
 * The phases of `scenario`: SCALE_UP (no traffic yet), one PRODUCTION_TRAFFIC_SHIFT per step
 * that lasts its step bake (none after the last), BAKE_TIME at 100%, CLEAN_UP, SUCCESSFUL.
 * With an alarm, the phase it falls in is cut there, ROLLBACK_IN_PROGRESS (no traffic on the
 * new revision) follows for `rollbackSeconds`, then ROLLBACK_SUCCESSFUL.
 */
export function timeline(scenario: DeploymentScenario): TimelinePhase[] {
  const phases: TimelinePhase[] = [];
  let t = 0;
  const add = (stage: string, trafficPercent: number, seconds: number) => {
    phases.push({ status: 'IN_PROGRESS', stage, trafficPercent, startSecond: t, endSecond: t + seconds });
    t += seconds;
  };
  add('SCALE_UP', 0, scenario.scaleUpSeconds);
  scenario.trafficSteps.forEach((percent, i) => {
    const last = i === scenario.trafficSteps.length - 1;
    add('PRODUCTION_TRAFFIC_SHIFT', percent, last ? 0 : scenario.stepBakeSeconds);
  });
  add('BAKE_TIME', 100, scenario.bakeSeconds);
  add('CLEAN_UP', 100, scenario.cleanUpSeconds);
  const visible = phases.filter((p) => p.endSecond > p.startSecond);
  const alarm = scenario.alarm;
  if (!alarm || alarm.atSecond >= t) {
    return [...visible, { status: 'SUCCESSFUL', stage: 'CLEAN_UP', trafficPercent: 100, startSecond: t, endSecond: t }];
  }
  const before = visible.filter((p) => p.startSecond < alarm.atSecond).map((p) => ({ ...p, endSecond: Math.min(p.endSecond, alarm.atSecond) }));
  const back = alarm.atSecond + scenario.rollbackSeconds;
  return [
    ...before,
    { status: 'ROLLBACK_IN_PROGRESS', stage: before[before.length - 1].stage, trafficPercent: 0, startSecond: alarm.atSecond, endSecond: back },
    { status: 'ROLLBACK_SUCCESSFUL', stage: 'CLEAN_UP', trafficPercent: 0, startSecond: back, endSecond: back },
  ];
}

/** Seconds from the update until the final status (SUCCESSFUL or ROLLBACK_SUCCESSFUL). */
export function timelineSeconds(scenario: DeploymentScenario): number {
  const phases = timeline(scenario);
  return phases[phases.length - 1].startSecond;
}

/** The phase at virtual second `t`. */
export function phaseAt(phases: readonly TimelinePhase[], t: number): TimelinePhase {
  return phases.find((p) => t >= p.startSecond && t < p.endSecond) ?? phases[phases.length - 1];
}

/** The service's deployment configuration that the scenario stands for (as `DescribeServices` shows it). */
export function deploymentConfiguration(scenario: DeploymentScenario): Record<string, unknown> {
  const minutes = (seconds: number) => seconds / 60;
  return {
    strategy: scenario.strategy,
    bakeTimeInMinutes: minutes(scenario.bakeSeconds),
    ...(scenario.strategy === 'CANARY'
      ? { canaryConfiguration: { canaryPercent: scenario.trafficSteps[0], canaryBakeTimeInMinutes: minutes(scenario.stepBakeSeconds) } }
      : { linearConfiguration: { stepPercent: scenario.trafficSteps[0], stepBakeTimeInMinutes: minutes(scenario.stepBakeSeconds) } }),
    alarms: { alarmNames: [...scenario.alarmNames], enable: true, rollback: true },
    deploymentCircuitBreaker: { enable: true, rollback: true },
    minimumHealthyPercent: 100,
    maximumPercent: 200,
  };
}
