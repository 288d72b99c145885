import * as logs from 'aws-cdk-lib/aws-logs';
import { BaseSettings } from './base-settings';

/**
 * The alarms, saved queries and dashboards of a service, as data. `ServiceMonitoring` builds
 * CloudWatch resources from them, and the project type renders the same definitions into
 * `cloudwatch-config.json` and the monitoring guide and runbook, so a threshold is written
 * once. Internal module.
 */

/** Dimension values of the monitored resources (tokens in a stack, names in docs). */
export interface MonitoringTargets {
  readonly loadBalancerFullName: string;
  readonly targetGroupFullName: string;
  /**
   * The second target group of the traffic-shifting strategies: the new revision runs in
   * whichever group does not serve, so the latency and health alarms watch both.
   */
  readonly alternateTargetGroupFullName?: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly appLogGroupName: string;
  readonly databaseInstanceId?: string;
  readonly cacheClusterId?: string;
}

/** One CloudWatch metric. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
  readonly dimensions: Record<string, string>;
  /** Region of the metric when it is not the stack's (billing lives in us-east-1). */
  readonly region?: string;
}

/** A metric math expression over named metrics. */
export interface ExpressionSpec {
  readonly expression: string;
  readonly usingMetrics: Record<string, MetricSpec>;
  readonly label: string;
}

/** One alarm, with what an on-call engineer needs when it fires. */
export interface AlarmDefinition {
  /** Construct id. */
  readonly id: string;
  /** Physical alarm name. */
  readonly name: string;
  readonly description: string;
  readonly metric: MetricSpec | ExpressionSpec;
  readonly periodSeconds: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Human-readable condition, e.g. `p95 > 100 ms for 3 of 5 minutes`. */
  readonly condition: string;
  /** What firing means, for the runbook. */
  readonly meaning: string;
}

/** A saved CloudWatch Logs Insights query. */
export interface QueryDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly queryString: string;
  readonly logGroupNames: string[];
}

/**
 * The metric that counts application errors in the logs. The metric filter publishes it
 * without dimensions (a filter can only take dimensions from log fields), so the environment
 * goes in the namespace: staging and production may share an account.
 */
export function errorMetric(settings: BaseSettings): MetricSpec {
  return {
    namespace: `HardenedService/${settings.names.prefix}`,
    metricName: 'ApplicationErrors',
    statistic: 'Sum',
    dimensions: {},
  };
}

/** Metric filter pattern that counts error-level JSON log lines. */
export const ERROR_FILTER_PATTERN = '{ ($.level = "error") || ($.level = "ERROR") || ($.level = "critical") }';

/** Approximate PostgreSQL max_connections for an RDS instance class (RDS's default formula). */
export function postgresMaxConnections(instanceClass: string): number {
  const memoryGiB: Record<string, number> = {
    'micro': 1, 'small': 2, 'medium': 4, 'large': 8, 'xlarge': 16, '2xlarge': 32, '4xlarge': 64, '8xlarge': 128,
  };
  const size = instanceClass.split('.').pop() ?? 'medium';
  const bytes = (memoryGiB[size] ?? 4) * 1024 ** 3;
  return Math.min(Math.floor(bytes / 9531392), 5000);
}

