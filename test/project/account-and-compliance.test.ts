import { Template } from 'aws-cdk-lib/assertions';
import { projectOptions, synth } from './helpers';
import { ComplianceFramework } from '../../src/core/compliance-frameworks';
import { HardenedServiceProject } from '../../src/project/hardened-service-project';
import { buildServiceStacks } from '../../src/project/infrastructure/stack-facts';
import { resolveServiceModel } from '../../src/project/service-model';

const EXISTING = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';

/** The rendered props of each environment in `infrastructure/service-stacks.ts`. */
function renderedProps(files: Record<string, any>): { staging: string; production: string } {
  const app = files['infrastructure/service-stacks.ts'] as string;
  return {
    staging: app.slice(app.indexOf('  staging: {'), app.indexOf('  production: {')),
    production: app.slice(app.indexOf('  production: {'), app.indexOf('};')),
  };
}

/** OIDC providers and trails of each environment's stack, as the generated app builds them. */
function singletons(overrides: Parameters<typeof projectOptions>[0]) {
  const { stacks } = buildServiceStacks(resolveServiceModel(projectOptions(overrides)));
  return stacks.map((stack) => {
    const template = Template.fromStack(stack);
    return [template.findResources('AWS::IAM::OIDCProvider'), template.findResources('AWS::CloudTrail::Trail')].map((r) => Object.keys(r).length);
  });
}

describe('the generated app places the account singletons', () => {
  test('no account pinned (one account): staging creates the provider and the trail, production neither', () => {
    const { staging, production } = renderedProps(synth());
    expect(staging).not.toContain('createGithubOidcProvider');
    expect(staging).not.toContain('createAuditTrail');
    expect(production).toContain('createGithubOidcProvider: false,');
    expect(production).toContain('createAuditTrail: false,');
    expect(singletons({})).toEqual([[1, 1], [0, 0]]);
  });

  test('the same account pinned twice is one account; two accounts keep one of each per stack', () => {
    const productionCertificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
    expect(singletons({ stagingAccount: '111111111111', productionAccount: '111111111111', productionCertificateArn })).toEqual([[1, 1], [0, 0]]);
    expect(singletons({ stagingAccount: '111111111111', productionAccount: '222222222222' })).toEqual([[1, 1], [1, 1]]);
  });

  test('githubOidcProviderArn: no stack creates a provider, both props name it', () => {
    const { staging, production } = renderedProps(synth({ githubOidcProviderArn: EXISTING }));
    for (const env of [staging, production]) expect(env).toContain(`githubOidcProviderArn: '${EXISTING}',`);
    expect(singletons({ githubOidcProviderArn: EXISTING })).toEqual([[0, 1], [0, 0]]);
  });

  test('the CI/CD and AWS setup guides say which stack owns them and when to set githubOidcProviderArn', () => {
    const files = synth();
    expect(files['docs/CI_CD_GUIDE.md']).toContain('`hedis-optimizer-staging` creates the account\'s\nGitHub OIDC provider and the other stack imports it');
    expect(files['docs/AWS_SETUP_GUIDE.md']).toContain('| CloudTrail | `hedis-optimizer-staging-trail` | none: `hedis-optimizer-staging`\'s trail records the account |');
    expect(files['docs/AWS_SETUP_GUIDE.md']).toContain('needs `githubOidcProviderArn`\nin `.projenrc.ts`; no stack then creates one.');
  });

  test('fails when only one of stagingAccount and productionAccount is set', () => {
    expect(() => new HardenedServiceProject(projectOptions({ productionAccount: '222222222222' }))).toThrow(
      'productionAccount "222222222222" is set but stagingAccount is not, so it is unknown whether staging and production share an account (an account holds one GitHub OIDC provider and needs one CloudTrail trail); set stagingAccount too: to "222222222222" if both deploy to that account, or to the other environment\'s account id',
    );
  });

  test('fails when githubOidcProviderArn is not a GitHub OIDC provider ARN', () => {
    expect(() => new HardenedServiceProject(projectOptions({ githubOidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/example.com' }))).toThrow(
      'githubOidcProviderArn "arn:aws:iam::111111111111:oidc-provider/example.com" must be an IAM OIDC provider ARN',
    );
  });
});

describe('complianceFrameworks flows from the project to the stacks and the checklist', () => {
  const files = synth({ complianceFrameworks: ComplianceFramework.ALL });
  const checklist = files['docs/HIPAA_COMPLIANCE_CHECKLIST.md'] as string;

  test('both stacks get the frameworks in service-stacks.ts', () => {
    const { staging, production } = renderedProps(files);
    for (const env of [staging, production]) {
      expect(env).toContain("complianceFrameworks: ['AwsSolutions', 'HIPAA.Security', 'NIST.800-53.R5', 'PCI.DSS.321'],");
    }
  });

  test('the checklist names the four packs and lists each acknowledged rule per framework', () => {
    expect(checklist).toContain("cdk-nag's `AwsSolutions`, `HIPAA.Security`, `NIST.800-53.R5` and `PCI.DSS.321` packs");
    expect(checklist).toContain('zero open findings in all 4 packs.');
    expect(checklist).toMatch(/\| `NIST\.800\.53\.R5-VPCNoUnrestrictedRouteToIGW` \| NIST\.800-53\.R5 \| /);
    expect(checklist).toMatch(/\| `PCI\.DSS\.321-S3BucketReplicationEnabled` \| PCI\.DSS\.321 \| /);
    expect(checklist).toMatch(/NIST\.800-53\.R5 \d+ rules, PCI\.DSS\.321 \d+ rules/);
    expect(checklist).not.toMatch(/\| other \|/);
  });

  test('the compliance test of a new repo expects the selected packs to have run', () => {
    expect(files['infrastructure/main.test.ts']).toContain('ComplianceChecks.packNames(stacks.staging.complianceFrameworks).filter((pack) => acknowledgedBy.has(pack))');
    expect(synth()['infrastructure/main.test.ts']).toContain('ComplianceChecks.PACK_NAMES.filter((pack) => acknowledgedBy.has(pack))');
  });

  test('the default checklist lists no NIST or PCI rule', () => {
    const standard = synth()['docs/HIPAA_COMPLIANCE_CHECKLIST.md'] as string;
    expect(standard).toContain("cdk-nag's `AwsSolutions` and `HIPAA.Security` packs");
    expect(standard).not.toContain('NIST.800.53.R5-');
    expect(standard).not.toContain('PCI.DSS.321-');
  });

  test('fails when complianceFrameworks names an unknown framework, listing the allowed ones', () => {
    expect(() => new HardenedServiceProject(projectOptions({ complianceFrameworks: ['HIPAA'] }))).toThrow(
      'complianceFrameworks entry "HIPAA" is not a known compliance framework; use some of "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321"',
    );
  });
});
