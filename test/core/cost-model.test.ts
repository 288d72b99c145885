import { readFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { DeploymentEnvironment, HardenedServiceOptions, HardenedServiceStack, ServicePlatform } from '../../src';
import {
  additionalTrailsCost,
  budgetFromEstimate,
  CostEstimate,
  estimateJoinedServiceCost,
  estimateMonthlyCost,
  estimatePlatformCost,
  FARGATE_SPOT_STRATEGY,
  PRICES,
  resourceCounts,
  taskSplit,
  USAGE_ASSUMPTIONS,
  workingHoursPerMonth,
} from '../../src/core/cost-model';
import { resolveSettings } from '../../src/core/settings';
import { newApp, snippetProps } from '../constructs/helpers';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const OPTIONS: HardenedServiceOptions = {
  serviceName: 'hedis-optimizer',
  alarmEmail: 'oncall@example.com',
  githubRepository: 'example-org/hedis-optimizer',
};

function estimate(environment: DeploymentEnvironment, overrides: Partial<HardenedServiceOptions> = {}): CostEstimate {
  return estimateMonthlyCost(resolveSettings({ ...OPTIONS, ...overrides }, environment));
}

function line(e: CostEstimate, id: string): number {
  const found = e.lineItems.find((l) => l.id === id);
  if (!found) throw new Error(`no line item ${id} in ${e.lineItems.map((l) => l.id).join(', ')}`);
  return found.monthlyUsd;
}

describe('cost model arithmetic', () => {
  test('Fargate is tasks x hours x (vCPU x price + GB x price)', () => {
    // GIVEN 2 production tasks of 0.5 vCPU and 1 GB (the defaults)
    const e = estimate(PRODUCTION);
    // THEN
    const perTaskHour = 0.5 * PRICES.fargate.vcpuHour + 1 * PRICES.fargate.gbHour;
    expect(line(e, 'fargate')).toBeCloseTo(2 * 730 * perTaskHour, 6);
    expect(line(e, 'fargate')).toBeCloseTo(36.04, 2);

    // WHEN the task doubles its CPU and memory
    const bigger = estimate(PRODUCTION, { cpu: 1024, memoryLimitMiB: 2048 });
    // THEN Fargate doubles and nothing else changes
    expect(line(bigger, 'fargate')).toBeCloseTo(2 * line(e, 'fargate'), 6);
    expect(bigger.totalUsd).toBeCloseTo(e.totalUsd + line(e, 'fargate'), 1);
  });

  test('Fargate Spot: the first task is on-demand, the rest split 1:3 at the Spot discount', () => {
    expect(taskSplit(1, true)).toEqual({ onDemand: 1, spot: 0 });
    expect(taskSplit(5, true)).toEqual({ onDemand: 2, spot: 3 });
    expect(taskSplit(5, false)).toEqual({ onDemand: 5, spot: 0 });

    // GIVEN staging with 5 tasks at minimum
    const e = estimate(STAGING, { minCapacity: 5, maxCapacity: 5 });
    const perTaskHour = 0.5 * PRICES.fargate.vcpuHour + 1 * PRICES.fargate.gbHour;
    // THEN
    expect(line(e, 'fargate')).toBeCloseTo(2 * 730 * perTaskHour, 6);
    expect(line(e, 'fargate-spot')).toBeCloseTo(3 * 730 * perTaskHour * (1 - PRICES.fargate.spotDiscount), 6);
  });

  test('scaling staging to zero outside working hours bills only the working hours', () => {
    // 12 hours x 5 days x 52 weeks / 12 months
    expect(workingHoursPerMonth()).toBeCloseTo(260, 6);
    const always = estimate(STAGING);
    const nights = estimate(STAGING, { scaleToZeroOutsideWorkingHours: true });
    expect(line(nights, 'fargate')).toBeCloseTo((line(always, 'fargate') * 260) / 730, 6);
    expect(nights.taskHours).toBeCloseTo(260, 6);
  });

  test('NAT gateways and interface endpoints are billed per AZ-hour', () => {
    const stg = estimate(STAGING);
    const prod = estimate(PRODUCTION);
    expect(line(stg, 'nat-gateway')).toBeCloseTo(1 * 730 * 0.045 + USAGE_ASSUMPTIONS.staging.natProcessedGb * 0.045, 6);
    expect(line(prod, 'nat-gateway')).toBeCloseTo(3 * 730 * 0.045 + USAGE_ASSUMPTIONS.production.natProcessedGb * 0.045, 6);
    // 4 endpoints x AZs x 730 h x $0.01, plus a few cents of processed data
    expect(line(stg, 'interface-endpoints')).toBeGreaterThanOrEqual(4 * 2 * 730 * 0.01);
    expect(line(stg, 'interface-endpoints')).toBeLessThan(4 * 2 * 730 * 0.01 + 1);
    expect(line(prod, 'interface-endpoints')).toBeGreaterThanOrEqual(4 * 3 * 730 * 0.01);
  });

  test('Multi-AZ doubles database instance-hours and storage', () => {
    const stg = estimate(STAGING);
    const prod = estimate(PRODUCTION);
    expect(line(stg, 'rds-instance')).toBeCloseTo(730 * PRICES.rds.instanceHour['db.t3.small'], 6);
    expect(line(prod, 'rds-instance')).toBeCloseTo(730 * PRICES.rds.instanceHour['db.t3.medium'] * 2, 6);
    expect(line(stg, 'rds-storage')).toBeCloseTo(20 * PRICES.rds.gp3GbMonth, 6);
    expect(line(prod, 'rds-storage')).toBeCloseTo(50 * PRICES.rds.gp3GbMonth * 2, 6);
    // production keeps AWS Backup snapshots 365 days, 1% of 50 GB changing a day
    expect(line(prod, 'rds-backup')).toBeCloseTo(50 * (1 + 0.01 * 365) * PRICES.rds.backupGbMonth, 6);
  });

  test('no database and no cache remove their lines and their secrets and alarms', () => {
    const full = estimate(STAGING);
    const bare = estimate(STAGING, { database: false, cache: false });
    const gone = ['rds-instance', 'rds-storage', 'rds-backup', 'elasticache', 'elasticache-snapshots'];
    for (const id of gone) {
      expect(bare.lineItems.map((l) => l.id)).not.toContain(id);
    }
    // The API keys secret (the default authentication) stays.
    expect([full.counts.secrets, bare.counts.secrets]).toEqual([3, 1]);
    expect(bare.counts.alarms).toBe(full.counts.alarms - 4);
    const removed = gone.map((id) => line(full, id)).reduce((a, b) => a + b, 0) + 2 * PRICES.secretsManager.secretMonth;
    expect(bare.totalUsd).toBeCloseTo(full.totalUsd - removed - 4 * PRICES.cloudWatch.alarmMetricMonth, 1);
  });

  test('API keys cost one secret; JWTs alone and none cost none', () => {
    expect(estimate(STAGING).counts.secrets).toBe(3);
    expect(estimate(STAGING, { authentication: 'none' }).counts.secrets).toBe(2);
    expect(estimate(STAGING, { authentication: 'jwt', jwtIssuerUrl: 'https://login.example.com', jwtAudience: 'api://x' }).counts.secrets).toBe(2);
  });

  test('the total is the sum of the line items, in cents', () => {
    for (const e of [estimate(STAGING), estimate(PRODUCTION), estimate(PRODUCTION, { cache: false, maxCapacity: 6 })]) {
      const sum = e.lineItems.reduce((total, l) => total + l.monthlyUsd, 0);
      expect(e.totalUsd).toBe(Math.round(sum * 100) / 100);
    }
  });

  test('the budget is the estimate plus 25%, rounded up to the next 50', () => {
    expect(budgetFromEstimate(491.93)).toBe(650); // 614.91 -> 650
    expect(budgetFromEstimate(207.97)).toBe(300); // 259.96 -> 300
    expect(budgetFromEstimate(40)).toBe(50); // exactly 50 stays 50
    expect(budgetFromEstimate(40.01)).toBe(100);
    const e = estimate(PRODUCTION);
    expect(e.defaultBudgetUsd).toBe(Math.ceil((e.totalUsd * 1.25) / 50) * 50);
  });

  test('production costs more than staging for the same options', () => {
    for (const overrides of [
      {},
      { minCapacity: 2, maxCapacity: 4 },
      { minCapacity: 3, maxCapacity: 6, database: false, cache: false },
      { cpu: 1024, memoryLimitMiB: 2048, latencyP95Ms: 250 },
    ]) {
      const more = estimate(PRODUCTION, overrides).totalUsd > estimate(STAGING, overrides).totalUsd;
      expect({ overrides, more }).toEqual({ overrides, more: true });
    }
  });

  test('the budget defaults from the estimate, and an explicit budget wins without changing it', () => {
    const settings = resolveSettings(OPTIONS, PRODUCTION);
    expect(settings.monthlyBudgetUsd).toBe(estimateMonthlyCost(settings).defaultBudgetUsd);
    const given = resolveSettings({ ...OPTIONS, monthlyBudgetUsd: 1234 }, PRODUCTION);
    expect(given.monthlyBudgetUsd).toBe(1234);
    expect(estimateMonthlyCost(given).totalUsd).toBe(estimateMonthlyCost(settings).totalUsd);
  });

  test('the @default of monthlyBudgetUsd states the computed defaults', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'src', 'core', 'service-options.ts'), 'utf8');
    const match = /@default - the environment's monthly cost estimate.*staging (\d+), production (\d+) with the default options/.exec(source);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(estimate(STAGING).defaultBudgetUsd);
    expect(Number(match![2])).toBe(estimate(PRODUCTION).defaultBudgetUsd);
  });

  test('fails when an instance class has no price', () => {
    const settings = { ...resolveSettings(OPTIONS, STAGING), databaseInstanceClass: 'r6g.large' };
    expect(() => estimateMonthlyCost(settings)).toThrow(
      'the cost model has no price for db.r6g.large (PRICES.rds.instanceHour knows db.t3.micro, db.t3.small, db.t3.medium, db.t3.large); add it to src/core/cost-model/prices.ts or set monthlyBudgetUsd',
    );
  });
});

