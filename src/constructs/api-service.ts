import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newLogsKey } from './private/encryption-keys';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { retentionDays } from './private/log-retention';
import { addTrafficShifting, deploymentProps, targetHealthCheck } from './private/traffic-shifting';
import { FARGATE_SPOT_STRATEGY, SERVICE_DEFAULTS, TASK_PLATFORM } from '../core/defaults';
import { DeploymentOptions, DeploymentStrategyName, resolveDeploymentSettings, TARGET_HEALTH } from '../core/deployment-strategy';
import { ALB_ACCESS_LOG_PREFIX, CONTAINER_NAME } from '../core/names';
import { ENVIRONMENT_PRESETS } from '../core/presets';

/** Properties of `ApiService`; the deployment options default per `environment`. */
export interface ApiServiceProps extends DeploymentOptions {
  /** VPC: the load balancer goes in its public subnets, tasks in its private subnets. */
  readonly vpc: ec2.IVpc;
  /**
   * Environment: the container's `APP_ENV`, and whose presets give the defaults of capacity,
   * Fargate Spot, deletion protection and log retention.
   */
  readonly environment: DeploymentEnvironment;
  /** Container image to run. */
  readonly image: ecs.ContainerImage;
  /** Certificate of the HTTPS listener. */
  readonly certificate: acm.ICertificate;
  /** Name of the ECS cluster. */
  readonly clusterName: string;
  /**
   * An existing cluster to run in (a platform's); `clusterName` is then not used.
   * @default - a new cluster named `clusterName`, with Container Insights and Fargate capacity providers
   */
  readonly cluster?: ecs.ICluster;
  /** Name of the ECS service. */
  readonly serviceName: string;
  /** Name of the load balancer (at most 32 characters). */
  readonly loadBalancerName: string;
  /** Name of the target group (at most 32 characters). */
  readonly targetGroupName: string;
  /** Name of the application's log group. */
  readonly logGroupName: string;
  /**
   * Family of the task definition.
   * @default - `<clusterName>-<serviceName>`
   */
  readonly taskFamily?: string;
  /**
   * Name of the container in the task definition.
   * @default "app"
   */
  readonly containerName?: string;
  /**
   * Port the container listens on.
   * @default 8000
   */
  readonly containerPort?: number;
  /**
   * Health path checked by the target group.
   * @default "/health"
   */
  readonly healthCheckPath?: string;
  /**
   * Task CPU units.
   * @default 512
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;
  /**
   * Fewest tasks.
   * @default - staging 1, production 2
   */
  readonly minCapacity?: number;
  /**
   * Most tasks.
   * @default - staging 2, production 10
   */
  readonly maxCapacity?: number;
  /**
   * Spread tasks over FARGATE and FARGATE_SPOT (the first task on FARGATE, the rest 1:3).
   * @default - staging true, production false
   */
  readonly fargateSpot?: boolean;
  /**
   * Deletion protection of the load balancer; with it, the application log group is retained
   * when removed from the stack.
   * @default - staging false, production true
   */
  readonly deletionProtection?: boolean;
  /**
   * Days to keep the application logs and the load balancer's access logs.
   * @default - staging 90, production 365
   */
  readonly logRetentionDays?: number;
  /**
   * Non-secret configuration passed to the container.
   * @default - PORT, APP_ENV and LOG_LEVEL only
   */
  readonly environmentVariables?: { [name: string]: string };
  /**
   * Secrets injected into the container from Secrets Manager.
   * @default - none
   */
  readonly secrets?: { [name: string]: ecs.Secret };
  /**
   * Staging only: no tasks outside 07:00-19:00 UTC on weekdays.
   * @default false
   */
  readonly scaleToZeroOutsideWorkingHours?: boolean;
  /**
   * KMS key for the application log group.
   * @default - a new key with rotation
   */
  readonly logsKey?: kms.IKey;
  /**
   * Average CPU utilisation the service scales to.
   * @default 60
   */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * Requests per task per minute the service scales to (at most half of what one task serves
   * with p95 under the latency target, as the kit's container check measures it).
   * @default 6000
   */
  readonly targetRequestsPerTask?: number;
  /**
   * Name of the alternate target group of the traffic-shifting strategies (at most 32 characters).
   * @default - generated by CloudFormation
   */
  readonly alternateTargetGroupName?: string;
}

/**
 * An ECS cluster with Container Insights and a Fargate service behind an internet-facing
 * ALB: HTTPS only (HTTP redirects), a modern TLS policy, invalid headers dropped, access
 * logs, deletion protection in production; the deployment strategy of `deploymentStrategy`
 * (rolling with the circuit breaker, or canary, linear or blue/green with a second target
 * group, the listener rules ECS shifts, a test listener open to the VPC only and ECS's scoped
 * load balancer role), a short deregistration delay, health checks on the health path, autoscaling on CPU and
 * requests; non-root containers with a read-only root filesystem and secrets from Secrets
 * Manager; Fargate Spot in staging.
 */
export class ApiService extends Construct {
  /** The ECS cluster (created, or the one passed in). */
  public readonly cluster: ecs.ICluster;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The application load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** HTTPS listener. */
  public readonly httpsListener: elbv2.ApplicationListener;
  /** Port 80 listener that redirects to HTTPS. */
  public readonly httpListener: elbv2.ApplicationListener;
  /** Target group of the service's tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Application log group. */
  public readonly logGroup: logs.LogGroup;
  /** Bucket of the load balancer's access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** Security group of the load balancer. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Security group of the tasks. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;
  /** The task-count scaling target. */
  public readonly scaling: ecs.ScalableTaskCount;
  /** The resolved strategy (one of `DeploymentStrategyName`). */
  public readonly deploymentStrategy: string;
  /** The second target group, which ECS shifts traffic to (canary, linear, blue/green only). */
  public readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** The HTTPS listener's rule whose weights ECS changes (canary, linear, blue/green only). */
  public readonly productionListenerRule?: elbv2.ApplicationListenerRule;
  /** The test listener, reachable from the VPC only (canary, linear, blue/green only). */
  public readonly testListener?: elbv2.ApplicationListener;
  /** The role ECS assumes to change the listener rules (canary, linear, blue/green only). */
  public readonly loadBalancerRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const preset = ENVIRONMENT_PRESETS[props.environment];
    const isProduction = props.environment === DeploymentEnvironment.PRODUCTION;
    const port = props.containerPort ?? SERVICE_DEFAULTS.containerPort;
    const healthPath = props.healthCheckPath ?? SERVICE_DEFAULTS.healthCheckPath;
    const cpu = props.cpu ?? SERVICE_DEFAULTS.cpu;
    const memoryLimitMiB = props.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB;
    const minCapacity = props.minCapacity ?? preset.minCapacity;
    const maxCapacity = props.maxCapacity ?? preset.maxCapacity;
    const fargateSpot = props.fargateSpot ?? preset.fargateSpot;
    const deletionProtection = props.deletionProtection ?? preset.deletionProtection;
    const logRetentionDays = props.logRetentionDays ?? preset.logRetentionDays;
    const containerName = props.containerName ?? CONTAINER_NAME;
    const deployment = resolveDeploymentSettings(props, props.environment);
    const shiftsTraffic = DeploymentStrategyName.shiftsTraffic(deployment.strategy);
    this.deploymentStrategy = deployment.strategy;

    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey ?? newLogsKey(this, 'LogsKey', `Logs of ${props.serviceName}`),
      retention: retentionDays(logRetentionDays),
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.taskFamily ?? `${props.clusterName}-${props.serviceName}`,
      cpu,
      memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.of(TASK_PLATFORM.cpuArchitecture),
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    // The root filesystem is read-only; the app gets a writable scratch volume at /tmp.
    this.taskDefinition.addVolume({ name: 'tmp' });
    this.container = this.taskDefinition.addContainer('App', {
      containerName,
      image: props.image,
      essential: true,
      user: '10001:10001',
      readonlyRootFilesystem: true,
      privileged: false,
      memoryLimitMiB,
      portMappings: [{ containerPort: port, name: 'http', protocol: ecs.Protocol.TCP }],
      environment: {
        PORT: String(port),
        APP_ENV: props.environment,
        LOG_LEVEL: 'info',
        ...props.environmentVariables,
      },
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: containerName }),
      stopTimeout: Duration.seconds(30),
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
    });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    acknowledge(this.taskDefinition, ACK.nonSecretEnvironment);
    const executionRole = this.taskDefinition.obtainExecutionRole();
    acknowledge(executionRole, ACK.inlineGrantPolicy, ACK.ecrAuthToken);

    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: `Load balancer of ${props.serviceName}`,
      allowAllOutbound: false,
    });
    this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    acknowledge(this.loadBalancerSecurityGroup, ACK.albPublicIngress);

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: `Tasks of ${props.serviceName}`,
      allowAllOutbound: true,
    });
    this.serviceSecurityGroup.addIngressRule(
      this.loadBalancerSecurityGroup,
      ec2.Port.tcp(port),
      'Traffic from the load balancer',
    );
    this.loadBalancerSecurityGroup.addEgressRule(this.serviceSecurityGroup, ec2.Port.tcp(port), 'To the tasks');

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(logRetentionDays), noncurrentVersionExpiration: Duration.days(30) }],
    });
    acknowledge(this.accessLogsBucket, ACK.logBucketIsTerminal, ACK.logBucketSseS3, ACK.bucketReplication);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      loadBalancerName: props.loadBalancerName,
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection,
      http2Enabled: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      idleTimeout: Duration.seconds(SERVICE_DEFAULTS.loadBalancerIdleTimeoutSeconds),
    });
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, ALB_ACCESS_LOG_PREFIX);
    if (!deletionProtection) acknowledge(this.loadBalancer, ACK.stagingLoadBalancerDeletable);

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
      open: false,
    });
    this.httpListener = this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    acknowledge(this.httpListener, ACK.httpRedirectListener);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      serviceName: props.serviceName,
      taskDefinition: this.taskDefinition,
      desiredCount: minCapacity,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.serviceSecurityGroup],
      ...deploymentProps(deployment),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(TARGET_HEALTH.healthCheckGracePeriodSeconds),
      enableECSManagedTags: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      capacityProviderStrategies: fargateSpot
        ? [
          { capacityProvider: 'FARGATE', base: FARGATE_SPOT_STRATEGY.onDemandBase, weight: FARGATE_SPOT_STRATEGY.onDemandWeight },
          { capacityProvider: 'FARGATE_SPOT', weight: FARGATE_SPOT_STRATEGY.spotWeight },
        ]
        : [{ capacityProvider: 'FARGATE', weight: 1 }],
    });

    const healthCheck = targetHealthCheck(healthPath);
    this.targetGroup = this.httpsListener.addTargets('App', {
      targetGroupName: props.targetGroupName,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      // The traffic-shifting strategies attach the service with its alternate target below.
      targets: shiftsTraffic ? [] : [this.service.loadBalancerTarget({ containerName, containerPort: port })],
      deregistrationDelay: Duration.seconds(TARGET_HEALTH.deregistrationDelaySeconds),
      healthCheck,
    });
    if (shiftsTraffic) {
      const shifting = addTrafficShifting(this, {
        vpc: props.vpc,
        loadBalancer: this.loadBalancer,
        loadBalancerSecurityGroup: this.loadBalancerSecurityGroup,
        httpsListener: this.httpsListener,
        certificate: props.certificate,
        primaryTargetGroup: this.targetGroup,
        alternateTargetGroupName: props.alternateTargetGroupName,
        port,
        healthCheck,
        service: this.service,
        containerName,
      });
      this.alternateTargetGroup = shifting.alternateTargetGroup;
      this.productionListenerRule = shifting.productionListenerRule;
      this.testListener = shifting.testListener;
      this.loadBalancerRole = shifting.loadBalancerRole;
    }

    this.scaling = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    this.scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.targetCpuUtilizationPercent ?? SERVICE_DEFAULTS.targetCpuUtilizationPercent,
      scaleInCooldown: Duration.seconds(300),
      scaleOutCooldown: Duration.seconds(60),
    });
    this.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.targetRequestsPerTask ?? SERVICE_DEFAULTS.targetRequestsPerTask,
      targetGroup: this.targetGroup,
      scaleInCooldown: Duration.seconds(300),
      scaleOutCooldown: Duration.seconds(60),
    });
    if (props.scaleToZeroOutsideWorkingHours && !isProduction) {
      const hours = SERVICE_DEFAULTS.workingHoursCron;
      this.scaling.scaleOnSchedule('StopOutsideWorkingHours', {
        schedule: appscaling.Schedule.cron({ hour: String(hours.stopHour), minute: '0', weekDay: hours.weekDays }),
        minCapacity: 0,
        maxCapacity: 0,
      });
      this.scaling.scaleOnSchedule('StartWorkingHours', {
        schedule: appscaling.Schedule.cron({ hour: String(hours.startHour), minute: '0', weekDay: hours.weekDays }),
        minCapacity,
        maxCapacity,
      });
    }
  }
}
