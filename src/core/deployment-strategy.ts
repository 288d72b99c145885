import { Token } from 'aws-cdk-lib';
import { DeploymentEnvironment } from './deployment-environment';

/**
 * How ECS rolls out a new revision of the service. The values are plain strings so that they
 * work as `projen new` flags and in every jsii language; `DeploymentStrategyName` names them.
 * ECS's own strategies (`CfnService.DeploymentConfiguration.Strategy`) are the upper-case
 * forms (`ROLLING`, `CANARY`, `LINEAR`, `BLUE_GREEN`).
 */
export class DeploymentStrategyName {
  /**
   * Rolling update: new tasks start next to the old ones (up to 200%), the old ones drain when
   * the new ones are healthy; the deployment circuit breaker and the deployment alarms roll back.
   * The staging default.
   */
  public static readonly ROLLING = 'rolling';
  /**
   * Canary: the new revision starts in full on a second target group, takes `canaryPercent` of
   * the traffic for `canaryBakeMinutes`, then all of it; the old revision stays for
   * `bakeTimeMinutes`, and a deployment alarm shifts traffic back. The production default.
   */
  public static readonly CANARY = 'canary';
  /** Linear: `linearStepPercent` more of the traffic every `linearStepMinutes`, then the bake. */
  public static readonly LINEAR = 'linear';
  /** Blue/green: all traffic at once to the new revision once healthy, then the bake. */
  public static readonly BLUE_GREEN = 'blue-green';

  /** Every strategy, in the order docs list them. */
  public static readonly ALL: string[] = [
    DeploymentStrategyName.ROLLING,
    DeploymentStrategyName.CANARY,
    DeploymentStrategyName.LINEAR,
    DeploymentStrategyName.BLUE_GREEN,
  ];

  /**
   * Whether the strategy shifts traffic between two target groups (canary, linear, blue/green):
   * the stack then adds the alternate target group, the listener rules ECS modifies, the test
   * listener and ECS's load balancer role.
   */
  public static shiftsTraffic(strategy: string): boolean {
    return strategy !== DeploymentStrategyName.ROLLING;
  }

  /** ECS's name of the strategy (`ROLLING`, `CANARY`, `LINEAR`, `BLUE_GREEN`). */
  public static ecsName(strategy: string): string {
    return strategy.toUpperCase().replace('-', '_');
  }

  private constructor() {}
}

/**
 * How ECS rolls out a new revision: declared once, extended by the stack's options
 * (`HardenedServiceOptions`), `ApiServiceProps` and the project's options (whose
 * `deploymentStrategy` is production's; staging has `stagingDeploymentStrategy`).
 */
export interface DeploymentOptions {
  /**
   * "rolling", "canary", "linear" or "blue-green" (names in `DeploymentStrategyName`). Every
   * strategy rolls back by itself when the 5xx-rate, p95-latency or unhealthy-host alarm fires
   * during the deployment or its bake; "rolling" also has the circuit breaker (ECS allows it
   * only there). The traffic-shifting strategies add a second target group, the listener rules
   * ECS shifts and a test listener on port 9443 that only the VPC can reach.
   * @default - production "canary", staging "rolling"
   */
  readonly deploymentStrategy?: string;

  /**
   * Canary only: percentage of the traffic the new revision takes first (0.1-100, steps of 0.1).
   * @default 10
   */
  readonly canaryPercent?: number;

  /**
   * Canary only: minutes the canary takes its share before all traffic shifts (0-1440).
   * @default 10
   */
  readonly canaryBakeMinutes?: number;

  /**
   * Linear only: percentage of the traffic each step adds (3-100, steps of 0.1).
   * @default 25
   */
  readonly linearStepPercent?: number;

  /**
   * Linear only: minutes between steps (0-1440).
   * @default 5
   */
  readonly linearStepMinutes?: number;

  /**
   * Canary, linear and blue/green: minutes both revisions keep running after all traffic
   * shifted, during which an alarm still shifts it back at once (0-1440).
   * @default 10
   */
  readonly bakeTimeMinutes?: number;
}

/** The resolved deployment settings of one environment. */
export interface DeploymentSettings {
  /** One of `DeploymentStrategyName`. */
  readonly strategy: string;
  /** Share of the traffic the canary takes (canary only; 0 otherwise). */
  readonly canaryPercent: number;
  /** Minutes the canary takes its share before the rest shifts (canary only; 0 otherwise). */
  readonly canaryBakeMinutes: number;
  /** Share of the traffic each linear step adds (linear only; 0 otherwise). */
  readonly linearStepPercent: number;
  /** Minutes between linear steps (linear only; 0 otherwise). */
  readonly linearStepMinutes: number;
  /** Minutes both revisions run after all traffic shifted, before the old one stops (0 for rolling). */
  readonly bakeTimeMinutes: number;
}

/** Each environment's default strategy: canary in production, rolling in staging. */
export const DEFAULT_DEPLOYMENT_STRATEGY: Record<DeploymentEnvironment, string> = {
  [DeploymentEnvironment.STAGING]: DeploymentStrategyName.ROLLING,
  [DeploymentEnvironment.PRODUCTION]: DeploymentStrategyName.CANARY,
};

/** Defaults of the strategies' tuning options. */
export const DEPLOYMENT_DEFAULTS = {
  canaryPercent: 10,
  canaryBakeMinutes: 10,
  linearStepPercent: 25,
  linearStepMinutes: 5,
  bakeTimeMinutes: 10,
} as const;

