import { CfnOutput, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiService } from './api-service';
import { AuditTrail } from './audit-trail';
import { ComplianceChecks } from './compliance-checks';
import { CostBudget } from './cost-budget';
import { GithubDeployRole } from './github-deploy-role';
import { githubOidcProviderToImport } from './private/account-singletons';
import { acknowledgeCustomResourceProviders, COMPLIANCE_FRAMEWORKS_CONTEXT } from './private/acknowledgements';
import { addPlatformBackupCopy } from './private/backup-copy';
import { newDataKey, newLogsKey } from './private/encryption-keys';
import { applyFirstDeployPhase } from './private/first-deploy-phase';
import { allowGuardDutyAgent } from './private/guardduty-agent';
import { serviceAliasRecord, serviceCertificate } from './private/service-domain';
import { validateStackProps } from './private/stack-validation';
import { RotationRedeploy } from './rotation-redeploy';
import { ServiceApiKeys } from './service-api-keys';
import { ServiceCache } from './service-cache';
import { ServiceDatabase } from './service-database';
import { ServiceFirewall } from './service-firewall';
import { ServiceImageRepository } from './service-image-repository';
import { ServiceMonitoring } from './service-monitoring';
import { ServiceNetwork } from './service-network';
import { ServicePlatform, ServicePlatformConfig } from './service-platform';
import { AuthenticationMode } from '../core/authentication';
import { resolveComplianceFrameworks } from '../core/compliance-frameworks';
import { API_KEYS_SECRET_VARIABLE, CACHE_SECRET_VARIABLE, containerEnvironment, DATABASE_SECRET_FIELDS } from '../core/container-environment';
import { COST_ALLOCATION_TAG_KEY } from '../core/defaults';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { DEPLOYMENT_ALARM_IDS } from '../core/deployment-strategy';
import { ENVIRONMENT_PRESETS } from '../core/presets';
import { HardenedServiceOptions } from '../core/service-options';
import { ResolvedSettings, resolveSettings } from '../core/settings';
import { assertValid } from '../core/validation';

/** Resource types that do not get the cost-allocation tag (see the constructor). */
const UNTAGGED_RESOURCE_TYPES = [
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Dashboard',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
];

/** Properties of `HardenedServiceStack`. */
export interface HardenedServiceStackProps extends StackProps, HardenedServiceOptions {
  /** The environment, which selects availability, cost and retention presets. */
  readonly environment: DeploymentEnvironment;

  /**
   * Image tag to run from the stack's own ECR repository.
   * @default - the tag stored in the SSM parameter `/<serviceName>/<environment>/image-tag`,
   * which the `hardened-service` deploy tool updates on every deploy, so that `cdk deploy`
   * keeps the image the tool rolled out
   */
  readonly imageTag?: string;

  /**
   * Any container image, instead of a tag in the stack's ECR repository (for example
   * `ecs.ContainerImage.fromAsset(...)`). Takes precedence over `imageTag`.
   * @default - see `imageTag`
   */
  readonly image?: ecs.ContainerImage;

  /**
   * Register the cdk-nag packs of `complianceFrameworks` (by default AwsSolutions and
   * HIPAA.Security) on the app, so that synthesis fails on any finding that is not acknowledged.
   * @default true
   */
  readonly complianceChecks?: boolean;

  /**
   * The platform to join (`ServicePlatform.fromParameters` or `ServicePlatform.fromStack`):
   * the stack then creates no VPC, NAT gateway, endpoints, cluster, OIDC provider or trail;
   * its tasks, database and cache go in the platform's subnets with their own security
   * groups, and its database backups in the platform's vault.
   * @default - standalone: the stack creates its own network, cluster, OIDC provider and trail
   */
  readonly platform?: ServicePlatform;
}

/**
 * One environment of a hardened service: network, image repository, database, cache, the
 * Fargate service behind an ALB with WAF, monitoring, audit trail, GitHub deploy roles and
 * a cost budget, checked by cdk-nag's AwsSolutions and HIPAA.Security packs.
 *
 * @example
 * new HardenedServiceStack(app, 'hedis-optimizer-production', {
 *   serviceName: 'hedis-optimizer',
 *   environment: DeploymentEnvironment.PRODUCTION,
 *   certificateArn,
 *   alarmEmail: 'oncall@example.com',
 *   githubRepository: 'example-org/hedis-optimizer',
 *   env: { account, region },
 * });
 */
