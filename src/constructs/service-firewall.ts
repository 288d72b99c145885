import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { newLogsKey } from './private/encryption-keys';
import { MANAGED_RULE_GROUPS, RATE_LIMIT_RULE_NAME } from '../core/firewall-rules';
import { retentionDays } from './private/log-retention';
import { SERVICE_DEFAULTS } from '../core/defaults';

/** Properties of `ServiceFirewall`. */
export interface ServiceFirewallProps {
  /** Name of the web ACL; it also names the log group (`aws-waf-logs-<name>`). */
  readonly webAclName: string;
  /**
   * ARN of the application load balancer to protect.
   * @default - no association: a platform's shared web ACL, which each joining service
   * associates with its own load balancer
   */
  readonly loadBalancerArn?: string;
  /**
   * Requests one IP address may make in 5 minutes before it is blocked.
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * KMS key for the WAF log group.
   * @default - a new key with rotation
   */
  readonly logsKey?: kms.IKey;
  /**
   * Days to keep WAF logs.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/**
 * A WAFv2 web ACL (on the load balancer, or a platform's shared one) with AWS managed rule groups (IP reputation, common,
 * known bad inputs, SQL injection) and a per-IP rate limit, logging to an encrypted log
 * group with the Authorization and Cookie headers redacted.
 */
export class ServiceFirewall extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group of the web ACL's logs. */
  public readonly logGroup: logs.LogGroup;
  /** The logging configuration. */
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: ServiceFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = MANAGED_RULE_GROUPS.map((name, index): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority: index + 1,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    }));
    const rateLimit: wafv2.CfnWebACL.RuleProperty = {
      name: RATE_LIMIT_RULE_NAME,
      priority: 0,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit: props.rateLimitPer5Minutes ?? SERVICE_DEFAULTS.wafRateLimitPer5Min,
          aggregateKeyType: 'IP',
          evaluationWindowSec: 300,
        },
      },
      visibilityConfig: visibility(RATE_LIMIT_RULE_NAME),
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.webAclName,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.webAclName),
      rules: [rateLimit, ...managed],
    });
    if (props.loadBalancerArn !== undefined) {
      new wafv2.CfnWebACLAssociation(this, 'Association', {
        resourceArn: props.loadBalancerArn,
        webAclArn: this.webAcl.attrArn,
      });
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // WAF only logs to groups whose names start with aws-waf-logs-.
      logGroupName: `aws-waf-logs-${props.webAclName}`,
      encryptionKey: props.logsKey ?? newLogsKey(this, 'LogsKey', `WAF logs of ${props.webAclName}`),
      retention: retentionDays(props.logRetentionDays ?? 90),
    });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the trailing ":*" that LogGroup.logGroupArn has.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
  }
}
