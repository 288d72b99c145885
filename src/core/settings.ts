import { AuthenticationMode } from './authentication';
import { defaultMonthlyBudgetUsd } from './cost-model';
import { DeploymentEnvironment } from './deployment-environment';
import { HardenedServiceOptions } from './service-options';

/**
 * Defaults and presets, resolved once. The stack, the projen project type and the generated
 * docs all read the values from here, so a default is written in one place only.
 *
 * This module is internal (not exported from the package's index): jsii does not allow free
 * functions in a public API.
 */

/** Defaults that do not depend on the environment. */
export const SERVICE_DEFAULTS = {
  containerPort: 8000,
  healthCheckPath: '/health',
  cpu: 512,
  memoryLimitMiB: 1024,
  latencyP95Ms: 100,
  database: true,
  cache: true,
  /**
   * PostgreSQL major version, shared by RDS, the CI database and the local compose file. Only
   * the major is pinned: RDS creates the instance on that major's current default minor and
   * upgrades minors itself (`autoMinorVersionUpgrade`), so the template never names a minor
   * RDS has stopped offering, nor an older minor than the instance already runs.
   */
  postgresMajorVersion: 16,
  /** Redis version, shared by ElastiCache and the local compose file. */
  redisVersion: '7.1',
  databasePort: 5432,
  cachePort: 6379,
  databaseName: 'app',
  /** Database connections per worker process (the pool bound the sample apps honour). */
  dbPoolSizePerWorker: 5,
  /**
   * Requests per task per minute that request-count autoscaling holds each task at (the load
   * balancer's `RequestCountPerTarget`). The container check measures the capacity of one default
   * task and fails when this is above `scalingHeadroom` of it (docs/container-testing.md).
   */
  targetRequestsPerTask: 6000,
  /** Share of one task's measured capacity that `targetRequestsPerTask` may use at most. */
  scalingHeadroom: 0.5,
  /** Average CPU utilisation (percent) that CPU autoscaling holds the service at. */
  targetCpuUtilizationPercent: 60,
  /** Per-IP request limit over 5 minutes in the web ACL. */
  wafRateLimitPer5Min: 2000,
  authentication: AuthenticationMode.API_KEYS,
  jwtReadScope: 'api:read',
  jwtWriteScope: 'api:write',
  /** Rotation schedule of API keys: the longest a key is accepted. */
  apiKeyMaxAgeDays: 90,
  /** How long old and new key of a client are both valid during a rotation. */
  apiKeyOverlapDays: 14,
  /** Working hours (UTC) that staging keeps running when scaling to zero is on. */
  workingHoursCron: { startHour: 7, stopHour: 19, weekDays: 'MON-FRI' },
} as const;

/**
 * Tag key every resource of a service stack carries, with the stack's prefix
 * (`hedis-optimizer-staging`) as its value. The stack's budget counts only costs with this tag,
 * and ECS propagates it from the service to its tasks. AWS Budgets filters by it once it is
 * activated as a cost-allocation tag (Billing console > Cost allocation tags), which the
 * generated AWS_SETUP_GUIDE asks for.
 */
export const COST_ALLOCATION_TAG_KEY = 'hardened-service:stack';

/**
 * The tasks' CPU architecture, and the platform every image build targets: one value, so an
 * image built on an ARM laptop is still one the X86_64 tasks can pull.
 */
export const TASK_PLATFORM = {
  /** ECS `runtimePlatform.cpuArchitecture` of the task definition. */
  cpuArchitecture: 'X86_64',
  /** `--platform` of `docker build` and of the build workflow. */
  imagePlatform: 'linux/amd64',
} as const;

/** The presets that differ by environment. */
export interface EnvironmentPreset {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly natGateways: 'one' | 'per-az';
  readonly maxAzs: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly databaseInstanceClass: string;
  readonly databaseAllocatedStorageGiB: number;
  readonly databaseMaxAllocatedStorageGiB: number;
  readonly databaseBackupRetentionDays: number;
  readonly awsBackupRetentionDays: number;
  readonly cacheNodeType: string;
  readonly cacheReplicas: number;
  readonly cacheSnapshotRetentionDays: number;
  readonly logRetentionDays: number;
  readonly fargateSpot: boolean;
}

export const ENVIRONMENT_PRESETS: Record<DeploymentEnvironment, EnvironmentPreset> = {
  [DeploymentEnvironment.STAGING]: {
    minCapacity: 1,
    maxCapacity: 2,
    natGateways: 'one',
    maxAzs: 2,
    multiAz: false,
    deletionProtection: false,
    databaseInstanceClass: 't3.small',
    databaseAllocatedStorageGiB: 20,
    databaseMaxAllocatedStorageGiB: 100,
    databaseBackupRetentionDays: 7,
    awsBackupRetentionDays: 35,
    cacheNodeType: 'cache.t3.micro',
    cacheReplicas: 0,
    cacheSnapshotRetentionDays: 15,
    logRetentionDays: 90,
    fargateSpot: true,
  },
  [DeploymentEnvironment.PRODUCTION]: {
    minCapacity: 2,
    maxCapacity: 10,
    natGateways: 'per-az',
    maxAzs: 3,
    multiAz: true,
    deletionProtection: true,
    databaseInstanceClass: 't3.medium',
    databaseAllocatedStorageGiB: 50,
    databaseMaxAllocatedStorageGiB: 500,
    databaseBackupRetentionDays: 35,
    awsBackupRetentionDays: 365,
    cacheNodeType: 'cache.t3.small',
    cacheReplicas: 1,
    cacheSnapshotRetentionDays: 35,
    // HIPAA asks for six years of audit records; application logs keep one year here and
    // CloudTrail keeps its own archive.
    logRetentionDays: 365,
    fargateSpot: false,
  },
};

