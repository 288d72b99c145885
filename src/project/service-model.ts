import { deploymentStackOptions, unusedDeploymentOptions } from './deployment-model';
import type { HardenedServiceProjectOptions } from './project-options';
import { validateWorkflowOptions } from './workflows/workflow-validation';
import { Blueprint } from '../blueprints/blueprint';
import { blueprintIds, findBlueprint } from '../blueprints/index';
import { accountLayout } from '../core/account-singletons';
import { resolveComplianceFrameworks } from '../core/compliance-frameworks';
import { CostEstimate, estimateJoinedServiceCost, estimateMonthlyCost } from '../core/cost-model';
import { SERVICE_DEFAULTS } from '../core/defaults';
import { DeployTiming, estimateDeployTiming } from '../core/deploy-timing';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { DeploymentStrategyName } from '../core/deployment-strategy';
import { platformNames } from '../core/platform-baseline';
import { platformParameterNames, serviceReadParameters, validatePlatformName } from '../core/platform-parameters';
import { defaultLine, imageRuntimes, RuntimeUse } from '../core/runtime-currency';
import { HardenedServiceOptions } from '../core/service-options';
import { ResolvedSettings, resolveSettings } from '../core/settings';
import { assertValid, validateServiceOptions } from '../core/validation';

/** The environments every generated repo deploys to, in deployment order. */
export const ENVIRONMENTS: readonly DeploymentEnvironment[] = [
  DeploymentEnvironment.STAGING,
  DeploymentEnvironment.PRODUCTION,
];

/**
 * Node.js line of the generated repos' CDK app and of the kit's deploy tool, used when the
 * project sets no `workflowNodeVersion`/`minNodeVersion`: the LTS line of the currency table.
 */
export const DEFAULT_NODE_VERSION = defaultLine('node').line;

/** Region used when `awsRegion` is not given. */
export const DEFAULT_REGION = 'us-east-1';

/** Fixed uid and gid of the non-root user in the image; the task definition runs as the same. */
export const CONTAINER_UID = 10001;

/** One environment of the service, as the stack will see it. */
export interface EnvironmentModel {
  readonly environment: DeploymentEnvironment;
  /** Account id, when pinned by the options. */
  readonly account?: string;
  /** The stack props (minus `environment` and `env`) that the generated CDK app passes. */
  readonly stackOptions: HardenedServiceOptions;
  /**
   * Every setting, with defaults and presets applied, as the stack resolves them: resolved
   * once per environment here, and read by every component.
   */
  readonly settings: ResolvedSettings;
  /** The environment's monthly cost estimate, from `settings` (computed once). */
  readonly costEstimate: CostEstimate;
  /** How long a deploy and a rollback take, from `settings` (computed once). */
  readonly deployTiming: DeployTiming;
}

/** The platform the service joins (`platform`), as the docs and the stacks see it. */
export interface PlatformModel {
  /** The platform's `platformName`. */
  readonly name: string;
  /** Per environment: the platform stack's name and the SSM parameters the service's stack reads. */
  readonly environments: { readonly environment: DeploymentEnvironment; readonly stackPrefix: string; readonly parameters: string[] }[];
}

/** Everything the project's components render, resolved once from the options. */
export interface ServiceModel {
  readonly serviceName: string;
  readonly blueprint: Blueprint;
  readonly region: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly database: boolean;
  readonly cache: boolean;
  readonly allowedOrigins: string[];
  /** One of `AuthenticationMode` (the same in both environments). */
  readonly authentication: string;
  readonly githubRepository: string;
  /** `https://github.com/<owner>/<repo>`, for the image's OCI source label. */
  readonly sourceUrl: string;
  /** Base image reference used as the Dockerfile's `BASE_IMAGE` default (tag, or tag@digest). */
  readonly baseImage: string;
  /** Node.js of the workflow jobs that run the CDK app, projen and the deploy tool. */
  readonly nodeVersion: string;
  /**
   * Every runtime, distribution and engine the repo runs, with the option that chooses it:
   * what `runtimes.json`, the generated docs and `hardened-service doctor` report on.
   */
  readonly runtimes: RuntimeUse[];
  /** The compliance frameworks whose cdk-nag packs gate both stacks (`complianceFrameworks`). */
  readonly complianceFrameworks: string[];
  /** Whether staging and production deploy to one account (staging then owns its OIDC provider and trail). */
  readonly sharedAccount: boolean;
  /** The platform both environments join; undefined for a standalone service (own network and cluster). */
  readonly platform?: PlatformModel;
  readonly staging: EnvironmentModel;
  readonly production: EnvironmentModel;
  /** Both environments, staging first. */
  readonly environments: EnvironmentModel[];
}

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ACM_ARN_PARTS = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\//;

