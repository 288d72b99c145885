import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { VaultLockPreset } from '../../core/platform-baseline';

/**
 * The platform's alarm topic (`AlarmTopic`): KMS-encrypted with the platform's data key, TLS
 * only, one email subscription; EventBridge (GuardDuty findings) and CloudWatch alarms may
 * publish to it.
 */
export function platformAlarmTopic(scope: Construct, dataKey: kms.Key, topicName: string, email: string): sns.Topic {
  const topic = new sns.Topic(scope, 'AlarmTopic', { topicName, masterKey: dataKey, enforceSSL: true });
  topic.addSubscription(new subscriptions.EmailSubscription(email));
  dataKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowAlarmPublishers',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  );
  return topic;
}

/** The platform's backup vault (`BackupVault`): retained, with the environment's Vault Lock. */
export function platformBackupVault(scope: Construct, dataKey: kms.Key, backupVaultName: string, lock: VaultLockPreset): backup.BackupVault {
  return new backup.BackupVault(scope, 'BackupVault', {
    backupVaultName,
    encryptionKey: dataKey,
    removalPolicy: RemovalPolicy.RETAIN,
    lockConfiguration: {
      minRetention: Duration.days(lock.minRetentionDays),
      maxRetention: Duration.days(lock.maxRetentionDays),
      // Set: compliance mode (immutable after the grace time); unset: governance mode.
      changeableFor: lock.changeableForDays === undefined ? undefined : Duration.days(lock.changeableForDays),
    },
  });
}
