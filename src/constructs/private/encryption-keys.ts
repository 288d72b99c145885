import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Customer-managed KMS keys with rotation. Internal helpers shared by the constructs, each of
 * which makes its own key when none is passed in.
 */

/** A customer-managed key with yearly rotation, retained when the stack is deleted. */
export function newDataKey(scope: Construct, id: string, description: string): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(30),
  });
}

/**
 * A key that CloudWatch Logs may use to encrypt log groups in this account and region.
 * The grant is narrowed to log groups of this account by the encryption context.
 */
export function newLogsKey(scope: Construct, id: string, description: string): kms.Key {
  const key = newDataKey(scope, id, description);
  allowLogsService(key);
  return key;
}

/** Lets CloudWatch Logs in the key's account and region use the key. */
export function allowLogsService(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
        },
      },
    }),
  );
}
