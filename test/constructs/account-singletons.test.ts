import { readFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { cfnLint, newApp, snippetProps, synthFindings } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps } from '../../src';
import { accountLayout } from '../../src/core/account-singletons';
import { ComplianceFramework } from '../../src/core/compliance-frameworks';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const PROVIDER = 'AWS::IAM::OIDCProvider';
const TRAIL = 'AWS::CloudTrail::Trail';
const EXISTING = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/** Both environments in one app with the given extra props per environment; synthesized. */
function synthesizedPair(staging: Partial<HardenedServiceStackProps>, production: Partial<HardenedServiceStackProps>) {
  const app = newApp();
  const stacks = [
    new HardenedServiceStack(app, 'hedis-optimizer-staging', { ...snippetProps(STAGING), ...staging }),
    new HardenedServiceStack(app, 'hedis-optimizer-production', { ...snippetProps(PRODUCTION), ...production }),
  ];
  const { findings, error } = synthFindings(app);
  const paths = stacks.map((s) => join(app.outdir, s.templateFile));
  const templates = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')));
  const count = (type: string) => templates.map((t) => Object.values<any>(t.Resources).filter((r) => r.Type === type).length);
  return { stacks, findings, error, paths, templates, count };
}

describe('account singletons: staging and production in one account', () => {
  // GIVEN the layout the project type renders for a shared account, with every pack on
  const everyPack = { complianceFrameworks: ComplianceFramework.ALL };
  const layout = accountLayout(undefined, undefined, undefined);
  const shared = synthesizedPair({ ...everyPack, ...layout.props.staging }, { ...everyPack, ...layout.props.production });

  test('synthesizes exactly one GitHub OIDC provider and one trail across both templates, in staging', () => {
    expect(shared.count(PROVIDER)).toEqual([1, 0]);
    expect(shared.count(TRAIL)).toEqual([1, 0]);
  });

  test('production\'s roles trust the account\'s provider by its fixed ARN, built from the stack\'s partition and account', () => {
    const roles = Object.values<any>(shared.templates[1].Resources).filter(
      (r) => r.Type === 'AWS::IAM::Role' && r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated !== undefined,
    );
    expect(roles).toHaveLength(2);
    for (const role of roles) {
      // a concrete account and region resolve the stack's partition and account tokens
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toEqual(
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      );
    }
    expect(shared.stacks[1].auditTrail).toBeUndefined();
  });

  test('without a pinned account, the imported ARN is the deploying account\'s (AWS::AccountId)', () => {
    const stack = new HardenedServiceStack(newApp(), 'unpinned', {
      ...snippetProps(PRODUCTION),
      env: { region: 'us-east-1' },
      createGithubOidcProvider: false,
    });
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(
      (r: any) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated !== undefined,
    ) as any[];
    expect(roles.map((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated)).toEqual([0, 1].map(() => ({
      'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':oidc-provider/token.actions.githubusercontent.com']],
    })));
  });

  test('has zero open findings in all four packs, and cfn-lint finds no error', () => {
    expect(shared.findings).toEqual([]);
    expect(shared.error).toBeUndefined();
    for (const path of shared.paths) {
      expect(cfnLint(path).filter((r) => r.Level === 'Error')).toEqual([]);
    }
  });
});

describe('account singletons: separate accounts, or an existing provider', () => {
  test('separate accounts keep one provider and one trail per stack (the default of the stack)', () => {
    const separate = synthesizedPair({}, {});
    expect(separate.count(PROVIDER)).toEqual([1, 1]);
    expect(separate.count(TRAIL)).toEqual([1, 1]);
    expect(separate.findings).toEqual([]);
  });

  test('githubOidcProviderArn imports the provider in both stacks; the trail stays where createAuditTrail says', () => {
    const layout = accountLayout(undefined, undefined, EXISTING);
    const stacks = [STAGING, PRODUCTION].map((env) =>
      new HardenedServiceStack(newApp(), `s-${env}`, { ...snippetProps(env), ...layout.props[env] }),
    );
    expect(stacks.map((s) => Template.fromStack(s).findResources(PROVIDER))).toEqual([{}, {}]);
    expect(stacks.map((s) => Object.keys(Template.fromStack(s).findResources(TRAIL)).length)).toEqual([1, 0]);
  });

  test('fails when createGithubOidcProvider is true and githubOidcProviderArn is set', () => {
    expect(() => new HardenedServiceStack(newApp(), 'both', { ...snippetProps(PRODUCTION), createGithubOidcProvider: true, githubOidcProviderArn: EXISTING })).toThrow(
      `createGithubOidcProvider is true but githubOidcProviderArn "${EXISTING}" imports an existing provider; an account holds one GitHub OIDC provider: remove createGithubOidcProvider to import it, or githubOidcProviderArn to create one`,
    );
  });
});

describe('accountLayout: which stack owns the account\'s singletons', () => {
  test('both accounts unset, or equal: one account, staging owns the provider and the trail', () => {
    for (const [staging, production] of [[undefined, undefined], ['111111111111', '111111111111']]) {
      const layout = accountLayout(staging, production);
      expect(layout).toEqual({
        sharedAccount: true,
        props: { staging: {}, production: { createGithubOidcProvider: false, createAuditTrail: false } },
        problems: [],
      });
    }
  });

  test('different accounts: each stack creates its own', () => {
    expect(accountLayout('111111111111', '222222222222')).toEqual({ sharedAccount: false, props: { staging: {}, production: {} }, problems: [] });
  });

  test('an existing provider: no stack creates one; in two accounts the other imports its own account\'s', () => {
    const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    expect(accountLayout(undefined, undefined, arn).props).toEqual({
      staging: { githubOidcProviderArn: arn },
      production: { githubOidcProviderArn: arn, createAuditTrail: false },
    });
    expect(accountLayout('111111111111', '222222222222', arn).props).toEqual({
      staging: { githubOidcProviderArn: arn },
      production: { createGithubOidcProvider: false },
    });
  });

  test('fails when only stagingAccount is set', () => {
    expect(accountLayout('111111111111', undefined).problems).toEqual([
      'stagingAccount "111111111111" is set but productionAccount is not, so it is unknown whether staging and production share an account (an account holds one GitHub OIDC provider and needs one CloudTrail trail); set productionAccount too: to "111111111111" if both deploy to that account, or to the other environment\'s account id',
    ]);
  });

  test('fails when only productionAccount is set', () => {
    expect(accountLayout(undefined, '222222222222').problems).toEqual([
      'productionAccount "222222222222" is set but stagingAccount is not, so it is unknown whether staging and production share an account (an account holds one GitHub OIDC provider and needs one CloudTrail trail); set stagingAccount too: to "222222222222" if both deploy to that account, or to the other environment\'s account id',
    ]);
  });

  test('fails when githubOidcProviderArn is in an account neither stack deploys to', () => {
    expect(accountLayout('111111111111', '111111111111', EXISTING).problems).toEqual([
      `githubOidcProviderArn "${EXISTING}" is in account 123456789012, but the stacks deploy to 111111111111; a role can only trust an OIDC provider of its own account: use that account's provider ARN`,
    ]);
  });
});