/**
 * Staging's options are named with a `staging` prefix in the project; the shared validation
 * names them as the stack does. Rewrite the names so each message names the option as the
 * user wrote it in `.projenrc.ts`.
 */
const OPTION_NAMES: Record<DeploymentEnvironment, Record<string, string>> = {
  [DeploymentEnvironment.STAGING]: {
    minCapacity: 'stagingMinCapacity',
    maxCapacity: 'stagingMaxCapacity',
    monthlyBudgetUsd: 'stagingMonthlyBudgetUsd',
    certificateArn: 'stagingCertificateArn',
    scaleToZeroOutsideWorkingHours: 'stagingScaleToZeroOutsideWorkingHours',
    deploymentStrategy: 'stagingDeploymentStrategy',
  },
  [DeploymentEnvironment.PRODUCTION]: {
    certificateArn: 'productionCertificateArn',
  },
};

/** The host name staging serves when `domainName` is set: `staging.<domainName>`. */
export function stagingDomainName(domainName: string): string {
  return `staging.${domainName}`;
}

/**
 * Problems with `awsRegion`, `stagingAccount` and `productionAccount`, each naming the option,
 * the value and the fix; shared by the service and the platform project types.
 */
export function validateRegionAndAccounts(region: unknown, stagingAccount?: unknown, productionAccount?: unknown): string[] {
  const problems: string[] = [];
  if (typeof region !== 'string' || !REGION.test(region)) {
    problems.push(`awsRegion "${region}" must be an AWS region code such as "us-east-1" (lowercase, no availability-zone letter)`);
  }
  for (const [option, value] of [
    ['stagingAccount', stagingAccount],
    ['productionAccount', productionAccount],
  ] as const) {
    if (value !== undefined && !(typeof value === 'string' && ACCOUNT.test(value))) {
      problems.push(`${option} "${value}" must be a 12-digit AWS account id such as "123456789012" (as a string, keeping leading zeros)`);
    }
  }
  return problems;
}

/**
 * Validates every option (the service options for each environment with the same checks as
 * the stack, then the project's own) and throws once, listing every problem; returns the
 * resolved model otherwise.
 */
