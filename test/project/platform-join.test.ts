import { projectOptions, synth } from './helpers';
import { estimateJoinedServiceCost, estimateMonthlyCost } from '../../src/core/cost-model';
import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import { platformParameterNames } from '../../src/core/platform-parameters';
import { usd } from '../../src/project/docs/context/format';
import { resolveServiceModel } from '../../src/project/service-model';

const JOINED = { platform: { name: 'acme' } };

describe('a service that joins a platform', () => {
  const files = synth(JOINED);

  test('renders ServicePlatform.fromParameters for each environment, imported from the kit', () => {
    const app: string = files['infrastructure/service-stacks.ts'];
    expect(app).toContain("import { DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps, ServicePlatform } from 'hardened-service-kit';");
    expect(app).toContain("platform: ServicePlatform.fromParameters({ environment: DeploymentEnvironment.STAGING, platformName: 'acme' }),");
    expect(app).toContain("platform: ServicePlatform.fromParameters({ environment: DeploymentEnvironment.PRODUCTION, platformName: 'acme' }),");
    // A joined stack takes its OIDC provider and trail from the platform: no singleton props.
    expect(app).not.toMatch(/createAuditTrail|createGithubOidcProvider|githubOidcProviderArn/);
  });

  test('a standalone service renders no platform', () => {
    const app: string = synth()['infrastructure/service-stacks.ts'];
    expect(app).not.toContain('ServicePlatform');
    expect(app).not.toContain('platform:');
  });

  test("the deploy scripts, workflows and task definition use the platform's cluster", () => {
    for (const script of ['scripts/aws-deploy.sh', 'scripts/db-migrate.sh']) {
      expect(files[script]).toContain('cluster="acme-staging"');
      expect(files[script]).toContain('cluster="acme-production"');
      expect(files[script]).not.toContain('cluster="hedis-optimizer-');
    }
    expect(files['.github/workflows/deploy-staging.yml']).toContain('CLUSTER: acme-staging');
    expect(files['.github/workflows/deploy-production.yml']).toContain('CLUSTER: acme-production');
    // The service's own names stay the service's: task family, service, stack.
    expect(JSON.stringify(files['infrastructure/aws/ecs-task-definition.json'])).toContain('hedis-optimizer-');
    expect(files['docs/OPERATIONS_RUNBOOK.md']).toContain('./node_modules/.bin/hardened-service status --region us-east-1 --cluster acme-production --service hedis-optimizer');
  });

  test('the cost estimate and the default budget are the joined estimate', () => {
    const model = resolveServiceModel(projectOptions(JOINED));
    const standalone = resolveServiceModel(projectOptions());
    const production = model.production;
    const joined = estimateJoinedServiceCost(production.settings);
    expect(production.costEstimate).toEqual(joined);
    expect(production.settings.monthlyBudgetUsd).toBe(joined.defaultBudgetUsd);
    expect(joined.totalUsd).toBeLessThan(estimateMonthlyCost(standalone.production.settings).totalUsd);
    expect(production.settings.monthlyBudgetUsd).toBeLessThan(standalone.production.settings.monthlyBudgetUsd);
    const architecture: string = files['docs/ARCHITECTURE.md'];
    expect(architecture).toContain(`| Production | ${usd(joined.totalUsd)} | ${joined.defaultBudgetUsd} | the estimate |`);
    expect(architecture).toContain("The platform's NAT gateways: this service's bytes");
  });

  test('an explicit budget stays the one given', () => {
    const model = resolveServiceModel(projectOptions({ ...JOINED, monthlyBudgetUsd: 900 }));
    expect(model.production.settings.monthlyBudgetUsd).toBe(900);
  });

  test("the architecture doc shows the platform's VPC and cluster as the platform's, and the migration", () => {
    const doc: string = files['docs/ARCHITECTURE.md'];
    expect(doc).toContain('subgraph plat["Platform acme, owned by the platform team: stack acme-production"]');
    expect(doc).toContain('pcluster["ECS cluster acme-production"]');
    expect(doc).toContain('subgraph sta_vpc["VPC of platform acme, owned by the platform team"]');
    expect(doc).toContain('sta_vpc_cluster["ECS cluster acme-staging (the platform\'s)"]');
    expect(doc).toContain('| Network and cluster | platform `acme-staging` | platform `acme-production` |');
    // No trail, flow log or subnet of its own.
    expect(doc).not.toMatch(/^\s+trail\["CloudTrail/m);
    expect(doc).not.toContain('"Internet gateway"');
    expect(doc).toContain('## Joining the platform');
    expect(doc).toContain('Upgrading\nthe kit never joins a platform by itself');
    expect(doc).toMatch(/manual snapshot of the database/);
    expect(doc).toMatch(/restore-db-instance-from-db-snapshot/);
  });

  test('the runbook and the DR doc send network incidents to the platform team', () => {
    expect(files['docs/OPERATIONS_RUNBOOK.md']).toMatch(/platform `acme`'s \(`acme-staging` and `acme-production`\): an incident in\nthe VPC[^]*goes to the\nplatform team/);
    expect(files['docs/DISASTER_RECOVERY.md']).toContain("### The platform's network or cluster fails");
    expect(files['docs/DISASTER_RECOVERY.md']).toContain('report the\nincident to the platform team');
  });

  test('the AWS setup guide says the platform comes first and lists the parameters the stacks read', () => {
    const guide: string = files['docs/AWS_SETUP_GUIDE.md'];
    expect(guide).toContain('## The platform first');
    expect(guide).toContain('Deploy the platform of each environment first');
    for (const environment of [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION]) {
      const names = platformParameterNames('acme', environment);
      for (const name of [names.vpcId, names.privateSubnetIds, names.clusterName, names.githubOidcProviderArn, names.backupVaultArn]) {
        expect(guide).toContain(`- \`${name}\``);
      }
      // What only the platform's tooling reads is not listed.
      expect(guide).not.toContain(`- \`${names.githubOrganization}\``);
    }
    expect(guide).toContain("| VPC | none: the platform's (`acme-staging`) | none: the platform's (`acme-production`) |");
    expect(guide).toContain("| CloudTrail | none: the platform's account baseline |");
  });

  test("the checklist, CI/CD guide and setup guide name the platform's trail and OIDC provider, none of the stacks'", () => {
    const checklist: string = files['docs/HIPAA_COMPLIANCE_CHECKLIST.md'];
    expect(checklist).toContain('CloudTrail `acme-account-trail`: multi-region, management events, to CloudWatch Logs and to S3 for 2190 days');
    expect(checklist).not.toContain('undefined');
    expect(files['docs/DISASTER_RECOVERY.md']).not.toMatch(/kept {2}days/);
    expect(files['docs/CI_CD_GUIDE.md']).toContain('The stacks trust the GitHub OIDC provider of platform\n`acme`');
    const guide: string = files['docs/AWS_SETUP_GUIDE.md'];
    expect(guide).toContain("| `platform` | `{ name: 'acme' }` |");
    expect(guide).not.toContain('| `githubOidcProviderArn` |');
    expect(guide).toContain("platform\n`acme`'s account baseline holds both, so neither stack creates them");
  });

  test('a standalone service keeps its own network in the docs', () => {
    const standalone = synth();
    expect(standalone['docs/ARCHITECTURE.md']).not.toContain('platform');
    expect(standalone['docs/AWS_SETUP_GUIDE.md']).not.toContain('## The platform first');
    expect(standalone['docs/OPERATIONS_RUNBOOK.md']).not.toContain('platform team');
    expect(standalone['scripts/aws-deploy.sh']).toContain('cluster="hedis-optimizer-production"');
  });
});

describe('platform option validation', () => {
  test('fails when the platform name is not a valid platformName, naming the option, the value and the fix', () => {
    expect(() => resolveServiceModel(projectOptions({ platform: { name: 'Acme Platform' } }))).toThrow(
      'platform.name "Acme Platform" must be 1-20 lowercase letters, digits or single hyphens, starting with a letter (try "acme-platform"); it is the platformName of the platform\'s HardenedPlatformStack',
    );
  });

  test('fails when platform is not an object with a name, reported with the other option problems', () => {
    let message = '';
    try {
      resolveServiceModel(projectOptions({ platform: 'acme' as never, awsRegion: 'us-east-1a' }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('platform "acme" must be an object with the platform\'s name, such as { name: "acme" }');
    expect(message).toContain('awsRegion "us-east-1a" must be an AWS region code');
  });

  test('fails when githubOidcProviderArn is set with platform', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(() => resolveServiceModel(projectOptions({ ...JOINED, githubOidcProviderArn: arn }))).toThrow(
      `githubOidcProviderArn "${arn}" is set, but platform "acme" publishes the account's GitHub OIDC provider; remove githubOidcProviderArn when platform is set`,
    );
  });
});
