import { Component, JsonFile, Project } from 'projen';
import { ServiceModel } from '../service-model';
import { inspectServiceStacks, StackFacts } from './stack-facts';
import { DeploymentStrategyName } from '../../core/deployment-strategy';
import {
  AlarmDefinition,
  alarmDefinitions,
  dashboardNames,
  ERROR_FILTER_PATTERN,
  errorMetric,
  MetricSpec,
  MonitoringTargets,
  queryDefinitions,
} from '../../core/monitoring-definitions';
import { ResolvedSettings } from '../../core/settings';

/**
 * `infrastructure/monitoring/cloudwatch-config.json`: the alarms, metric filter, saved queries
 * and dashboards of each environment, rendered from the same definitions `ServiceMonitoring`
 * builds CloudWatch from. Alarms are in the shape `aws cloudwatch put-metric-alarm
 * --cli-input-json` takes and queries in the shape of `aws logs put-query-definition`; values
 * that exist only once the stack is deployed are `<placeholders>` (load balancer and target
 * group ids, the topic ARN).
 */
export class CloudWatchConfigFile extends Component {
  /** The JSON file. */
  public readonly file: JsonFile;

  constructor(project: Project, model: ServiceModel, filePath = 'infrastructure/monitoring/cloudwatch-config.json') {
    super(project);
    this.file = new JsonFile(project, filePath, { obj: () => cloudWatchConfig(model) });
  }
}

/**
 * Dimension values of one environment's resources, by name; ids known only after the deploy
 * are placeholders. The database and cache ids are read from the built stack.
 */
export function namedTargets(s: ResolvedSettings, facts: StackFacts): MonitoringTargets {
  return {
    loadBalancerFullName: `app/${s.names.loadBalancerName}/<load-balancer-id>`,
    targetGroupFullName: `targetgroup/${s.names.targetGroupName}/<target-group-id>`,
    alternateTargetGroupFullName: DeploymentStrategyName.shiftsTraffic(s.deployment.strategy)
      ? `targetgroup/${s.names.alternateTargetGroupName}/<target-group-id>`
      : undefined,
    clusterName: s.names.clusterName,
    serviceName: s.names.serviceName,
    appLogGroupName: s.names.appLogGroup,
    databaseInstanceId: facts.databaseInstanceId,
    // ElastiCache names the first node of a replication group `<group>-001`.
    cacheClusterId: facts.cacheReplicationGroupId ? `${facts.cacheReplicationGroupId}-001` : undefined,
  };
}

/** The whole document. */
export function cloudWatchConfig(model: ServiceModel): object {
  return {
    service: model.serviceName,
    region: model.region,
    source: 'Rendered by hardened-service-kit from monitoring-definitions.ts, the definitions the stack builds its alarms, queries and dashboards from.',
    environments: Object.fromEntries(
      inspectServiceStacks(model).map((facts, i) => [facts.environment, environmentConfig(model.environments[i].settings, facts)]),
    ),
  };
}

function environmentConfig(s: ResolvedSettings, facts: StackFacts): object {
  const targets = namedTargets(s, facts);
  const error = errorMetric(s);
  const dashboards = dashboardNames(s);
  return {
    stackName: s.names.stackName,
    alarmTopic: { name: s.names.alarmTopicName, arn: '<AlarmTopicArn>', email: s.alarmEmail, httpsEndpoints: s.alarmHttpsEndpoints },
    // As the stack's metric filter publishes it: without dimensions.
    metricFilters: [
      {
        logGroupName: s.names.appLogGroup,
        filterPattern: ERROR_FILTER_PATTERN,
        metricTransformations: [{ metricNamespace: error.namespace, metricName: error.metricName, metricValue: '1', defaultValue: 0 }],
      },
    ],
    alarms: alarmDefinitions(s, targets).map((a) => alarmInput(a)),
    queryDefinitions: queryDefinitions(s, targets).map((q) => ({ name: q.name, queryString: q.queryString, logGroupNames: q.logGroupNames })),
    dashboards: [
      { name: dashboards.api, shows: 'requests, latency p50/p95/p99 against the p95 target, task CPU and memory, running tasks against min and max' },
      { name: dashboards.database, shows: 'database CPU, connections and free storage, cache memory (what the service has)' },
      { name: dashboards.errors, shows: 'HTTP 4xx/5xx, application error log lines, latest errors, every alarm' },
      { name: dashboards.cost, shows: `estimated charges against the ${s.monthlyBudgetUsd} USD monthly budget ${s.names.budgetName}` },
    ],
    budget: { name: s.names.budgetName, monthlyLimitUsd: s.monthlyBudgetUsd },
  };
}

/** An alarm as `aws cloudwatch put-metric-alarm --cli-input-json` takes it. */
function alarmInput(a: AlarmDefinition): object {
  const common = {
    AlarmName: a.name,
    AlarmDescription: a.description,
    ActionsEnabled: true,
    AlarmActions: ['<AlarmTopicArn>'],
    OKActions: ['<AlarmTopicArn>'],
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparison,
    TreatMissingData: 'notBreaching',
  };
  if ('expression' in a.metric) {
    return {
      ...common,
      Metrics: [
        { Id: 'expression', Expression: a.metric.expression, Label: a.metric.label, ReturnData: true },
        ...Object.entries(a.metric.usingMetrics).map(([id, m]) => ({
          Id: id,
          MetricStat: { Metric: metric(m), Period: a.periodSeconds, Stat: m.statistic },
          ReturnData: false,
        })),
      ],
    };
  }
  const percentile = /^p\d+(\.\d+)?$/.test(a.metric.statistic);
  return {
    ...common,
    ...metric(a.metric),
    ...(percentile ? { ExtendedStatistic: a.metric.statistic } : { Statistic: a.metric.statistic }),
    Period: a.periodSeconds,
  };
}

function metric(m: MetricSpec): { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] } {
  return {
    Namespace: m.namespace,
    MetricName: m.metricName,
    Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}
