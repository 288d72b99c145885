import { escalation, firstCommands } from './alarm-runbook';
import { CDK_EXECUTION_POLICY_PATH, cdkExecutionPolicyFor } from './cdk-execution-policy-file';
import { namedTargets } from './cloudwatch-config';
import { complianceDocsContext, frameworkList, packOfRuleId } from './compliance-docs';
import { ORGANISATION_TASKS, SAFEGUARDS, SafeguardInput } from './hipaa-safeguards';
import { kitName, kitVersion } from './kit-package';
import { LOCAL_ISSUER_PORT } from './local-auth';
import { EnvironmentModel, ServiceModel } from './service-model';
import { inspectServiceStacks, StackFacts } from './stack-facts';
import { defaultHealthUrl, DEPLOY_ROLE_VARIABLE, HEALTH_URL_VARIABLE, PROJEN_TOKEN_SECRET, publishRoleVariable } from './workflow-steps';
import { MAIN_BRANCH, WORKFLOW_TIMEOUTS } from './workflows';
import { AuthenticationMode } from '../core/authentication';
import { cdkExecutionPolicyName, partitionOf } from '../core/cdk-execution-policy';
import { DATABASE_CA_BUNDLE } from '../core/container-environment';
import {
  CostEstimate,
  CostInputs,
  estimateMonthlyCost,
  PRICES,
  SEED_ESTIMATE_USD,
  BUDGET_MARGIN,
  BUDGET_ROUNDING_USD,
} from '../core/cost-model';
import { COST_ALLOCATION_TAG_KEY, DEPLOYED_IMAGE_TAG_PREFIX, DEPLOYED_IMAGES_KEPT, SERVICE_DEFAULTS, TASK_PLATFORM } from '../core/defaults';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { MANAGED_RULE_GROUPS } from '../core/firewall-rules';
import { alarmDefinitions, dashboardNames, queryDefinitions } from '../core/monitoring-definitions';
import { END_OF_LIFE_WARNING_DAYS, findLine } from '../core/runtime-currency';
import { ResolvedSettings, workerCount } from '../core/settings';

/**
 * The values the docs templates (`src/templates/docs/*.hbs`) render: everything resolved from
 * the service model, the cost model, the monitoring definitions and the stacks built in
 * memory. Templates only print and loop. Internal module.
 */

/** Line items the seed's $80-100 estimate covered (compute, database, load balancer, transfer, logs). */
const SEED_COVERED = new Set(['fargate', 'fargate-spot', 'rds-instance', 'rds-storage', 'load-balancer', 'data-transfer-out', 'logs-ingest', 'logs-storage']);

/** AWS-documented recovery behaviour the RPO/RTO statements rest on. */
const RECOVERY = {
  /** RDS uploads transaction logs every 5 minutes: the latest restorable time lags by about that. */
  pitrLagMinutes: 5,
  /** Multi-AZ failover of an RDS instance, as AWS documents it. */
  multiAzFailover: '60-120 seconds',
};

const usd = (value: number) => value.toFixed(2);
const title = (env: DeploymentEnvironment) => env.charAt(0).toUpperCase() + env.slice(1);
const cellText = (text: string) => text.replace(/\|/g, '\\|');

/** What the docs need from the project besides the model. */
export interface DocsProjectFacts {
  /** Secrets projen's own workflows read (`upgrade.yml`'s pull request token). */
  readonly projenSecrets?: string[];
}

