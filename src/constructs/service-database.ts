import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newDataKey, newLogsKey } from './private/encryption-keys';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { retentionDays } from './private/log-retention';
import { SERVICE_DEFAULTS } from '../core/defaults';
import { ENVIRONMENT_PRESETS } from '../core/presets';

/** Properties of `ServiceDatabase`. */
export interface ServiceDatabaseProps {
  /** VPC whose isolated subnets hold the database. */
  readonly vpc: ec2.IVpc;

  /** Environment, whose presets give the defaults of Multi-AZ, deletion protection, size and retention. */
  readonly environment: DeploymentEnvironment;

  /**
   * Instance identifier; it also names the RDS log groups.
   */
  readonly instanceIdentifier: string;

  /**
   * Name of the database created in the instance.
   * @default "app"
   */
  readonly databaseName?: string;

  /**
   * Instance class, for example `t3.medium`.
   * @default - staging `t3.small`, production `t3.medium`
   */
  readonly instanceClass?: string;

  /**
   * Initial storage in GiB; storage autoscaling may grow it up to ten times.
   * @default - staging 20, production 50
   */
  readonly allocatedStorageGiB?: number;

  /**
   * Most storage in GiB that storage autoscaling may grow to.
   * @default - ten times `allocatedStorageGiB` when that is given, otherwise staging 100, production 500
   */
  readonly maxAllocatedStorageGiB?: number;

  /**
   * A standby in a second Availability Zone.
   * @default - staging false, production true
   */
  readonly multiAz?: boolean;

  /**
   * Deletion protection; with it, the instance, its log groups, its master secret and its
   * parameter group are retained when removed from the stack or replaced, without it a final
   * snapshot is taken.
   * @default - staging false, production true
   */
  readonly deletionProtection?: boolean;

  /**
   * Days RDS keeps automated backups.
   * @default - staging 7, production 35
   */
  readonly backupRetentionDays?: number;

  /**
   * Days the AWS Backup plan keeps its daily backups.
   * @default - staging 35, production 365
   */
  readonly awsBackupRetentionDays?: number;

  /**
   * Days to keep the exported PostgreSQL and upgrade logs.
   * @default - staging 90, production 365
   */
  readonly logRetentionDays?: number;

  /**
   * KMS key for storage, Performance Insights, the credentials secret and the backup vault.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * KMS key for the database's CloudWatch log groups.
   * @default - a new key with rotation
   */
  readonly logsKey?: kms.IKey;

  /**
   * Secrets Manager interface endpoint that the rotation function calls.
   * @default - the rotation function reaches Secrets Manager through the NAT gateway
   */
  readonly secretsManagerEndpoint?: ec2.IInterfaceVpcEndpoint;

  /**
   * An existing backup vault for the backup plan (a platform's).
   * @default - a new vault encrypted with `encryptionKey`
   */
  readonly backupVault?: backup.IBackupVault;

  /**
   * Days between automatic credential rotations.
   * @default 30
   */
  readonly rotationDays?: number;
}

/**
 * RDS PostgreSQL in isolated subnets: KMS-encrypted storage, `rds.force_ssl`, IAM
 * authentication, never publicly accessible, automated backups plus an AWS Backup plan,
 * PostgreSQL and upgrade logs exported to KMS-encrypted log groups, enhanced monitoring,
 * Performance Insights, credentials in Secrets Manager with rotation, and in production
 * Multi-AZ and deletion protection.
 */
export class ServiceDatabase extends Construct {
  /** The database instance. */
  public readonly instance: rds.DatabaseInstance;
  /** Security group of the instance; only the service and the rotation function get in. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Secret holding host, port, dbname, username and password. */
  public readonly secret: secretsmanager.ISecret;
  /** Parameter group that forces TLS. */
  public readonly parameterGroup: rds.ParameterGroup;
  /** The AWS Backup plan that covers the instance. */
  public readonly backupPlan: backup.BackupPlan;
  /** The KMS-encrypted vault holding the backups (created, or the one passed in). */
  public readonly backupVault: backup.IBackupVault;
  /** Log groups that receive the exported PostgreSQL and upgrade logs. */
  public readonly logGroups: logs.LogGroup[];
  /** The credential rotation. */
  public readonly rotation: secretsmanager.SecretRotation;
  /** Port the database listens on. */
  public readonly port: number;
  /** Name of the database. */
  public readonly databaseName: string;