export function resolveServiceModel(input: HardenedServiceProjectOptions): ServiceModel {
  const problems: string[] = [];
  const blueprint = typeof input.blueprint === 'string' ? findBlueprint(input.blueprint) : undefined;
  if (!blueprint) {
    const known = blueprintIds().map((id) => `"${id}"`).join(', ');
    problems.push(
      input.blueprint === undefined || input.blueprint === ''
        ? `blueprint is required; use one of ${known}`
        : `blueprint "${input.blueprint}" is not a known blueprint; use one of ${known}`,
    );
  }
  const region = input.awsRegion ?? DEFAULT_REGION;
  problems.push(...validateRegionAndAccounts(region, input.stagingAccount, input.productionAccount));
  for (const [option, arn, account] of [
    ['stagingCertificateArn', input.stagingCertificateArn, input.stagingAccount],
    ['productionCertificateArn', input.productionCertificateArn, input.productionAccount],
  ] as const) {
    const parts = typeof arn === 'string' ? ACM_ARN_PARTS.exec(arn) : null;
    if (!parts) continue; // the shared validation reports a malformed ARN
    if (REGION.test(region) && parts[1] !== region) {
      problems.push(
        `${option} "${arn}" is in ${parts[1]} but awsRegion is "${region}"; a load balancer needs a certificate from its own region (request one in ${region})`,
      );
    }
    if (account !== undefined && ACCOUNT.test(account) && parts[2] !== account) {
      const accountOption = option.replace('CertificateArn', 'Account');
      problems.push(`${option} "${arn}" belongs to account ${parts[2]} but ${accountOption} is "${account}"; use a certificate of that account`);
    }
  }
  // One GitHub OIDC provider and one trail per account: which stack creates them.
  const layout = accountLayout(input.stagingAccount, input.productionAccount, input.githubOidcProviderArn);
  problems.push(...layout.problems);
  const platformName = joinedPlatformName(input.platform, problems);
  if (platformName !== undefined && input.githubOidcProviderArn !== undefined) {
    problems.push(
      `githubOidcProviderArn "${input.githubOidcProviderArn}" is set, but platform "${platformName}" publishes the account's GitHub OIDC provider; remove githubOidcProviderArn when platform is set`,
    );
  }
  if (input.baseImage !== undefined) {
    const tag = imageTag(input.baseImage);
    if (!tag || tag === 'latest') {
      problems.push(
        `baseImage "${input.baseImage}" must be pinned to a version tag such as "${blueprint?.baseImage ?? 'python:3.11.11-slim-bookworm'}", never "latest" or no tag`,
      );
    }
  }
  if (input.baseImageDigest !== undefined && !DIGEST.test(input.baseImageDigest)) {
    problems.push(`baseImageDigest "${input.baseImageDigest}" must be an image digest: "sha256:" followed by 64 lowercase hex digits`);
  }

  const stackOptions = (environment: DeploymentEnvironment): HardenedServiceOptions => {
    const staging = environment === DeploymentEnvironment.STAGING;
    return compact({
      serviceName: input.serviceName,
      containerPort: input.containerPort ?? blueprint?.containerPort,
      healthCheckPath: input.healthCheckPath ?? blueprint?.healthCheckPath,
      cpu: input.cpu,
      memoryLimitMiB: input.memoryLimitMiB,
      minCapacity: staging ? input.stagingMinCapacity : input.minCapacity,
      maxCapacity: staging ? input.stagingMaxCapacity : input.maxCapacity,
      monthlyBudgetUsd: staging ? input.stagingMonthlyBudgetUsd : input.monthlyBudgetUsd,
      latencyP95Ms: input.latencyP95Ms,
      targetRequestsPerTask: input.targetRequestsPerTask,
      database: input.database,
      cache: input.cache,
      alarmEmail: input.alarmEmail,
      alarmHttpsEndpoints: input.alarmHttpsEndpoints,
      alarmSlackChannel: input.alarmSlackChannel,
      githubRepository: input.githubRepository,
      allowedOrigins: input.allowedOrigins,
      certificateArn: staging ? input.stagingCertificateArn : input.productionCertificateArn,
      domainName: input.domainName !== undefined && staging ? stagingDomainName(input.domainName) : input.domainName,
      hostedZoneId: input.hostedZoneId,
      hostedZoneName: input.hostedZoneName,
      scaleToZeroOutsideWorkingHours: staging ? input.stagingScaleToZeroOutsideWorkingHours : undefined,
      authentication: input.authentication,
      jwtIssuerUrl: input.jwtIssuerUrl,
      jwtAudience: input.jwtAudience,
      jwtReadScope: input.jwtReadScope,
      jwtWriteScope: input.jwtWriteScope,
      apiKeyMaxAgeDays: input.apiKeyMaxAgeDays,
      complianceFrameworks: input.complianceFrameworks,
      ...deploymentStackOptions(input, environment),
      // A joined stack takes the OIDC provider from its platform and has no trail.
      ...(platformName === undefined ? layout.props[environment] : {}),
    });
  };

  // The shared checks, per environment; options common to both would repeat, so deduplicate.
  const seen = new Set(problems);
  for (const environment of ENVIRONMENTS) {
    for (const problem of validateServiceOptions(stackOptions(environment), environment)) {
      const renamed = renameOptions(problem, OPTION_NAMES[environment]);
      if (!seen.has(renamed)) {
        seen.add(renamed);
        problems.push(renamed);
      }
    }
  }
  problems.push(...unusedDeploymentOptions(input));
  // The workflow options join the same error; projen makes the GitHub component for a root
  // project unless `github` is false.
  problems.push(...validateWorkflowOptions(input, input.github ?? !input.parent));
  assertValid(problems, 'HardenedServiceProject options');

  const bp = blueprint!;
  const environmentModel = (environment: DeploymentEnvironment): EnvironmentModel => {
    const options = stackOptions(environment);
    const settings = resolveSettings(options, environment, platformName);
    return {
      environment,
      account: environment === DeploymentEnvironment.STAGING ? input.stagingAccount : input.productionAccount,
      stackOptions: options,
      settings,
      costEstimate: platformName === undefined ? estimateMonthlyCost(settings) : estimateJoinedServiceCost(settings),
      deployTiming: estimateDeployTiming(settings),
    };
  };
  const staging = environmentModel(DeploymentEnvironment.STAGING);
  const production = environmentModel(DeploymentEnvironment.PRODUCTION);
  const shared = production.settings;
  const baseImage = input.baseImage ?? bp.baseImage;
  const nodeVersion = input.workflowNodeVersion ?? input.minNodeVersion ?? DEFAULT_NODE_VERSION;
  return {
    serviceName: input.serviceName,
    blueprint: bp,
    region,
    containerPort: shared.containerPort,
    healthCheckPath: shared.healthCheckPath,
    cpu: shared.cpu,
    memoryLimitMiB: shared.memoryLimitMiB,
    database: shared.database,
    cache: shared.cache,
    allowedOrigins: shared.allowedOrigins,
    authentication: shared.authentication,
    githubRepository: input.githubRepository,
    sourceUrl: `https://github.com/${input.githubRepository}`,
    baseImage: input.baseImageDigest ? `${baseImage}@${input.baseImageDigest}` : baseImage,
    nodeVersion,
    runtimes: serviceRuntimes(baseImage, nodeVersion, shared),
    complianceFrameworks: resolveComplianceFrameworks(input.complianceFrameworks),
    sharedAccount: layout.sharedAccount,
    ...(platformName === undefined ? {} : { platform: platformModel(platformName, [staging, production]) }),
    staging,
    production,
    environments: [staging, production],
  };
}