describe('the platform estimate and the marginal estimate of a joined service', () => {
  test('a joined service drops the NAT and endpoint hours, the flow logs, the trail and its key, and adds its baseline share', () => {
    for (const environment of [STAGING, PRODUCTION]) {
      const settings = resolveSettings(OPTIONS, environment);
      const standalone = estimateMonthlyCost(settings);
      const joined = estimateJoinedServiceCost(settings);
      const { natGateways, interfaceEndpoints, availabilityZones } = standalone.counts;
      const u = USAGE_ASSUMPTIONS[environment];
      const hoursDropped = 730 * (natGateways * PRICES.natGateway.hour + interfaceEndpoints * availabilityZones * PRICES.interfaceEndpoint.azHour);
      const flowLogsDropped = u.flowLogsGb * PRICES.cloudWatch.logsIngestGb;
      const baseline = joined.lineItems.filter((l) => l.id.startsWith('baseline-')).reduce((sum, l) => sum + l.monthlyUsd, 0);
      expect(joined.lineItems.map((l) => l.id)).not.toContain('cloudtrail');
      expect(joined.counts).toMatchObject({ natGateways: 0, interfaceEndpoints: 0, kmsKeys: standalone.counts.kmsKeys - 1 });
      expect(line(joined, 'fargate')).toBe(line(standalone, 'fargate'));
      expect(line(joined, 'nat-gateway')).toBeCloseTo(u.natProcessedGb * PRICES.natGateway.gbProcessed, 6);
      expect(line(standalone, 'logs-ingest') - line(joined, 'logs-ingest')).toBeCloseTo(flowLogsDropped, 6);
      expect(standalone.totalUsd - joined.totalUsd).toBeGreaterThan(hoursDropped + flowLogsDropped - baseline);
      expect(baseline).toBeGreaterThan(0);
    }
  });

  test('the platform bills its NAT gateways and endpoints per hour; only the first platform bills the baseline', () => {
    const production = estimatePlatformCost(PRODUCTION, false);
    const nat = production.lineItems.find((l) => l.id === 'platform-nat-gateway')!;
    expect(nat.monthlyUsd).toBeCloseTo(3 * 730 * PRICES.natGateway.hour, 6);
    expect(production.lineItems.some((l) => l.id.startsWith('baseline-'))).toBe(false);
    const withBaseline = estimatePlatformCost(PRODUCTION, true);
    expect(withBaseline.totalUsd).toBeGreaterThan(production.totalUsd);
    expect(withBaseline.lineItems.find((l) => l.id === 'baseline-guardduty-events')!.monthlyUsd).toBeCloseTo(
      0.5 * PRICES.guardDuty.managementEventsPerMillion + PRICES.guardDuty.s3DataEventsPerMillion,
      6,
    );
    expect(production.totalUsd).toBe(Math.round(production.lineItems.reduce((s, l) => s + l.monthlyUsd, 0) * 100) / 100);
  });

  test('every trail after the first bills the management events again', () => {
    expect(additionalTrailsCost(1).monthlyUsd).toBe(0);
    expect(additionalTrailsCost(3).monthlyUsd).toBeCloseTo(2 * 5 * PRICES.cloudTrail.additionalCopyPer100kEvents, 6);
  });
});

