import { SERVICE_DEFAULTS } from '../../core/defaults';
import { AlarmDefinition } from '../../core/monitoring-definitions';
import { ALB_ACCESS_LOG_PREFIX } from '../../core/names';
import { ResolvedSettings, workerCount } from '../../core/settings';
import { DEPLOY_TOOL } from '../files/kit-package';

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

/** The deploy tool as the repo installs it (the local bin), with the region on the line like every `aws` command. */
export { DEPLOY_TOOL };

/** `./node_modules/.bin/hardened-service <command> --region R --cluster C --service S ...`. */
export function deployTool(settings: ResolvedSettings, region: string, command: 'status' | 'rollback' | 'revisions', extra = ''): string {
  const parameter = command === 'revisions' ? '' : ` --image-tag-parameter ${settings.names.imageTagParameter}`;
  return `${DEPLOY_TOOL} ${command} --region ${region} --cluster ${settings.names.clusterName} --service ${settings.names.serviceName}${parameter}${extra}`;
}

/**
 * An ISO-8601 time `hours` ago (or now), computed by Node.js, which this repo needs anyway:
 * `date -d` is GNU-only and `date -v` BSD-only.
 */
export function isoTimeAgo(hours: number): string {
  return hours === 0 ? '"$(node -p \'new Date().toISOString()\')"' : `"$(node -p 'new Date(Date.now() - ${hours} * 3600e3).toISOString()')"`;
}

const status = (i: ResponseInput) => deployTool(i.settings, i.region, 'status');
const tail = (i: ResponseInput, pattern?: string, group = i.settings.names.appLogGroup) =>
  `aws logs tail ${group} --region ${i.region} --since 30m${pattern ? ` --filter-pattern '${pattern}'` : ''}`;
const targetHealth = (i: ResponseInput) =>
  `aws elbv2 describe-target-health --region ${i.region} --target-group-arn "$(aws elbv2 describe-target-groups --region ${i.region} --names ${i.settings.names.targetGroupName} --query 'TargetGroups[0].TargetGroupArn' --output text)"`;
const serviceEvents = (i: ResponseInput) =>
  `aws ecs describe-services --region ${i.region} --cluster ${i.settings.names.clusterName} --services ${i.settings.names.serviceName} --query 'services[0].{running:runningCount,desired:desiredCount,events:events[:5].message}'`;
const statistics = (i: ResponseInput, namespace: string, metric: string, dimensions: string, stats = 'Average Maximum') =>
  `aws cloudwatch get-metric-statistics --region ${i.region} --namespace ${namespace} --metric-name ${metric} --dimensions ${dimensions} --start-time ${isoTimeAgo(3)} --end-time ${isoTimeAgo(0)} --period 300 --statistics ${stats}`;
const ecsDimensions = (i: ResponseInput) => `Name=ClusterName,Value=${i.settings.names.clusterName} Name=ServiceName,Value=${i.settings.names.serviceName}`;
const dbDimensions = (i: ResponseInput) => `Name=DBInstanceIdentifier,Value=${i.databaseInstanceId}`;
const loadBalancerArn = (i: ResponseInput) =>
  `aws elbv2 describe-load-balancers --region ${i.region} --names ${i.settings.names.loadBalancerName} --query 'LoadBalancers[0].LoadBalancerArn' --output text`;
/** The `LoadBalancer` dimension is `app/<name>/<id>`: the ARN after `loadbalancer/`. */
const loadBalancerDimension = (i: ResponseInput) => `Name=LoadBalancer,Value="$(${loadBalancerArn(i)} | cut -d/ -f2-4)"`;

/** The command that prints the name of the load balancer's access-log bucket. */
export function accessLogBucketCommand(settings: ResolvedSettings, region: string): string {
  return `aws elbv2 describe-load-balancer-attributes --region ${region} --load-balancer-arn "$(aws elbv2 describe-load-balancers --region ${region} --names ${settings.names.loadBalancerName} --query 'LoadBalancers[0].LoadBalancerArn' --output text)" --query "Attributes[?Key=='access_logs.s3.bucket'].Value" --output text`;
}

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

/**
 * What else the on-call engineer must know for an alarm, as Markdown paragraphs: facts the first
 * commands cannot show (where else to look, what the settings make normal).
 */
const NOTES: Record<string, (i: ResponseInput) => string[]> = {
  Http5xxRate: (i) => [
    'The rate adds two counts of the load balancer. `HTTPCode_Target_5XX_Count` are 5xx answers the tasks gave: they are in the application logs (the second command). ' +
      '`HTTPCode_ELB_5XX_Count` are errors the load balancer made itself (502: a task closed the connection or answered malformed; 503: no healthy target; ' +
      `504: a task did not answer within the load balancer's ${SERVICE_DEFAULTS.loadBalancerIdleTimeoutSeconds}-second idle timeout): they never reach the application logs. Which one it is:`,
    '```bash\n' +
      `${statistics(i, 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', loadBalancerDimension(i), 'Sum')}\n` +
      `${statistics(i, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', loadBalancerDimension(i), 'Sum')}\n` +
      '```',
    `The load balancer's own errors are in its access logs, in the S3 bucket this prints, under \`${ALB_ACCESS_LOG_PREFIX}/AWSLogs/<account-id>/elasticloadbalancing/${i.region}/YYYY/MM/DD/\` ` +
      '(one gzip file every 5 minutes; a line whose `elb_status_code` is 5xx and `target_status_code` is `-` is the load balancer\'s):',
    `\`\`\`bash\n${accessLogBucketCommand(i.settings, i.region)}\n\`\`\``,
  ],
  DatabaseConnections: (i) => {
    const c = connectionCeiling(i.settings);
    return [
      `Expected ceiling: at most ${c.tasks} tasks (\`maxCapacity\`) x ${c.workers} worker processes per task (\`WEB_CONCURRENCY\`, one per half vCPU of ${i.settings.cpu} CPU units) ` +
        `x ${c.pool} pooled connections per worker (\`DB_POOL_SIZE\`) = **${c.total} connections**, plus ${c.workers * c.pool} for a migration task during a deploy and a few for secret rotation. ` +
        'Above that, connections leak (or a deploy overlaps old and new tasks); near the alarm threshold with fewer tasks, lower the pool size or raise the instance class.',
    ];
  },
};

/** The connections the service opens at its largest: tasks x workers x pool. */
export function connectionCeiling(settings: ResolvedSettings): { tasks: number; workers: number; pool: number; total: number } {
  const tasks = settings.maxCapacity;
  const workers = workerCount(settings.cpu);
  const pool = SERVICE_DEFAULTS.dbPoolSizePerWorker;
  return { tasks, workers, pool, total: tasks * workers * pool };
}

/** Markdown paragraphs to print after an alarm's first commands (often none). */
export function alarmNotes(alarm: AlarmDefinition, input: ResponseInput): string[] {
  return NOTES[alarm.id]?.(input) ?? [];
}

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