/**
 * The target group's health check and the service's deploy timings: `ApiService` builds the
 * target groups and the service from these, and `estimateDeployTiming` computes from them, so
 * the documented deploy time is the stack's.
 */
export const TARGET_HEALTH = {
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
  deregistrationDelaySeconds: 30,
  healthCheckGracePeriodSeconds: 60,
} as const;

/** Port of the test listener (HTTPS, open to the VPC's CIDR only) of the traffic-shifting strategies. */
export const TEST_LISTENER_PORT = 9443;

/**
 * The alarms (ids of `alarmDefinitions`) that are the service's deployment alarms: any of them
 * in alarm during a deployment or its bake rolls the deployment back.
 */
export const DEPLOYMENT_ALARM_IDS = ['Http5xxRate', 'LatencyP95', 'UnhealthyHosts'] as const;

/** Which tuning option each strategy reads. */
const STRATEGY_OPTIONS: Record<string, (keyof DeploymentOptions)[]> = {
  [DeploymentStrategyName.ROLLING]: [],
  [DeploymentStrategyName.CANARY]: ['canaryPercent', 'canaryBakeMinutes', 'bakeTimeMinutes'],
  [DeploymentStrategyName.LINEAR]: ['linearStepPercent', 'linearStepMinutes', 'bakeTimeMinutes'],
  [DeploymentStrategyName.BLUE_GREEN]: ['bakeTimeMinutes'],
};

/** The tuning options `strategy` reads (empty for rolling or an unknown strategy). */
export function strategyOptions(strategy: string): (keyof DeploymentOptions)[] {
  return STRATEGY_OPTIONS[strategy] ?? [];
}

/** Applies the environment's default strategy and the tuning defaults. Validate first. */
export function resolveDeploymentSettings(options: DeploymentOptions, environment: DeploymentEnvironment): DeploymentSettings {
  const strategy = options.deploymentStrategy ?? DEFAULT_DEPLOYMENT_STRATEGY[environment];
  const uses = strategyOptions(strategy);
  const value = (option: keyof typeof DEPLOYMENT_DEFAULTS): number =>
    uses.includes(option) ? ((options[option] as number | undefined) ?? DEPLOYMENT_DEFAULTS[option]) : 0;
  return {
    strategy,
    canaryPercent: value('canaryPercent'),
    canaryBakeMinutes: value('canaryBakeMinutes'),
    linearStepPercent: value('linearStepPercent'),
    linearStepMinutes: value('linearStepMinutes'),
    bakeTimeMinutes: value('bakeTimeMinutes'),
  };
}

/**
 * Problems with the deployment options, each naming the option, the value and the fix. ECS's
 * limits: canary share 0.1-100% and linear step 3-100%, both in steps of 0.1; every wait a
 * whole number of minutes from 0 to 1440. A tuning option the strategy does not read is
 * refused rather than silently ignored.
 */
export function validateDeploymentOptions(options: DeploymentOptions, environment?: DeploymentEnvironment): string[] {
  const problems: string[] = [];
  const strategy = options.deploymentStrategy ?? (environment ? DEFAULT_DEPLOYMENT_STRATEGY[environment] : DeploymentStrategyName.ROLLING);
  if (!DeploymentStrategyName.ALL.includes(strategy)) {
    const known = DeploymentStrategyName.ALL.map((s) => `"${s}"`).join(', ');
    return [`deploymentStrategy "${strategy}" is not a known strategy; use one of ${known}`];
  }
  const percent = (option: 'canaryPercent' | 'linearStepPercent', min: number, example: number) => {
    const v = options[option];
    if (v === undefined || Token.isUnresolved(v)) return;
    const tenths = Math.round(v * 10);
    if (!(Number.isFinite(v) && v >= min && v <= 100 && Math.abs(v * 10 - tenths) < 1e-9)) {
      problems.push(`${option} ${v} must be a percentage from ${min} to 100 in steps of 0.1 (ECS's limit; for example ${example})`);
    }
  };
  const minutes = (option: 'canaryBakeMinutes' | 'linearStepMinutes' | 'bakeTimeMinutes', example: number) => {
    const v = options[option];
    if (v === undefined || Token.isUnresolved(v)) return;
    if (!(Number.isInteger(v) && v >= 0 && v <= 1440)) {
      problems.push(`${option} ${v} must be a whole number of minutes from 0 to 1440 (ECS's limit; for example ${example})`);
    }
  };
  percent('canaryPercent', 0.1, DEPLOYMENT_DEFAULTS.canaryPercent);
  percent('linearStepPercent', 3, DEPLOYMENT_DEFAULTS.linearStepPercent);
  minutes('canaryBakeMinutes', DEPLOYMENT_DEFAULTS.canaryBakeMinutes);
  minutes('linearStepMinutes', DEPLOYMENT_DEFAULTS.linearStepMinutes);
  minutes('bakeTimeMinutes', DEPLOYMENT_DEFAULTS.bakeTimeMinutes);
  const uses = strategyOptions(strategy);
  for (const option of ['canaryPercent', 'canaryBakeMinutes', 'linearStepPercent', 'linearStepMinutes', 'bakeTimeMinutes'] as const) {
    if (options[option] !== undefined && !uses.includes(option)) {
      const users = DeploymentStrategyName.ALL.filter((s) => strategyOptions(s).includes(option)).map((s) => `"${s}"`).join(' or ');
      problems.push(`${option} is set but deploymentStrategy is "${strategy}", which ignores it; set deploymentStrategy to ${users}, or remove ${option}`);
    }
  }
  return problems;
}