/** The `platform` option's name, or undefined (standalone); a bad value adds a problem naming the option. */
function joinedPlatformName(platform: HardenedServiceProjectOptions['platform'], problems: string[]): string | undefined {
  if (platform === undefined) return undefined;
  if (typeof platform !== 'object' || platform === null || typeof platform.name !== 'string') {
    problems.push(`platform ${JSON.stringify(platform)} must be an object with the platform's name, such as { name: "acme" } (the platformName of its HardenedPlatformStack)`);
    return undefined;
  }
  const nameProblems = validatePlatformName(platform.name, 'platform.name');
  problems.push(...nameProblems.map((p) => `${p}; it is the platformName of the platform's HardenedPlatformStack`));
  return nameProblems.length === 0 ? platform.name : undefined;
}

function platformModel(name: string, environments: EnvironmentModel[]): PlatformModel {
  return {
    name,
    environments: environments.map(({ environment, settings: s }) => ({
      environment,
      stackPrefix: platformNames(name, environment).prefix,
      parameters: serviceReadParameters({
        database: s.database,
        cache: s.cache,
        testListener: DeploymentStrategyName.shiftsTraffic(s.deployment.strategy),
      })
        .map((key) => platformParameterNames(name, environment)[key])
        .sort(),
    })),
  };
}

/** What the kit's engine defaults say to change, since no option of the project chooses them. */
export const ENGINE_OPTION = 'none: the kit default (SERVICE_DEFAULTS); upgrade hardened-service-kit';

function serviceRuntimes(baseImage: string, nodeVersion: string, shared: ResolvedSettings): RuntimeUse[] {
  return [
    ...imageRuntimes(baseImage, 'baseImage'),
    { item: 'Node.js of the CI jobs (CDK app, projen, deploy tool)', product: 'nodejs', version: nodeVersion, option: 'workflowNodeVersion' },
    ...(shared.database ? [{ item: 'PostgreSQL (RDS and compose)', product: 'postgresql', version: String(SERVICE_DEFAULTS.postgresMajorVersion), option: ENGINE_OPTION }] : []),
    ...(shared.cache ? [{ item: 'Redis OSS (ElastiCache and compose)', product: 'redis', version: SERVICE_DEFAULTS.redisVersion, option: ENGINE_OPTION }] : []),
  ];
}

/** Values the sample `.hbs` files are rendered with (the contract in `blueprints/blueprint.ts`). */
export function sampleContext(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    containerPort: model.containerPort,
    healthCheckPath: model.healthCheckPath,
    databaseName: SERVICE_DEFAULTS.databaseName,
    postgresMajorVersion: SERVICE_DEFAULTS.postgresMajorVersion,
    redisVersion: SERVICE_DEFAULTS.redisVersion,
    allowedOrigins: model.allowedOrigins,
    ...runtimeSampleContext(model.blueprint),
  };
}

/**
 * The runtime the sample states (README, `engines`): the blueprint's line, e.g. `Node.js 24`
 * and `>=24 <25`.
 */
export function runtimeSampleContext(blueprint: Pick<Blueprint, 'runtime'>) {
  const major = /(\d+)/.exec(blueprint.runtime)?.[1] ?? '0';
  return { runtime: blueprint.runtime, runtimeEngines: `>=${major} <${Number(major) + 1}` };
}

/** The tag of an image reference (`name:tag` or `registry:port/name:tag`), if any. */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

function renameOptions(message: string, names: Record<string, string>): string {
  let result = message;
  for (const [from, to] of Object.entries(names)) {
    result = result.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
  }
  return result;
}

/** The object without its undefined fields, so that rendered props show only what was set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
