import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { platformOptions, synthPlatform } from './platform-helpers';
import { estimatePlatformCost } from '../../../src/core/cost-model';
import { DeploymentEnvironment } from '../../../src/core/deployment-environment';
import { platformParameterList } from '../../../src/core/platform-parameters';
import { HardenedPlatformProject } from '../../../src/project/platform/hardened-platform-project';
import { resolvePlatformModel } from '../../../src/project/platform/platform-model';
import { buildPlatformStacks } from '../../../src/project/platform/platform-stacks';
import { acknowledgedRules, synthFindings } from '../../constructs/helpers';
import { resourcesOfType, templateJson } from '../../constructs/platform-helpers';
import { actionlint, workflowsOf } from '../workflows/workflow-test-support';

const ACCOUNTS = { stagingAccount: '111111111111', productionAccount: '222222222222' };

describe('HardenedPlatformProject', () => {
  describe('renders the options', () => {
    test('the managed app, the user-owned files, the workflows and the docs', () => {
      // WHEN
      const files = synthPlatform();
      // THEN
      const managed: string[] = files['.projen/files.json'].files;
      for (const file of ['infrastructure/main.ts', 'infrastructure/platform-stacks.ts', 'docs/PLATFORM.md', 'docs/JOINING.md', 'docs/ACCOUNT_HIPAA_CHECKLIST.md']) {
        expect(managed).toContain(file);
      }
      for (const file of ['infrastructure/hooks.ts', 'infrastructure/main.test.ts']) {
        expect(files[file]).toBeDefined();
        expect(managed).not.toContain(file);
      }
      for (const file of ['test.yml', 'deploy-staging.yml', 'deploy-production.yml']) {
        expect(files[`.github/workflows/${file}`]).toBeDefined();
      }
      expect(files['.github/workflows/build.yml']).toBeUndefined();
      expect(files['infrastructure/main.ts']).toContain("import { addPlatformStacks } from './platform-stacks';");
      expect(files['infrastructure/main.test.ts']).toContain('const stacks = addPlatformStacks(app);');
      expect(files['infrastructure/main.test.ts']).toContain("expect(Object.keys(stacks).sort()).toEqual(['production', 'staging']);");
      // The kit is a runtime dependency of the app, with tsx to run it.
      const pkg = files['package.json'];
      expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['hardened-service-kit', 'cdk-nag']));
      expect(pkg.devDependencies.tsx).toBeDefined();
      expect(files['cdk.json'].app).toBe('node --import tsx infrastructure/main.ts');
    });

    test('one stack per environment, named after the platform, with the props of the options', () => {
      const files = synthPlatform({
        ...ACCOUNTS,
        awsRegion: 'eu-west-1',
        githubOrganization: 'acme-services',
        complianceFrameworks: ['AwsSolutions', 'HIPAA.Security', 'PCI.DSS.321'],
        guardDuty: false,
        securityHub: false,
      });
      const app: string = files['infrastructure/platform-stacks.ts'];
      expect(app).toContain("staging: new HardenedPlatformStack(app, 'acme-staging', STACK_PROPS.staging),");
      expect(app).toContain("production: new HardenedPlatformStack(app, 'acme-production', STACK_PROPS.production),");
      expect(app).toContain("env: { account: '111111111111', region: 'eu-west-1' },");
      expect(app).toContain("env: { account: '222222222222', region: 'eu-west-1' },");
      expect(app).toContain("githubOrganization: 'acme-services',");
      expect(app).toContain("githubRepository: 'example-org/acme-platform',");
      expect(app).toContain("complianceFrameworks: ['AwsSolutions', 'HIPAA.Security', 'PCI.DSS.321'],");
      expect(app.match(/guardDuty: false,/g)).toHaveLength(2);
      expect(app.match(/securityHub: false,/g)).toHaveLength(2);
      // Switches left on are the stack's defaults: not written.
      expect(app).not.toContain('cloudTrail:');
      expect(files['infrastructure/main.test.ts']).toContain('ComplianceChecks.packNames(stacks.staging.complianceFrameworks)');
    });

    test('the default platform name is "platform", and the organization is the repository owner', () => {
      const model = resolvePlatformModel(platformOptions({ platformName: undefined }));
      expect(model.platformName).toBe('platform');
      expect(model.githubOrganization).toBe('example-org');
      expect(model.environments.map((e) => e.stackName)).toEqual(['platform-staging', 'platform-production']);
    });

    test('an existing OIDC provider is imported in each account at its own path', () => {
      const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
      const model = resolvePlatformModel(platformOptions({ ...ACCOUNTS, githubOidcProviderArn: arn }));
      expect(model.staging.stackOptions.githubOidcProviderArn).toBe(arn);
      expect(model.production.stackOptions.githubOidcProviderArn).toBe(arn.replace('111111111111', '222222222222'));
    });

    test('each environment gets its own VPC CIDR and second-region backup copy, rendered into its stack', () => {
      const copy = 'arn:aws:backup:us-west-2:222222222222:backup-vault:acme-production';
      const options = { ...ACCOUNTS, stagingVpcCidr: '10.10.0.0/16', productionVpcCidr: '10.20.0.0/19', productionBackupCopyVaultArn: copy };
      const files = synthPlatform(options);
      expect(files['infrastructure/platform-stacks.ts']).toContain("vpcCidr: '10.10.0.0/16',");
      expect(files['infrastructure/platform-stacks.ts']).toContain("vpcCidr: '10.20.0.0/19',");
      expect(files['infrastructure/platform-stacks.ts']).toContain(`backupCopyVaultArn: '${copy}',`);
      const { app, stacks } = buildPlatformStacks(resolvePlatformModel(platformOptions(options)));
      app.synth();
      const [staging, production] = stacks.map((stack) => templateJson(app, stack));
      expect(resourcesOfType(staging, 'AWS::EC2::VPC').map((r) => r.Properties.CidrBlock)).toEqual(['10.10.0.0/16']);
      expect(resourcesOfType(production, 'AWS::EC2::VPC').map((r) => r.Properties.CidrBlock)).toEqual(['10.20.0.0/19']);
      const copyValue = (t: any) => resourcesOfType(t, 'AWS::SSM::Parameter').find((r) => String(r.Properties.Name).endsWith('/backup/copy-vault-arn'))!.Properties.Value;
      expect([copyValue(staging), copyValue(production)]).toEqual(['none', copy]);
    });

    test('PLATFORM.md lists every parameter name of core and the switches to turn off under a delegated administrator', () => {
      const files = synthPlatform({ cloudTrail: false });
      const doc: string = files['docs/PLATFORM.md'];
      for (const environment of [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION]) {
        for (const name of platformParameterList('acme', environment)) expect(doc).toContain(`- \`${name}\``);
      }
      for (const option of ['cloudTrail', 'guardDuty', 'securityHub', 'awsConfig', 'accessAnalyzer']) {
        expect(doc).toContain(`| \`${option}\` |`);
      }
      expect(doc).toContain('**(off: an organisation trail records every account, with six years of retention)**');
      expect(doc).toContain('`acme-staging-deploy`');
      // The cost comes from the kit's cost model: staging holds the account baseline (one account).
      const staging = estimatePlatformCost(DeploymentEnvironment.STAGING, true);
      const production = estimatePlatformCost(DeploymentEnvironment.PRODUCTION, false);
      expect(doc).toContain(`| staging | $${staging.totalUsd.toFixed(2)} | yes |`);
      expect(doc).toContain(`| production | $${production.totalUsd.toFixed(2)} | no |`);
      expect(production.totalUsd).toBeGreaterThan(0);
      const checklist: string = files['docs/ACCOUNT_HIPAA_CHECKLIST.md'];
      expect(checklist).toContain('- [ ] **CloudTrail** (`cloudTrail`)');
      expect(checklist).toContain('Confirm: an organisation trail records every account');
      expect(checklist).toContain('- [x] **GuardDuty** (`guardDuty`)');
      expect(checklist).toContain('`VPC_FLOW_LOGS_ENABLED`');
      expect(checklist).toContain('backup vault `acme-production` with Vault Lock, compliance mode');
      expect(files['docs/JOINING.md']).toContain("platformName: 'acme'");
      expect(files['docs/JOINING.md']).toContain('snapshot and restore');
      // A service repository joins with the service project type's option.
      expect(files['docs/JOINING.md']).toContain("platform: { name: 'acme' },");
    });
  });

  describe('validation', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['the platform name is not lowercase', { platformName: 'Acme Corp' }, 'platformName "Acme Corp" must be 1-20 lowercase letters, digits or single hyphens, starting with a letter (try "acme-corp")'],
      ['the alarm email is not an address', { alarmEmail: 'ops' }, 'alarmEmail "ops" must be an email address'],
      ['the repository is a URL', { githubRepository: 'https://github.com/example-org/platform' }, 'githubRepository "https://github.com/example-org/platform" must be "owner/repo"'],
      ['the organization names a repository', { githubOrganization: 'example-org/platform' }, 'githubOrganization "example-org/platform" must be a GitHub user or organization name'],
      ['the region has an AZ letter', { awsRegion: 'us-east-1a' }, 'awsRegion "us-east-1a" must be an AWS region code'],
      ['an account id is short', { stagingAccount: '1234', productionAccount: '222222222222' }, 'stagingAccount "1234" must be a 12-digit AWS account id'],
      ['only one account is set', { stagingAccount: '111111111111' }, 'stagingAccount "111111111111" is set but productionAccount is not'],
      ['the OIDC provider ARN is another provider', { githubOidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/example.com' }, 'githubOidcProviderArn "arn:aws:iam::111111111111:oidc-provider/example.com" must be an IAM OIDC provider ARN'],
      ['a compliance framework is unknown', { complianceFrameworks: ['HIPAA'] }, 'complianceFrameworks entry "HIPAA" is not a known compliance framework'],
      ['a switch is not a boolean', { guardDuty: 'no' }, 'guardDuty "no" must be true or false'],
      ['a VPC CIDR is too small for the subnets', { productionVpcCidr: '10.0.0.0/20' }, 'productionVpcCidr "10.0.0.0/20" must have a prefix of /16 to /19'],
      ['a VPC CIDR has host bits', { stagingVpcCidr: '10.0.1.0/16' }, 'stagingVpcCidr "10.0.1.0/16" has host bits set; use the network address "10.0.0.0/16"'],
      ['a VPC CIDR is not one', { stagingVpcCidr: '10.0.0.0' }, 'stagingVpcCidr "10.0.0.0" must be an IPv4 CIDR block'],
      [
        'the backup copy is in the platform\'s region',
        { productionBackupCopyVaultArn: 'arn:aws:backup:us-east-1:222222222222:backup-vault:acme' },
        'productionBackupCopyVaultArn "arn:aws:backup:us-east-1:222222222222:backup-vault:acme" is in the platform\'s own region us-east-1',
      ],
    ];
    test.each(cases)('fails when %s, before any file is written', (_name, overrides, message) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-platform-invalid-'));
      expect(() => new HardenedPlatformProject(platformOptions({ ...overrides, outdir }))).toThrow(message);
      expect(fs.readdirSync(outdir)).toEqual([]);
      fs.rmSync(outdir, { recursive: true, force: true });
    });

    test('fails when several options are wrong, naming each once', () => {
      expect(() => resolvePlatformModel(platformOptions({ platformName: '9', alarmEmail: 'x' }))).toThrow(
        /platformName "9"[\s\S]*alarmEmail "x"/,
      );
    });
  });

  describe('the generated app', () => {
    test('synthesizes both platform stacks with zero open findings, each with its own deploy role', () => {
      // GIVEN the stacks as platform-stacks.ts builds them, from the same model
      const model = resolvePlatformModel(platformOptions({ ...ACCOUNTS }));
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-platform-app-'));
      const app = new App({ outdir, context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
      const { stacks } = buildPlatformStacks(model, app);
      // WHEN
      const { findings, error } = synthFindings(app);
      // THEN
      expect(findings).toEqual([]);
      expect(error).toBeUndefined();
      expect(stacks.map((s) => s.stackName)).toEqual(['acme-staging', 'acme-production']);
      for (const [i, stack] of stacks.entries()) {
        const env = model.environments[i];
        const template = templateJson(app, stack);
        // Both packs ran: their acknowledgements are in the template.
        const packs = new Set([...acknowledgedRules(template).keys()].map((id) => id.split('-')[0]));
        expect(['AwsSolutions', 'HIPAA.Security'].filter((pack) => packs.has(pack))).toEqual(['AwsSolutions', 'HIPAA.Security']);
        const roles = resourcesOfType(template, 'AWS::IAM::Role').filter((r) => r.Properties.RoleName === env.deployRoleName);
        expect(roles).toHaveLength(1);
        const trust = roles[0].Properties.AssumeRolePolicyDocument.Statement[0];
        expect(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(`repo:example-org/acme-platform:environment:${env.environment}`);
        expect(template.Outputs.DeployRoleArn).toBeDefined();
        // Separate accounts: each stack creates its own account's provider and baseline.
        expect(resourcesOfType(template, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
        expect(resourcesOfType(template, 'AWS::GuardDuty::Detector')).toHaveLength(1);
      }
      fs.rmSync(outdir, { recursive: true, force: true });
    });
  });

  test('the workflows are actionlint-clean, pinned, and deploy through OIDC in gated environments', async () => {
    const workflows = workflowsOf(synthPlatform());
    expect(await actionlint(workflows)).toEqual([]);
    const staging = workflows.doc['deploy-staging.yml'];
    const production = workflows.doc['deploy-production.yml'];
    expect(Object.keys(staging.on)).toEqual(['push']);
    expect(staging.jobs.test.uses).toBe('./.github/workflows/test.yml');
    expect(staging.jobs.deploy.needs).toBe('test');
    expect(Object.keys(production.on)).toEqual(['workflow_dispatch']);
    expect(Object.keys(workflows.doc['test.yml'].on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    for (const [doc, environment] of [[staging, 'staging'], [production, 'production']] as const) {
      const deploy = doc.jobs.deploy;
      expect(deploy.environment.name).toBe(environment);
      expect(deploy.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'actions': 'read' });
      expect(deploy.env.STACK).toBe(`acme-${environment}`);
      expect(deploy.steps.map((s: any) => s.uses).filter(Boolean).join()).toContain('aws-actions/configure-aws-credentials@');
      expect(deploy.steps.map((s: any) => s.run ?? '').join()).toContain('npx cdk deploy "$STACK"');
    }
    for (const [name, text] of Object.entries(workflows.text)) {
      for (const ref of text.match(/uses: \S+/g) ?? []) {
        const value = ref.slice('uses: '.length);
        expect([name, value.startsWith('./') || /@[0-9a-f]{40}$/.test(value)]).toEqual([name, true]);
      }
      expect(YAMLPermissions(workflows.doc[name])).toEqual({ contents: 'read' });
    }
  });
});

describe('deploy-production.yml of the platform repo', () => {
  const production = workflowsOf(synthPlatform()).doc['deploy-production.yml'];
  const steps: any[] = production.jobs.deploy.steps;
  const check = steps.find((s) => String(s.name).startsWith('Check that staging deployed'));
  // A stand-in for the GitHub CLI: answers the two API calls the check makes.
  const run = (commit: string, stagingRuns: number, compare: string) => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-gh-'));
    fs.writeFileSync(
      path.join(bin, 'gh'),
      `#!/bin/sh\ncase "$2" in *actions/workflows/deploy-staging.yml/runs*) echo ${stagingRuns};; *compare/main...*) echo ${compare};; *) exit 9;; esac\n`,
      { mode: 0o755 },
    );
    const result = spawnSync('bash', ['-c', check.run], {
      env: { PATH: `${bin}:${process.env.PATH}`, COMMIT: commit, GITHUB_REPOSITORY: 'example-org/acme-platform' },
      encoding: 'utf8',
    });
    fs.rmSync(bin, { recursive: true, force: true });
    return { status: result.status, out: result.stdout + result.stderr };
  };
  const sha = 'a'.repeat(40);

  test('asks for the commit and deploys exactly that commit, after the check', () => {
    expect(production.on.workflow_dispatch.inputs.commit.required).toBe(true);
    const checkout = steps.findIndex((s) => s.name === 'Check out');
    expect(steps[checkout].with.ref).toBe('${{ inputs.commit }}');
    expect(steps.indexOf(check)).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf(check)).toBeLessThan(checkout);
  });

  test.each([
    ['a short SHA', sha.slice(0, 12), 1, 'behind', 'must be the full 40-character SHA'],
    ['a commit staging never deployed', sha, 0, 'behind', 'deploy-staging.yml has no successful run for'],
    ['a commit that is not on main', sha, 1, 'diverged', 'is not on main (compare status: diverged)'],
  ])('refuses %s', (_name, commit, runs, compare, message) => {
    const r = run(commit, runs, compare);
    expect(r.status).toBe(1);
    expect(r.out).toContain(message);
  });

  test('accepts a commit of main that staging deployed', () => {
    expect(run(sha, 1, 'behind').status).toBe(0);
    expect(run(sha, 2, 'identical').status).toBe(0);
  });
});

function YAMLPermissions(doc: any): unknown {
  return doc.permissions;
}
