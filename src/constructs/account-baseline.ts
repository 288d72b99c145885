import { Stack } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuditTrail } from './audit-trail';
import { ConfigRecording } from './private/config-recording';
import { newDataKey } from './private/encryption-keys';
import { HIPAA_CONFIG_RULES, PLATFORM_TRAIL_ARCHIVE_DAYS } from '../core/platform-baseline';

/** Properties of `AccountBaseline`. */
export interface AccountBaselineProps {
  /**
   * Name of the account's multi-region trail.
   * @default - no trail (an organisation trail records the account)
   */
  readonly trailName?: string;

  /**
   * Enable the region's GuardDuty detector, with runtime monitoring of ECS Fargate (GuardDuty
   * manages the agent), S3 data events and RDS login events.
   * @default true
   */
  readonly guardDuty?: boolean;

  /**
   * Enable Security Hub with these standards, each the part of its ARN after
   * `arn:<partition>:securityhub:<region>::` (for example
   * `standards/aws-foundational-security-best-practices/v/1.0.0`).
   * @default - Security Hub is not enabled here
   */
  readonly securityHubStandards?: string[];

  /**
   * Record configuration with AWS Config and evaluate the HIPAA Security conformance pack's
   * managed rules that apply to the kit's workloads.
   * @default true
   */
  readonly awsConfig?: boolean;

  /**
   * Record IAM and other global resource types, and evaluate the IAM and root-account rules,
   * in this region. One region per account should (the one holding the trail).
   * @default true
   */
  readonly recordGlobalResources?: boolean;

  /**
   * Name of the region's IAM Access Analyzer (account zone of trust).
   * @default - no analyzer
   */
  readonly accessAnalyzerName?: string;

  /**
   * Topic that receives GuardDuty findings of high severity (7 and above).
   * @default - no notification
   */
  readonly findingsTopic?: sns.ITopic;

  /**
   * KMS key of the Config delivery bucket.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Days to keep trail files and configuration history (six years meets HIPAA's retention
   * of documentation).
   * @default 2190
   */
  readonly archiveRetentionDays?: number;
}

/**
 * The account- and region-level controls HIPAA asks for that no single service can own:
 * a multi-region CloudTrail (KMS, file validation, CloudWatch Logs), a GuardDuty detector with
 * ECS Fargate runtime monitoring and S3 and RDS protection, Security Hub with the selected
 * standards, AWS Config (recorder, encrypted delivery, the HIPAA conformance pack's rules) and
 * IAM Access Analyzer. Each of these exists once per account (trail) or once per account and
 * region (the others): create one `AccountBaseline` per account and region, and turn off the
 * parts an organisation's delegated administrator runs.
 */
export class AccountBaseline extends Construct {
  /** The account's trail, unless `trailName` is not given. */
  public readonly auditTrail?: AuditTrail;
  /** The region's GuardDuty detector, unless `guardDuty` is false. */
  public readonly detector?: guardduty.CfnDetector;
  /** Security Hub, when `securityHubStandards` is given. */
  public readonly securityHub?: securityhub.CfnHub;
  /** The enabled Security Hub standards. */
  public readonly securityHubStandards: securityhub.CfnStandard[];
  /** The Config recorder, unless `awsConfig` is false. */
  public readonly configRecorder?: config.CfnConfigurationRecorder;
  /** Config's delivery channel. */
  public readonly configDeliveryChannel?: config.CfnDeliveryChannel;
  /** Config's managed rules. */
  public readonly configRules: config.CfnConfigRule[];
  /** The region's IAM Access Analyzer, when `accessAnalyzerName` is given. */
  public readonly accessAnalyzer?: accessanalyzer.CfnAnalyzer;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const archiveDays = props.archiveRetentionDays ?? PLATFORM_TRAIL_ARCHIVE_DAYS;

    if (props.trailName) {
      this.auditTrail = new AuditTrail(this, 'Trail', { trailName: props.trailName, archiveRetentionDays: archiveDays });
    }

    if (props.guardDuty ?? true) {
      const enabled = 'ENABLED';
      this.detector = new guardduty.CfnDetector(this, 'Detector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        // Features, not the legacy DataSources: AWS refuses a detector that sets both.
        features: [
          { name: 'RUNTIME_MONITORING', status: enabled, additionalConfiguration: [{ name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: enabled }] },
          { name: 'S3_DATA_EVENTS', status: enabled },
          { name: 'RDS_LOGIN_EVENTS', status: enabled },
        ],
      });
      if (props.findingsTopic) {
        new events.Rule(this, 'HighSeverityFindings', {
          description: 'GuardDuty findings of severity 7 and above',
          eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } },
          targets: [new targets.SnsTopic(props.findingsTopic)],
        });
      }
    }

    this.securityHubStandards = [];
    if (props.securityHubStandards) {
      this.securityHub = new securityhub.CfnHub(this, 'SecurityHub', {
        enableDefaultStandards: false,
        controlFindingGenerator: 'SECURITY_CONTROL',
        autoEnableControls: true,
      });
      for (const standard of props.securityHubStandards) {
        const cfn = new securityhub.CfnStandard(this, `Standard-${standard.replace(/[^A-Za-z0-9]+/g, '-')}`, {
          standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::${standard}`,
        });
        cfn.addResourceDependency(this.securityHub);
        this.securityHubStandards.push(cfn);
      }
    }

    this.configRules = [];
    if (props.awsConfig ?? true) {
      const recording = new ConfigRecording(this, 'Config', {
        encryptionKey: props.encryptionKey ?? newDataKey(this, 'ConfigKey', 'AWS Config delivery'),
        recordGlobalResources: props.recordGlobalResources ?? true,
        rules: HIPAA_CONFIG_RULES,
        archiveRetentionDays: archiveDays,
      });
      this.configRecorder = recording.recorder;
      this.configDeliveryChannel = recording.deliveryChannel;
      this.configRules = recording.rules;
    }

    if (props.accessAnalyzerName) {
      this.accessAnalyzer = new accessanalyzer.CfnAnalyzer(this, 'AccessAnalyzer', {
        analyzerName: props.accessAnalyzerName,
        type: 'ACCOUNT',
      });
    }
  }
}
