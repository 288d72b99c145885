import { cellText, title, usd } from './format';
import { rolloutDocs } from './rollout-context';
import { DeploymentEnvironment } from '../../../core/deployment-environment';
import { alarmDefinitions, dashboardNames, queryDefinitions } from '../../../core/monitoring-definitions';
import { platformNames } from '../../../core/platform-baseline';
import { platformParameterNames } from '../../../core/platform-parameters';
import { ResolvedSettings } from '../../../core/settings';
import { namedTargets } from '../../infrastructure/cloudwatch-config';
import { StackFacts } from '../../infrastructure/stack-facts';
import { EnvironmentModel, ServiceModel } from '../../service-model';
import { defaultHealthUrl } from '../../workflows/workflow-steps';
import { alarmNotes, deployTool, escalation, firstCommands } from '../alarm-runbook';

/** AWS-documented recovery behaviour the RPO/RTO statements rest on. */
const RECOVERY = {
  /** RDS uploads transaction logs every 5 minutes: the latest restorable time lags by about that. */
  pitrLagMinutes: 5,
  /** Multi-AZ failover of an RDS instance, as AWS documents it. */
  multiAzFailover: '60-120 seconds',
};

/** One environment as the documents describe it. */
export type EnvironmentDocs = ReturnType<typeof environmentContext>;

/** Both environments (staging first), and each by name. */
export function environmentsDocs(model: ServiceModel, facts: StackFacts[]) {
  const environments = model.environments.map((e, i) => environmentContext(model, e, facts[i]));
  const [staging, production] = environments;
  return { environments, staging, production };
}

function environmentContext(model: ServiceModel, env: EnvironmentModel, facts: StackFacts) {
  const s = env.settings;
  const targets = namedTargets(s, facts);
  const estimate = env.costEstimate;
  const responseInput = {
    settings: s,
    region: model.region,
    databaseInstanceId: facts.databaseInstanceId,
    cacheReplicationGroupId: facts.cacheReplicationGroupId,
  };
  const dashboards = dashboardNames(s);
  const rollout = rolloutDocs(env, facts);
  return {
    name: env.environment,
    title: title(env.environment),
    isProduction: s.isProduction,
    account: env.account ?? '<account-id>',
    accountPinned: env.account !== undefined,
    names: s.names,
    url: s.domainName ? `https://${s.domainName}` : undefined,
    healthUrl: defaultHealthUrl(s),
    settings: {
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
      latencyP95Ms: s.latencyP95Ms,
      cpu: s.cpu,
      vcpu: s.cpu / 1024,
      memoryLimitMiB: s.memoryLimitMiB,
      multiAz: s.multiAz,
      deletionProtection: s.deletionProtection,
      databaseInstanceClass: `db.${s.databaseInstanceClass}`,
      databaseAllocatedStorageGiB: s.databaseAllocatedStorageGiB,
      databaseMaxAllocatedStorageGiB: s.databaseMaxAllocatedStorageGiB,
      databaseBackupRetentionDays: s.databaseBackupRetentionDays,
      awsBackupRetentionDays: s.awsBackupRetentionDays,
      cacheNodeType: s.cacheNodeType,
      cacheNodes: 1 + s.cacheReplicas,
      cacheSnapshotRetentionDays: s.cacheSnapshotRetentionDays,
      logRetentionDays: s.logRetentionDays,
      fargateSpot: s.fargateSpot,
      natGateways: facts.natGatewayZones.length,
      availabilityZones: facts.availabilityZones.length,
      monthlyBudgetUsd: s.monthlyBudgetUsd,
      budgetIsDefault: env.stackOptions.monthlyBudgetUsd === undefined,
      scaleToZero: s.scaleToZeroOutsideWorkingHours,
    },
    facts,
    logGroups: facts.logGroups.map((g) => ({
      ...g,
      find: g.name === undefined ? stackResourceCommand(model.region, s.names.stackName, g.logicalId) : undefined,
    })),
    hasUnnamedLogGroups: facts.logGroups.some((g) => g.name === undefined),
    auditLogsElsewhere: auditLogsElsewhere(model, env),
    interfaceEndpoints: facts.interfaceEndpoints.join(', '),
    alarms: alarmDefinitions(s, targets).map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      condition: a.condition,
      meaning: a.meaning,
      metric: 'expression' in a.metric ? `${a.metric.label}: ${a.metric.expression}` : `${a.metric.namespace} ${a.metric.metricName} (${a.metric.statistic})`,
      commands: firstCommands(a, responseInput),
      notes: alarmNotes(a, responseInput),
      escalation: escalation(s),
    })),
    queries: queryDefinitions(s, targets).map((q) => ({ name: q.name, description: q.description, queryString: q.queryString })),
    dashboards: [
      { name: dashboards.api, shows: `requests; latency p50/p95/p99 against the ${s.latencyP95Ms} ms target; task CPU and memory; running tasks between ${s.minCapacity} and ${s.maxCapacity}` },
      { name: dashboards.database, shows: model.database || model.cache ? 'database CPU, connections and free storage; cache memory' : 'a note: this service has no database or cache' },
      { name: dashboards.errors, shows: 'HTTP 5xx and 4xx; application error log lines; the latest errors; every alarm' },
      { name: dashboards.cost, shows: `estimated charges of the account against the ${s.monthlyBudgetUsd} USD budget` },
    ],
    costEstimate: estimate,
    cost: {
      total: usd(estimate.totalUsd),
      budget: estimate.defaultBudgetUsd,
      fargateAtMax: usd(estimate.fargateAtMaxCapacityUsd),
      requests: estimate.usage.requestsPerMonth.toLocaleString('en-US'),
      taskHours: Math.round(estimate.taskHours),
      lines: estimate.lineItems.map((l) => ({
        category: l.category,
        item: l.item,
        quantity: cellText(l.quantity),
        unitPrice: cellText(l.unitPrice),
        usd: usd(l.monthlyUsd),
      })),
    },
    network: networkDiagram(facts, env.environment),
    rollout,
    recovery: recovery(model, s, facts, rollout.rollbackHow),
    commands: {
      status: deployTool(s, model.region, 'status'),
      rollback: deployTool(s, model.region, 'rollback'),
      revisions: deployTool(s, model.region, 'revisions'),
      outputs: `aws cloudformation describe-stacks --region ${model.region} --stack-name ${s.names.stackName} --query 'Stacks[0].Outputs' --output table`,
    },
  };
}

