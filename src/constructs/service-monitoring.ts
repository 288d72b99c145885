import { Duration, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ApiService } from './api-service';
import { newDataKey } from './private/encryption-keys';
import { PreparedQuery, toMetric } from './private/metrics';
import { ServiceCache } from './service-cache';
import { ServiceDatabase } from './service-database';
import { DeploymentEnvironment } from '../core/deployment-environment';
import {
  alarmDefinitions,
  dashboardNames,
  ERROR_FILTER_PATTERN,
  errorMetric,
  ExpressionSpec,
  MetricSpec,
  MonitoringTargets,
  queryDefinitions,
} from '../core/monitoring-definitions';
import { HardenedServiceOptions } from '../core/service-options';
import { resolveSettings } from '../core/settings';

/** Properties of `ServiceMonitoring`. */
export interface ServiceMonitoringProps {
  /** The service's options; thresholds and names come from them. */
  readonly serviceOptions: HardenedServiceOptions;
  /** Environment of the stack. */
  readonly environment: DeploymentEnvironment;
  /** The API service to watch. */
  readonly apiService: ApiService;
  /**
   * The database to watch.
   * @default - no database alarms
   */
  readonly database?: ServiceDatabase;
  /**
   * The cache to watch.
   * @default - no cache alarms
   */
  readonly cache?: ServiceCache;
  /**
   * KMS key of the alarm topic.
   * @default - a new key that CloudWatch and AWS Budgets may use
   */
  readonly topicKey?: kms.IKey;
}

/**
 * Alarms with actions on a KMS-encrypted SNS topic (email subscription): 5xx rate, p95
 * latency, unhealthy hosts, ECS CPU and memory, application errors from a log metric filter,
 * database CPU, connections and free storage, cache memory; saved Logs Insights queries;
 * dashboards for API performance, database, errors and cost.
 *
 * Built on plain CloudWatch constructs rather than cdk-monitoring-constructs: the same
 * definitions also render the generated `cloudwatch-config.json` and runbooks, which needs
 * the thresholds and names as data, and the kit avoids a second naming scheme.
 */
export class ServiceMonitoring extends Construct {
  /** Topic that receives alarm and budget notifications. */
  public readonly alarmTopic: sns.Topic;
  /** Every alarm, by construct id. */
  public readonly alarms: { [id: string]: cloudwatch.Alarm };
  /** Metric filter that counts error-level log lines. */
  public readonly errorMetricFilter: logs.MetricFilter;
  /** Saved Logs Insights queries. */
  public readonly queries: logs.QueryDefinition[];
  /** Dashboards: API, database, errors, cost. */
  public readonly dashboards: cloudwatch.Dashboard[];

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const s = resolveSettings(props.serviceOptions, props.environment);
    const api = props.apiService;
    const targets: MonitoringTargets = {
      loadBalancerFullName: api.loadBalancer.loadBalancerFullName,
      targetGroupFullName: api.targetGroup.targetGroupFullName,
      alternateTargetGroupFullName: api.alternateTargetGroup?.targetGroupFullName,
      clusterName: api.cluster.clusterName,
      serviceName: api.service.serviceName,
      appLogGroupName: api.logGroup.logGroupName,
      databaseInstanceId: props.database?.instance.instanceIdentifier,
      cacheClusterId: props.cache ? `${props.cache.replicationGroup.ref}-001` : undefined,
    };

