import { DeploymentScenario, deploymentConfiguration, phaseAt, timeline, TimelinePhase } from './deployment-scenarios';
import { FaultProxy } from './fault-proxy';

/** Puts the service back on a task definition in moto, as ECS's own rollback does. */
export type Revert = (cluster: string, service: string, taskDefinition: string) => Promise<void>;

interface SimulatedDeployment {
  readonly arn: string;
  readonly revisionArn: string;
  readonly sourceRevisionArn: string;
  readonly taskDefinition: string;
  readonly sourceTaskDefinition: string;
  readonly phases: TimelinePhase[];
  /** What the deployment plays: `scenarioFor` asked when `UpdateService` started it. */
  readonly scenario: DeploymentScenario;
  readonly createdAt: number;
  /** DescribeServiceDeployments calls so far: the virtual clock is polls x secondsPerPoll. */
  polls: number;
  reverted: boolean;
}

interface SimulatedService {
  readonly cluster: string;
  readonly name: string;
  readonly serviceArn: string;
  readonly clusterArn: string;
  readonly desired: number;
  readonly deployments: SimulatedDeployment[];
}

/**
 * Plays ECS's native deployments (canary, linear) in front of moto, which has neither the
 * strategies nor `ListServiceDeployments`/`DescribeServiceDeployments`:
 *
 * - `DescribeServices` shows the scenario's deployment configuration (strategy, steps, bakes,
 *   alarms) and a PRIMARY deployment that is COMPLETED when idle, IN_PROGRESS while one plays;
 * - `UpdateService` (forwarded to moto, which changes the task definition) starts a service
 *   deployment whose phases are `timeline(scenario)`;
 * - `ListServiceDeployments` lists the service's deployments, newest first, the service's
 *   creation included; `DescribeServiceDeployments` reports the phase at the deployment's
 *   virtual clock and advances it by `secondsPerPoll`;
 * - when the timeline reaches ROLLBACK_IN_PROGRESS, `revert` puts moto's service back on the
 *   previous task definition, which is what ECS's rollback does.
 *
 * Returns what happened, for the tests: every service and its deployments.
 */
export function simulateServiceDeployments(proxy: FaultProxy, scenarioFor: (service: string) => DeploymentScenario, revert: Revert) {
  const services = new Map<string, SimulatedService>();
  const byArn = new Map<string, { service: SimulatedService; deployment: SimulatedDeployment }>();
  const serviceOf = (raw: any): SimulatedService => {
    const name = String(raw.serviceName);
    let state = services.get(name);
    if (!state) {
      const cluster = String(raw.clusterArn).split('/').pop()!;
      state = {
        cluster,
        name,
        serviceArn: raw.serviceArn,
        clusterArn: raw.clusterArn,
        desired: raw.desiredCount,
        deployments: [],
      };
      // The service's creation: one deployment that finished long ago.
      const done: TimelinePhase[] = [{ status: 'SUCCESSFUL', stage: 'CLEAN_UP', trafficPercent: 100, startSecond: 0, endSecond: 0 }];
      state.deployments.push(deploymentRecord(state, raw.taskDefinition, raw.taskDefinition, scenarioFor(name), done, 0));
      services.set(name, state);
      byArn.set(state.deployments[0].arn, { service: state, deployment: state.deployments[0] });
    }
    return state;
  };
  const running = (d: SimulatedDeployment) => {
    const phase = phaseAt(d.phases, clock(d));
    return phase.status === 'IN_PROGRESS' || phase.status === 'ROLLBACK_IN_PROGRESS';
  };

  proxy.rewrite('UpdateService', (response: any, request: any) => {
    const state = serviceOf(response.service);
    const latest = state.deployments[state.deployments.length - 1];
    const from = latest.reverted ? latest.sourceTaskDefinition : latest.taskDefinition;
    if (request.taskDefinition && request.taskDefinition !== from) {
      const scenario = scenarioFor(state.name);
      const deployment = deploymentRecord(state, request.taskDefinition, from, scenario, timeline(scenario), Date.now());
      state.deployments.push(deployment);
      byArn.set(deployment.arn, { service: state, deployment });
    }
    render(response.service, state);
    return response;
  });
  proxy.rewrite('DescribeServices', (response: any) => {
    for (const raw of response?.services ?? []) {
      render(raw, serviceOf(raw));
    }
    return response;
  });
  proxy.answer('ListServiceDeployments', (request: any) => {
    const state = services.get(String(request.service).split('/').pop()!);
    const deployments = [...(state?.deployments ?? [])].reverse();
    return {
      serviceDeployments: deployments.map((d) => {
        const phase = phaseAt(d.phases, clock(d));
        return {
          serviceDeploymentArn: d.arn,
          serviceArn: state!.serviceArn,
          clusterArn: state!.clusterArn,
          createdAt: d.createdAt / 1000,
          targetServiceRevisionArn: d.revisionArn,
          status: phase.status,
        };
      }),
    };
  });
  proxy.answer('DescribeServiceDeployments', async (request: any) => {
    const out: any[] = [];
    for (const arn of request.serviceDeploymentArns ?? []) {
      const found = byArn.get(arn);
      if (!found) continue;
      const { service, deployment } = found;
      const phase = phaseAt(deployment.phases, clock(deployment));
      if (phase.status.startsWith('ROLLBACK') && !deployment.reverted) {
        deployment.reverted = true;
        await revert(service.cluster, service.name, deployment.sourceTaskDefinition);
      }
      out.push(describe(service, deployment, phase));
      deployment.polls++;
    }
    return { serviceDeployments: out, failures: [] };
  });

  function render(raw: any, state: SimulatedService): void {
    const latest = state.deployments[state.deployments.length - 1];
    raw.deploymentConfiguration = deploymentConfiguration(scenarioFor(state.name));
    raw.currentServiceDeployment = latest.arn;
    const deployment = (td: string, status: string, rolloutState: string, count: number) => ({
      id: `ecs-svc/${td.split(':').pop()}`,
      status,
      taskDefinition: td,
      desiredCount: count,
      runningCount: count,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState,
      rolloutStateReason: `ECS deployment ${rolloutState === 'COMPLETED' ? 'completed' : 'in progress'}.`,
    });
    if (running(latest)) {
      raw.deployments = [deployment(latest.taskDefinition, 'PRIMARY', 'IN_PROGRESS', state.desired), deployment(latest.sourceTaskDefinition, 'ACTIVE', 'COMPLETED', state.desired)];
    } else {
      raw.deployments = [deployment(raw.taskDefinition, 'PRIMARY', 'COMPLETED', state.desired)];
    }
    raw.runningCount = state.desired;
    raw.pendingCount = 0;
  }

  return { services };
}

