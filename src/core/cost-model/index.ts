import { budgetFromEstimate } from './budget';
import { cacheItems } from './cache';
import { computeItems } from './compute';
import { CostContext, costContext } from './context';
import { taskSplit } from './counts';
import { databaseItems } from './database';
import { edgeItems } from './edge';
import { cents } from './format';
import { containerInsightsItems, monitoringItems } from './monitoring';
import { networkItems } from './network';
import { joinedBaselineItems } from './platform';
import { PRICES } from './prices';
import { securityItems } from './security';
import { storageItems } from './storage';
import { CostEstimate, CostInputs, CostLineItem } from './types';

export * from './budget';
export * from './counts';
export * from './platform';
export * from './prices';
export * from './types';
export * from './usage';
export { cents } from './format';

/**
 * The monthly cost of one environment's stack, estimated from its settings before the budget
 * (`BaseSettings`) and one price table. Data and pure functions only: the settings use it to
 * default the monthly budget, the project type renders it into the generated ARCHITECTURE.md.
 * Internal module.
 *
 * One file per category of line items (compute, network, edge, database, cache, security,
 * monitoring, storage), each a function of the shared `CostContext`; this index lists them in
 * the order the estimate prints them. The counts of resources (`counts.ts`) are derived from
 * the same settings and definitions the constructs use; test/core/cost-model.test.ts checks
 * every count against a synthesized stack, so the model cannot drift from the stack.
 */

/** The line items of every category, in the order the estimate lists them. */
const CATEGORIES: ((c: CostContext) => CostLineItem[])[] = [
  computeItems,
  containerInsightsItems,
  networkItems,
  edgeItems,
  databaseItems,
  cacheItems,
  securityItems,
  monitoringItems,
  storageItems,
];

/** The default monthly budget of one environment's settings. */
export function defaultMonthlyBudgetUsd(settings: CostInputs): number {
  return estimateMonthlyCost(settings).defaultBudgetUsd;
}

/** The monthly cost of one environment's stack, line by line. */
export function estimateMonthlyCost(settings: CostInputs): CostEstimate {
  return estimate(settings, false);
}

/**
 * The monthly cost of one environment's stack when it joins a platform: the marginal cost of
 * one more service. Without the NAT gateways' and endpoints' hours, the flow logs, the trail
 * and its key (the platform's, see `estimatePlatformCost`); with this service's bytes through
 * the platform's network and what it adds to the account baseline (`joinedBaselineItems`).
 */
export function estimateJoinedServiceCost(settings: CostInputs): CostEstimate {
  return estimate(settings, true);
}

function estimate(settings: CostInputs, joined: boolean): CostEstimate {
  const c = costContext(settings, joined);
  const lines = CATEGORIES.flatMap((items) => items(c));
  if (joined) lines.push(...joinedBaselineItems(settings, ((c.counts.onDemandTasks + c.counts.spotTasks) * c.taskHours) / c.hours));
  const totalUsd = cents(lines.reduce((sum, line) => sum + line.monthlyUsd, 0));
  const ceiling = taskSplit(settings.maxCapacity, settings.fargateSpot);
  return {
    environment: settings.environment,
    region: PRICES.region,
    source: PRICES.source,
    takenOn: PRICES.takenOn,
    usage: c.u,
    counts: c.counts,
    taskHours: c.taskHours,
    lineItems: lines,
    totalUsd,
    fargateAtMaxCapacityUsd: cents(c.hours * (ceiling.onDemand * c.taskHour + ceiling.spot * c.spotTaskHour)),
    defaultBudgetUsd: budgetFromEstimate(totalUsd),
  };
}