export class HardenedServiceStack extends Stack {
  /** Key for data at rest: database, secrets, cache, images, alarm topic. */
  public readonly dataKey: kms.Key;
  /** Key for CloudWatch log groups. */
  public readonly logsKey: kms.Key;
  /** VPC, flow logs and endpoints, unless the stack joins a platform. */
  public readonly network?: ServiceNetwork;
  /** The VPC the service runs in (its own, or the platform's). */
  public readonly vpc: ec2.IVpc;
  /** What the stack imported from the platform it joins. */
  public readonly platform?: ServicePlatformConfig;
  /** The `platformName` of the platform the stack joins (undefined for a standalone stack). */
  public readonly platformName?: string;
  /** ECR repository of the service's images. */
  public readonly imageRepository: ServiceImageRepository;
  /** The PostgreSQL database, unless `database` is false. */
  public readonly database?: ServiceDatabase;
  /** The Redis cache, unless `cache` is false. */
  public readonly cache?: ServiceCache;
  /** The API keys' digests, when `authentication` uses API keys. */
  public readonly apiKeys?: ServiceApiKeys;
  /** Cluster, service, load balancer. */
  public readonly api: ApiService;
  /** Web ACL on the load balancer, unless the stack joins a platform (whose web ACL it uses). */
  public readonly firewall?: ServiceFirewall;
  /** ARN of the web ACL on the load balancer: the stack's own, or the platform's. */
  public readonly webAclArn: string;
  /** Alarms, queries, dashboards, alarm topic. */
  public readonly monitoring: ServiceMonitoring;
  /**
   * CloudTrail, unless the stack joins a platform (whose account baseline holds the trail) or
   * `createAuditTrail` is false (another stack of the account has it).
   */
  public readonly auditTrail?: AuditTrail;
  /** GitHub OIDC provider and roles. */
  public readonly deployRole: GithubDeployRole;
  /** Monthly budget. */
  public readonly budget: CostBudget;
  /** The HTTPS listener's certificate. */
  public readonly certificate: acm.ICertificate;
  /** The compliance frameworks whose packs check the stack and whose rule ids it acknowledges. */
  public readonly complianceFrameworks: string[];
  /** Starts a new deployment of the service when the database secret rotates (with a database only). */
  public readonly rotationRedeploy?: RotationRedeploy;

  constructor(scope: Construct, id: string, props: HardenedServiceStackProps) {
    // Validate before anything is created, and report every problem at once.
    assertValid(validateStackProps(props), `HardenedServiceStack "${id}" props`);
    const s = resolveSettings(props, props.environment, props.platform?.platformName);
    super(scope, id, {
      ...props,
      description: props.description ?? `${s.serviceName} (${s.environment}): hardened ECS Fargate service (hardened-service-kit)`,
      terminationProtection: props.terminationProtection ?? s.isProduction,
    });
    // Before any construct: acknowledgements read the selection from the stack's context.
    this.complianceFrameworks = resolveComplianceFrameworks(props.complianceFrameworks);
    this.node.setContext(COMPLIANCE_FRAMEWORKS_CONTEXT, this.complianceFrameworks);
    if (props.complianceChecks ?? true) ComplianceChecks.enable(this, { frameworks: this.complianceFrameworks });
    // Every resource (and, through the service, every task) carries the stack's cost scope;
    // not the types that cost nothing and whose Tags property CloudFormation schemas disagree
    // on (cfn-lint's rejects it; the tests run cfn-lint on every template).
    Tags.of(this).add(COST_ALLOCATION_TAG_KEY, s.names.prefix, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });

    this.dataKey = newDataKey(this, 'DataKey', `Data at rest of ${s.names.prefix}`);
    this.logsKey = newLogsKey(this, 'LogsKey', `Logs of ${s.names.prefix}`);

    // Settings resolve once, here; every construct gets the resolved values, so what the stack
    // builds is what the settings (and the docs and the cost model that read them) say.
    this.platform = props.platform?.bind(this, { isolatedSubnets: s.database || s.cache });
    this.platformName = props.platform?.platformName;
    if (!this.platform) {
      this.network = new ServiceNetwork(this, 'Network', {
        environment: s.environment,
        maxAzs: s.maxAzs,
        natGatewayPerAz: s.natGateways === 'per-az',
        flowLogRetentionDays: s.logRetentionDays,
        logsKey: this.logsKey,
      });
    }
    const vpc = this.platform?.vpc ?? this.network!.vpc;
    this.vpc = vpc;
    this.imageRepository = new ServiceImageRepository(this, 'Images', {
      repositoryName: s.names.repositoryName,
      encryptionKey: this.dataKey,
    });