    const topicKey = props.topicKey ?? newDataKey(this, 'TopicKey', `Alarm topic of ${s.names.prefix}`);
    if (!props.topicKey) {
      // CloudWatch alarms and AWS Budgets publish to the encrypted topic.
      topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAlarmPublishers',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('budgets.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
    }
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: s.names.alarmTopicName,
      displayName: `Alarms of ${s.serviceName} (${s.environment})`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));
    // Pagers and chat: HTTPS only (validated), so alarms never travel in clear text.
    for (const endpoint of s.alarmHttpsEndpoints) {
      this.alarmTopic.addSubscription(new subscriptions.UrlSubscription(endpoint, { protocol: sns.SubscriptionProtocol.HTTPS }));
    }
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowBudgetsPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    const error = errorMetric(s);
    this.errorMetricFilter = new logs.MetricFilter(this, 'ErrorMetricFilter', {
      logGroup: api.logGroup,
      filterPattern: logs.FilterPattern.literal(ERROR_FILTER_PATTERN),
      metricNamespace: error.namespace,
      metricName: error.metricName,
      metricValue: '1',
      defaultValue: 0,
    });

    const action = new actions.SnsAction(this.alarmTopic);
    this.alarms = {};
    for (const def of alarmDefinitions(s, targets)) {
      const alarm = new cloudwatch.Alarm(this, def.id, {
        alarmName: def.name,
        alarmDescription: def.description,
        metric: toMetric(def.metric, Duration.seconds(def.periodSeconds)),
        threshold: def.threshold,
        comparisonOperator: def.comparison as cloudwatch.ComparisonOperator,
        evaluationPeriods: def.evaluationPeriods,
        datapointsToAlarm: def.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        actionsEnabled: true,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms[def.id] = alarm;
    }

    if (s.alarmSlackChannel) {
      // Chat through AWS Chatbot: the channel reads alarms only. The guardrail (the ceiling of
      // what anyone in the channel may run) allows describing this stack's alarms, by ARN;
      // the channel's role gets no permissions at all.
      const guardrail = new iam.ManagedPolicy(this, 'AlarmSlackChannelGuardrail', {
        description: `Ceiling of what the Slack channel of ${s.names.prefix}'s alarms may run: describe its alarms`,
        statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: Object.values(this.alarms).map((a) => a.alarmArn) })],
      });
      new chatbot.SlackChannelConfiguration(this, 'AlarmSlackChannel', {
        slackChannelConfigurationName: s.names.alarmTopicName,
        slackWorkspaceId: s.alarmSlackChannel.workspaceId,
        slackChannelId: s.alarmSlackChannel.channelId,
        notificationTopics: [this.alarmTopic],
        guardrailPolicies: [guardrail],
        loggingLevel: chatbot.LoggingLevel.ERROR,
      });
    }

    this.queries = queryDefinitions(s, targets).map(
      (q) =>
        new logs.QueryDefinition(this, q.id, {
          queryDefinitionName: q.name,
          queryString: new PreparedQuery(q.queryString),
          logGroups: [api.logGroup],
        }),
    );

    const names = dashboardNames(s);
    const period = Duration.minutes(5);
    const m = (spec: MetricSpec | ExpressionSpec) => toMetric(spec, period);
    const alarmWidgets = Object.values(this.alarms).map(
      (alarm) => new cloudwatch.AlarmWidget({ alarm, width: 8, height: 6, title: alarm.alarmName }),
    );
    const defs = Object.fromEntries(alarmDefinitions(s, targets).map((d) => [d.id, d.metric]));
    const albSum = (metricName: string) =>
      m({ namespace: 'AWS/ApplicationELB', metricName, statistic: 'Sum', dimensions: { LoadBalancer: targets.loadBalancerFullName } });
    const latency = (statistic: string) =>
      m({
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        statistic,
        dimensions: { LoadBalancer: targets.loadBalancerFullName, TargetGroup: targets.targetGroupFullName },
      });
    const apiDashboard = new cloudwatch.Dashboard(this, 'ApiDashboard', { dashboardName: names.api });
    apiDashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Requests', left: [albSum('RequestCount')], width: 12 }),
      new cloudwatch.GraphWidget({
        title: `Latency (target p95 ${s.latencyP95Ms} ms)`,
        left: [latency('p50'), latency('p95'), latency('p99')],
        leftAnnotations: [{ value: s.latencyP95Ms / 1000, label: 'p95 target', color: '#d62728' }],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Task CPU and memory (%)', left: [m(defs.ServiceCpu), m(defs.ServiceMemory)], width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Running tasks',
        left: [
          m({
            namespace: 'ECS/ContainerInsights',
            metricName: 'RunningTaskCount',
            statistic: 'Average',
            dimensions: { ClusterName: targets.clusterName, ServiceName: targets.serviceName },
          }),
        ],
        leftAnnotations: [
          { value: s.minCapacity, label: 'min' },
          { value: s.maxCapacity, label: 'max' },
        ],
        width: 12,
      }),
    );
    const databaseDashboard = new cloudwatch.Dashboard(this, 'DatabaseDashboard', { dashboardName: names.database });
    const dbWidgets: cloudwatch.IWidget[] = [];
    for (const idKey of ['DatabaseCpu', 'DatabaseConnections', 'DatabaseFreeStorage', 'CacheMemory']) {
      if (defs[idKey]) dbWidgets.push(new cloudwatch.GraphWidget({ title: this.alarms[idKey].alarmName, left: [m(defs[idKey])], width: 12 }));
    }
    if (dbWidgets.length === 0) {
      dbWidgets.push(new cloudwatch.TextWidget({ markdown: 'This service has no database or cache.', width: 24 }));
    }
    databaseDashboard.addWidgets(...dbWidgets);
    const errorsDashboard = new cloudwatch.Dashboard(this, 'ErrorsDashboard', { dashboardName: names.errors });
    errorsDashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'HTTP errors',
        left: [albSum('HTTPCode_Target_5XX_Count'), albSum('HTTPCode_ELB_5XX_Count'), albSum('HTTPCode_Target_4XX_Count')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Application errors (log lines)', left: [m(error)], width: 12 }),
      new cloudwatch.LogQueryWidget({
        title: 'Latest application errors',
        logGroupNames: [api.logGroup.logGroupName],
        queryString: queryDefinitions(s, targets)[0].queryString,
        width: 24,
      }),
      ...alarmWidgets,
    );
    const costDashboard = new cloudwatch.Dashboard(this, 'CostDashboard', { dashboardName: names.cost });
    costDashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Estimated charges (USD, account) - budget ${s.monthlyBudgetUsd}`,
        left: [
          toMetric(
            { namespace: 'AWS/Billing', metricName: 'EstimatedCharges', statistic: 'Maximum', dimensions: { Currency: 'USD' }, region: 'us-east-1' },
            Duration.hours(6),
          ),
        ],
        leftAnnotations: [{ value: s.monthlyBudgetUsd, label: 'monthly budget' }],
        width: 12,
      }),
      new cloudwatch.TextWidget({
        markdown: `Monthly budget **${s.monthlyBudgetUsd} USD** (budget \`${s.names.budgetName}\`): alerts at 80% of actual and 100% of forecast spend go to \`${s.names.alarmTopicName}\`. Billing metrics need "Receive Billing Alerts" turned on in the payer account.`,
        width: 12,
      }),
    );
    this.dashboards = [apiDashboard, databaseDashboard, errorsDashboard, costDashboard];
  }
}
