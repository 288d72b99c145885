import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, newApp, snippetTemplates } from './helpers';
import { DeploymentEnvironment, ServiceDatabase, ServiceNetwork } from '../../src';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';

const { STAGING } = DeploymentEnvironment;
let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});
const both = () => snippetTemplates().both;

describe('ServiceDatabase', () => {
  test.each([
    ['staging', 'db.t3.small', 7, false],
    ['production', 'db.t3.medium', 35, true],
  ] as const)('%s: encrypted, private, IAM auth, backups, logs, monitoring', (environment, instanceClass, retention, ha) => {
    snippetTemplates().of(environment).hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      // The major only: RDS picks the minor and upgrades it (a pinned minor stops deploying once
      // RDS retires it, and fights the automatic minor upgrades).
      EngineVersion: String(SERVICE_DEFAULTS.postgresMajorVersion),
      AutoMinorVersionUpgrade: true,
      DBInstanceClass: instanceClass,
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      BackupRetentionPeriod: retention,
      MultiAZ: ha,
      DeletionProtection: ha,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      MonitoringInterval: 60,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
    });
  });

  test('forces TLS, rotates credentials and is in an AWS Backup plan', () => {
    for (const [, t] of both()) {
      t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
      t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
      t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.anyValue(), GenerateSecretString: Match.anyValue() });
      t.resourceCountIs('AWS::Backup::BackupSelection', 1);
      t.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    }
  });

  test('admits only the service and the rotation function, on the literal port', () => {
    const ingress = Object.values(prod.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) => r.Properties.FromPort === 5432);
    expect(ingress).toHaveLength(2);
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'db', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: STAGING });
    const db = new ServiceDatabase(stack, 'Db', { vpc: network.vpc, environment: STAGING, instanceIdentifier: 'svc-staging', instanceClass: 't3.large' });
    expect(db.port).toBe(5432);
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t3.large' });
  });

  test('takes resolved values over its environment\'s presets', () => {
    // GIVEN a staging database given production-like values
    const stack = new Stack(newApp({}), 'db', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: STAGING });
    new ServiceDatabase(stack, 'Db', {
      vpc: network.vpc,
      environment: STAGING,
      instanceIdentifier: 'svc-staging',
      allocatedStorageGiB: 30,
      maxAllocatedStorageGiB: 60,
      multiAz: true,
      deletionProtection: true,
      backupRetentionDays: 14,
      awsBackupRetentionDays: 90,
      logRetentionDays: 30,
    });
    // THEN the instance, its backups and its logs follow them, not staging's presets
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      AllocatedStorage: '30',
      MaxAllocatedStorage: 60,
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
    });
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 90 } })] }),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/rds/instance/svc-staging/postgresql', RetentionInDays: 30 });
  });
});