    if (s.database) {
      this.database = new ServiceDatabase(this, 'Database', {
        vpc,
        environment: s.environment,
        instanceIdentifier: s.names.prefix,
        instanceClass: s.databaseInstanceClass,
        allocatedStorageGiB: s.databaseAllocatedStorageGiB,
        maxAllocatedStorageGiB: s.databaseMaxAllocatedStorageGiB,
        multiAz: s.multiAz,
        deletionProtection: s.deletionProtection,
        backupRetentionDays: s.databaseBackupRetentionDays,
        awsBackupRetentionDays: s.awsBackupRetentionDays,
        logRetentionDays: s.logRetentionDays,
        encryptionKey: this.dataKey,
        logsKey: this.logsKey,
        secretsManagerEndpoint: this.network?.secretsManagerEndpoint,
        backupVault: this.platform?.backupVault,
      });
    }
    if (s.cache) {
      this.cache = new ServiceCache(this, 'Cache', {
        vpc,
        environment: s.environment,
        replicationGroupId: s.names.prefix,
        nodeType: s.cacheNodeType,
        replicas: s.cacheReplicas,
        snapshotRetentionDays: s.cacheSnapshotRetentionDays,
        logRetentionDays: s.logRetentionDays,
        deletionProtection: s.deletionProtection,
        encryptionKey: this.dataKey,
        logsKey: this.logsKey,
      });
    }

    if (AuthenticationMode.usesApiKeys(s.authentication)) {
      this.apiKeys = new ServiceApiKeys(this, 'ApiKeys', { secretName: s.names.apiKeysSecretName, deletionProtection: s.deletionProtection, encryptionKey: this.dataKey });
    }

    this.certificate = serviceCertificate(this, s);
    this.api = new ApiService(this, 'Api', {
      vpc,
      environment: s.environment,
      image: props.image ?? this.imageFromRepository(s, props.imageTag),
      certificate: this.certificate,
      clusterName: s.names.clusterName,
      cluster: this.platform?.cluster,
      serviceName: s.names.serviceName,
      containerName: s.names.containerName,
      taskFamily: s.names.taskFamily,
      loadBalancerName: s.names.loadBalancerName,
      targetGroupName: s.names.targetGroupName,
      logGroupName: s.names.appLogGroup,
      logsKey: this.logsKey,
      containerPort: s.containerPort,
      healthCheckPath: s.healthCheckPath,
      cpu: s.cpu,
      memoryLimitMiB: s.memoryLimitMiB,
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
      fargateSpot: s.fargateSpot,
      deletionProtection: s.deletionProtection,
      logRetentionDays: s.logRetentionDays,
      scaleToZeroOutsideWorkingHours: s.scaleToZeroOutsideWorkingHours,
      targetRequestsPerTask: s.targetRequestsPerTask,
      // Tuning values a strategy does not read are 0 and ignored by ApiService.
      deploymentStrategy: s.deployment.strategy,
      canaryPercent: s.deployment.canaryPercent,
      canaryBakeMinutes: s.deployment.canaryBakeMinutes,
      linearStepPercent: s.deployment.linearStepPercent,
      linearStepMinutes: s.deployment.linearStepMinutes,
      bakeTimeMinutes: s.deployment.bakeTimeMinutes,
      alternateTargetGroupName: s.names.alternateTargetGroupName,
      environmentVariables: containerEnvironment(s, this.cache?.primaryEndpoint ?? ''),
      secrets: this.containerSecrets(),
    });
    applyFirstDeployPhase(this, this.api.service, this.api.scaling);
    // The platform's GuardDuty adds its runtime agent to every task; the tasks must pull it.
    if (this.platform) allowGuardDutyAgent(this.api.taskDefinition.obtainExecutionRole());
    if (this.platform && this.database) {
      addPlatformBackupCopy(this.database.backupPlan, this.platform.backupCopyVaultArn, ENVIRONMENT_PRESETS[s.environment].awsBackupRetentionDays);
    }
    const tasks = this.api.serviceSecurityGroup;
    if (this.database) {
      this.database.securityGroup.addIngressRule(tasks, ec2.Port.tcp(this.database.port), 'PostgreSQL from the service');
    }
    if (this.cache) {
      this.cache.securityGroup.addIngressRule(tasks, ec2.Port.tcp(this.cache.port), 'Redis from the service');
    }
    serviceAliasRecord(this, s, this.api.loadBalancer);

