import { DeployPhase } from '../../../core/deploy-timing';
import { DEPLOYMENT_ALARM_IDS, DeploymentStrategyName, TARGET_HEALTH, TEST_LISTENER_PORT } from '../../../core/deployment-strategy';
import { alarmDefinitions } from '../../../core/monitoring-definitions';
import { namedTargets } from '../../infrastructure/cloudwatch-config';
import { StackFacts } from '../../infrastructure/stack-facts';
import { EnvironmentModel } from '../../service-model';

/** Minutes and seconds, for the docs: `22 min`, `3 min 30 s`, `45 s`. */
export function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** How one environment rolls out and rolls back, as the deployment guide, runbook and CI/CD guide print it. */
export function rolloutDocs(env: EnvironmentModel, facts: StackFacts) {
  const s = env.settings;
  const d = s.deployment;
  const timing = env.deployTiming;
  const shifts = DeploymentStrategyName.shiftsTraffic(d.strategy);
  const alarms = alarmDefinitions(s, namedTargets(s, facts)).filter((a) => (DEPLOYMENT_ALARM_IDS as readonly string[]).includes(a.id));
  const phase = (p: DeployPhase) => ({ name: p.name, basis: p.basis, duration: duration(p.seconds), seconds: p.seconds });
  const summary: Record<string, string> = {
    [DeploymentStrategyName.ROLLING]:
      'New tasks start next to the old ones (up to 200%), the old ones drain once the new ones pass the health check',
    [DeploymentStrategyName.CANARY]:
      `The new revision starts in full on the second target group, takes ${d.canaryPercent}% of the traffic for ${d.canaryBakeMinutes} min, then all of it; the old revision keeps running ${d.bakeTimeMinutes} min more`,
    [DeploymentStrategyName.LINEAR]:
      `The new revision starts in full on the second target group and takes ${d.linearStepPercent}% more of the traffic every ${d.linearStepMinutes} min; the old revision keeps running ${d.bakeTimeMinutes} min after the last step`,
    [DeploymentStrategyName.BLUE_GREEN]:
      `The new revision starts in full on the second target group, takes all traffic at once when healthy, and the old one keeps running ${d.bakeTimeMinutes} min more`,
  };
  return {
    strategy: d.strategy,
    ecsStrategy: DeploymentStrategyName.ecsName(d.strategy),
    summary: summary[d.strategy],
    shiftsTraffic: shifts,
    circuitBreaker: !shifts,
    testListenerPort: shifts ? TEST_LISTENER_PORT : undefined,
    deploymentAlarms: alarms.map((a) => ({ name: a.name, condition: a.condition })),
    rollbackHow: shifts
      ? `a deployment alarm (${alarms.map((a) => a.name).join(', ')}) during the deployment or its bake shifts all traffic back to the old revision, whose tasks still run`
      : `the deployment circuit breaker (tasks that fail to start or to pass the health check) and the deployment alarms (${alarms.map((a) => a.name).join(', ')}) roll back to the previous revision`,
    healthCheck: `${TARGET_HEALTH.healthyThresholdCount} x ${TARGET_HEALTH.intervalSeconds} s to pass, ${TARGET_HEALTH.unhealthyThresholdCount} x ${TARGET_HEALTH.intervalSeconds} s to fail, ${TARGET_HEALTH.healthCheckGracePeriodSeconds} s grace period, ${TARGET_HEALTH.deregistrationDelaySeconds} s deregistration delay`,
    phases: timing.phases.map(phase),
    total: duration(timing.totalSeconds),
    totalSeconds: timing.totalSeconds,
    rollbackPhases: timing.rollbackPhases.map(phase),
    rollbackTotal: duration(timing.rollbackSeconds),
    rollbackSeconds: timing.rollbackSeconds,
  };
}
