import { Stack, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './acknowledgements';
import { newAuditBuckets } from './audit-buckets';
import { ConfigRuleDefinition } from '../../core/platform-baseline';

/** Properties of `ConfigRecording`. */
export interface ConfigRecordingProps {
  /** Key of the delivery bucket. */
  readonly encryptionKey: kms.IKey;
  /** Record IAM and other global resource types here (one region per account should). */
  readonly recordGlobalResources: boolean;
  /** Managed rules to add; the `global` ones only where global types are recorded. */
  readonly rules: ConfigRuleDefinition[];
  /** Days to keep configuration history and snapshots. */
  readonly archiveRetentionDays: number;
}

/**
 * AWS Config: the region's one configuration recorder (all supported types), its delivery
 * channel to a KMS-encrypted bucket, and managed rules. The recorder uses its own role with
 * AWS's `AWS_ConfigRole` policy rather than the service-linked role, which CloudFormation
 * cannot create when it already exists.
 */
export class ConfigRecording extends Construct {
  public readonly recorder: config.CfnConfigurationRecorder;
  public readonly deliveryChannel: config.CfnDeliveryChannel;
  public readonly bucket: s3.Bucket;
  public readonly role: iam.Role;
  public readonly rules: config.CfnConfigRule[];

  constructor(scope: Construct, id: string, props: ConfigRecordingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const sourceAccount = { StringEquals: { 'AWS:SourceAccount': stack.account } };
    const configService = new iam.ServicePrincipal('config.amazonaws.com');

    this.bucket = newAuditBuckets(this, props.encryptionKey, props.archiveRetentionDays, 'config-bucket/').bucket;
    // The statements AWS documents for a delivery bucket, limited to this account's Config.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketPermissionsCheck',
        principals: [configService],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: sourceAccount,
      }),
    );
    const deliveryPath = this.bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketDelivery',
        principals: [configService],
        actions: ['s3:PutObject'],
        resources: [deliveryPath],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceAccount': stack.account } },
      }),
    );
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConfigDelivery',
        principals: [configService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: sourceAccount,
      }),
    );

    const deliveryPolicy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'AWS Config delivery to the platform\'s configuration bucket',
      statements: [
        new iam.PolicyStatement({ sid: 'Bucket', actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn] }),
        new iam.PolicyStatement({
          sid: 'Objects',
          actions: ['s3:PutObject'],
          resources: [deliveryPath],
          conditions: { StringLike: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        }),
        new iam.PolicyStatement({ sid: 'Key', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.encryptionKey.keyArn] }),
      ],
    });
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    acknowledge(deliveryPolicy, ACK.configDeliveryObjects(`<${bucketId}.Arn>/AWSLogs/${shownAccount(stack)}/Config/*`));
    this.role = new iam.Role(this, 'Role', {
      assumedBy: configService,
      description: 'AWS Config recorder',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole'), deliveryPolicy],
    });
    acknowledge(this.role, ACK.configRole);

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: this.role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResources },
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: this.bucket.bucketName,
      s3KmsKeyArn: props.encryptionKey.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // AWS needs the recorder before the channel, and both before a rule evaluates anything.
    this.deliveryChannel.addResourceDependency(this.recorder);
    this.rules = props.rules
      .filter((rule) => props.recordGlobalResources || !rule.global)
      .map((rule) => {
        const cfn = new config.CfnConfigRule(this, ruleId(rule.identifier), {
          source: { owner: 'AWS', sourceIdentifier: rule.identifier },
          inputParameters: rule.inputParameters,
          description: `HIPAA Security conformance pack: ${rule.covers}`,
        });
        cfn.addResourceDependency(this.deliveryChannel);
        return cfn;
      });
  }
}

/** The account as cdk-nag writes it in a finding id. */
function shownAccount(stack: Stack): string {
  return Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
}

/** `S3_BUCKET_LOGGING_ENABLED` -> `S3BucketLoggingEnabled`. */
function ruleId(identifier: string): string {
  return identifier
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
