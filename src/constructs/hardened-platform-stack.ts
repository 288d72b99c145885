import { CfnOutput, Fn, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AccountBaseline } from './account-baseline';
import { ComplianceChecks } from './compliance-checks';
import { GITHUB_OIDC_ISSUER } from './github-deploy-role';
import { accountGithubOidcProviderArn, claimSingleton, singletonKey, singletonOwner } from './private/account-singletons';
import { acknowledgeCustomResourceProviders, COMPLIANCE_FRAMEWORKS_CONTEXT } from './private/acknowledgements';
import { newDataKey, newLogsKey } from './private/encryption-keys';
import { PlatformDeployRole } from './private/platform-deploy-role';
import { platformAlarmTopic, platformBackupVault } from './private/platform-resources';
import { ServiceFirewall } from './service-firewall';
import { ServiceNetwork } from './service-network';
import { resolveComplianceFrameworks } from '../core/compliance-frameworks';
import { COST_ALLOCATION_TAG_KEY } from '../core/defaults';
import { DeploymentEnvironment } from '../core/deployment-environment';
import {
  PlatformNames,
  platformNames,
  securityHubStandards,
  VAULT_LOCK_PRESETS,
} from '../core/platform-baseline';
import {
  DEFAULT_PLATFORM_NAME,
  PLATFORM_LIST_SEPARATOR,
  PLATFORM_NO_BACKUP_COPY,
  PlatformParameterNames,
  platformParameterNames,
  platformParameterPrefix,
} from '../core/platform-parameters';
import { validatePlatformOptions } from '../core/platform-validation';
import { ENVIRONMENT_PRESETS } from '../core/presets';
import { assertValid } from '../core/validation';

/** Properties of `HardenedPlatformStack`. */
export interface HardenedPlatformStackProps extends StackProps {
  /** The environment, which selects the network's presets and the backup vault's lock mode. */
  readonly environment: DeploymentEnvironment;

  /** Address that receives the platform's alarms and high-severity GuardDuty findings. */
  readonly alarmEmail: string;

  /**
   * GitHub user or organization whose repositories' workflows deploy to this platform. The
   * OIDC provider is the account's; each service's deploy role trusts only its own repository.
   */
  readonly githubOrganization: string;

  /**
   * ARN of the account's existing GitHub OIDC provider, to import instead of creating one.
   * @default - the first platform stack of the account in this app creates it
   */
  readonly githubOidcProviderArn?: string;

  /**
   * Name of the platform: the parameter prefix `/hardened-platform/<platformName>/<environment>`
   * and the physical names.
   * @default "platform"
   */
  readonly platformName?: string;

  /**
   * Hold the account baseline (trail, GuardDuty, Security Hub, Config, Access Analyzer). A
   * second platform stack of the same account and region in the app never duplicates it.
   * @default - true for the first HardenedPlatformStack of its account and region in the app,
   * false for the others
   */
  readonly accountBaseline?: boolean;

  /**
   * Create the account's multi-region trail. Set false where an organisation trail records
   * the account.
   * @default true
   */
  readonly cloudTrail?: boolean;

  /**
   * Enable the region's GuardDuty detector. Set false where a delegated administrator
   * enables GuardDuty for the organisation.
   * @default true
   */
  readonly guardDuty?: boolean;

  /**
   * Enable Security Hub and the standards of `complianceFrameworks`. Set false where a
   * delegated administrator runs Security Hub.
   * @default true
   */
  readonly securityHub?: boolean;

  /**
   * Record configuration with AWS Config and evaluate the HIPAA conformance pack's rules.
   * Set false where the organisation deploys Config centrally.
   * @default true
   */
  readonly awsConfig?: boolean;

  /**
   * Create the region's IAM Access Analyzer. Set false where an organisation analyzer runs.
   * @default true
   */
  readonly accessAnalyzer?: boolean;

