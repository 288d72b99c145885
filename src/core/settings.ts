import { defaultMonthlyBudgetUsd } from './cost-model';
import { SERVICE_DEFAULTS } from './defaults';
import { DeploymentEnvironment } from './deployment-environment';
import { ServiceNames, serviceNames } from './names';
import { ENVIRONMENT_PRESETS, EnvironmentPreset } from './presets';
import { HardenedServiceOptions } from './service-options';

/**
 * One environment's settings: the options with the defaults (`defaults.ts`) and the
 * environment's presets (`presets.ts`) applied. Internal (not exported from the package's
 * index): jsii does not allow free functions in a public API.
 */

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


