import { FleetTemplate, resourcesOfType } from '../../fleet/checks';
import { formatReport } from '../../fleet/report';
import { FleetResult, fleetServices, MAX_MARGINAL_RATIO, NAG_PACKS, simulateFleet, worstProductionRatio } from '../../fleet/simulation';
import { DeploymentEnvironment } from '../../src';
import { estimateJoinedServiceCost, estimateMonthlyCost, estimatePlatformCost, natGatewayCount, resourceCounts } from '../../src/core/cost-model';
import { ENVIRONMENT_PRESETS } from '../../src/core/presets';
import { resolveSettings } from '../../src/core/settings';
import { PLATFORM_OWNED_TYPES } from '../constructs/platform-helpers';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const count = (templates: FleetTemplate[], type: string) => resourcesOfType(templates, type).length;
const check = (r: FleetResult, start: string) => {
  const found = r.checks.find((c) => c.check.startsWith(start));
  if (!found) throw new Error(`no check "${start}..." in ${r.checks.map((c) => c.check).join('; ')}`);
  return found;
};

describe('a fleet of 10 services joined to one platform per environment, in one account and region', () => {
  let r: FleetResult;
  // One synthesis of the whole fleet (11 apps joined, 10 standalone) for every test here.
  beforeAll(() => {
    r = simulateFleet({ services: 10 });
  });

  test('every check of the joined fleet passes', () => {
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(formatReport(r)).toContain(`RESULT: all ${r.checks.length} checks of the joined fleet pass`);
  });

  test('the fleet covers both blueprints and every database/cache combination, with distinct names', () => {
    expect(new Set(r.services.map((s) => s.blueprint))).toEqual(new Set(['node-api', 'python-api']));
    expect(new Set(r.services.map((s) => `${s.options.database}/${s.options.cache}`)).size).toBe(4);
    expect(new Set(r.services.map((s) => s.options.serviceName)).size).toBe(10);
    expect(r.templates).toHaveLength(2 + 2 * 10);
  });

  test('one of each account singleton, in the first platform; two VPCs and four Elastic IPs for the account', () => {
    expect(r.singletons.map((c) => c.found)).toEqual(r.singletons.map(() => '1 (platform-staging)'));
    expect(count(r.templates, 'AWS::EC2::VPC')).toBe(2);
    expect(count(r.templates, 'AWS::EC2::EIP')).toBe(natGatewayCount(ENVIRONMENT_PRESETS[STAGING]) + natGatewayCount(ENVIRONMENT_PRESETS[PRODUCTION]));
    expect(count(r.templates, 'AWS::CloudTrail::Trail')).toBe(1);
    for (const t of r.templates.filter((joined) => joined.app !== 'platform')) {
      expect({ stack: t.stackName, owned: PLATFORM_OWNED_TYPES.filter((type) => count([t], type) > 0) }).toEqual({ stack: t.stackName, owned: [] });
    }
  });

  test('zero open findings in the selected packs, and cfn-lint finds no error in one run over every template', () => {
    for (const pack of NAG_PACKS) expect(r.findings.map((f) => f.openByPack[pack] ?? 0)).toEqual(r.findings.map(() => 0));
    expect(r.findings.filter((f) => f.error)).toEqual([]);
    expect(r.lint.filter((m) => m.Level === 'Error')).toEqual([]);
    // The one run saw every template (each has at least CDK's redundant-DependsOn or AZ warnings).
    expect(new Set(r.lint.map((m) => m.Filename)).size).toBeGreaterThan(0);
  });

  test('the same services standalone break the OIDC provider, VPC, Elastic IP and trail rules', () => {
    const broken = [...r.standalone.singletons, ...r.standalone.quotas].filter((c) => !c.ok).map((c) => c.check);
    for (const rule of ['exactly one GitHub OIDC provider', 'VPCs per region', 'Elastic IP addresses per region', 'trails per region']) {
      expect(broken.some((b) => b.startsWith(rule))).toBe(true);
    }
    expect(count(r.standalone.templates, 'AWS::EC2::VPC')).toBe(20);
  });

  test('costs come from the cost model: platforms per environment, marginal and standalone per service', () => {
    expect(r.cost.platforms).toEqual([estimatePlatformCost(STAGING, true), estimatePlatformCost(PRODUCTION, false)]);
    for (const s of r.cost.services) {
      const settings = resolveSettings(r.services.find((f) => f.options.serviceName === s.serviceName)!.options, s.environment);
      expect(s.joined).toEqual(estimateJoinedServiceCost(settings));
      expect(s.standalone).toEqual(estimateMonthlyCost(settings));
      expect(s.joined.totalUsd).toBeLessThan(s.standalone.totalUsd);
    }
    expect(r.cost.joinedFleetUsd).toBeLessThan(r.cost.standaloneFleetUsd);
  });

  test(`the marginal production cost of the joined fleet is at most ${MAX_MARGINAL_RATIO * 100}% of standalone`, () => {
    expect(r.cost.productionRatio).toBeLessThanOrEqual(MAX_MARGINAL_RATIO);
    const ratio = (database: boolean, cache: boolean) => {
      const service = r.services.find((f) => f.options.database === database && f.options.cache === cache)!;
      const s = r.cost.services.find((c) => c.environment === PRODUCTION && c.serviceName === service.options.serviceName)!;
      return s.joined.totalUsd / s.standalone.totalUsd;
    };
    expect(ratio(true, false)).toBeLessThanOrEqual(MAX_MARGINAL_RATIO);
    expect(ratio(false, true)).toBeLessThanOrEqual(MAX_MARGINAL_RATIO);
    expect(ratio(false, false)).toBeLessThanOrEqual(MAX_MARGINAL_RATIO);
    // The default options (a Multi-AZ database and a replicated cache) hold it too, because the
    // platform's web ACL guards every joined service (docs/platform.md).
    expect(ratio(true, true)).toBeLessThanOrEqual(MAX_MARGINAL_RATIO);
    expect(worstProductionRatio(r.cost)).toBe(Math.max(ratio(true, true), ratio(true, false), ratio(false, true), ratio(false, false)));
  });

  test("the joined estimate's counts match the joined templates; the platform's NAT gateways match its template", () => {
    for (const t of r.templates.filter((joined) => joined.app !== 'platform')) {
      const environment = t.stackName.endsWith('-production') ? PRODUCTION : STAGING;
      const options = r.services.find((s) => s.options.serviceName === t.app)!.options;
      const counts = resourceCounts(resolveSettings(options, environment), true);
      expect({ stack: t.stackName, keys: count([t], 'AWS::KMS::Key'), nat: count([t], 'AWS::EC2::NatGateway'), acls: count([t], 'AWS::WAFv2::WebACL'), associations: count([t], 'AWS::WAFv2::WebACLAssociation') }).toEqual({
        stack: t.stackName,
        keys: counts.kmsKeys,
        nat: counts.natGateways,
        acls: counts.webAcls,
        associations: 1,
      });
    }
    for (const environment of [STAGING, PRODUCTION]) {
      const platform = r.templates.filter((t) => t.stackName === `platform-${environment}`);
      expect(count(platform, 'AWS::EC2::NatGateway')).toBe(natGatewayCount(ENVIRONMENT_PRESETS[environment]));
      const keys = estimatePlatformCost(environment, environment === STAGING).lineItems.find((l) => l.id === 'platform-kms')!;
      expect(keys.quantity).toBe(`${count(platform, 'AWS::KMS::Key')} keys`);
      expect(count(platform, 'AWS::WAFv2::WebACL')).toBe(1);
    }
  });
});

describe('the fleet simulation can fail', () => {
  test('fails when two services share a name: their physical names collide', () => {
    const [one] = fleetServices(1);
    const r = simulateFleet({ fleet: [one, { ...one, blueprint: 'python-api' }], standalone: false });
    expect(check(r, 'physical names unique').ok).toBe(false);
    expect(r.duplicates.some((d) => d.startsWith('AWS::ECR::Repository hedis-optimizer'))).toBe(true);
    expect(formatReport(r)).toMatch(/RESULT: \d+ check\(s\) of the joined fleet failed: .*physical names unique/);
  });

  test('rejects a service count that is not a whole number of at least 1, naming the option', () => {
    expect(() => fleetServices(0)).toThrow('--services is 0; give a whole number of services of at least 1');
  });
});