/** Prints the physical name CloudFormation gave a resource of the deployed stack. */
function stackResourceCommand(region: string, stackName: string, logicalId: string): string {
  return `aws cloudformation describe-stack-resource --region ${region} --stack-name ${stackName} --logical-resource-id ${logicalId} --query StackResourceDetail.PhysicalResourceId --output text`;
}

/**
 * The audit log groups this environment relies on but its own stack does not hold: a joined
 * service's VPC flow logs and trail are the platform's; a production stack that shares staging's
 * account uses staging's trail (one trail per account). Each with the command that prints it.
 */
function auditLogsElsewhere(model: ServiceModel, env: EnvironmentModel): { what: string; owner: string; find: string }[] {
  const region = model.region;
  const trail = (owner: string, trailName: string) => ({
    what: 'CloudTrail trail (management events of the account)',
    owner,
    find: `aws cloudtrail get-trail --region ${region} --name ${trailName} --query Trail.CloudWatchLogsLogGroupArn --output text`,
  });
  if (model.platform !== undefined) {
    const platform = model.platform.name;
    const vpcParameter = platformParameterNames(platform, env.environment).vpcId;
    return [
      {
        what: 'VPC flow logs',
        owner: `platform ${platform}`,
        find: `aws ec2 describe-flow-logs --region ${region} --filter Name=resource-id,Values="$(aws ssm get-parameter --region ${region} --name ${vpcParameter} --query Parameter.Value --output text)" --query 'FlowLogs[].LogGroupName' --output text`,
      },
      trail(`platform ${platform}`, platformNames(platform, env.environment).trailName),
    ];
  }
  if (env.stackOptions.createAuditTrail === false) {
    const staging = model.environments.find((e) => e.environment === DeploymentEnvironment.STAGING)!;
    return [trail(`the staging stack ${staging.settings.names.stackName} (same account)`, staging.settings.names.trailName)];
  }
  return [];
}

/** Nodes and edges of the network topology diagram, with Mermaid-safe ids. */
function networkDiagram(facts: StackFacts, environment: DeploymentEnvironment) {
  const id = (text: string) => `${environment.slice(0, 3)}_${text.replace(/[^A-Za-z0-9]/g, '_')}`;
  const tiers = (['public', 'private', 'isolated'] as const).map((tier) => ({
    tier,
    id: id(`${tier}_tier`),
    label: { public: 'Public subnets: load balancer, NAT', private: 'Private subnets: ECS tasks, endpoints, rotation Lambda', isolated: 'Isolated subnets: PostgreSQL, Redis' }[tier],
    subnets: facts.subnets
      .filter((s) => s.tier === tier)
      .map((s) => ({ id: id(s.name), label: `${s.name} ${s.availabilityZone} ${s.cidr}`, route: s.defaultRoute })),
  }));
  const nat = facts.natGatewayZones.map((zone) => ({ id: id(`nat_${zone}`), label: `NAT gateway ${zone}`, zone }));
  const routes = facts.subnets
    .filter((s) => s.defaultRoute)
    .map((s) => {
      const natZone = /NAT gateway in (\S+)/.exec(s.defaultRoute!)?.[1];
      return { from: id(s.name), to: natZone ? id(`nat_${natZone}`) : id('igw') };
    });
  const groups = [...new Set(facts.ingress.flatMap((g) => [g.from, g.to]))];
  const sgId = (label: string) => id(`sg_${label}`);
  return {
    vpcId: id('vpc'),
    vpcLabel: facts.platformName !== undefined ? `VPC of platform ${facts.platformName}` : `VPC ${facts.vpcCidr}`,
    igwId: id('igw'),
    tiers,
    nat,
    natPublic: nat.map((n) => ({ nat: n.id, subnet: tiers[0].subnets.find((s) => s.label.includes(n.zone))?.id })),
    routes,
    isolatedNote: id('no_route'),
    securityGroups: groups.map((label) => ({ id: sgId(label), label })),
    ingress: facts.ingress.map((g) => ({ ...g, description: g.description || '-' })),
    // One edge per source and destination, with every port it admits.
    edges: [...new Set(facts.ingress.map((g) => `${g.from}\u0000${g.to}`))].map((key) => {
      const [from, to] = key.split('\u0000');
      const ports = facts.ingress.filter((g) => g.from === from && g.to === to).map((g) => g.port);
      return { from: sgId(from), to: sgId(to), ports: ports.join(', ') };
    }),
    openEgress: facts.openEgress.join(', '),
  };
}

