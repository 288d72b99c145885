import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newAuditBuckets } from './private/audit-buckets';
import { allowLogsService, newDataKey } from './private/encryption-keys';
import { retentionDays } from './private/log-retention';

/** Properties of `AuditTrail`. */
export interface AuditTrailProps {
  /** Name of the trail. */
  readonly trailName: string;
  /**
   * KMS key for the trail's files and its log group.
   * @default - a new key with rotation that CloudTrail and CloudWatch Logs may use
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Days to keep the trail in CloudWatch Logs.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days to keep trail files in S3 (six years meets HIPAA's documentation retention).
   * @default 2190
   */
  readonly archiveRetentionDays?: number;
}

/**
 * A multi-region CloudTrail with KMS encryption, log file validation and delivery to
 * CloudWatch Logs, writing to an encrypted, versioned, TLS-only, access-logged bucket.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** Bucket holding the trail files. */
  public readonly bucket: s3.Bucket;
  /** Bucket receiving the trail bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** Log group that receives the trail. */
  public readonly logGroup: logs.LogGroup;
  /** Key that encrypts the trail. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', `CloudTrail ${props.trailName}`);
    if (!props.encryptionKey) {
      allowLogsService(this.encryptionKey);
      const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.trailName });
      this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudTrailEncrypt',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceArn': trailArn },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
          },
        }),
      );
    }

    const buckets = newAuditBuckets(this, this.encryptionKey, props.archiveRetentionDays ?? 2190, 'trail-bucket/');
    this.accessLogsBucket = buckets.accessLogsBucket;
    this.bucket = buckets.bucket;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: retentionDays(props.logRetentionDays ?? 365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket: this.bucket,
      encryptionKey: this.encryptionKey,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole) acknowledge(logsRole, ACK.inlineGrantPolicy);
  }
}