describe('cost model resource counts match the synthesized stack', () => {
  const cases: [string, DeploymentEnvironment, Partial<HardenedServiceOptions>][] = [
    ['staging', STAGING, {}],
    ['production', PRODUCTION, {}],
    ['staging with 5 tasks, no database, no cache', STAGING, { minCapacity: 5, maxCapacity: 6, database: false, cache: false }],
  ];
  test.each(cases)('%s', (_name, environment, overrides) => {
    // GIVEN
    const props = { ...snippetProps(environment), ...overrides };
    const stack = new HardenedServiceStack(newApp(), 'cost', { ...props, complianceChecks: false });
    const t = Template.fromStack(stack);
    const counts = resourceCounts(resolveSettings(props, environment));

    // THEN every priced resource the model counts is in the template, as many times
    t.resourceCountIs('AWS::EC2::NatGateway', counts.natGateways);
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).filter((r) => r.Properties.VpcEndpointType === 'Interface');
    expect(endpoints).toHaveLength(counts.interfaceEndpoints);
    for (const endpoint of endpoints) expect(endpoint.Properties.SubnetIds).toHaveLength(counts.availabilityZones);
    t.resourceCountIs('AWS::KMS::Key', counts.kmsKeys);
    t.resourceCountIs('AWS::SecretsManager::Secret', counts.secrets);
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(counts.alarms);
    const alarmMetrics = alarms.map((a) => (a.Properties.Metrics ? a.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1));
    expect(alarmMetrics.reduce((a, b) => a + b, 0)).toBe(counts.alarmMetrics);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', counts.dashboards);
    const [acl] = Object.values(t.findResources('AWS::WAFv2::WebACL'));
    expect(acl.Properties.Rules).toHaveLength(counts.webAclRules);
    const caches = Object.values(t.findResources('AWS::ElastiCache::ReplicationGroup'));
    expect(caches.reduce((n, c) => n + c.Properties.NumCacheClusters, 0)).toBe(counts.cacheNodes);
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);

    // and the capacity provider strategy is the one the model splits tasks by
    const [service] = Object.values(t.findResources('AWS::ECS::Service'));
    const strategy = service.Properties.CapacityProviderStrategy;
    if (resolveSettings(props, environment).fargateSpot) {
      expect(strategy).toEqual([
        { CapacityProvider: 'FARGATE', Base: FARGATE_SPOT_STRATEGY.onDemandBase, Weight: FARGATE_SPOT_STRATEGY.onDemandWeight },
        { CapacityProvider: 'FARGATE_SPOT', Weight: FARGATE_SPOT_STRATEGY.spotWeight },
      ]);
    } else {
      expect(strategy).toEqual([{ CapacityProvider: 'FARGATE', Weight: 1 }]);
    }
    expect(service.Properties.DesiredCount).toBe(counts.onDemandTasks + counts.spotTasks);
  });

  test.each([STAGING, PRODUCTION])('%s, joined to a platform: no network, trail or web ACL of its own', (environment) => {
    // GIVEN a service that joins a platform
    const props = snippetProps(environment);
    const platform = ServicePlatform.fromParameters({ environment, platformName: 'acme' });
    const t = Template.fromStack(new HardenedServiceStack(newApp(), 'cost', { ...props, platform, complianceChecks: false }));
    const counts = resourceCounts(resolveSettings(props, environment, 'acme'), true);

    // THEN what the joined estimate counts is what the template has: the platform's web ACL
    // guards the load balancer, and the service pays only for its requests
    t.resourceCountIs('AWS::EC2::NatGateway', counts.natGateways);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', counts.interfaceEndpoints);
    t.resourceCountIs('AWS::KMS::Key', counts.kmsKeys);
    t.resourceCountIs('AWS::WAFv2::WebACL', counts.webAcls);
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    t.resourceCountIs('AWS::CloudTrail::Trail', 0);
    const waf = estimateJoinedServiceCost(resolveSettings(props, environment, 'acme')).lineItems.find((l) => l.id === 'waf')!;
    expect(waf.monthlyUsd).toBeCloseTo((USAGE_ASSUMPTIONS[environment].requestsPerMonth / 1e6) * PRICES.waf.perMillionRequests, 6);
  });
});