/** Everything the docs templates use. */
export function docsContext(model: ServiceModel, project: DocsProjectFacts = {}): object {
  const facts = inspectServiceStacks(model);
  const envs = model.environments.map((e, i) => environmentContext(model, e, facts[i]));
  const [staging, production] = envs;
  const stagingCost = envs[0].costEstimate as CostEstimate;
  const productionCost = envs[1].costEstimate as CostEstimate;
  const combined = stagingCost.totalUsd + productionCost.totalUsd;
  const safeguardInput: SafeguardInput = {
    model,
    staging: { settings: model.staging.settings, facts: facts[0] },
    production: { settings: model.production.settings, facts: facts[1] },
  };
  return {
    serviceName: model.serviceName,
    region: model.region,
    kitName: kitName(),
    blueprint: { ...model.blueprint, description: model.blueprint.description.replace(/\.$/, '') },
    containerPort: model.containerPort,
    healthCheckPath: model.healthCheckPath,
    cpu: model.cpu,
    memoryLimitMiB: model.memoryLimitMiB,
    database: model.database,
    cache: model.cache,
    githubRepository: model.githubRepository,
    alarmEmail: model.production.settings.alarmEmail,
    allowedOrigins: model.allowedOrigins.length > 0 ? model.allowedOrigins.join(', ') : undefined,
    migrateCommand: model.blueprint.migrateCommand,
    nodeVersion: model.nodeVersion,
    runtimes: runtimeRows(model),
    warningDays: END_OF_LIFE_WARNING_DAYS,
    wafRateLimit: facts[1].wafRateLimit ?? SERVICE_DEFAULTS.wafRateLimitPer5Min,
    databasePort: SERVICE_DEFAULTS.databasePort,
    cachePort: SERVICE_DEFAULTS.cachePort,
    postgresVersion: String(SERVICE_DEFAULTS.postgresMajorVersion),
    databaseCaBundle: DATABASE_CA_BUNDLE,
    costAllocationTagKey: COST_ALLOCATION_TAG_KEY,
    imagePlatform: TASK_PLATFORM.imagePlatform,
    bootstrap: bootstrapContext(model),
    redisVersion: SERVICE_DEFAULTS.redisVersion,
    managedRuleGroups: MANAGED_RULE_GROUPS,
    workingHours: SERVICE_DEFAULTS.workingHoursCron,
    environments: envs,
    staging,
    production,
    acknowledgements: acknowledgementRows(facts),
    ...complianceDocsContext(model, facts),
    acknowledgementCounts: facts.map((f) => ({ environment: f.environment, stackName: f.stackName, count: f.acknowledgements.length })),
    safeguards: (['Administrative', 'Physical', 'Technical'] as const).map((kind) => ({
      kind,
      rows: SAFEGUARDS.filter((g) => g.kind === kind).map((g) => ({
        section: g.section,
        title: g.title,
        specification: g.specification,
        implementedBy: cellText(g.implementedBy(safeguardInput).join('; ')),
        rules: applicableRules(g.rules, model).map((r) => `\`${r}\``).join(', ') || '-',
        organisation: cellText(g.organisation ?? '-'),
      })),
    })),
    openGaps: SAFEGUARDS.flatMap((g) => {
      const gap = g.gap?.(safeguardInput);
      return gap ? [{ section: g.section, title: g.title, gap }] : [];
    }),
    auth: authenticationContext(model),
    organisationTasks: ORGANISATION_TASKS,
    cost: {
      region: PRICES.region,
      source: PRICES.source,
      takenOn: PRICES.takenOn,
      regionDiffers: model.region !== PRICES.region,
      marginPercent: BUDGET_MARGIN * 100,
      roundingUsd: BUDGET_ROUNDING_USD,
      combined: usd(combined),
      seedLow: SEED_ESTIMATE_USD.low,
      seedHigh: SEED_ESTIMATE_USD.high,
      ratio: (combined / SEED_ESTIMATE_USD.high).toFixed(1),
      comparison: seedComparison(stagingCost, productionCost),
      optimizations: optimizations(model, stagingCost),
    },
    risks: risks(model, envs),
    scaling: scaling(model),
    ci: {
      mainBranch: MAIN_BRANCH,
      deployRoleVariable: DEPLOY_ROLE_VARIABLE,
      healthUrlVariable: HEALTH_URL_VARIABLE,
      timeouts: WORKFLOW_TIMEOUTS,
      environments: facts.map((f) => ({
        name: f.environment,
        publishRoleVariable: publishRoleVariable(f.environment),
        publishRole: f.deployRoles.find((r) => r.purpose.startsWith('publish'))!,
        deployRole: f.deployRoles.find((r) => r.purpose.startsWith('deploy'))!,
      })),
      settings: ciSettings(model, project.projenSecrets ?? []),
      productionPublishRoleVariable: publishRoleVariable(DeploymentEnvironment.PRODUCTION),
      deployedTagPrefix: DEPLOYED_IMAGE_TAG_PREFIX,
      deployedImagesKept: DEPLOYED_IMAGES_KEPT,
    },
  };
}