/** Physical names of everything the docs and the deploy tool refer to. */
export interface ServiceNames {
  /** `hedis-optimizer-production` */
  readonly prefix: string;
  readonly stackName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerName: string;
  readonly taskFamily: string;
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  readonly repositoryName: string;
  readonly appLogGroup: string;
  readonly imageTagParameter: string;
  readonly alarmPrefix: string;
  readonly dashboardPrefix: string;
  readonly deployRoleName: string;
  readonly webAclName: string;
  readonly trailName: string;
  readonly alarmTopicName: string;
  readonly budgetName: string;
  /** Secrets Manager secret of the API keys' digests. */
  readonly apiKeysSecretName: string;
}

/** Names derived from the service name and environment, for the stack and the docs alike. */
export function serviceNames(service: string, environment: DeploymentEnvironment): ServiceNames {
  const prefix = `${service}-${environment}`;
  // Load balancer and target group names are limited to 32 characters.
  const short = `${service}-${environment === DeploymentEnvironment.PRODUCTION ? 'prod' : 'stg'}`;
  return {
    prefix,
    stackName: prefix,
    clusterName: prefix,
    serviceName: service,
    containerName: 'app',
    taskFamily: prefix,
    loadBalancerName: `${short}-alb`,
    targetGroupName: `${short}-tg`,
    repositoryName: prefix,
    appLogGroup: `/ecs/${prefix}/app`,
    imageTagParameter: `/${service}/${environment}/image-tag`,
    alarmPrefix: prefix,
    dashboardPrefix: prefix,
    deployRoleName: `${prefix}-github-deploy`,
    webAclName: `${prefix}-web-acl`,
    trailName: `${prefix}-trail`,
    alarmTopicName: `${prefix}-alarms`,
    budgetName: `${prefix}-monthly`,
    apiKeysSecretName: `${prefix}/api-keys`,
  };
}

/** Every setting of one environment's stack, with defaults applied. */
export interface ResolvedSettings extends EnvironmentPreset {
  readonly serviceName: string;
  readonly environment: DeploymentEnvironment;
  readonly isProduction: boolean;
  readonly names: ServiceNames;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly latencyP95Ms: number;
  /** Requests per task per minute that request-count autoscaling holds each task at. */
  readonly targetRequestsPerTask: number;
  /** The budget given, or the environment's cost estimate plus a margin (`cost-model.ts`). */
  readonly monthlyBudgetUsd: number;
  readonly database: boolean;
  readonly cache: boolean;
  readonly alarmEmail: string;
  readonly githubRepository: string;
  readonly allowedOrigins: string[];
  readonly scaleToZeroOutsideWorkingHours: boolean;
  readonly certificateArn?: string;
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  readonly githubOidcProviderArn?: string;
  /** One of `AuthenticationMode`. */
  readonly authentication: string;
  readonly jwtIssuerUrl?: string;
  readonly jwtAudience?: string;
  readonly jwtReadScope: string;
  readonly jwtWriteScope: string;
  readonly apiKeyMaxAgeDays: number;
}

/** Applies defaults and presets. Call `validateServiceOptions` first. */
export function resolveSettings(
  options: HardenedServiceOptions,
  environment: DeploymentEnvironment,
): ResolvedSettings {
  const preset = ENVIRONMENT_PRESETS[environment];
  const isProduction = environment === DeploymentEnvironment.PRODUCTION;
  const settings = {
    ...preset,
    serviceName: options.serviceName,
    environment,
    isProduction,
    names: serviceNames(options.serviceName, environment),
    containerPort: options.containerPort ?? SERVICE_DEFAULTS.containerPort,
    healthCheckPath: options.healthCheckPath ?? SERVICE_DEFAULTS.healthCheckPath,
    cpu: options.cpu ?? SERVICE_DEFAULTS.cpu,
    memoryLimitMiB: options.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB,
    minCapacity: options.minCapacity ?? preset.minCapacity,
    maxCapacity: options.maxCapacity ?? preset.maxCapacity,
    latencyP95Ms: options.latencyP95Ms ?? SERVICE_DEFAULTS.latencyP95Ms,
    targetRequestsPerTask: options.targetRequestsPerTask ?? SERVICE_DEFAULTS.targetRequestsPerTask,
    database: options.database ?? SERVICE_DEFAULTS.database,
    cache: options.cache ?? SERVICE_DEFAULTS.cache,
    alarmEmail: options.alarmEmail,
    githubRepository: options.githubRepository,
    allowedOrigins: options.allowedOrigins ?? [],
    scaleToZeroOutsideWorkingHours: !isProduction && (options.scaleToZeroOutsideWorkingHours ?? false),
    certificateArn: options.certificateArn,
    domainName: options.domainName,
    hostedZoneId: options.hostedZoneId,
    hostedZoneName: options.hostedZoneName,
    githubOidcProviderArn: options.githubOidcProviderArn,
    authentication: options.authentication ?? SERVICE_DEFAULTS.authentication,
    jwtIssuerUrl: options.jwtIssuerUrl,
    jwtAudience: options.jwtAudience,
    jwtReadScope: options.jwtReadScope ?? SERVICE_DEFAULTS.jwtReadScope,
    jwtWriteScope: options.jwtWriteScope ?? SERVICE_DEFAULTS.jwtWriteScope,
    apiKeyMaxAgeDays: options.apiKeyMaxAgeDays ?? SERVICE_DEFAULTS.apiKeyMaxAgeDays,
  };
  // The estimate reads every other setting, so the budget is resolved last.
  return { ...settings, monthlyBudgetUsd: options.monthlyBudgetUsd ?? defaultMonthlyBudgetUsd(settings) };
}

