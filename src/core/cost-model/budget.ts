import { cents } from './format';

/** Margin on the estimate for the default budget, and the step it is rounded up to. */
export const BUDGET_MARGIN = 0.25;
export const BUDGET_ROUNDING_USD = 50;

/** The kit's seed plan estimated $80-100 a month for staging and production together. */
export const SEED_ESTIMATE_USD = { low: 80, high: 100 } as const;

/** The default monthly budget for an estimate: plus `BUDGET_MARGIN`, rounded up to `BUDGET_ROUNDING_USD`. */
export function budgetFromEstimate(totalUsd: number): number {
  return Math.ceil(cents(totalUsd * (1 + BUDGET_MARGIN)) / BUDGET_ROUNDING_USD) * BUDGET_ROUNDING_USD;
}
