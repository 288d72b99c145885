/** The AWS managed rule groups the web ACL evaluates, in order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/** Name of the web ACL's first rule: a rate limit per client IP address. */
export const RATE_LIMIT_RULE_NAME = 'RateLimitPerIp';

/** The web ACL's rules in evaluation order: the rate limit, then the managed rule groups. */
export const WEB_ACL_RULE_NAMES: readonly string[] = [RATE_LIMIT_RULE_NAME, ...MANAGED_RULE_GROUPS];