/** The repo's runtimes with their end of life, from the currency table (no date-dependent text). */
function runtimeRows(model: ServiceModel) {
  return model.runtimes.map((use) => {
    const line = findLine(use.product, use.version);
    return {
      item: use.item,
      version: line ? `${line.name} (${use.version})` : `${use.product} ${use.version}`,
      endOfLife: line ? (line.endOfLife ?? 'none announced') : 'not in the currency table',
      option: cellText(use.option),
      source: line ? `<${line.source}>` : '-',
    };
  });
}

/** What the docs say about callers' authentication, from the `authentication` option. */
function authenticationContext(model: ServiceModel) {
  const s = model.production.settings;
  const mode = model.authentication;
  return {
    mode,
    none: mode === AuthenticationMode.NONE,
    jwt: AuthenticationMode.usesJwt(mode),
    apiKeys: AuthenticationMode.usesApiKeys(mode),
    issuer: s.jwtIssuerUrl,
    audience: s.jwtAudience,
    readScope: s.jwtReadScope,
    writeScope: s.jwtWriteScope,
    maxAgeDays: s.apiKeyMaxAgeDays,
    overlapDays: SERVICE_DEFAULTS.apiKeyOverlapDays,
    toolCommand: model.blueprint.apiKeyToolCommand,
    localIssuerPort: LOCAL_ISSUER_PORT,
    environments: model.environments.map((e) => ({
      environment: e.environment,
      secretName: e.settings.names.apiKeysSecretName,
      stackName: e.settings.names.stackName,
      clusterName: e.settings.names.clusterName,
      serviceName: e.settings.names.serviceName,
      appLogGroup: e.settings.names.appLogGroup,
    })),
  };
}

function environmentContext(model: ServiceModel, env: EnvironmentModel, facts: StackFacts) {
  const s = env.settings;
  const targets = namedTargets(s, facts);
  const estimate = estimateMonthlyCost(s);
  const responseInput = {
    settings: s,
    region: model.region,
    databaseInstanceId: facts.databaseInstanceId,
    cacheReplicationGroupId: facts.cacheReplicationGroupId,
  };
  const dashboards = dashboardNames(s);
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
    logGroups: facts.logGroups.map((g) => ({ ...g, name: g.name ?? `(generated) ${g.purpose}` })),
    interfaceEndpoints: facts.interfaceEndpoints.join(', '),
    alarms: alarmDefinitions(s, targets).map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      condition: a.condition,
      meaning: a.meaning,
      metric: 'expression' in a.metric ? `${a.metric.label}: ${a.metric.expression}` : `${a.metric.namespace} ${a.metric.metricName} (${a.metric.statistic})`,
      commands: firstCommands(a, responseInput),
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
    recovery: recovery(model, s, facts),
    commands: {
      status: `npx hardened-service status --cluster ${s.names.clusterName} --service ${s.names.serviceName} --image-tag-parameter ${s.names.imageTagParameter}`,
      rollback: `npx hardened-service rollback --cluster ${s.names.clusterName} --service ${s.names.serviceName} --image-tag-parameter ${s.names.imageTagParameter}`,
      outputs: `aws cloudformation describe-stacks --region ${model.region} --stack-name ${s.names.stackName} --query 'Stacks[0].Outputs' --output table`,
    },
  };
}

/**
 * Every secret and variable the workflows read, with where it lives and what it holds. The
 * CI/CD guide's table is rendered from this list; a test checks it against the workflows.
 */
