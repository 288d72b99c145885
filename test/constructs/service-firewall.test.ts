import { Match, Template } from 'aws-cdk-lib/assertions';
import { snippetTemplates } from './helpers';
import { MANAGED_RULE_GROUPS } from '../../src/core/firewall-rules';

let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});

describe('ServiceFirewall', () => {
  test('applies the AWS managed rule groups and a per-IP rate limit, and logs', () => {
    const acl = Object.values(prod.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.Rules.map((r: any) => r.Name)).toEqual(['RateLimitPerIp', ...MANAGED_RULE_GROUPS]);
    expect(acl.Rules[0].Statement.RateBasedStatement).toMatchObject({ Limit: 2000, AggregateKeyType: 'IP' });
    prod.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    prod.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { RedactedFields: Match.anyValue() });
    prod.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-hedis-optimizer-production-web-acl' });
  });
});
