import { frameworkList } from '../compliance-docs';
import { EnvironmentDocs } from './environment-context';
import { cellText, usd } from './format';
import { BUDGET_MARGIN, BUDGET_ROUNDING_USD, CostEstimate, CostInputs, estimateMonthlyCost, PRICES, SEED_ESTIMATE_USD } from '../../../core/cost-model';
import { SERVICE_DEFAULTS } from '../../../core/defaults';
import { ServiceModel } from '../../service-model';

/** Line items the seed's $80-100 estimate covered (compute, database, load balancer, transfer, logs). */
const SEED_COVERED = new Set(['fargate', 'fargate-spot', 'rds-instance', 'rds-storage', 'load-balancer', 'data-transfer-out', 'logs-ingest', 'logs-storage']);

/** The cost estimate against the seed's, the optimizations, and the risks. */
export function costDocs(model: ServiceModel, envs: EnvironmentDocs[]) {
  const stagingCost = envs[0].costEstimate as CostEstimate;
  const productionCost = envs[1].costEstimate as CostEstimate;
  const combined = stagingCost.totalUsd + productionCost.totalUsd;
  return {
    cost: {
      region: PRICES.region,
      source: PRICES.source,
      takenOn: PRICES.takenOn,
      regionDiffers: model.region !== PRICES.region,
      marginPercent: BUDGET_MARGIN * 100,
      roundingUsd: BUDGET_ROUNDING_USD,
      combined: usd(combined),
      seedLow: SEED_ESTIMATE_USD.low,
      seedHigh: SEED_ESTIMATE_USD.high,
      ratio: (combined / SEED_ESTIMATE_USD.high).toFixed(1),
      comparison: seedComparison(stagingCost, productionCost),
      optimizations: optimizations(model, stagingCost),
    },
    risks: risks(model, envs),
  };
}

/** Where the seed's $80-100 a month came from, and what it left out. */
function seedComparison(staging: CostEstimate, production: CostEstimate) {
  const ids = [...new Set([...staging.lineItems, ...production.lineItems].map((l) => l.id))];
  const amount = (e: CostEstimate, lineId: string) => e.lineItems.find((l) => l.id === lineId)?.monthlyUsd ?? 0;
  const item = (lineId: string) => [...staging.lineItems, ...production.lineItems].find((l) => l.id === lineId)!.item;
  const sum = (lineIds: string[]) => lineIds.reduce((total, lineId) => total + amount(staging, lineId) + amount(production, lineId), 0);
  const covered = ids.filter((lineId) => SEED_COVERED.has(lineId));
  const omitted = ids
    .filter((lineId) => !SEED_COVERED.has(lineId))
    .map((lineId) => ({ lineId, both: amount(staging, lineId) + amount(production, lineId) }))
    .filter((o) => o.both > 0)
    .sort((a, b) => b.both - a.both)
    .map((o) => ({
      item: item(o.lineId),
      staging: usd(amount(staging, o.lineId)),
      production: usd(amount(production, o.lineId)),
      both: usd(o.both),
    }));
  return {
    coveredUsd: usd(sum(covered)),
    omittedUsd: usd(sum(ids.filter((lineId) => !SEED_COVERED.has(lineId)))),
    omitted,
    productionDatabase: usd(amount(production, 'rds-instance') + amount(production, 'rds-storage')),
  };
}

/** The seed's cost optimizations and what the options already do. */
function optimizations(model: ServiceModel, staging: CostEstimate) {
  const s = model.staging.settings;
  const withNights: CostInputs = { ...s, scaleToZeroOutsideWorkingHours: true };
  const nightsSaving = staging.totalUsd - estimateMonthlyCost(withNights).totalUsd;
  const spotShare = staging.counts.spotTasks;
  return [
    {
      name: 'Fargate Spot for staging',
      status: s.fargateSpot ? 'applied' : 'not applied',
      detail: spotShare > 0
        ? `${spotShare} of ${s.minCapacity} staging tasks run on Spot at minimum capacity`
        : `staging runs ${s.minCapacity} task at minimum and the first task stays on-demand, so Spot only saves when it scales out (raise stagingMinCapacity to use more Spot)`,
    },
    {
      name: 'Schedule non-production shutdown after hours',
      status: s.scaleToZeroOutsideWorkingHours ? 'applied' : 'available',
      detail: s.scaleToZeroOutsideWorkingHours
        ? `staging runs ${SERVICE_DEFAULTS.workingHoursCron.startHour}:00-${SERVICE_DEFAULTS.workingHoursCron.stopHour}:00 UTC ${SERVICE_DEFAULTS.workingHoursCron.weekDays} only`
        : `set \`stagingScaleToZeroOutsideWorkingHours: true\` to save about $${usd(nightsSaving)} a month (tasks only; database, cache, NAT and endpoints keep running)`,
    },
    {
      name: 'RDS Reserved Instances (1-year)',
      status: model.database ? 'a purchase, outside the stack' : 'not applicable',
      detail: model.database
        ? 'reservations are bought in the billing console for the instance classes above; the stack and this estimate use on-demand prices'
        : 'this service has no database',
    },
    {
      name: 'Cheaper staging preset (kit)',
      status: 'applied',
      detail: `staging: one NAT gateway, ${s.maxAzs} AZs, single-AZ db.${s.databaseInstanceClass}, one ${s.cacheNodeType} node, ${s.logRetentionDays}-day logs`,
    },
  ];
}

/** The seed's risks and what this repository does about each. */
function risks(model: ServiceModel, envs: EnvironmentDocs[]) {
  const [staging, production] = envs;
  return [
    {
      level: 'High',
      risk: 'AWS costs exceed budget',
      mitigation: `budgets \`${staging.names.budgetName}\` (${staging.settings.monthlyBudgetUsd} USD) and \`${production.names.budgetName}\` (${production.settings.monthlyBudgetUsd} USD) alert the alarm topic; the defaults are the estimates below plus ${BUDGET_MARGIN * 100}%`,
    },
    {
      level: 'High',
      risk: 'Security misconfiguration',
      mitigation: `cdk-nag ${frameworkList(model.complianceFrameworks)} fail the build on any unacknowledged finding; HIPAA_COMPLIANCE_CHECKLIST.md lists every acknowledgement`,
    },
    {
      level: 'High',
      risk: 'Database migration fails',
      mitigation: model.database
        ? `the deploy tool runs \`${model.blueprint.migrateCommand}\` as a one-off task with the new image and stops before the rollout if it fails; staging deploys first`
        : 'no database',
    },
    {
      level: 'Medium',
      risk: 'CI/CD pipeline issues',
      mitigation: '`scripts/aws-deploy.sh` runs the same deploy tool by hand (DEPLOYMENT_GUIDE.md)',
    },
    {
      level: 'Medium',
      risk: 'Performance issues',
      mitigation: `p95 alarm above ${production.settings.latencyP95Ms} ms; autoscaling on CPU and requests up to ${production.settings.maxCapacity} tasks; load-test staging before production`,
    },
    {
      level: 'Medium',
      risk: 'Monitoring gaps',
      mitigation: `${production.alarms.length} alarms, 4 dashboards and ${production.queries.length} saved queries per environment, from one set of definitions`,
    },
    {
      level: 'Low',
      risk: 'Documentation incomplete',
      mitigation: 'these documents are regenerated from the options on every `npx projen`',
    },
    {
      level: 'Low',
      risk: 'Docker image size too large',
      mitigation: 'multi-stage Dockerfile on a pinned slim base; `.dockerignore` sends only `app/`',
    },
  ].map((r) => ({ ...r, mitigation: cellText(r.mitigation) }));
}