    if (this.platform) {
      // The platform's web ACL (one per platform and environment) guards every joined service.
      this.webAclArn = this.platform.webAclArn;
      new wafv2.CfnWebACLAssociation(this, 'PlatformWebAclAssociation', {
        resourceArn: this.api.loadBalancer.loadBalancerArn,
        webAclArn: this.webAclArn,
      });
    } else {
      this.firewall = new ServiceFirewall(this, 'Firewall', {
        webAclName: s.names.webAclName,
        loadBalancerArn: this.api.loadBalancer.loadBalancerArn,
        logsKey: this.logsKey,
        logRetentionDays: s.logRetentionDays,
      });
      this.webAclArn = this.firewall.webAcl.attrArn;
    }
    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      serviceOptions: props,
      environment: s.environment,
      apiService: this.api,
      database: this.database,
      cache: this.cache,
    });
    this.enableDeploymentAlarms();
    if (this.database) {
      this.rotationRedeploy = new RotationRedeploy(this, 'RotationRedeploy', {
        secret: this.database.secret,
        stateMachineName: s.names.rotationRedeployName,
        service: this.api.service,
        cluster: this.api.cluster,
        logsKey: this.logsKey,
        logRetentionDays: s.logRetentionDays,
        retainLogs: s.deletionProtection,
      });
    }
    // An account needs one trail (a second bills management events again): a platform's account
    // baseline has it, or, with createAuditTrail false, another stack of the account.
    if (!this.platform && (props.createAuditTrail ?? true)) this.auditTrail = new AuditTrail(this, 'Audit', { trailName: s.names.trailName });
    this.deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      githubRepository: s.githubRepository,
      environment: s.environment,
      roleName: s.names.deployRoleName,
      repository: this.imageRepository.repository,
      service: this.api.service,
      taskDefinition: this.api.taskDefinition,
      imageTagParameterName: s.names.imageTagParameter,
      logGroup: this.api.logGroup,
      oidcProviderArn: this.platform?.githubOidcProviderArn ?? githubOidcProviderToImport(this, props),
      costAllocationTag: { key: COST_ALLOCATION_TAG_KEY, value: s.names.prefix },
    });
    this.budget = new CostBudget(this, 'Budget', {
      budgetName: s.names.budgetName,
      monthlyLimitUsd: s.monthlyBudgetUsd,
      topic: this.monitoring.alarmTopic,
      costAllocationTag: `${COST_ALLOCATION_TAG_KEY}=${s.names.prefix}`,
    });
    acknowledgeCustomResourceProviders(this);
    this.createOutputs(s);
  }

  /**
   * The 5xx-rate, p95-latency and unhealthy-host alarms are the service's deployment alarms:
   * one in alarm during a deployment or its bake rolls the deployment back.
   */
  private enableDeploymentAlarms(): void {
    const alarms = DEPLOYMENT_ALARM_IDS.map((id) => this.monitoring.alarms[id]);
    this.api.service.enableDeploymentAlarms(
      alarms.map((alarm) => alarm.alarmName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
    // ECS looks the alarms up when the deployment configuration is set.
    this.api.service.node.addDependency(...alarms);
  }

  private imageFromRepository(s: ResolvedSettings, tag?: string): ecs.ContainerImage {
    // The deploy tool writes the tag it rolled out to this parameter, and every `cdk deploy`
    // reads it back, so a stack update never reverts a deploy.
    const deployedTag = tag ?? ssm.StringParameter.valueForStringParameter(this, s.names.imageTagParameter);
    return ecs.ContainerImage.fromEcrRepository(this.imageRepository.repository, deployedTag);
  }

  private containerSecrets(): { [name: string]: ecs.Secret } {
    const secrets: { [name: string]: ecs.Secret } = {};
    if (this.database) {
      for (const [name, field] of Object.entries(DATABASE_SECRET_FIELDS)) {
        secrets[name] = ecs.Secret.fromSecretsManager(this.database.secret, field);
      }
    }
    if (this.cache) {
      secrets[CACHE_SECRET_VARIABLE] = ecs.Secret.fromSecretsManager(this.cache.authToken);
    }
    if (this.apiKeys) {
      secrets[API_KEYS_SECRET_VARIABLE] = ecs.Secret.fromSecretsManager(this.apiKeys.secret);
    }
    return secrets;
  }

  private createOutputs(s: ResolvedSettings): void {
    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ServiceUrl', `https://${s.domainName ?? this.api.loadBalancer.loadBalancerDnsName}`, 'URL of the service');
    out('LoadBalancerDnsName', this.api.loadBalancer.loadBalancerDnsName, 'DNS name of the load balancer');
    out('ClusterName', this.api.cluster.clusterName, 'ECS cluster');
    out('ServiceName', this.api.service.serviceName, 'ECS service');
    out('RepositoryUri', this.imageRepository.repository.repositoryUri, 'ECR repository');
    out('ImageTagParameter', s.names.imageTagParameter, 'SSM parameter holding the deployed image tag');
    out('DeployRoleArn', this.deployRole.role.roleArn, 'Role for deploy workflows (GitHub environment)');
    out('PublishRoleArn', this.deployRole.publishRole.roleArn, 'Role for the image build workflow');
    out('AlarmTopicArn', this.monitoring.alarmTopic.topicArn, 'SNS topic of alarms and budget alerts');
    out('AppLogGroup', this.api.logGroup.logGroupName, 'Application log group');
    if (this.database) out('DatabaseSecretArn', this.database.secret.secretArn, 'Database credentials');
    if (this.apiKeys) out('ApiKeysSecretArn', this.apiKeys.secret.secretArn, 'Digests of the API keys (see the rotation runbook)');
  }
}
