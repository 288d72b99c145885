import { readFileSync } from 'fs';
import { join } from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import { NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { acknowledgedRules, newApp, snippetProps, synthFindings } from './helpers';
import { AuditTrail, ComplianceChecks, ComplianceFramework, DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { ACK, acknowledgedIds, KitAcknowledgement } from '../../src/constructs/private/acknowledgements';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const ROOT = join(__dirname, '..', '..');
const PACK_FILES: Record<string, string> = {
  [ComplianceFramework.AWS_SOLUTIONS]: 'aws-solutions.js',
  [ComplianceFramework.HIPAA_SECURITY]: 'hipaa-security.js',
  [ComplianceFramework.NIST_800_53_R5]: 'nist-800-53-r5.js',
  [ComplianceFramework.PCI_DSS_321]: 'pci-dss-321.js',
};

/** Both default stacks in one app, selecting `frameworks`, synthesized. */
function defaultStacks(frameworks?: string[], extraPlugins = false) {
  const app = newApp();
  const stacks = [STAGING, PRODUCTION].map(
    (env) => new HardenedServiceStack(app, `hedis-optimizer-${env}`, { ...snippetProps(env), complianceFrameworks: frameworks }),
  );
  if (extraPlugins) Validations.of(app).addPlugins(new NIST80053R5Checks(app), new PCIDSS321Checks(app));
  const result = synthFindings(app);
  const templates = stacks.map((s) => JSON.parse(readFileSync(join(app.outdir, s.templateFile), 'utf8')));
  return { ...result, stacks, templates };
}

describe('compliance frameworks: all four packs gate the default stacks', () => {
  // GIVEN both default stacks with every framework selected
  const all = defaultStacks(ComplianceFramework.ALL);

  test('have zero open findings in AwsSolutions, HIPAA.Security, NIST.800-53.R5 and PCI.DSS.321', () => {
    expect(all.findings).toEqual([]);
    expect(all.error).toBeUndefined();
    expect(all.stacks.map((s) => s.complianceFrameworks)).toEqual([ComplianceFramework.ALL, ComplianceFramework.ALL]);
  });

  test('the cdk_nag metadata carries each pack\'s id, the same reason written once for all of them', () => {
    for (const template of all.templates) {
      const acks = acknowledgedRules(template);
      const ids = [...acks.keys()];
      for (const prefix of ComplianceChecks.packNames(ComplianceFramework.ALL)) {
        expect(ids.some((id) => id.startsWith(`${prefix}-`))).toBe(true);
      }
      // the public subnets' route: one justification, acknowledged in HIPAA, NIST and PCI alike
      const reasons = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((p) => acks.get(`${p}-VPCNoUnrestrictedRouteToIGW`)?.map((u) => u.reason));
      expect(reasons[0]).toBeDefined();
      expect(reasons[1]).toEqual(reasons[0]);
      expect(reasons[2]).toEqual(reasons[0]);
    }
  });
});

describe('compliance frameworks: selection', () => {
  test('the default selection acknowledges only AwsSolutions and HIPAA.Security ids (templates as before)', () => {
    const { templates, findings } = defaultStacks(undefined);
    expect(findings).toEqual([]);
    for (const template of templates) {
      const packs = new Set([...acknowledgedRules(template).keys()].map((id) => id.split(/-|::/)[0]));
      expect([...packs].sort()).toEqual(['AwsSolutions', 'CloudFormation', 'HIPAA.Security']);
    }
  });

  test('fails when NIST and PCI check stacks that acknowledge only the default packs (the ids per pack are what closes them)', () => {
    const { findings } = defaultStacks(undefined, true);
    const packs = new Set(findings.map((f) => f.pack));
    expect([...packs].sort()).toEqual(['NIST.800.53.R5', 'PCI.DSS.321']);
    expect(findings.map((f) => f.rule)).toContain('NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW');
  });

  test('fails when complianceFrameworks names an unknown framework, listing the allowed ones', () => {
    expect(() => new HardenedServiceStack(newApp(), 'x', { ...snippetProps(STAGING), complianceFrameworks: ['AwsSolutions', 'SOC2'] })).toThrow(
      'complianceFrameworks entry "SOC2" is not a known compliance framework; use some of "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321"',
    );
  });

  test('fails when complianceFrameworks is empty or lists a framework twice', () => {
    expect(() => new HardenedServiceStack(newApp(), 'x', { ...snippetProps(STAGING), complianceFrameworks: [] })).toThrow(
      'complianceFrameworks [] selects no cdk-nag pack; list at least one of "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321" (to run no pack at all, set complianceChecks to false on the stack)',
    );
    expect(() => new HardenedServiceStack(newApp(), 'x', { ...snippetProps(STAGING), complianceFrameworks: ['PCI.DSS.321', 'PCI.DSS.321'] })).toThrow(
      'complianceFrameworks lists "PCI.DSS.321" twice; list each framework once',
    );
  });

  test('fails when two stacks of one app select different frameworks', () => {
    const app = newApp();
    new HardenedServiceStack(app, 'a', snippetProps(STAGING));
    expect(() => new HardenedServiceStack(app, 'b', { ...snippetProps(PRODUCTION), complianceFrameworks: ComplianceFramework.ALL })).toThrow(
      'complianceFrameworks ["AwsSolutions","HIPAA.Security","NIST.800-53.R5","PCI.DSS.321"] of b differ from ["AwsSolutions","HIPAA.Security"], which another stack registered on this app: cdk-nag packs check every stack of an app, so give every stack of one app the same complianceFrameworks',
    );
  });
});

test('a construct used alone acknowledges the packs ComplianceChecks.enable registered on its app', () => {
  // GIVEN a stack of the app's own with all four packs registered first
  const app = newApp();
  const stack = new Stack(app, 'alone', { env: { account: '123456789012', region: 'us-east-1' } });
  ComplianceChecks.enable(stack, { frameworks: ComplianceFramework.ALL });
  // WHEN a kit construct is added
  new AuditTrail(stack, 'Audit', { trailName: 'alone-trail' });
  // THEN no pack finds anything open on it
  expect(synthFindings(app).findings).toEqual([]);
});

test('fails when the packs are registered after the construct was made (it acknowledged the defaults only)', () => {
  const app = newApp();
  const stack = new Stack(app, 'late', { env: { account: '123456789012', region: 'us-east-1' } });
  new AuditTrail(stack, 'Audit', { trailName: 'late-trail' });
  ComplianceChecks.enable(stack, { frameworks: ComplianceFramework.ALL });
  const packs = new Set(synthFindings(app).findings.map((f) => f.pack));
  expect([...packs].sort()).toEqual(['NIST.800.53.R5', 'PCI.DSS.321']);
});

describe('the acknowledgements table', () => {
  /** Every acknowledgement of the registry (functions called with a sample finding). */
  const entries: KitAcknowledgement[] = Object.values(ACK).flatMap((value: unknown) => {
    const v = typeof value === 'function' ? (value as (arn: string) => KitAcknowledgement)('arn:x') : value;
    return Array.isArray(v) ? (v as KitAcknowledgement[]) : [v as KitAcknowledgement];
  });

  test('each id names a rule of its framework\'s pack, with the pack\'s prefix', () => {
    const wrong: string[] = [];
    for (const ack of entries) {
      for (const [framework, id] of Object.entries(ack.ids)) {
        if (!ComplianceFramework.ALL.includes(framework)) continue;
        const source = readFileSync(join(ROOT, 'node_modules', 'cdk-nag', 'lib', 'packs', PACK_FILES[framework]), 'utf8');
        const prefix = `${ComplianceFramework.ruleIdPrefix(framework)}-`;
        const ruleName = id.slice(prefix.length).replace(/\[.*$/, '');
        const inPack = new RegExp(`rule: \\w+\\.${ruleName}\\b|ruleSuffixOverride: '${ruleName}'`).test(source);
        if (!id.startsWith(prefix) || !inPack) wrong.push(`${framework}: ${id}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('a selection records only its frameworks\' ids, in the order written, and CDK\'s validator always', () => {
    expect(acknowledgedIds(ACK.logBucketIsTerminal, ComplianceFramework.DEFAULTS).map((a) => a.id)).toEqual(['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled']);
    expect(acknowledgedIds(ACK.logBucketIsTerminal, [ComplianceFramework.PCI_DSS_321]).map((a) => a.id)).toEqual(['PCI.DSS.321-S3BucketLoggingEnabled']);
    expect(acknowledgedIds(ACK.cdkValidatorInstanceClass, [ComplianceFramework.PCI_DSS_321]).map((a) => a.id)).toEqual(['CloudFormation-Validate::E3062']);
  });
});