function ciSettings(model: ServiceModel, projenSecrets: string[]) {
  const [staging, production] = model.environments;
  const outputsOf = (e: EnvironmentModel, output: string) => `stack output \`${output}\` of \`${e.settings.names.stackName}\``;
  const healthWhere = model.environments
    .map((e) => `${e.environment}: ${defaultHealthUrl(e.settings) ? `optional (default \`${defaultHealthUrl(e.settings)}\`)` : '**required** (no domainName)'}`)
    .join('; ');
  const rows = [
    { name: DEPLOY_ROLE_VARIABLE, kind: 'variable', where: 'environments `staging` and `production`', value: `${outputsOf(staging, 'DeployRoleArn')} in \`staging\`, of \`${production.settings.names.stackName}\` in \`production\``, readBy: 'deploy-staging.yml, deploy-production.yml' },
    { name: publishRoleVariable(staging.environment), kind: 'variable', where: 'repository', value: outputsOf(staging, 'PublishRoleArn'), readBy: 'build.yml (push), deploy-staging.yml (promote: pull)' },
    { name: publishRoleVariable(production.environment), kind: 'variable', where: 'repository', value: `${outputsOf(production, 'PublishRoleArn')}; while unset, staging deploys on its own and nothing is promoted`, readBy: 'deploy-staging.yml (promote: push)' },
    { name: HEALTH_URL_VARIABLE, kind: 'variable', where: `environments (${healthWhere})`, value: `the https URL the deploy verifies, on a name the certificate covers, such as \`https://api.example.com${model.healthCheckPath}\`; the checks connect to the load balancer, so DNS need not point there yet`, readBy: 'deploy-staging.yml, deploy-production.yml' },
    ...projenSecrets.map((name) => ({
      name,
      kind: 'secret',
      where: 'repository (Settings > Secrets and variables > Actions > Secrets)',
      value: name === PROJEN_TOKEN_SECRET
        ? `a fine-grained personal access token for \`${model.githubRepository}\` only, with Contents: read and write, Pull requests: read and write, Workflows: read and write (Metadata: read is implied), and an expiry; the pull request it opens then runs \`test.yml\`, which one made with \`GITHUB_TOKEN\` would not, and it may change \`.github/workflows/\`, which \`GITHUB_TOKEN\` may not`
        : 'GitHub App credentials (`projenCredentials`): the app, installed on this repository only, needs Contents, Pull requests and Workflows read and write',
      readBy: 'upgrade.yml (projen\'s daily dependency upgrade pull request)',
    })),
  ];
  return rows.map((r) => ({ ...r, value: cellText(r.value) }));
}

/**
 * Autoscaling on requests, and the capacity one task must have for its target: the target may
 * use at most `scalingHeadroom` of what one task serves with p95 under the latency target, as
 * the kit's container check measures it (and a team re-measures for its own image).
 */
