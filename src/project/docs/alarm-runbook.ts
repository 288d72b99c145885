import { AlarmDefinition } from '../../core/monitoring-definitions';
import { ResolvedSettings } from '../../core/settings';

/**
 * What the on-call engineer runs first when an alarm fires, per alarm id of
 * `monitoring-definitions.ts`. Every alarm must have an entry: a new alarm without one fails
 * the project's synthesis, so the runbook cannot fall behind the stack. Internal module.
 */

/** The names and values a response is written with. */
export interface ResponseInput {
  readonly settings: ResolvedSettings;
  readonly region: string;
  /** Physical database instance id, when the service has one. */
  readonly databaseInstanceId?: string;
  /** ElastiCache replication group id, when the service has one. */
  readonly cacheReplicationGroupId?: string;
}

type Responder = (i: ResponseInput) => string[];

const status = (i: ResponseInput) =>
  `npx hardened-service status --cluster ${i.settings.names.clusterName} --service ${i.settings.names.serviceName} --image-tag-parameter ${i.settings.names.imageTagParameter}`;
const tail = (i: ResponseInput, pattern?: string, group = i.settings.names.appLogGroup) =>
  `aws logs tail ${group} --region ${i.region} --since 30m${pattern ? ` --filter-pattern '${pattern}'` : ''}`;
const targetHealth = (i: ResponseInput) =>
  `aws elbv2 describe-target-health --region ${i.region} --target-group-arn "$(aws elbv2 describe-target-groups --region ${i.region} --names ${i.settings.names.targetGroupName} --query 'TargetGroups[0].TargetGroupArn' --output text)"`;
const serviceEvents = (i: ResponseInput) =>
  `aws ecs describe-services --region ${i.region} --cluster ${i.settings.names.clusterName} --services ${i.settings.names.serviceName} --query 'services[0].{running:runningCount,desired:desiredCount,events:events[:5].message}'`;
const statistics = (i: ResponseInput, namespace: string, metric: string, dimensions: string) =>
  `aws cloudwatch get-metric-statistics --region ${i.region} --namespace ${namespace} --metric-name ${metric} --dimensions ${dimensions} --start-time "$(date -u -d '-3 hours' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" --period 300 --statistics Average Maximum`;
const ecsDimensions = (i: ResponseInput) => `Name=ClusterName,Value=${i.settings.names.clusterName} Name=ServiceName,Value=${i.settings.names.serviceName}`;
const dbDimensions = (i: ResponseInput) => `Name=DBInstanceIdentifier,Value=${i.databaseInstanceId}`;

const RESPONDERS: Record<string, Responder> = {
  Http5xxRate: (i) => [status(i), tail(i, '{ $.status >= 500 }'), targetHealth(i)],
  LatencyP95: (i) => [
    tail(i, `{ $.duration_ms > ${i.settings.latencyP95Ms} }`),
    serviceEvents(i),
    statistics(i, 'AWS/ECS', 'CPUUtilization', ecsDimensions(i)),
  ],
  UnhealthyHosts: (i) => [targetHealth(i), serviceEvents(i), tail(i)],
  ServiceCpu: (i) => [
    serviceEvents(i),
    `aws application-autoscaling describe-scaling-activities --region ${i.region} --service-namespace ecs --resource-id service/${i.settings.names.clusterName}/${i.settings.names.serviceName} --max-items 5`,
    statistics(i, 'AWS/ECS', 'CPUUtilization', ecsDimensions(i)),
  ],
  ServiceMemory: (i) => [
    statistics(i, 'AWS/ECS', 'MemoryUtilization', ecsDimensions(i)),
    `aws ecs describe-tasks --region ${i.region} --cluster ${i.settings.names.clusterName} --tasks $(aws ecs list-tasks --region ${i.region} --cluster ${i.settings.names.clusterName} --service-name ${i.settings.names.serviceName} --desired-status STOPPED --query 'taskArns[:5]' --output text) --query 'tasks[].{stopped:stoppedAt,reason:stoppedReason,exit:containers[0].exitCode}'`,
    serviceEvents(i),
  ],
  ApplicationErrors: (i) => [
    tail(i, '{ $.level = "error" || $.level = "ERROR" || $.level = "critical" }'),
    status(i),
    `aws cloudwatch describe-alarm-history --region ${i.region} --alarm-name ${i.settings.names.alarmPrefix}-app-errors --history-item-type StateUpdate --max-items 5`,
  ],
  DatabaseCpu: (i) => [
    statistics(i, 'AWS/RDS', 'CPUUtilization', dbDimensions(i)),
    tail(i, 'duration', `/aws/rds/instance/${i.databaseInstanceId}/postgresql`),
    `aws rds describe-db-instances --region ${i.region} --db-instance-identifier ${i.databaseInstanceId} --query 'DBInstances[0].{status:DBInstanceStatus,class:DBInstanceClass,multiAz:MultiAZ}'`,
  ],
  DatabaseConnections: (i) => [
    statistics(i, 'AWS/RDS', 'DatabaseConnections', dbDimensions(i)),
    serviceEvents(i),
    tail(i, 'connection', `/aws/rds/instance/${i.databaseInstanceId}/postgresql`),
  ],
  DatabaseFreeStorage: (i) => [
    statistics(i, 'AWS/RDS', 'FreeStorageSpace', dbDimensions(i)),
    `aws rds describe-db-instances --region ${i.region} --db-instance-identifier ${i.databaseInstanceId} --query 'DBInstances[0].{allocated:AllocatedStorage,max:MaxAllocatedStorage}'`,
    tail(i, undefined, `/aws/rds/instance/${i.databaseInstanceId}/postgresql`),
  ],
  CacheMemory: (i) => [
    statistics(i, 'AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', `Name=CacheClusterId,Value=${i.cacheReplicationGroupId}-001`),
    statistics(i, 'AWS/ElastiCache', 'Evictions', `Name=CacheClusterId,Value=${i.cacheReplicationGroupId}-001`),
    `aws elasticache describe-replication-groups --region ${i.region} --replication-group-id ${i.cacheReplicationGroupId} --query 'ReplicationGroups[0].{status:Status,nodeType:CacheNodeType,members:MemberClusters}'`,
  ],
};

/** The first three commands for an alarm. */
export function firstCommands(alarm: AlarmDefinition, input: ResponseInput): string[] {
  const responder = RESPONDERS[alarm.id];
  if (!responder) {
    throw new Error(`no runbook entry for alarm "${alarm.id}" (${alarm.name}); add one to src/project/alarm-runbook.ts`);
  }
  return responder(input);
}

/** How to escalate when the first commands do not resolve it. */
export function escalation(settings: ResolvedSettings): string {
  return settings.isProduction
    ? `Not mitigated in 15 minutes, or users affected: page the owner on call behind \`${settings.alarmEmail}\`, open an incident and roll back if a deploy is the cause. Suspected data exposure: follow the security incident procedure in SECURITY_GUIDE.md.`
    : 'Staging never pages: fix it in working hours before the next production deploy; if it points at a defect, block the release.';
}
