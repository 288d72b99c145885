/**
 * The fleet simulation: one account and region as a platform team would run it. One platform
 * repo (one app: a `HardenedPlatformStack` per environment) and N service repos, each its own
 * app (staging and production stacks joined through `ServicePlatform.fromParameters`), all
 * synthesized offline with the compliance gate on; then cfn-lint over every template in one
 * process, the account rules of `checks.ts`, and the kit's cost model. The same N services are
 * also synthesized standalone, to show which rules a fleet without the platform breaks.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { duplicateNames, FleetCheck, FleetTemplate, parameterCheck, quotaChecks, resourcesOfType, singletonChecks } from './checks';
import { DeploymentEnvironment, HardenedPlatformStack, HardenedServiceOptions, HardenedServiceStack, ServicePlatform } from '../src';
import { findBlueprint } from '../src/blueprints';
import {
  additionalTrailsCost,
  cents,
  CostEstimate,
  estimateJoinedServiceCost,
  estimateMonthlyCost,
  estimatePlatformCost,
  PlatformCostEstimate,
} from '../src/core/cost-model';
import { resolveSettings } from '../src/core/settings';

export const FLEET_ENV = { account: '123456789012', region: 'us-east-1' };
export const ENVIRONMENTS = [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION];
/** The cdk-nag packs the service and platform stacks register (their `complianceChecks`). */
export const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security'];
/** The Done-when bound: a joined service's marginal production cost against the standalone estimate. */
export const MAX_MARGINAL_RATIO = 0.6;
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab';

/** Realistic names of sibling services; beyond ten, numbered. */
const SERVICE_NAMES = [
  'hedis-optimizer',
  'patient-intake',
  'claims-gateway',
  'eligibility-check',
  'provider-directory',
  'care-gaps',
  'member-portal-api',
  'prior-auth',
  'quality-measures',
  'referral-router',
];

/** The option sets the fleet cycles through: with and without database and cache. */
const DATA_STORES: { database: boolean; cache: boolean }[] = [
  { database: true, cache: true },
  { database: true, cache: false },
  { database: false, cache: true },
  { database: false, cache: false },
];
const BLUEPRINTS = ['node-api', 'python-api'];

/** One service of the fleet: its repository's options. */
export interface FleetService {
  readonly blueprint: string;
  readonly options: HardenedServiceOptions;
}

/** N services: both blueprints (their port and health path), every database/cache combination, distinct names. */
export function fleetServices(count: number): FleetService[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`--services is ${Number.isNaN(count) ? 'missing or not a number' : count}; give a whole number of services of at least 1 (for example --services 10)`);
  }
  return [...Array(count).keys()].map((i) => {
    const base = SERVICE_NAMES[i % SERVICE_NAMES.length];
    const serviceName = i < SERVICE_NAMES.length ? base : `${base}-${Math.floor(i / SERVICE_NAMES.length) + 1}`;
    const blueprintId = BLUEPRINTS[i % BLUEPRINTS.length];
    const blueprint = findBlueprint(blueprintId);
    if (!blueprint) throw new Error(`blueprint ${blueprintId} is not registered`);
    return {
      blueprint: blueprintId,
      options: {
        serviceName,
        alarmEmail: `${serviceName}-oncall@example.com`,
        githubRepository: `example-org/${serviceName}`,
        certificateArn: CERTIFICATE_ARN,
        containerPort: blueprint.containerPort,
        healthCheckPath: blueprint.healthCheckPath,
        ...DATA_STORES[Math.floor(i / BLUEPRINTS.length) % DATA_STORES.length],
      },
    };
  });
}

/** Open findings of one app's validation report, per pack. */
export interface AppFindings {
  readonly app: string;
  readonly openByPack: Record<string, number>;
  /** `pack rule path` of each open finding. */
  readonly open: string[];
  /** Violations of the packs' rules, by `pack rule severity` (other plugins, e.g. CDK's CloudFormation Validate, report warnings here too). */
  readonly byRule: Record<string, number>;
  /** The synthesis error, when the gate (or anything else) failed it. */
  readonly error?: string;
}