  /**
   * cdk-nag pack names whose Security Hub standards to enable: `AwsSolutions`,
   * `HIPAA.Security`, `NIST.800-53.R5`, `PCI.DSS.321`.
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly complianceFrameworks?: string[];

  /**
   * Register the AwsSolutions and HIPAA.Security cdk-nag packs on the app.
   * @default true
   */
  readonly complianceChecks?: boolean;

  /**
   * ARN of a backup vault in a second region (for example the vault of this platform's stack
   * there) that services' backup plans copy every recovery point to.
   * @default - no copy
   */
  readonly backupCopyVaultArn?: string;

  /**
   * CIDR block of the VPC.
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;

  /**
   * The platform's own repository, as `owner/repo`: the stack then creates the role its deploy
   * workflows assume (`<platformName>-<environment>-deploy`, output `DeployRoleArn`), trusted
   * only by jobs of the GitHub environment named after `environment` in that repository, and
   * allowed only to assume the account's CDK bootstrap roles. The first deploy, which creates
   * the OIDC provider and this role, is run by an administrator.
   * @default - no deploy role: the platform is deployed with an administrator's credentials
   */
  readonly githubRepository?: string;

  /**
   * Qualifier of the CDK bootstrap roles the deploy role may assume.
   * @default "hnb659fds"
   */
  readonly cdkBootstrapQualifier?: string;
}

/**
 * The shared layer of one account, region and environment that hardened services join: the
 * VPC (public, private and isolated subnets, NAT, flow logs, endpoints), the ECS cluster
 * (Container Insights, Fargate capacity providers), the web ACL of the services' load
 * balancers, the account's GitHub OIDC provider, a backup vault with Vault Lock, an alarm
 * topic, and the account baseline (CloudTrail, GuardDuty, Security Hub, AWS Config, IAM Access
 * Analyzer), published as SSM parameters under `/hardened-platform/<platformName>/<environment>/`
 * for `ServicePlatform`.
 *
 * @example
 * new HardenedPlatformStack(app, 'platform-production', {
 *   environment: DeploymentEnvironment.PRODUCTION,
 *   alarmEmail: 'platform@example.com',
 *   githubOrganization: 'example-org',
 *   env: { account, region },
 * });
 */
export class HardenedPlatformStack extends Stack {
  /** The platform's environment (`Stack.environment` is CDK's `aws://account/region`). */
  public readonly deploymentEnvironment: DeploymentEnvironment;
  /** The platform's name. */
  public readonly platformName: string;
  /** The compliance frameworks whose cdk-nag packs gate the stack and whose Security Hub standards it enables. */
  public readonly complianceFrameworks: string[];
  /** Prefix of the platform's SSM parameters. */
  public readonly parameterPrefix: string;
  /** Names of the platform's SSM parameters. */
  public readonly parameterNames: PlatformParameterNames;
  /** Key for data at rest: backup vault, alarm topic, Config delivery. */
  public readonly dataKey: kms.Key;
  /** Key for CloudWatch log groups (flow logs). */
  public readonly logsKey: kms.Key;
  /** VPC, flow logs and endpoints. */
  public readonly network: ServiceNetwork;
  /** The ECS cluster services run in. */
  public readonly cluster: ecs.Cluster;
  /** The web ACL every joined service associates with its load balancer. */
  public readonly firewall: ServiceFirewall;
  /** The account's GitHub OIDC provider (created here, or imported). */
  public readonly githubOidcProviderArn: string;
  /** The OIDC provider, when this stack creates it. */
  public readonly githubOidcProvider?: iam.OidcProviderNative;
  /** The vault services' backup plans write to. */
  public readonly backupVault: backup.BackupVault;
  /** The second-region vault services copy backups to, or `none`. */
  public readonly backupCopyVaultArn: string;
  /** Topic of the platform's alarms and findings. */
  public readonly alarmTopic: sns.Topic;
  /** The account baseline, when this stack holds it. */
  public readonly baseline?: AccountBaseline;
  /** The published parameters, by name. */
  public readonly parameters: ssm.StringParameter[];
  /** The role the platform repository's deploy workflows assume, when `githubRepository` is set. */
  public readonly deployRole?: iam.Role;

