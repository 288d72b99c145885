import { Component, Project } from 'projen';
import { BASELINE_SWITCHES, BaselineSwitch, PlatformModel } from './platform-model';
import { estimatePlatformCost, PlatformCostEstimate } from '../../core/cost-model';
import { DeploymentEnvironment } from '../../core/deployment-environment';
import { platformNames, HIPAA_CONFIG_RULES, securityHubStandards, VAULT_LOCK_PRESETS } from '../../core/platform-baseline';
import { TemplateFile } from '../files/template-file';

/** What each account-baseline switch runs, and what the organisation must confirm when it is off. */
const SWITCHES: Record<BaselineSwitch, { readonly part: string; readonly central: string }> = {
  cloudTrail: {
    part: 'the account\'s multi-region CloudTrail trail (KMS-encrypted, log file validation, delivered to CloudWatch Logs, archived six years)',
    central: 'an organisation trail records every account, with six years of retention',
  },
  guardDuty: {
    part: 'the region\'s GuardDuty detector with ECS Fargate runtime monitoring, S3 data events and RDS login events; high-severity findings go to the alarm topic',
    central: 'the GuardDuty delegated administrator enables the detector and these protections in every member account and region',
  },
  securityHub: {
    part: 'Security Hub with the standards of the selected frameworks',
    central: 'the Security Hub delegated administrator enables these standards in every member account and aggregates findings',
  },
  awsConfig: {
    part: 'the AWS Config recorder, delivery channel and the managed rules of the HIPAA conformance pack that apply to these workloads',
    central: 'Config is recorded centrally (an organisation conformance pack with these rules)',
  },
  accessAnalyzer: {
    part: 'the region\'s IAM Access Analyzer',
    central: 'an organisation analyzer covers the account',
  },
};

/**
 * The platform repository's docs, from the same model as the stacks: `README.md` (written by
 * the parent), `docs/PLATFORM.md` (what the stacks create, the SSM parameters services join
 * with, the delegated-administrator switches, the first deploy), `docs/JOINING.md` (how a
 * service joins) and `docs/ACCOUNT_HIPAA_CHECKLIST.md` (the account-level controls the service
 * checklist hands to the organisation).
 */
export class PlatformDocs extends Component {
  constructor(project: Project, model: PlatformModel) {
    super(project);
    const context = () => platformDocsContext(model);
    for (const doc of ['PLATFORM', 'JOINING', 'ACCOUNT_HIPAA_CHECKLIST']) {
      new TemplateFile(project, `docs/${doc}.md`, { template: `platform/${doc}.md.hbs`, context });
    }
  }
}

/** What the platform's docs and README are rendered from. */
export function platformDocsContext(model: PlatformModel) {
  const code = (value: string | number) => `\`${value}\``;
  return {
    platformName: model.platformName,
    region: model.region,
    alarmEmail: model.alarmEmail,
    githubRepository: model.githubRepository,
    githubOrganization: model.githubOrganization,
    frameworks: model.complianceFrameworks.map(code).join(', '),
    standards: securityHubStandards(model.complianceFrameworks).map(code).join(', '),
    sharedAccount: model.sharedAccount,
    configRules: HIPAA_CONFIG_RULES.map((r) => ({ identifier: r.identifier, covers: r.covers })),
    switches: BASELINE_SWITCHES.map((name) => ({ name, on: model.switches[name], ...SWITCHES[name] })),
    switch: Object.fromEntries(BASELINE_SWITCHES.map((name) => [name, { on: model.switches[name], ...SWITCHES[name] }])),
    allOn: BASELINE_SWITCHES.every((name) => model.switches[name]),
    environments: model.environments.map((e) => {
      const names = platformNames(model.platformName, e.environment);
      const lock = VAULT_LOCK_PRESETS[e.environment];
      return {
        name: e.environment,
        stackName: e.stackName,
        account: e.account ?? 'the account of the credentials that run `cdk deploy`',
        deployRoleName: e.deployRoleName,
        clusterName: names.clusterName,
        backupVaultName: names.backupVaultName,
        alarmTopicName: names.alarmTopicName,
        trailName: names.trailName,
        vaultLock: lock.changeableForDays === undefined
          ? `governance mode, ${lock.minRetentionDays} to ${lock.maxRetentionDays} days`
          : `compliance mode (immutable ${lock.changeableForDays} days after the first deploy), ${lock.minRetentionDays} to ${lock.maxRetentionDays} days`,
        parameters: e.parameters,
        // The first platform of the account holds the baseline: staging, and production too when
        // it has an account of its own.
        cost: platformCostDocs(estimatePlatformCost(e.environment, e.environment === DeploymentEnvironment.STAGING || !model.sharedAccount)),
      };
    }),
  };
}

/** A platform estimate as the docs print it. */
function platformCostDocs(estimate: PlatformCostEstimate) {
  const usd = (value: number) => `$${value.toFixed(2)}`;
  return {
    total: usd(estimate.totalUsd),
    accountBaseline: estimate.accountBaseline,
    lines: estimate.lineItems.map((l) => ({ item: l.item, quantity: l.quantity, unitPrice: l.unitPrice, monthly: usd(l.monthlyUsd) })),
  };
}
