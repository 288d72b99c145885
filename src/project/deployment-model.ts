import type { HardenedServiceProjectOptions } from './project-options';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { DEFAULT_DEPLOYMENT_STRATEGY, DeploymentOptions, strategyOptions } from '../core/deployment-strategy';

/**
 * The project's deployment options per environment: `deploymentStrategy` is production's,
 * `stagingDeploymentStrategy` staging's, and the tuning options apply to every environment
 * whose strategy reads them. Internal to the project type.
 */

const DEPLOYMENT_TUNING = ['canaryPercent', 'canaryBakeMinutes', 'linearStepPercent', 'linearStepMinutes', 'bakeTimeMinutes'] as const;

/** The project's strategy of an environment, as written (undefined: the environment's default). */
function projectStrategy(input: HardenedServiceProjectOptions, environment: DeploymentEnvironment): string | undefined {
  return environment === DeploymentEnvironment.STAGING ? input.stagingDeploymentStrategy : input.deploymentStrategy;
}

/**
 * An environment's deployment options: its strategy, and of the tuning options (which the
 * project sets for both environments) only those its strategy reads.
 */
export function deploymentStackOptions(input: HardenedServiceProjectOptions, environment: DeploymentEnvironment): DeploymentOptions {
  const strategy = projectStrategy(input, environment);
  const uses = strategyOptions(strategy ?? DEFAULT_DEPLOYMENT_STRATEGY[environment]);
  return {
    deploymentStrategy: strategy,
    ...Object.fromEntries(DEPLOYMENT_TUNING.filter((o) => uses.includes(o)).map((o) => [o, input[o]])),
  };
}

/** A tuning option that neither environment's strategy reads. */
export function unusedDeploymentOptions(input: HardenedServiceProjectOptions): string[] {
  const environments = [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION];
  const strategies = environments.map((e) => projectStrategy(input, e) ?? DEFAULT_DEPLOYMENT_STRATEGY[e]);
  return DEPLOYMENT_TUNING.filter((o) => input[o] !== undefined && !strategies.some((s) => strategyOptions(s).includes(o))).map(
    (o) =>
      `${o} is set but neither deploymentStrategy ("${strategies[1]}") nor stagingDeploymentStrategy ("${strategies[0]}") reads it; remove ${o} or choose a strategy that uses it`,
  );
}

