import { BaseSettings, resolveBaseSettings } from './base-settings';
import { defaultMonthlyBudgetUsd, estimateJoinedServiceCost } from './cost-model';
import { DeploymentEnvironment } from './deployment-environment';
import { HardenedServiceOptions } from './service-options';

export { workerCount } from './base-settings';

/**
 * One environment's settings: the settings before the budget (`base-settings.ts`) and the
 * monthly budget, given or defaulted from the cost model's estimate of those settings.
 * Internal (not exported from the package's index): jsii does not allow free functions in a
 * public API.
 */

/** Every setting of one environment's stack, with defaults applied. */
export interface ResolvedSettings extends BaseSettings {
  /** The budget given, or the environment's cost estimate plus a margin (`cost-model.ts`). */
  readonly monthlyBudgetUsd: number;
}

/**
 * Applies defaults and presets. Call `validateServiceOptions` first. `platformName`: the
 * platform the stack joins, if any; its default budget is then the joined estimate's.
 */
export function resolveSettings(
  options: HardenedServiceOptions,
  environment: DeploymentEnvironment,
  platformName?: string,
): ResolvedSettings {
  const settings = resolveBaseSettings(options, environment, platformName);
  // The estimate reads every other setting, so the budget is resolved last.
  const defaultBudget = () => (platformName === undefined ? defaultMonthlyBudgetUsd(settings) : estimateJoinedServiceCost(settings).defaultBudgetUsd);
  return { ...settings, monthlyBudgetUsd: options.monthlyBudgetUsd ?? defaultBudget() };
}
