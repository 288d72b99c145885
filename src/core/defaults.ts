import { AuthenticationMode } from './authentication';

/**
 * Defaults that no environment changes. The stack, the projen project types, the generated docs
 * and the deploy tool read them from here, so each default is written in one place only.
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
  /** Seconds the load balancer waits for a task's answer before it returns 504 itself. */
  loadBalancerIdleTimeoutSeconds: 60,
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
 * How staging spreads tasks over capacity providers when `fargateSpot` is on: the first task
 * on FARGATE, the rest 1:3 between FARGATE and FARGATE_SPOT (ApiService's strategy, and the cost model's split of tasks).
 */
export const FARGATE_SPOT_STRATEGY = { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 } as const;

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

/**
 * Prefix of the tag the deploy path (`scripts/aws-deploy.sh`, which both deploy workflows
 * call) adds to an image before it rolls the image out: `deployed-<tag>`. The ECR lifecycle
 * policy's first rule keeps images with this prefix, so no count rule expires what runs or
 * what a rollback returns to.
 */
export const DEPLOYED_IMAGE_TAG_PREFIX = 'deployed-';

/** Deployed images (tagged `deployed-...`) each repository keeps, newest pushed first. */
export const DEPLOYED_IMAGES_KEPT = 1000;