/** Worker processes per task: one per half vCPU. */
export function workerCount(cpu: number): number {
  return Math.max(1, Math.round(cpu / 512));
}

/** Container variables filled from the database secret's JSON fields, by variable name. */
export const DATABASE_SECRET_FIELDS: Record<string, string> = {
  DB_HOST: 'host',
  DB_PORT: 'port',
  DB_NAME: 'dbname',
  DB_USER: 'username',
  DB_PASSWORD: 'password',
};

/**
 * The RDS certificate authorities, written by the project type into the repo and copied into
 * the image, so the service verifies the database server's certificate and name
 * (`DB_SSLMODE=verify-full`) instead of only encrypting (`require`).
 */
export const DATABASE_CA_BUNDLE = {
  /** Path in the generated repo (a managed file, refreshed on every kit upgrade). */
  repoPath: 'certs/rds-ca-bundle.pem',
  /** Path in the image (`DB_SSLROOTCERT`). */
  imagePath: '/etc/ssl/certs/rds-ca-bundle.pem',
} as const;

/** Container variable filled from the cache's AUTH token secret. */
export const CACHE_SECRET_VARIABLE = 'REDIS_PASSWORD';

/** Container variable filled from the API keys secret (a JSON document of key digests). */
export const API_KEYS_SECRET_VARIABLE = 'API_KEYS';

/** The container's authentication variables (no secret among them), by mode. */
export function authenticationEnvironment(s: ResolvedSettings): Record<string, string> {
  const env: Record<string, string> = { AUTH_MODE: s.authentication };
  if (AuthenticationMode.usesJwt(s.authentication)) {
    env.AUTH_JWT_ISSUER = s.jwtIssuerUrl ?? '';
    env.AUTH_JWT_AUDIENCE = s.jwtAudience ?? '';
    env.AUTH_READ_SCOPE = s.jwtReadScope;
    env.AUTH_WRITE_SCOPE = s.jwtWriteScope;
  }
  if (AuthenticationMode.usesApiKeys(s.authentication)) {
    env.API_KEY_MAX_AGE_DAYS = String(s.apiKeyMaxAgeDays);
  }
  return env;
}

/**
 * The container's non-secret environment in AWS, for the stack's task definition and the
 * generated `ecs-task-definition.json` alike. `redisHost` is the cache's primary endpoint
 * (a token in the stack, a placeholder in the file).
 */
export function containerEnvironment(s: ResolvedSettings, redisHost: string): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(s.containerPort),
    APP_ENV: s.environment,
    LOG_LEVEL: 'info',
    ALLOWED_ORIGINS: s.allowedOrigins.join(','),
    WEB_CONCURRENCY: String(workerCount(s.cpu)),
    ...authenticationEnvironment(s),
  };
  if (s.database) {
    // Encrypted and authenticated: the server's certificate must chain to an RDS CA and name
    // the host the service connects to.
    env.DB_SSLMODE = 'verify-full';
    env.DB_SSLROOTCERT = DATABASE_CA_BUNDLE.imagePath;
    env.DB_POOL_SIZE = String(SERVICE_DEFAULTS.dbPoolSizePerWorker);
  }
  if (s.cache) {
    env.REDIS_HOST = redisHost;
    env.REDIS_PORT = String(SERVICE_DEFAULTS.cachePort);
    env.REDIS_TLS = 'true';
  }
  return env;
}

/**
 * Prefix of the tag the deploy path (`scripts/aws-deploy.sh`, which both deploy workflows
 * call) adds to an image before it rolls the image out: `deployed-<tag>`. The ECR lifecycle
 * policy's first rule keeps images with this prefix, so no count rule expires what runs or
 * what a rollback returns to.
 */
export const DEPLOYED_IMAGE_TAG_PREFIX = 'deployed-';

/** Deployed images (tagged `deployed-...`) each repository keeps, newest pushed first. */
export const DEPLOYED_IMAGES_KEPT = 1000;
