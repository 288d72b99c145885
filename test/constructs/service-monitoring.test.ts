import { Match, Template } from 'aws-cdk-lib/assertions';
import { newApp, snippetProps, snippetTemplates, synthFindings } from './helpers';
import { ComplianceFramework, DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { ERROR_FILTER_PATTERN } from '../../src/core/monitoring-definitions';

const { PRODUCTION } = DeploymentEnvironment;
let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});

describe('ServiceMonitoring', () => {
  const alarmNames = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName).sort();

  test('creates every alarm with an action on the encrypted topic', () => {
    expect(alarmNames(prod)).toEqual(
      [
        '5xx-rate', 'p95-latency', 'unhealthy-hosts', 'ecs-cpu', 'ecs-memory', 'app-errors',
        'db-cpu', 'db-connections', 'db-free-storage', 'cache-memory',
      ].map((n) => `hedis-optimizer-production-${n}`).sort(),
    );
    for (const alarm of Object.values(prod.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.ActionsEnabled).toBe(true);
    }
    prod.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue(), TopicName: 'hedis-optimizer-production-alarms' });
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('alarmHttpsEndpoints add HTTPS subscriptions of the encrypted alarm topic, with no open cdk-nag finding', () => {
    // GIVEN a pager's and a chat relay's endpoint
    const app = newApp();
    const endpoints = ['https://events.pager.example.com/integration/abc/enqueue', 'https://chat-relay.example.com/sns'];
    const stack = new HardenedServiceStack(app, 'paged', { ...snippetProps(PRODUCTION), alarmHttpsEndpoints: endpoints });

    // THEN
    const t = Template.fromStack(stack);
    const subscriptions = Object.values(t.findResources('AWS::SNS::Subscription')).map((r) => r.Properties);
    const topic = Object.keys(t.findResources('AWS::SNS::Topic', { Properties: { TopicName: 'hedis-optimizer-production-alarms' } }))[0];
    expect(subscriptions.filter((p) => p.Protocol === 'https')).toEqual(
      endpoints.map((endpoint) => expect.objectContaining({ Protocol: 'https', Endpoint: endpoint, TopicArn: { Ref: topic } })),
    );
    expect(subscriptions.filter((p) => p.Protocol === 'email')).toHaveLength(1);
    expect(synthFindings(app).findings).toEqual([]);
  });

  test('alarmSlackChannel: an AWS Chatbot Slack channel on the alarm topic that may only describe the stack\'s alarms, clean in every cdk-nag pack', () => {
    // GIVEN a Slack channel, every compliance pack
    const app = newApp();
    const alarmSlackChannel = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };
    const stack = new HardenedServiceStack(app, 'chat', { ...snippetProps(PRODUCTION), alarmSlackChannel, complianceFrameworks: ComplianceFramework.ALL });

    // THEN
    const t = Template.fromStack(stack);
    const topic = Object.keys(t.findResources('AWS::SNS::Topic', { Properties: { TopicName: 'hedis-optimizer-production-alarms' } }))[0];
    const channels = Object.values(t.findResources('AWS::Chatbot::SlackChannelConfiguration')).map((r) => r.Properties);
    expect(channels).toEqual([expect.objectContaining({
      ConfigurationName: 'hedis-optimizer-production-alarms',
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [{ Ref: topic }],
      GuardrailPolicies: [{ Ref: expect.stringMatching(/AlarmSlackChannelGuardrail/) }],
    })]);
    // The guardrail: describe this stack's alarms, each by its ARN, nothing else.
    const guardrail = Object.entries(t.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => /AlarmSlackChannelGuardrail/.test(id))![1];
    const statements = guardrail.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('cloudwatch:DescribeAlarms');
    expect(statements[0].Resource).toHaveLength(Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length);
    expect(JSON.stringify(statements[0].Resource)).not.toContain('*');
    // The channel's role has no policy at all.
    const roleRef = channels[0].IamRoleArn['Fn::GetAtt'][0];
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(roleRef));
    expect(policies).toEqual([]);
    expect(t.findResources('AWS::IAM::Role')[roleRef].Properties.ManagedPolicyArns).toBeUndefined();
    expect(synthFindings(app).findings).toEqual([]);
  });

  test('the default has no chat channel', () => {
    expect(Object.keys(prod.findResources('AWS::Chatbot::SlackChannelConfiguration'))).toEqual([]);
  });

  test('the default is email only', () => {
    expect(Object.values(prod.findResources('AWS::SNS::Subscription')).map((r) => r.Properties.Protocol)).toEqual(['email']);
  });

  test('alarms on p95 latency above latencyP95Ms', () => {
    // Production canaries over two target groups: the alarm takes the worse p95 of the two.
    const p95 = (group: string) => Match.objectLike({
      MetricStat: Match.objectLike({ Stat: 'p95', Metric: Match.objectLike({ MetricName: 'TargetResponseTime', Dimensions: Match.arrayWith([Match.objectLike({ Name: 'TargetGroup', Value: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp(group), 'TargetGroupFullName'] }) })]) }) }),
      ReturnData: false,
    });
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'hedis-optimizer-production-p95-latency',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([FILL(primary, 0), FILL(alternate, 0)])', ReturnData: true }),
        p95('HttpsAppGroup'),
        p95('AlternateTargetGroup'),
      ]),
      Threshold: 0.1,
    });
    const stack = new HardenedServiceStack(newApp({}), 'slow', { ...snippetProps(PRODUCTION), latencyP95Ms: 250 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'hedis-optimizer-production-p95-latency', Threshold: 0.25 });
    // Staging rolls over one target group: the plain p95 metric.
    const stg = new HardenedServiceStack(newApp({}), 'stg', snippetProps(DeploymentEnvironment.STAGING));
    Template.fromStack(stg).hasResourceProperties('AWS::CloudWatch::Alarm', { ExtendedStatistic: 'p95', MetricName: 'TargetResponseTime', Threshold: 0.1 });
  });

  test('has four dashboards, saved queries and an error metric filter', () => {
    const dashboards = Object.values(prod.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName).sort();
    expect(dashboards).toEqual(['api', 'cost', 'database', 'errors'].map((n) => `hedis-optimizer-production-${n}`));
    prod.resourceCountIs('AWS::Logs::QueryDefinition', 4);
    // The exact pattern the definitions hold, which the runbook and cloudwatch-config.json show too.
    prod.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: ERROR_FILTER_PATTERN });
  });

  test('the application-errors alarm watches exactly the metric its filter publishes', () => {
    const filter = Object.values(prod.findResources('AWS::Logs::MetricFilter'))[0].Properties.MetricTransformations[0];
    const alarm = Object.values(prod.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'hedis-optimizer-production-app-errors',
    )!.Properties;
    expect({ namespace: alarm.Namespace, name: alarm.MetricName, dimensions: alarm.Dimensions ?? [] }).toEqual({
      namespace: filter.MetricNamespace,
      name: filter.MetricName,
      dimensions: (filter.Dimensions ?? []).map((d: any) => ({ Name: d.Key, Value: d.Value })),
    });
  });
});