/** Every alarm of the service, given its settings and resources. */
export function alarmDefinitions(s: BaseSettings, t: MonitoringTargets): AlarmDefinition[] {
  const p = s.names.alarmPrefix;
  const alb = { LoadBalancer: t.loadBalancerFullName };
  const tg = { LoadBalancer: t.loadBalancerFullName, TargetGroup: t.targetGroupFullName };
  const ecs = { ClusterName: t.clusterName, ServiceName: t.serviceName };
  const albMetric = (metricName: string, statistic: string, dims: Record<string, string> = alb): MetricSpec => ({
    namespace: 'AWS/ApplicationELB', metricName, statistic, dimensions: dims,
  });
  // With two target groups, the worse of the two (a canary's few requests count as much).
  const targetGroupsMetric = (metricName: string, statistic: string, label: string): MetricSpec | ExpressionSpec =>
    t.alternateTargetGroupFullName === undefined
      ? albMetric(metricName, statistic, tg)
      : {
        expression: 'MAX([FILL(primary, 0), FILL(alternate, 0)])',
        label,
        usingMetrics: {
          primary: albMetric(metricName, statistic, tg),
          alternate: albMetric(metricName, statistic, { LoadBalancer: t.loadBalancerFullName, TargetGroup: t.alternateTargetGroupFullName }),
        },
      };
  const alarms: AlarmDefinition[] = [
    {
      id: 'Http5xxRate',
      name: `${p}-5xx-rate`,
      description: `More than 1% of requests to ${s.serviceName} (${s.environment}) fail with a 5xx`,
      metric: {
        expression: '100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / FILL(requests, 1)',
        label: '5xx rate (%)',
        usingMetrics: {
          target5xx: albMetric('HTTPCode_Target_5XX_Count', 'Sum'),
          elb5xx: albMetric('HTTPCode_ELB_5XX_Count', 'Sum'),
          requests: albMetric('RequestCount', 'Sum'),
        },
      },
      periodSeconds: 300,
      threshold: 1,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      condition: '5xx rate > 1% for 2 consecutive 5-minute periods',
      meaning: 'Users are getting server errors: a bad deploy, a failing dependency (database, cache) or exhausted capacity.',
    },
    {
      id: 'LatencyP95',
      name: `${p}-p95-latency`,
      description: `p95 response time of ${s.serviceName} (${s.environment}) above ${s.latencyP95Ms} ms`,
      metric: targetGroupsMetric('TargetResponseTime', 'p95', 'p95 response time (s), worse target group'),
      periodSeconds: 60,
      threshold: s.latencyP95Ms / 1000,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      condition: `p95 > ${s.latencyP95Ms} ms in 3 of 5 minutes`,
      meaning: 'Responses are slower than the target: slow queries, a saturated pool, CPU throttling or too few tasks.',
    },
    {
      id: 'UnhealthyHosts',
      name: `${p}-unhealthy-hosts`,
      description: `A task of ${s.serviceName} (${s.environment}) fails its health check on ${s.healthCheckPath}`,
      metric: targetGroupsMetric('UnHealthyHostCount', 'Maximum', 'unhealthy targets, worse target group'),
      periodSeconds: 60,
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      condition: 'at least 1 unhealthy target for 3 minutes',
      meaning: `At least one task answers ${s.healthCheckPath} with an error or not at all, often because the database or cache is unreachable.`,
    },
    {
      id: 'ServiceCpu',
      name: `${p}-ecs-cpu`,
      description: `CPU of ${s.serviceName} (${s.environment}) tasks above 80%`,
      metric: { namespace: 'AWS/ECS', metricName: 'CPUUtilization', statistic: 'Average', dimensions: ecs },
      periodSeconds: 300,
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      condition: 'average CPU > 80% for 15 minutes',
      meaning: `Tasks are CPU-bound even after autoscaling (max ${s.maxCapacity} tasks): raise maxCapacity or cpu, or find the hot path.`,
    },
    {
      id: 'ServiceMemory',
      name: `${p}-ecs-memory`,
      description: `Memory of ${s.serviceName} (${s.environment}) tasks above 80%`,
      metric: { namespace: 'AWS/ECS', metricName: 'MemoryUtilization', statistic: 'Average', dimensions: ecs },
      periodSeconds: 300,
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      condition: 'average memory > 80% for 15 minutes',
      meaning: `Tasks approach their ${s.memoryLimitMiB} MiB limit and will be killed when they reach it: a leak or an undersized task.`,
    },
    {
      id: 'ApplicationErrors',
      name: `${p}-app-errors`,
      description: `More than 10 error-level log lines from ${s.serviceName} (${s.environment}) in 5 minutes`,
      metric: errorMetric(s),
      periodSeconds: 300,
      threshold: 10,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      condition: '> 10 error log lines in 5 minutes',
      meaning: 'The application logs errors, whether or not users see them yet.',
    },
  ];
  if (t.databaseInstanceId) {
    const db = { DBInstanceIdentifier: t.databaseInstanceId };
    const maxConnections = postgresMaxConnections(s.databaseInstanceClass);
    const connectionThreshold = Math.floor(maxConnections * 0.8);
    const storageThresholdGiB = Math.max(1, Math.floor(s.databaseAllocatedStorageGiB * 0.2));
    alarms.push(
      {
        id: 'DatabaseCpu',
        name: `${p}-db-cpu`,
        description: `CPU of the ${s.serviceName} (${s.environment}) database above 80%`,
        metric: { namespace: 'AWS/RDS', metricName: 'CPUUtilization', statistic: 'Average', dimensions: db },
        periodSeconds: 300,
        threshold: 80,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        condition: 'average CPU > 80% for 15 minutes',
        meaning: 'The database is CPU-bound: look for slow queries in Performance Insights before resizing.',
      },
      {
        id: 'DatabaseConnections',
        name: `${p}-db-connections`,
        description: `Connections to the ${s.serviceName} (${s.environment}) database above ${connectionThreshold} (80% of about ${maxConnections})`,
        metric: { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', statistic: 'Maximum', dimensions: db },
        periodSeconds: 300,
        threshold: connectionThreshold,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        condition: `connections > ${connectionThreshold} for 10 minutes`,
        meaning: 'Connection pools are near the server limit: too many tasks times pool size, or leaked connections.',
      },
      {
        id: 'DatabaseFreeStorage',
        name: `${p}-db-free-storage`,
        description: `Free storage of the ${s.serviceName} (${s.environment}) database below ${storageThresholdGiB} GiB`,
        metric: { namespace: 'AWS/RDS', metricName: 'FreeStorageSpace', statistic: 'Minimum', dimensions: db },
        periodSeconds: 300,
        threshold: storageThresholdGiB * 1024 ** 3,
        comparison: 'LessThanThreshold',
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        condition: `free storage < ${storageThresholdGiB} GiB`,
        meaning: 'The database is running out of disk; storage autoscaling may have reached its maximum.',
      },
    );
  }
  if (t.cacheClusterId) {
    alarms.push({
      id: 'CacheMemory',
      name: `${p}-cache-memory`,
      description: `Memory of the ${s.serviceName} (${s.environment}) cache above 80%`,
      metric: {
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        statistic: 'Maximum',
        dimensions: { CacheClusterId: t.cacheClusterId },
      },
      periodSeconds: 300,
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      condition: 'memory > 80% for 15 minutes',
      meaning: 'The cache is close to evicting keys: check TTLs and key growth, or move to a larger node type.',
    });
  }
  return alarms;
}

/** The saved Logs Insights queries of the service. */
export function queryDefinitions(s: BaseSettings, t: MonitoringTargets): QueryDefinition[] {
  const groups = [t.appLogGroupName];
  const p = s.names.prefix;
  const query = (parts: logs.QueryStringProps) => new logs.QueryString(parts).toString();
  return [
    {
      id: 'ErrorsQuery',
      name: `${p}/application-errors`,
      description: 'Latest error-level log lines',
      queryString: query({
        fields: ['@timestamp', 'level', 'message', 'request_id', 'path', 'status'],
        filterStatements: ['level in ["error", "ERROR", "critical"]'],
        sort: '@timestamp desc',
        limit: 100,
      }),
      logGroupNames: groups,
    },
    {
      id: 'SlowRequestsQuery',
      name: `${p}/slow-requests`,
      description: `Requests slower than ${s.latencyP95Ms} ms`,
      queryString: query({
        fields: ['@timestamp', 'method', 'path', 'status', 'duration_ms', 'request_id'],
        filterStatements: [`duration_ms > ${s.latencyP95Ms}`],
        sort: 'duration_ms desc',
        limit: 100,
      }),
      logGroupNames: groups,
    },
    {
      id: 'ServerErrorsByPathQuery',
      name: `${p}/5xx-by-path`,
      description: 'Server errors grouped by path',
      queryString: query({
        fields: ['path', 'status'],
        filterStatements: ['status >= 500'],
        statsStatements: ['count(*) as errors by path'],
        sort: 'errors desc',
      }),
      logGroupNames: groups,
    },
    {
      id: 'LatencyPercentilesQuery',
      name: `${p}/latency-percentiles`,
      description: 'Request latency percentiles per 5 minutes',
      queryString: query({
        fields: ['duration_ms'],
        filterStatements: ['ispresent(duration_ms)'],
        statsStatements: ['pct(duration_ms, 50) as p50, pct(duration_ms, 95) as p95, pct(duration_ms, 99) as p99 by bin(5m)'],
      }),
      logGroupNames: groups,
    },
  ];
}

/** Dashboard names of the service. */
export function dashboardNames(s: BaseSettings): { api: string; database: string; errors: string; cost: string } {
  const p = s.names.dashboardPrefix;
  return { api: `${p}-api`, database: `${p}-database`, errors: `${p}-errors`, cost: `${p}-cost` };
}
