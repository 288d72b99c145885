import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './acknowledgements';

/** An audit bucket and the terminal bucket that receives its server access logs. */
export interface AuditBuckets {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
}

/**
 * A KMS-encrypted, versioned, TLS-only, retained bucket for audit records (trail files, Config
 * snapshots and history), logging to an SSE-S3 access-log bucket (S3 server access logging cannot write
 * to SSE-KMS), with the same acknowledgements as the service's trail buckets.
 */
export function newAuditBuckets(scope: Construct, key: kms.IKey, archiveDays: number, accessLogsPrefix: string): AuditBuckets {
  const accessLogsBucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
  });
  acknowledge(accessLogsBucket, ACK.logBucketIsTerminal, ACK.logBucketSseS3, ACK.bucketReplication);
  const bucket = new s3.Bucket(scope, 'Bucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: accessLogsPrefix,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
        expiration: Duration.days(archiveDays),
        noncurrentVersionExpiration: Duration.days(90),
      },
    ],
  });
  acknowledge(bucket, ACK.bucketReplication);
  return { bucket, accessLogsBucket };
}