  constructor(scope: Construct, id: string, props: HardenedPlatformStackProps) {
    assertValid(validatePlatformOptions(props), `HardenedPlatformStack "${id}" props`);
    const platformName = props.platformName ?? DEFAULT_PLATFORM_NAME;
    const environment = props.environment;
    const names = platformNames(platformName, environment);
    const isProduction = environment === DeploymentEnvironment.PRODUCTION;
    super(scope, id, {
      ...props,
      description: props.description ?? `${platformName} (${environment}): shared hardened platform (hardened-service-kit)`,
      terminationProtection: props.terminationProtection ?? isProduction,
    });
    this.deploymentEnvironment = environment;
    this.platformName = platformName;
    this.parameterPrefix = platformParameterPrefix(platformName, environment);
    this.parameterNames = platformParameterNames(platformName, environment);
    // The packs gate the platform like its services: the acknowledgements record each selected pack's id.
    this.complianceFrameworks = resolveComplianceFrameworks(props.complianceFrameworks);
    this.node.setContext(COMPLIANCE_FRAMEWORKS_CONTEXT, this.complianceFrameworks);
    if (props.complianceChecks ?? true) ComplianceChecks.enable(this, { frameworks: this.complianceFrameworks });
    Tags.of(this).add(COST_ALLOCATION_TAG_KEY, names.prefix);

    this.dataKey = newDataKey(this, 'DataKey', `Data at rest of platform ${names.prefix}`);
    this.logsKey = newLogsKey(this, 'LogsKey', `Logs of platform ${names.prefix}`);
    this.network = new ServiceNetwork(this, 'Network', { environment, logsKey: this.logsKey, cidr: props.vpcCidr });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.network.vpc,
      clusterName: names.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    // One web ACL for the platform: each joined service associates it with its own load
    // balancer (the rate limit then counts a client's requests to all of them).
    this.firewall = new ServiceFirewall(this, 'Firewall', {
      webAclName: names.webAclName,
      logsKey: this.logsKey,
      logRetentionDays: ENVIRONMENT_PRESETS[environment].logRetentionDays,
    });
    this.alarmTopic = platformAlarmTopic(this, this.dataKey, names.alarmTopicName, props.alarmEmail);
    this.backupVault = platformBackupVault(this, this.dataKey, names.backupVaultName, VAULT_LOCK_PRESETS[environment]);
    this.backupCopyVaultArn = props.backupCopyVaultArn ?? PLATFORM_NO_BACKUP_COPY;

    const provider = this.githubProvider(props.githubOidcProviderArn);
    this.githubOidcProvider = provider.created;
    this.githubOidcProviderArn = provider.arn;
    this.baseline = this.createBaseline(props, names);

    this.parameters = this.publishParameters(props.githubOrganization);
    if (props.githubRepository !== undefined) {
      this.deployRole = new PlatformDeployRole(this, 'DeployRole', {
        githubRepository: props.githubRepository,
        environment,
        oidcProviderArn: this.githubOidcProviderArn,
        roleName: `${names.prefix}-deploy`,
        cdkBootstrapQualifier: props.cdkBootstrapQualifier ?? 'hnb659fds',
      }).role;
      new CfnOutput(this, 'DeployRoleArn', { value: this.deployRole.roleArn, description: 'Role of the platform repository\'s deploy workflows (AWS_DEPLOY_ROLE_ARN)' });
    }
    acknowledgeCustomResourceProviders(this);
    new CfnOutput(this, 'ParameterPrefix', { value: this.parameterPrefix, description: 'Prefix of the SSM parameters services join with' });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName, description: 'ECS cluster of the platform' });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId, description: 'VPC of the platform' });
  }

  /** The account's provider: imported, created here (first in the app), or the owner's. */
  private githubProvider(importArn?: string): { arn: string; created?: iam.OidcProviderNative } {
    if (importArn) return { arn: importArn };
    const key = singletonKey(this, 'github-oidc-provider', false);
    const owner = singletonOwner(this, key);
    if (owner) {
      // IAM names the provider after its URL, so its ARN is known; deploy the owner first.
      this.addStackDependency(owner, "the account's GitHub OIDC provider and trail");
      return { arn: accountGithubOidcProviderArn(this) };
    }
    claimSingleton(this, key);
    const created = new iam.OidcProviderNative(this, 'GithubOidcProvider', {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIds: ['sts.amazonaws.com'],
    });
    return { arn: created.oidcProviderArn, created };
  }

  private createBaseline(props: HardenedPlatformStackProps, names: PlatformNames): AccountBaseline | undefined {
    const regionalKey = singletonKey(this, 'account-baseline', true);
    const accountKey = singletonKey(this, 'account-trail', false);
    const regionalOwner = singletonOwner(this, regionalKey);
    if (props.accountBaseline === true && regionalOwner) {
      throw new Error(
        `HardenedPlatformStack "${this.node.id}" props: accountBaseline is true, but stack "${regionalOwner.node.id}" already holds the account baseline of this account and region (GuardDuty, Security Hub, Config and Access Analyzer exist once per region); remove accountBaseline or set it to false`,
      );
    }
    if (!(props.accountBaseline ?? !regionalOwner)) return undefined;
    claimSingleton(this, regionalKey);
    // The trail is multi-region: one per account, held by the account's first baseline.
    const ownsTrail = !singletonOwner(this, accountKey);
    if (ownsTrail) claimSingleton(this, accountKey);
    return new AccountBaseline(this, 'AccountBaseline', {
      trailName: ownsTrail && (props.cloudTrail ?? true) ? names.trailName : undefined,
      guardDuty: props.guardDuty ?? true,
      securityHubStandards: props.securityHub ?? true ? securityHubStandards(this.complianceFrameworks) : undefined,
      awsConfig: props.awsConfig ?? true,
      recordGlobalResources: ownsTrail,
      accessAnalyzerName: props.accessAnalyzer ?? true ? names.accessAnalyzerName : undefined,
      findingsTopic: this.alarmTopic,
      encryptionKey: this.dataKey,
    });
  }

  private publishParameters(githubOrganization: string): ssm.StringParameter[] {
    const vpc = this.network.vpc;
    const list = (ids: string[]) => Fn.join(PLATFORM_LIST_SEPARATOR, ids);
    const values: Record<keyof PlatformParameterNames, string> = {
      vpcId: vpc.vpcId,
      vpcCidr: vpc.vpcCidrBlock,
      availabilityZones: vpc.availabilityZones.join(PLATFORM_LIST_SEPARATOR),
      publicSubnetIds: list(vpc.publicSubnets.map((s) => s.subnetId)),
      privateSubnetIds: list(vpc.privateSubnets.map((s) => s.subnetId)),
      isolatedSubnetIds: list(vpc.isolatedSubnets.map((s) => s.subnetId)),
      publicRouteTableIds: list(vpc.publicSubnets.map((s) => s.routeTable.routeTableId)),
      privateRouteTableIds: list(vpc.privateSubnets.map((s) => s.routeTable.routeTableId)),
      isolatedRouteTableIds: list(vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId)),
      clusterName: this.cluster.clusterName,
      clusterArn: this.cluster.clusterArn,
      githubOidcProviderArn: this.githubOidcProviderArn,
      githubOrganization,
      backupVaultName: this.backupVault.backupVaultName,
      backupVaultArn: this.backupVault.backupVaultArn,
      backupCopyVaultArn: this.backupCopyVaultArn,
      alarmTopicArn: this.alarmTopic.topicArn,
      dataKeyArn: this.dataKey.keyArn,
      webAclArn: this.firewall.webAcl.attrArn,
    };
    return (Object.keys(values) as (keyof PlatformParameterNames)[]).map(
      (key) =>
        new ssm.StringParameter(this, `Parameter-${key}`, {
          parameterName: this.parameterNames[key],
          stringValue: values[key],
          description: `hardened-platform ${this.platformName} (${this.deploymentEnvironment}): ${key}`,
          tier: ssm.ParameterTier.STANDARD,
        }),
    );
  }
}