/** The deployment's virtual second: polls so far x its scenario's seconds per poll. */
function clock(d: SimulatedDeployment): number {
  return d.polls * d.scenario.secondsPerPoll;
}

function deploymentRecord(
  state: SimulatedService,
  td: string,
  from: string,
  scenario: DeploymentScenario,
  phases: TimelinePhase[],
  createdAt: number,
): SimulatedDeployment {
  const n = state.deployments.length + 1;
  const base = 'arn:aws:ecs:us-east-1:123456789012';
  return {
    arn: `${base}:service-deployment/${state.cluster}/${state.name}/deployment-${n}`,
    revisionArn: `${base}:service-revision/${state.cluster}/${state.name}/${n}`,
    sourceRevisionArn: `${base}:service-revision/${state.cluster}/${state.name}/${Math.max(1, n - 1)}`,
    taskDefinition: td,
    sourceTaskDefinition: from,
    phases,
    scenario,
    createdAt,
    polls: 0,
    reverted: false,
  };
}

function describe(service: SimulatedService, d: SimulatedDeployment, phase: TimelinePhase): Record<string, unknown> {
  const rolledBack = phase.status.startsWith('ROLLBACK');
  const alarm = d.scenario.alarm;
  const seconds = Math.floor(d.createdAt / 1000);
  const newTasks = phase.stage === 'SCALE_UP' ? Math.floor(service.desired / 2) : rolledBack ? 0 : service.desired;
  return {
    serviceDeploymentArn: d.arn,
    serviceArn: service.serviceArn,
    clusterArn: service.clusterArn,
    createdAt: seconds,
    startedAt: seconds,
    updatedAt: seconds + phase.startSecond,
    ...(phase.status === 'SUCCESSFUL' || phase.status === 'ROLLBACK_SUCCESSFUL' ? { finishedAt: seconds + phase.startSecond } : {}),
    sourceServiceRevisions: [{
      arn: d.sourceRevisionArn,
      requestedTaskCount: service.desired,
      runningTaskCount: phase.status === 'SUCCESSFUL' ? 0 : service.desired,
      pendingTaskCount: 0,
      requestedProductionTrafficWeight: 100 - phase.trafficPercent,
    }],
    targetServiceRevision: {
      arn: d.revisionArn,
      requestedTaskCount: rolledBack ? 0 : service.desired,
      runningTaskCount: newTasks,
      pendingTaskCount: rolledBack ? 0 : service.desired - newTasks,
      requestedProductionTrafficWeight: phase.trafficPercent,
    },
    status: phase.status,
    statusReason: rolledBack ? `Service deployment rolled back because the CloudWatch alarm(s) ${alarm?.name} were triggered.` : `ECS deployment ${phase.status === 'SUCCESSFUL' ? 'completed' : 'in progress'}.`,
    lifecycleStage: phase.stage,
    deploymentConfiguration: deploymentConfiguration(d.scenario),
    deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
    alarms: {
      status: 'MONITORING',
      alarmNames: [...d.scenario.alarmNames],
      triggeredAlarmNames: rolledBack && alarm ? [alarm.name] : [],
    },
    ...(rolledBack ? { rollback: { reason: `CloudWatch alarm ${alarm?.name} went into ALARM during the deployment`, startedAt: seconds + (alarm?.atSecond ?? 0), serviceRevisionArn: d.sourceRevisionArn } } : {}),
  };
}
