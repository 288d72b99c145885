import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newDataKey, newLogsKey } from './private/encryption-keys';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { retentionDays } from './private/log-retention';
import { SERVICE_DEFAULTS } from '../core/defaults';
import { ENVIRONMENT_PRESETS } from '../core/presets';

/** Properties of `ServiceCache`. */
export interface ServiceCacheProps {
  /** VPC whose isolated subnets hold the cache. */
  readonly vpc: ec2.IVpc;

  /** Environment, whose presets give the defaults of the node type, replicas and retention. */
  readonly environment: DeploymentEnvironment;

  /** Name of the replication group (at most 40 characters). */
  readonly replicationGroupId: string;

  /**
   * Node type.
   * @default - staging `cache.t3.micro`, production `cache.t3.small`
   */
  readonly nodeType?: string;

  /**
   * Read replicas besides the primary; with one or more, automatic failover across AZs is on.
   * @default - staging 0, production 1
   */
  readonly replicas?: number;

  /**
   * Days to keep daily snapshots.
   * @default - staging 15, production 35
   */
  readonly snapshotRetentionDays?: number;

  /**
   * Days to keep the slow log.
   * @default - staging 90, production 365
   */
  readonly logRetentionDays?: number;

  /**
   * Keep the data when the cache leaves the stack or is replaced: a final snapshot of the
   * replication group, and the AUTH token secret retained.
   * @default - staging false, production true
   */
  readonly deletionProtection?: boolean;

  /**
   * KMS key for data at rest and the AUTH token secret.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * KMS key for the slow-log group.
   * @default - a new key with rotation
   */
  readonly logsKey?: kms.IKey;
}

/**
 * ElastiCache Redis replication group in isolated subnets with TLS in transit, KMS
 * encryption at rest, an AUTH token kept in Secrets Manager, daily snapshots kept at least
 * 15 days, slow logs in CloudWatch, and in production a replica in a second AZ with
 * automatic failover.
 */
export class ServiceCache extends Construct {
  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Security group of the cache nodes. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Secret holding the AUTH token (a plain string). */
  public readonly authToken: secretsmanager.Secret;
  /** Subnet group of the isolated subnets. */
  public readonly subnetGroup: elasticache.CfnSubnetGroup;
  /** Slow-log group. */
  public readonly slowLogGroup: logs.LogGroup;
  /** Port the cache listens on. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: ServiceCacheProps) {
    super(scope, id);
    const preset = ENVIRONMENT_PRESETS[props.environment];
    const nodeType = props.nodeType ?? preset.cacheNodeType;
    const replicas = props.replicas ?? preset.cacheReplicas;
    const snapshotRetentionDays = props.snapshotRetentionDays ?? preset.cacheSnapshotRetentionDays;
    const logRetentionDays = props.logRetentionDays ?? preset.logRetentionDays;
    const deletionProtection = props.deletionProtection ?? preset.deletionProtection;
    const key = props.encryptionKey ?? newDataKey(this, 'Key', `Cache ${props.replicationGroupId}`);
    const logsKey = props.logsKey ?? newLogsKey(this, 'LogsKey', `Cache logs ${props.replicationGroupId}`);
    this.port = SERVICE_DEFAULTS.cachePort;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Redis ${props.replicationGroupId}`,
      allowAllOutbound: false,
    });
    this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `Isolated subnets of ${props.replicationGroupId}`,
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: `Redis AUTH token of ${props.replicationGroupId}`,
      encryptionKey: key,
      // ElastiCache accepts 16-128 printable characters without @, " or /.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.authToken, ACK.nonRotatingSecret);

    this.slowLogGroup = new logs.LogGroup(this, 'SlowLog', {
      encryptionKey: logsKey,
      retention: retentionDays(logRetentionDays),
    });

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: props.replicationGroupId,
      replicationGroupDescription: `Redis for ${props.replicationGroupId}`,
      engine: 'redis',
      engineVersion: SERVICE_DEFAULTS.redisVersion,
      cacheNodeType: nodeType,
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: replicas > 0,
      multiAzEnabled: replicas > 0,
      cacheSubnetGroupName: this.subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: this.port,
      atRestEncryptionEnabled: true,
      kmsKeyId: key.keyArn,
      transitEncryptionEnabled: true,
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: snapshotRetentionDays,
      snapshotWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: this.slowLogGroup.logGroupName } },
        },
      ],
    });
    if (deletionProtection) this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    acknowledge(this.replicationGroup, ACK.defaultRedisPort);
    if (replicas === 0) acknowledge(this.replicationGroup, ACK.stagingSingleNodeCache);
  }

  /** Hostname of the primary endpoint. */
  public get primaryEndpoint(): string {
    return this.replicationGroup.attrPrimaryEndPointAddress;
  }
}