/** One cfn-lint match. */
export interface LintMatch {
  readonly Rule: { Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

/** Cost lines of the report. */
export interface FleetCost {
  readonly platforms: PlatformCostEstimate[];
  /** Per service and environment: standalone estimate, joined (marginal) estimate. */
  readonly services: { serviceName: string; environment: DeploymentEnvironment; standalone: CostEstimate; joined: CostEstimate }[];
  /** Monthly totals, all environments. */
  readonly joinedFleetUsd: number;
  readonly standaloneFleetUsd: number;
  /** What the standalone fleet's extra trails bill on top of the estimates. */
  readonly standaloneExtraTrailsUsd: number;
  /** Production: sum of marginal joined costs over sum of standalone estimates. */
  readonly productionRatio: number;
}

export interface FleetResult {
  readonly services: FleetService[];
  readonly templates: FleetTemplate[];
  readonly findings: AppFindings[];
  readonly lint: LintMatch[];
  readonly singletons: FleetCheck[];
  readonly quotas: FleetCheck[];
  readonly duplicates: string[];
  /** The same services without a platform: singletons and quotas only (informative). */
  readonly standalone: { templates: FleetTemplate[]; singletons: FleetCheck[]; quotas: FleetCheck[] };
  readonly cost: FleetCost;
  /** Every check of the joined fleet, pass or fail. */
  readonly checks: FleetCheck[];
}

export interface SimulationOptions {
  /** Default 10. */
  readonly services?: number;
  /** Or the services themselves (tests: a fleet with a broken service). */
  readonly fleet?: FleetService[];
  /** Synthesize the standalone comparison (default true). */
  readonly standalone?: boolean;
}

/** Runs the simulation. Offline: no AWS credentials, no lookups. */
export function simulateFleet(options: SimulationOptions = {}): FleetResult {
  const services = options.fleet ?? fleetServices(options.services ?? 10);
  const templates: FleetTemplate[] = [];
  const findings: AppFindings[] = [];
  const files: string[] = [];

  const platformApp = newApp();
  const platformStacks = ENVIRONMENTS.map(
    (environment) =>
      new HardenedPlatformStack(platformApp, `platform-${environment}`, {
        environment,
        alarmEmail: 'platform@example.com',
        githubOrganization: 'example-org',
        env: FLEET_ENV,
      }),
  );
  collect('platform', platformApp, platformStacks, templates, findings, files);

  for (const { options: service } of services) {
    const app = newApp();
    const stacks = ENVIRONMENTS.map(
      (environment) =>
        new HardenedServiceStack(app, `${service.serviceName}-${environment}`, {
          ...service,
          environment,
          platform: ServicePlatform.fromParameters({ environment }),
          env: FLEET_ENV,
        }),
    );
    collect(service.serviceName, app, stacks, templates, findings, files);
  }

  const lint = cfnLint(files);
  // The templates are read; the cloud assemblies are not kept.
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  const singletons = singletonChecks(templates);
  const quotas = quotaChecks(templates);
  const duplicates = duplicateNames(templates);
  const standaloneTemplates = options.standalone === false ? [] : standaloneFleet(services);
  const cost = fleetCost(services, standaloneTemplates);

  const worst = worstProductionRatio(cost);
  const checks: FleetCheck[] = [
    ...singletons,
    ...quotas,
    parameterCheck(templates),
    { check: 'physical names unique across the fleet', found: duplicates.length ? `${duplicates.length} written twice` : 'none written twice', ok: duplicates.length === 0 },
    ...NAG_PACKS.map((pack) => {
      const open = findings.reduce((sum, f) => sum + (f.openByPack[pack] ?? 0), 0);
      return { check: `zero open ${pack} findings`, found: `${open} open in ${findings.length} apps`, ok: open === 0 };
    }),
    {
      check: 'every app synthesizes (compliance gate passes)',
      found: `${findings.filter((f) => f.error).length} of ${findings.length} failed`,
      ok: findings.every((f) => !f.error),
    },
    {
      check: 'cfn-lint errors = 0',
      found: `${lint.filter((m) => m.Level === 'Error').length} errors in ${files.length} templates`,
      ok: lint.every((m) => m.Level !== 'Error'),
    },
    {
      check: `marginal production cost of the joined services <= ${MAX_MARGINAL_RATIO * 100}% of standalone`,
      found: `${(cost.productionRatio * 100).toFixed(1)}%`,
      ok: cost.productionRatio <= MAX_MARGINAL_RATIO,
    },
    {
      // The bound holds for each service, whatever its options, not only on average.
      check: `marginal production cost of each joined service <= ${MAX_MARGINAL_RATIO * 100}% of its standalone estimate`,
      found: `at most ${(worst * 100).toFixed(1)}%`,
      ok: worst <= MAX_MARGINAL_RATIO,
    },
  ];
  return {
    services,
    templates,
    findings,
    lint,
    singletons,
    quotas,
    duplicates,
    standalone: { templates: standaloneTemplates, singletons: singletonChecks(standaloneTemplates), quotas: quotaChecks(standaloneTemplates) },
    cost,
    checks,
  };
}

/** The highest ratio of one service's marginal production cost to its standalone estimate. */
export function worstProductionRatio(cost: FleetCost): number {
  const production = cost.services.filter((s) => s.environment === DeploymentEnvironment.PRODUCTION);
  return Math.max(...production.map((s) => s.joined.totalUsd / s.standalone.totalUsd));
}

/** The same services standalone, each its own app (what the quotas would meet without the platform). */
function standaloneFleet(services: FleetService[]): FleetTemplate[] {
  const templates: FleetTemplate[] = [];
  for (const { options: service } of services) {
    const app = newApp();
    const stacks = ENVIRONMENTS.map(
      (environment) =>
        // The gate is the joined fleet's concern; here only the resources count.
        new HardenedServiceStack(app, `${service.serviceName}-${environment}`, { ...service, environment, complianceChecks: false, env: FLEET_ENV }),
    );
    app.synth();
    templates.push(...stacks.map((stack) => template(app, service.serviceName, stack)));
    rmSync(app.outdir, { recursive: true, force: true });
  }
  return templates;
}

function fleetCost(services: FleetService[], standaloneTemplates: FleetTemplate[]): FleetCost {
  const platforms = ENVIRONMENTS.map((environment, i) => estimatePlatformCost(environment, i === 0));
  const perService = services.flatMap(({ options }) =>
    ENVIRONMENTS.map((environment) => {
      const settings = resolveSettings(options, environment);
      const standalone = estimateMonthlyCost(settings);
      return { serviceName: options.serviceName, environment, standalone, joined: estimateJoinedServiceCost(settings) };
    }),
  );
  const sum = (values: number[]) => cents(values.reduce((a, b) => a + b, 0));
  const production = perService.filter((s) => s.environment === DeploymentEnvironment.PRODUCTION);
  const trails = standaloneTemplates.length ? resourcesOfType(standaloneTemplates, 'AWS::CloudTrail::Trail').length : 0;
  const standaloneExtraTrailsUsd = cents(additionalTrailsCost(trails).monthlyUsd);
  return {
    platforms,
    services: perService,
    joinedFleetUsd: sum([...platforms.map((p) => p.totalUsd), ...perService.map((s) => s.joined.totalUsd)]),
    standaloneFleetUsd: sum([...perService.map((s) => s.standalone.totalUsd), standaloneExtraTrailsUsd]),
    standaloneExtraTrailsUsd,
    productionRatio: sum(production.map((s) => s.joined.totalUsd)) / sum(production.map((s) => s.standalone.totalUsd)),
  };
}

/** Cloud assembly folders of the joined fleet, removed once cfn-lint has read them. */
const outdirs: string[] = [];

function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'hsk-fleet-'));
  outdirs.push(outdir);
  return new App({ outdir, context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
}

function template(app: App, appName: string, stack: Stack): FleetTemplate {
  return { stackName: stack.stackName, app: appName, template: JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8')) };
}

/** Synthesizes one app, reads its validation report, and adds its templates. */
function collect(appName: string, app: App, stacks: Stack[], templates: FleetTemplate[], findings: AppFindings[], files: string[]): void {
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const open: string[] = [];
  const openByPack: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const reportPath = join(app.outdir, 'validation-report.json');
  if (existsSync(reportPath)) {
    type Violation = { ruleName: string; severity?: string; violatingConstructs: { constructPath: string }[] };
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { pluginName: string; violations: Violation[] }[] };
    for (const plugin of report.pluginReports) {
      for (const violation of plugin.violations) {
        for (const construct of violation.violatingConstructs) {
          open.push(`${plugin.pluginName} ${violation.ruleName} ${construct.constructPath}`);
          openByPack[plugin.pluginName] = (openByPack[plugin.pluginName] ?? 0) + 1;
          const key = `${plugin.pluginName} ${violation.ruleName} (${violation.severity ?? 'error'})`;
          byRule[key] = (byRule[key] ?? 0) + 1;
        }
      }
    }
  }
  findings.push({ app: appName, open, openByPack, byRule, error });
  if (error) return;
  for (const stack of stacks) {
    templates.push(template(app, appName, stack));
    files.push(join(app.outdir, stack.templateFile));
  }
}

/** cfn-lint over every template in one process. */
export function cfnLint(files: string[]): LintMatch[] {
  if (files.length === 0) return [];
  try {
    return JSON.parse(execFileSync('cfn-lint', ['--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }) || '[]');
  } catch (e: any) {
    // cfn-lint exits non-zero whenever it finds something; its JSON is still on stdout.
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}
