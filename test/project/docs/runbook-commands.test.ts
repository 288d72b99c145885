import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthSnapshot } from 'projen/lib/util/synth';
import { parseArgs } from '../../../src/cli/args';
import { SERVICE_DEFAULTS } from '../../../src/core/defaults';
import { platformNames } from '../../../src/core/platform-baseline';
import { platformParameterNames } from '../../../src/core/platform-parameters';
import { workerCount } from '../../../src/core/settings';
import { SERVICE_DOCS } from '../../../src/project/docs/service-docs';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { buildServiceStacks } from '../../../src/project/infrastructure/stack-facts';
import { resolveServiceModel, ServiceModel } from '../../../src/project/service-model';
import { projectOptions } from '../helpers';

/**
 * The commands the generated runbooks and guides show, checked as commands: they run on a BSD
 * userland, call the deploy tool the way that passes signals on, with flags it has, and name
 * log groups that the synthesized stacks hold.
 */

interface Generated {
  readonly model: ServiceModel;
  readonly files: Record<string, unknown>;
  readonly docs: string;
}

function generate(overrides: Partial<HardenedServiceProjectOptions> = {}): Generated {
  const options = projectOptions(overrides);
  const files = synthSnapshot(new HardenedServiceProject(options));
  const docs = SERVICE_DOCS.map((name) => String(files[`docs/${name}`])).join('\n');
  return { model: resolveServiceModel(options), files, docs };
}

/** Every line of the docs that runs the deploy tool, joined with its continuation lines. */
function deployToolLines(docs: string): string[] {
  return docs
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => /^\s*([.\w/-]*\/)?hardened-service (deploy|migrate|rollback|revisions|status|doctor|recovery-plan)\b/.test(line));
}

/** A command line split like a shell would for these simple lines (no quotes in them). */
function argvOf(line: string): string[] {
  const words = line.trim().split(/\s+/);
  return words.slice(words.findIndex((w) => /(^|\/)hardened-service$/.test(w)) + 1);
}