function scaling(model: ServiceModel) {
  const s = model.production.settings;
  const target = s.targetRequestsPerTask;
  const headroom = SERVICE_DEFAULTS.scalingHeadroom;
  return {
    targetRequestsPerTask: target,
    targetPerSecond: (target / 60).toFixed(1),
    isDefault: target === SERVICE_DEFAULTS.targetRequestsPerTask,
    cpuPercent: SERVICE_DEFAULTS.targetCpuUtilizationPercent,
    latencyP95Ms: s.latencyP95Ms,
    headroomPercent: Math.round(headroom * 100),
    requiredCapacityPerSecond: Math.ceil(target / 60 / headroom),
    workerCount: workerCount(s.cpu),
    workers: workerCount(s.cpu) === 1 ? '1 worker process' : `${workerCount(s.cpu)} worker processes`,
    kitVersion: kitVersion(),
    environments: model.environments.map((e) => ({
      title: title(e.environment),
      minCapacity: e.settings.minCapacity,
      maxCapacity: e.settings.maxCapacity,
      atMinimum: (e.settings.minCapacity * e.settings.targetRequestsPerTask).toLocaleString('en-US'),
      atMaximum: (e.settings.maxCapacity * e.settings.targetRequestsPerTask).toLocaleString('en-US'),
    })),
  };
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
    vpcLabel: `VPC ${facts.vpcCidr}`,
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
function recovery(model: ServiceModel, s: ResolvedSettings, facts: StackFacts) {
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
    how: 'the deployment circuit breaker rolls back; `hardened-service rollback` by hand',
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

/** Acknowledgements of both stacks, one row per rule and reason, with where and in which environments. */
function acknowledgementRows(facts: StackFacts[]) {
  const rows = new Map<string, { id: string; reason: string; paths: Map<string, DeploymentEnvironment[]> }>();
  for (const f of facts) {
    for (const ack of f.acknowledgements) {
      const key = `${ack.id}\u0000${ack.reason}`;
      const row = rows.get(key) ?? { id: ack.id, reason: ack.reason, paths: new Map() };
      const envs = row.paths.get(ack.path) ?? [];
      if (!envs.includes(f.environment)) envs.push(f.environment);
      row.paths.set(ack.path, envs);
      rows.set(key, row);
    }
  }
  const all = facts.map((f) => f.environment);
  return [...rows.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((row) => ({
      id: row.id,
      pack: packOfRuleId(row.id),
      where: [...row.paths.entries()]
        .map(([path, envs]) => `\`${path === '' ? '(whole stack)' : path}\`${envs.length === all.length ? '' : ` (${envs.join(', ')} only)`}`)
        .join(', '),
      environments: all.filter((e) => [...row.paths.values()].some((envs) => envs.includes(e))).join(', '),
      reason: cellText(row.reason),
    }));
}


/** The rules that apply to what this service has (no RDS rules without a database, ...). */
function applicableRules(rules: string[], model: ServiceModel): string[] {
  return rules.filter((r) => (model.database || !/RDS|InBackupPlan/.test(r)) && (model.cache || !/ElastiCache|AEC/.test(r)));
}

/** Where the seed's $80-100 a month came from, and what it left out. */
function seedComparison(staging: CostEstimate, production: CostEstimate) {
  const ids = [...new Set([...staging.lineItems, ...production.lineItems].map((l) => l.id))];
  const amount = (e: CostEstimate, lineId: string) => e.lineItems.find((l) => l.id === lineId)?.monthlyUsd ?? 0;
  const item = (lineId: string) => [...staging.lineItems, ...production.lineItems].find((l) => l.id === lineId)!.item;
  const sum = (lineIds: string[]) => lineIds.reduce((total, lineId) => total + amount(staging, lineId) + amount(production, lineId), 0);
  const covered = ids.filter((lineId) => SEED_COVERED.has(lineId));
  const omitted = ids
    .filter((lineId) => !SEED_COVERED.has(lineId))
    .map((lineId) => ({ lineId, both: amount(staging, lineId) + amount(production, lineId) }))
    .filter((o) => o.both > 0)
    .sort((a, b) => b.both - a.both)
    .map((o) => ({
      item: item(o.lineId),
      staging: usd(amount(staging, o.lineId)),
      production: usd(amount(production, o.lineId)),
      both: usd(o.both),
    }));
  return {
    coveredUsd: usd(sum(covered)),
    omittedUsd: usd(sum(ids.filter((lineId) => !SEED_COVERED.has(lineId)))),
    omitted,
    productionDatabase: usd(amount(production, 'rds-instance') + amount(production, 'rds-storage')),
  };
}

/** The seed's cost optimizations and what the options already do. */
function optimizations(model: ServiceModel, staging: CostEstimate) {
  const s = model.staging.settings;
  const withNights: CostInputs = { ...s, scaleToZeroOutsideWorkingHours: true };
  const nightsSaving = staging.totalUsd - estimateMonthlyCost(withNights).totalUsd;
  const spotShare = staging.counts.spotTasks;
  return [
    {
      name: 'Fargate Spot for staging',
      status: s.fargateSpot ? 'applied' : 'not applied',
      detail: spotShare > 0
        ? `${spotShare} of ${s.minCapacity} staging tasks run on Spot at minimum capacity`
        : `staging runs ${s.minCapacity} task at minimum and the first task stays on-demand, so Spot only saves when it scales out (raise stagingMinCapacity to use more Spot)`,
    },
    {
      name: 'Schedule non-production shutdown after hours',
      status: s.scaleToZeroOutsideWorkingHours ? 'applied' : 'available',
      detail: s.scaleToZeroOutsideWorkingHours
        ? `staging runs ${SERVICE_DEFAULTS.workingHoursCron.startHour}:00-${SERVICE_DEFAULTS.workingHoursCron.stopHour}:00 UTC ${SERVICE_DEFAULTS.workingHoursCron.weekDays} only`
        : `set \`stagingScaleToZeroOutsideWorkingHours: true\` to save about $${usd(nightsSaving)} a month (tasks only; database, cache, NAT and endpoints keep running)`,
    },
    {
      name: 'RDS Reserved Instances (1-year)',
      status: model.database ? 'a purchase, outside the stack' : 'not applicable',
      detail: model.database
        ? 'reservations are bought in the billing console for the instance classes above; the stack and this estimate use on-demand prices'
        : 'this service has no database',
    },
    {
      name: 'Cheaper staging preset (kit)',
      status: 'applied',
      detail: `staging: one NAT gateway, ${s.maxAzs} AZs, single-AZ db.${s.databaseInstanceClass}, one ${s.cacheNodeType} node, ${s.logRetentionDays}-day logs`,
    },
  ];
}

/** The seed's risks and what this repository does about each. */
function risks(model: ServiceModel, envs: ReturnType<typeof environmentContext>[]) {
  const [staging, production] = envs;
  return [
    {
      level: 'High',
      risk: 'AWS costs exceed budget',
      mitigation: `budgets \`${staging.names.budgetName}\` (${staging.settings.monthlyBudgetUsd} USD) and \`${production.names.budgetName}\` (${production.settings.monthlyBudgetUsd} USD) alert the alarm topic; the defaults are the estimates below plus ${BUDGET_MARGIN * 100}%`,
    },
    {
      level: 'High',
      risk: 'Security misconfiguration',
      mitigation: `cdk-nag ${frameworkList(model.complianceFrameworks)} fail the build on any unacknowledged finding; HIPAA_COMPLIANCE_CHECKLIST.md lists every acknowledgement`,
    },
    {
      level: 'High',
      risk: 'Database migration fails',
      mitigation: model.database
        ? `the deploy tool runs \`${model.blueprint.migrateCommand}\` as a one-off task with the new image and stops before the rollout if it fails; staging deploys first`
        : 'no database',
    },
    {
      level: 'Medium',
      risk: 'CI/CD pipeline issues',
      mitigation: '`scripts/aws-deploy.sh` runs the same deploy tool by hand (DEPLOYMENT_GUIDE.md)',
    },
    {
      level: 'Medium',
      risk: 'Performance issues',
      mitigation: `p95 alarm above ${production.settings.latencyP95Ms} ms; autoscaling on CPU and requests up to ${production.settings.maxCapacity} tasks; load-test staging before production`,
    },
    {
      level: 'Medium',
      risk: 'Monitoring gaps',
      mitigation: `${production.alarms.length} alarms, 4 dashboards and ${production.queries.length} saved queries per environment, from one set of definitions`,
    },
    {
      level: 'Low',
      risk: 'Documentation incomplete',
      mitigation: 'these documents are regenerated from the options on every `npx projen`',
    },
    {
      level: 'Low',
      risk: 'Docker image size too large',
      mitigation: 'multi-stage Dockerfile on a pinned slim base; `.dockerignore` sends only `app/`',
    },
  ].map((r) => ({ ...r, mitigation: cellText(r.mitigation) }));
}

/** The CDK bootstrap with the generated execution policy, for the setup guide. */
function bootstrapContext(model: ServiceModel) {
  const policy = cdkExecutionPolicyFor(model) as { Statement: { Sid: string; Action: string | string[] }[] };
  const services = policy.Statement.find((st) => st.Sid === 'ServicesOfTheStacks')!.Action as string[];
  return {
    policyName: cdkExecutionPolicyName(model.serviceName),
    policyPath: CDK_EXECUTION_POLICY_PATH,
    relativePolicyPath: `../${CDK_EXECUTION_POLICY_PATH}`,
    partition: partitionOf(model.region),
    serviceCount: services.length,
  };
}