/** RPO and RTO per component, from the settings and the stack. */
function recovery(model: ServiceModel, s: ResolvedSettings, facts: StackFacts, rollbackHow: string) {
  const rows: { component: string; event: string; rpo: string; rto: string; how: string }[] = [];
  rows.push({
    component: 'API tasks',
    event: 'task or host failure',
    rpo: 'none (stateless)',
    rto: 'minutes',
    how: `ECS replaces the task; ${s.minCapacity} or more tasks over ${facts.availabilityZones.length} AZs keep serving meanwhile`,
  });
  rows.push({
    component: 'API tasks',
    event: 'bad deploy',
    rpo: 'none',
    rto: 'minutes',
    how: `${rollbackHow}; \`hardened-service rollback\` by hand`,
  });
  if (model.database) {
    rows.push(
      s.multiAz
        ? {
          component: 'PostgreSQL',
          event: 'instance or AZ failure',
          rpo: '0 (synchronous standby)',
          rto: RECOVERY.multiAzFailover,
          how: 'Multi-AZ automatic failover; the endpoint name stays the same',
        }
        : {
          component: 'PostgreSQL',
          event: 'instance or AZ failure',
          rpo: `${RECOVERY.pitrLagMinutes} minutes`,
          rto: 'about an hour (restore and cut-over; measure it in a drill)',
          how: 'single-AZ: point-in-time restore to a new instance, then point the stack at it',
        },
      {
        component: 'PostgreSQL',
        event: 'data corruption, bad migration',
        rpo: `${RECOVERY.pitrLagMinutes} minutes, to any second in the last ${facts.databaseBackupRetentionDays} days`,
        rto: 'about an hour',
        how: 'point-in-time restore to a new instance (OPERATIONS_RUNBOOK.md), verify, cut over',
      },
      {
        component: 'PostgreSQL',
        event: `corruption found after ${facts.databaseBackupRetentionDays} days`,
        rpo: `24 hours (daily AWS Backup \`${facts.awsBackupSchedule}\`, kept ${facts.awsBackupDeleteAfterDays} days)`,
        rto: 'about an hour',
        how: 'restore the AWS Backup recovery point to a new instance',
      },
    );
  }
  if (model.cache) {
    rows.push(
      facts.cacheAutomaticFailover
        ? { component: 'Redis', event: 'node or AZ failure', rpo: 'seconds (asynchronous replica)', rto: 'minutes', how: 'automatic failover to the replica' }
        : { component: 'Redis', event: 'node failure', rpo: 'cache contents (rebuilt from the database)', rto: 'minutes to replace the node', how: `one node; snapshots kept ${facts.cacheSnapshotRetentionDays} days` },
    );
  }
  rows.push(
    {
      component: 'Infrastructure',
      event: 'stack damaged or deleted',
      rpo: 'none for retained data',
      rto: 'under an hour',
      how: `\`npx cdk deploy ${s.names.stackName}\`; keys, ECR repository, buckets, backup vault${s.deletionProtection ? ', database and log groups' : ''} are retained`,
    },
    {
      component: 'Everything',
      event: `loss of ${model.region}`,
      rpo: 'not covered',
      rto: 'not covered',
      how: 'backups and logs stay in the region; see "Region loss"',
    },
  );
  const headline = model.database
    ? {
      rpo: s.multiAz ? `0 for an AZ failure; ${RECOVERY.pitrLagMinutes} minutes for data errors` : `${RECOVERY.pitrLagMinutes} minutes`,
      rto: s.multiAz ? `${RECOVERY.multiAzFailover} for an AZ failure; about an hour for a restore` : 'about an hour',
    }
    : { rpo: 'none (no stateful resources besides the cache)', rto: 'minutes' };
  return { rows: rows.map((r) => ({ ...r, how: cellText(r.how) })), headline, pitrLagMinutes: RECOVERY.pitrLagMinutes };
}