describe('generated runbooks and guides (standalone service, both environments in one account)', () => {
  let g: Generated;
  beforeAll(() => {
    g = generate();
  });

  test('no generated file uses GNU-only date arithmetic', () => {
    const offenders = Object.entries(g.files).filter(([, content]) => /date -u -d|date -d /.test(typeof content === 'string' ? content : JSON.stringify(content)));
    expect(offenders.map(([name]) => name)).toEqual([]);
    // The runbook's metric windows are computed by node instead.
    expect(String(g.files['docs/OPERATIONS_RUNBOOK.md'])).toContain('--start-time "$(node -p \'new Date(Date.now() - 3 * 3600e3).toISOString()\')"');
  });

  test('every deploy tool line runs the local binary, with --region, and flags the CLI parses', () => {
    expect(g.docs).not.toMatch(/npx (-y )?hardened-service/);
    const lines = deployToolLines(g.docs);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).not.toMatch(/npx (-y )?hardened-service/);
      expect(line).toContain('./node_modules/.bin/hardened-service ');
      const argv = argvOf(line);
      if (argv[0] !== 'doctor') {
        expect([line, argv.includes('--region') && argv[argv.indexOf('--region') + 1]]).toEqual([line, g.model.region]);
      }
      // Throws a UsageError naming the flag for an unknown flag or a missing required one.
      expect(() => parseArgs(argv.map((a) => a.replace(/^"|"$/g, '')), {})).not.toThrow();
    }
  });

  test('every log group is named, or has a command that finds it by a logical id of the synthesized stack', () => {
    const monitoring = String(g.files['docs/MONITORING_GUIDE.md']);
    expect(monitoring).not.toContain('(generated)');
    const finds = [...monitoring.matchAll(/describe-stack-resource --region (\S+) --stack-name (\S+) --logical-resource-id (\S+)/g)];
    const { stacks } = buildServiceStacks(g.model);
    const templates = new Map(stacks.map((s: Stack) => [s.stackName, Template.fromStack(s).toJSON().Resources as Record<string, { Type: string }>]));
    // Flow logs and the trail of staging, flow logs of production at least.
    expect(finds.length).toBeGreaterThanOrEqual(3);
    for (const [, region, stackName, logicalId] of finds) {
      expect(region).toBe(g.model.region);
      expect([stackName, logicalId, templates.get(stackName)?.[logicalId]?.Type]).toEqual([stackName, logicalId, 'AWS::Logs::LogGroup']);
    }
    const flowLogs = finds.filter(([, , , id]) => /FlowLogGroup/.test(id));
    expect(flowLogs.map(([, , stack]) => stack).sort()).toEqual(g.model.environments.map((e) => e.settings.names.stackName).sort());
    // Production shares staging's account, so its trail is staging's.
    const staging = g.model.environments[0].settings.names;
    expect(monitoring).toContain(`aws cloudtrail get-trail --region ${g.model.region} --name ${staging.trailName} --query Trail.CloudWatchLogsLogGroupArn --output text`);
  });

  test('the 5xx runbook tells load balancer 5xx from target 5xx and says where the access logs are', () => {
    const runbook = String(g.files['docs/OPERATIONS_RUNBOOK.md']);
    const production = g.model.environments[1].settings.names;
    const section = runbook.slice(runbook.indexOf(`#### \`${production.alarmPrefix}-5xx-rate\``));
    const fiveXx = section.slice(0, section.indexOf('Escalation:'));
    expect(fiveXx).toContain('`HTTPCode_ELB_5XX_Count` are errors the load balancer made itself');
    expect(fiveXx).toContain('they never reach the application logs');
    expect(fiveXx).toContain(`${SERVICE_DEFAULTS.loadBalancerIdleTimeoutSeconds}-second idle timeout`);
    expect(fiveXx).toContain(`--names ${production.loadBalancerName} --query 'LoadBalancers[0].LoadBalancerArn' --output text)" --query "Attributes[?Key=='access_logs.s3.bucket'].Value" --output text`);
    expect(fiveXx).toContain(`under \`alb/AWSLogs/<account-id>/elasticloadbalancing/${g.model.region}/YYYY/MM/DD/\``);
    expect(fiveXx).toContain('--metric-name HTTPCode_ELB_5XX_Count --dimensions Name=LoadBalancer,Value=');
  });

  test('the database connections runbook states the ceiling: tasks x workers x pool', () => {
    const runbook = String(g.files['docs/OPERATIONS_RUNBOOK.md']);
    for (const env of g.model.environments) {
      const s = env.settings;
      const total = s.maxCapacity * workerCount(s.cpu) * SERVICE_DEFAULTS.dbPoolSizePerWorker;
      const section = runbook.slice(runbook.indexOf(`#### \`${s.names.alarmPrefix}-db-connections\``));
      expect(section.slice(0, section.indexOf('Escalation:'))).toContain(
        `Expected ceiling: at most ${s.maxCapacity} tasks (\`maxCapacity\`) x ${workerCount(s.cpu)} worker processes per task`,
      );
      expect(section).toContain(`= **${total} connections**`);
    }
  });
});

describe('generated guides of a service that joins a platform', () => {
  test("the flow logs and the trail are found from the platform's names", () => {
    const g = generate({ platform: { name: 'acme' } });
    const monitoring = String(g.files['docs/MONITORING_GUIDE.md']);
    expect(monitoring).not.toContain('FlowLogGroup');
    expect(monitoring).toContain('# VPC flow logs: platform acme\'s');
    for (const env of g.model.environments) {
      const vpcParameter = platformParameterNames('acme', env.environment).vpcId;
      expect(monitoring).toContain(`aws ec2 describe-flow-logs --region us-east-1 --filter Name=resource-id,Values="$(aws ssm get-parameter --region us-east-1 --name ${vpcParameter} --query Parameter.Value --output text)"`);
    }
    expect(monitoring).toContain(`aws cloudtrail get-trail --region us-east-1 --name ${platformNames('acme', g.model.environments[0].environment).trailName}`);
    const withCluster = deployToolLines(g.docs).filter((line) => line.includes('--cluster'));
    expect(withCluster.length).toBeGreaterThan(4);
    for (const line of withCluster) {
      expect(line).toContain(`--cluster acme-${line.includes('staging') ? 'staging' : 'production'}`);
    }
  });
});