  constructor(scope: Construct, id: string, props: ServiceDatabaseProps) {
    super(scope, id);
    const preset = ENVIRONMENT_PRESETS[props.environment];
    const instanceClass = props.instanceClass ?? preset.databaseInstanceClass;
    const allocated = props.allocatedStorageGiB ?? preset.databaseAllocatedStorageGiB;
    const maxAllocated = props.maxAllocatedStorageGiB ?? (props.allocatedStorageGiB ? allocated * 10 : preset.databaseMaxAllocatedStorageGiB);
    const multiAz = props.multiAz ?? preset.multiAz;
    const deletionProtection = props.deletionProtection ?? preset.deletionProtection;
    const backupRetentionDays = props.backupRetentionDays ?? preset.databaseBackupRetentionDays;
    const awsBackupRetentionDays = props.awsBackupRetentionDays ?? preset.awsBackupRetentionDays;
    const logRetentionDays = props.logRetentionDays ?? preset.logRetentionDays;
    const key = props.encryptionKey ?? newDataKey(this, 'Key', `Database ${props.instanceIdentifier}`);
    const logsKey = props.logsKey ?? newLogsKey(this, 'LogsKey', `Database logs ${props.instanceIdentifier}`);
    const removalPolicy = deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT;
    this.port = SERVICE_DEFAULTS.databasePort;
    this.databaseName = props.databaseName ?? SERVICE_DEFAULTS.databaseName;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PostgreSQL ${props.instanceIdentifier}`,
      allowAllOutbound: false,
    });

    const engine = rds.DatabaseInstanceEngine.postgres({
      // The major only: RDS picks and upgrades the minor (see SERVICE_DEFAULTS).
      version: rds.PostgresEngineVersion.of(String(SERVICE_DEFAULTS.postgresMajorVersion), String(SERVICE_DEFAULTS.postgresMajorVersion)),
    });
    this.parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `TLS-only PostgreSQL for ${props.instanceIdentifier}`,
      parameters: {
        'rds.force_ssl': '1',
        'ssl_min_protocol_version': 'TLSv1.2',
        'log_connections': '1',
        'log_disconnections': '1',
        'log_min_duration_statement': '1000',
        'log_statement': 'ddl',
      },
    });

    // Pre-create the export log groups so that they are encrypted and expire, instead of the
    // unencrypted, never-expiring groups RDS would create.
    const exports = ['postgresql', 'upgrade'];
    this.logGroups = exports.map(
      (name) =>
        new logs.LogGroup(this, `${name[0].toUpperCase()}${name.slice(1)}Logs`, {
          logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${name}`,
          encryptionKey: logsKey,
          retention: retentionDays(logRetentionDays),
          removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.instanceIdentifier,
      instanceType: new ec2.InstanceType(instanceClass),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      port: this.port,
      databaseName: this.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret('app_admin', { encryptionKey: key }),
      parameterGroup: this.parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: allocated,
      maxAllocatedStorage: maxAllocated,
      multiAz,
      deletionProtection,
      removalPolicy,
      publiclyAccessible: false,
      iamAuthentication: true,
      backupRetention: Duration.days(backupRetentionDays),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: exports,
      monitoringInterval: Duration.seconds(60),
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
    });
    for (const group of this.logGroups) {
      this.instance.node.addDependency(group);
    }
    this.secret = this.instance.secret!;
    if (deletionProtection) {
      // A retained instance keeps its password and its parameter group: without the secret no
      // client can log in, and CloudFormation cannot delete a parameter group still in use.
      // (`instance.secret` is the attachment; the generated secret is the instance's child.)
      (this.instance.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.parameterGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    acknowledge(this.instance, ACK.defaultDatabasePort, ACK.cdkValidatorInstanceClass);
    if (!multiAz) acknowledge(this.instance, ACK.stagingSingleAzDatabase);
    if (!deletionProtection) acknowledge(this.instance, ACK.stagingDatabaseDeletable);
    const monitoringRole = this.instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole) acknowledge(monitoringRole, ACK.rdsMonitoringRole);

    // The rotation function reaches the database on the literal port: the instance's own
    // connections use the endpoint port token, which compliance rules cannot evaluate.
    this.rotation = new secretsmanager.SecretRotation(this, 'Rotation', {
      application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
      secret: this.secret,
      target: new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(this.port) }),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      endpoint: props.secretsManagerEndpoint,
      automaticallyAfter: Duration.days(props.rotationDays ?? 30),
    });

    this.backupVault = props.backupVault ?? new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: Duration.days(awsBackupRetentionDays),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Database', {
      resources: [backup.BackupResource.fromRdsDatabaseInstance(this.instance)],
    });
    acknowledge(selection, ...ACK.backupRole);
  }
}
