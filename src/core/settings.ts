import { BaseSettings, resolveBaseSettings } from './base-settings';
import { defaultMonthlyBudgetUsd } from './cost-model';
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

/** Applies defaults and presets. Call `validateServiceOptions` first. */
export function resolveSettings(
  options: HardenedServiceOptions,
  environment: DeploymentEnvironment,
): ResolvedSettings {
  const settings = resolveBaseSettings(options, environment);
  // The estimate reads every other setting, so the budget is resolved last.
  return { ...settings, monthlyBudgetUsd: options.monthlyBudgetUsd ?? defaultMonthlyBudgetUsd(settings) };
}
