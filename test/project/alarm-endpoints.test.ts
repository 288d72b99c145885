import { projectOptions, synth } from './helpers';
import { HardenedServiceProject } from '../../src/project/hardened-service-project';

const ENDPOINT = 'https://events.pager.example.com/integration/sns';

describe('alarmHttpsEndpoints in a generated repo', () => {
  test('flows to both stacks, cloudwatch-config.json and the monitoring guide', () => {
    const files = synth({ alarmHttpsEndpoints: [ENDPOINT] });
    const stacks = String(files['infrastructure/service-stacks.ts']);
    expect(stacks.match(new RegExp(`alarmHttpsEndpoints: \\[\\s*'${ENDPOINT.replace(/[.]/g, '\\.')}',?\\s*\\]`, 'g'))).toHaveLength(2);
    const config = files['infrastructure/monitoring/cloudwatch-config.json'];
    expect(JSON.stringify(config)).toContain(`"httpsEndpoints":["${ENDPOINT}"]`);
    const guide = String(files['docs/MONITORING_GUIDE.md']);
    expect(guide).toContain(`The topic also has an HTTPS subscription (option \`alarmHttpsEndpoints\`) to:\n\n- \`${ENDPOINT}\``);
  });

  test('without it, the guide says how to page or post to chat', () => {
    const guide = String(synth()['docs/MONITORING_GUIDE.md']);
    expect(guide).toContain('list the paging service\'s (or a\nchat relay\'s) SNS integration URL in `alarmHttpsEndpoints`');
    expect(guide).not.toContain('The topic also has an HTTPS subscription');
  });

  test('fails when an endpoint is not https, naming the option, the value and the fix', () => {
    expect(() => new HardenedServiceProject(projectOptions({ alarmHttpsEndpoints: ['http://events.example.com/sns'] }))).toThrow(
      'alarmHttpsEndpoints[0] "http://events.example.com/sns" uses http; alarms may only go to https:// endpoints (SNS sends anything else in clear text): use the endpoint\'s https address',
    );
  });
});

describe('alarmSlackChannel in a generated repo', () => {
  const channel = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };

  test('flows to both stacks and the monitoring guide', () => {
    const files = synth({ alarmSlackChannel: channel });
    const stacks = String(files['infrastructure/service-stacks.ts']);
    expect(stacks.match(/alarmSlackChannel: \{\s*workspaceId: 'T0123ABCD',\s*channelId: 'C0123ABCD',?\s*\}/g)).toHaveLength(2);
    const guide = String(files['docs/MONITORING_GUIDE.md']);
    expect(guide).toContain('AWS Chatbot also posts every notification to Slack channel `C0123ABCD` of workspace\n`T0123ABCD` (option `alarmSlackChannel`)');
    expect(guide).toContain('its guardrail policy allows\n`cloudwatch:DescribeAlarms` on the stack\'s alarms and nothing else');
  });

  test('without it, the guide says how to post alarms to Slack', () => {
    const guide = String(synth()['docs/MONITORING_GUIDE.md']);
    expect(guide).toContain('set `alarmSlackChannel: { workspaceId,\nchannelId }` in `.projenrc.ts`');
    expect(guide).not.toContain('AWS Chatbot also posts');
  });

  test('fails on a channel name instead of an id, naming the option, the value and the fix', () => {
    expect(() => new HardenedServiceProject(projectOptions({ alarmSlackChannel: { ...channel, channelId: '#oncall' } }))).toThrow(
      'alarmSlackChannel.channelId "#oncall" is not a Slack channel id (for example "C0123ABCD")',
    );
  });
});
