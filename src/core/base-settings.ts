import { SERVICE_DEFAULTS } from './defaults';
import { DeploymentEnvironment } from './deployment-environment';
import { DeploymentSettings, resolveDeploymentSettings } from './deployment-strategy';
import { ServiceNames, serviceNames } from './names';
import { ENVIRONMENT_PRESETS, EnvironmentPreset } from './presets';
import { HardenedServiceOptions } from './service-options';
import { AlarmSlackChannel } from './shared-service-options';

/**
 * One environment's settings before its budget: the options with the defaults (`defaults.ts`)
 * and the environment's presets (`presets.ts`) applied. The cost model, the monitoring
 * definitions and the container's environment read these; `settings.ts` adds the budget,
 * which the cost model estimates from them, so imports run one way:
 * base-settings <- cost-model <- settings. Internal (not exported from the package's index).
 */

/** Every setting of one environment's stack but the monthly budget, with defaults applied. */
export interface BaseSettings extends EnvironmentPreset {
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
  readonly database: boolean;
  readonly cache: boolean;
  readonly alarmEmail: string;
  /** HTTPS subscriptions of the alarm topic (`alarmHttpsEndpoints`), in the order given. */
  readonly alarmHttpsEndpoints: string[];
  /** The Slack channel AWS Chatbot posts alarms to (`alarmSlackChannel`), if any. */
  readonly alarmSlackChannel?: AlarmSlackChannel;
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
  /** The platform the stack joins (its `platformName`); undefined for a standalone stack. */
  readonly platformName?: string;
  /** How ECS rolls out a revision: the strategy and its shares and waits. */
  readonly deployment: DeploymentSettings;
}

/**
 * Applies defaults and presets, all but the budget. Call `validateServiceOptions` first.
 * `platformName`: the platform the stack joins, if any (its cluster name is the platform's).
 */
export function resolveBaseSettings(options: HardenedServiceOptions, environment: DeploymentEnvironment, platformName?: string): BaseSettings {
  const preset = ENVIRONMENT_PRESETS[environment];
  const isProduction = environment === DeploymentEnvironment.PRODUCTION;
  return {
    ...preset,
    serviceName: options.serviceName,
    environment,
    isProduction,
    names: serviceNames(options.serviceName, environment, platformName),
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
    alarmHttpsEndpoints: options.alarmHttpsEndpoints ?? [],
    alarmSlackChannel: options.alarmSlackChannel,
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
    ...(platformName === undefined ? {} : { platformName }),
    deployment: resolveDeploymentSettings(options, environment),
  };
}

/** Worker processes per task: one per half vCPU. */
export function workerCount(cpu: number): number {
  return Math.max(1, Math.round(cpu / 512));
}
