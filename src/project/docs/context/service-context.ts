import { cellText, title } from './format';
import { AuthenticationMode } from '../../../core/authentication';
import { DATABASE_CA_BUNDLE } from '../../../core/container-environment';
import { COST_ALLOCATION_TAG_KEY, DEPLOYED_IMAGE_TAG_PREFIX, SERVICE_DEFAULTS, TASK_PLATFORM } from '../../../core/defaults';
import { FIRST_DEPLOY_CONTEXT } from '../../../core/first-deploy';
import { END_OF_LIFE_WARNING_DAYS, findLine } from '../../../core/runtime-currency';
import { workerCount } from '../../../core/settings';
import { LOCAL_ISSUER_PORT } from '../../container/local-auth';
import { kitName, kitVersion } from '../../files/kit-package';
import { ServiceModel } from '../../service-model';
import { DEPLOY_TOOL } from '../alarm-runbook';

/** The service itself, as every document names it: identity, sizing, engines, ports. */
export function serviceDocs(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    region: model.region,
    kitName: kitName(),
    deployTool: DEPLOY_TOOL,
    blueprint: { ...model.blueprint, description: model.blueprint.description.replace(/\.$/, '') },
    containerPort: model.containerPort,
    healthCheckPath: model.healthCheckPath,
    cpu: model.cpu,
    memoryLimitMiB: model.memoryLimitMiB,
    database: model.database,
    cache: model.cache,
    githubRepository: model.githubRepository,
    alarmEmail: model.production.settings.alarmEmail,
    alarmHttpsEndpoints: model.production.settings.alarmHttpsEndpoints,
    alarmSlackChannel: model.production.settings.alarmSlackChannel,
    allowedOrigins: model.allowedOrigins.length > 0 ? model.allowedOrigins.join(', ') : undefined,
    migrateCommand: model.blueprint.migrateCommand,
    nodeVersion: model.nodeVersion,
    databasePort: SERVICE_DEFAULTS.databasePort,
    cachePort: SERVICE_DEFAULTS.cachePort,
    postgresVersion: String(SERVICE_DEFAULTS.postgresMajorVersion),
    redisVersion: SERVICE_DEFAULTS.redisVersion,
    databaseCaBundle: DATABASE_CA_BUNDLE,
    costAllocationTagKey: COST_ALLOCATION_TAG_KEY,
    imagePlatform: TASK_PLATFORM.imagePlatform,
    workingHours: SERVICE_DEFAULTS.workingHoursCron,
    firstDeployContext: FIRST_DEPLOY_CONTEXT,
    deployedTagPrefix: DEPLOYED_IMAGE_TAG_PREFIX,
  };
}

/** The runtimes section: each runtime of the repo and its end of life. */
export function runtimesDocs(model: ServiceModel) {
  return { runtimes: runtimeRows(model), warningDays: END_OF_LIFE_WARNING_DAYS };
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
export function authenticationContext(model: ServiceModel) {
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

/**
 * Autoscaling on requests, and the capacity one task must have for its target: the target may
 * use at most `scalingHeadroom` of what one task serves with p95 under the latency target, as
 * the kit's container check measures it (and a team re-measures for its own image).
 */
export function scaling(model: ServiceModel) {
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
