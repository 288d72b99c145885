import { join } from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, CERTIFICATE_ARN, newApp, snippetTemplates, synthFindings, unexpectedCfnLint } from './helpers';
import { ComplianceFramework, DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';

/** The resources of one type in a template, by logical id. */
const resources = (t: Template, type: string) => t.findResources(type);
const only = (t: Template, type: string): { id: string; [key: string]: any } => {
  const found = Object.entries(resources(t, type));
  expect(found).toHaveLength(1);
  return { id: found[0][0], ...found[0][1] };
};
const ref = (id: string) => ({ Ref: id });

describe('the default stacks: canary in production, rolling in staging', () => {
  test('production canaries 10% for 10 minutes, bakes 10 minutes, and the three alarms roll it back', () => {
    const { prod } = snippetTemplates();
    const service = only(prod, 'AWS::ECS::Service');
    expect(service.Properties.DeploymentConfiguration).toEqual({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 10 },
      BakeTimeInMinutes: 10,
      // ECS runs the circuit breaker only in rolling updates: off, and written out.
      DeploymentCircuitBreaker: { Enable: false, Rollback: false },
      Alarms: {
        Enable: true,
        Rollback: true,
        AlarmNames: [ref(logicalId(prod, 'hedis-optimizer-production-5xx-rate')), ref(logicalId(prod, 'hedis-optimizer-production-p95-latency')), ref(logicalId(prod, 'hedis-optimizer-production-unhealthy-hosts'))],
      },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
    // ECS reads the alarms when it sets the configuration: they exist first.
    for (const name of ['5xx-rate', 'p95-latency', 'unhealthy-hosts']) {
      expect(service.DependsOn).toContain(logicalId(prod, `hedis-optimizer-production-${name}`));
    }
  });

  test('staging rolls with the circuit breaker, and the same alarms roll it back too', () => {
    const { stg } = snippetTemplates();
    const service = only(stg, 'AWS::ECS::Service');
    expect(service.Properties.DeploymentConfiguration).toEqual({
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: {
        Enable: true,
        Rollback: true,
        AlarmNames: [ref(logicalId(stg, 'hedis-optimizer-staging-5xx-rate')), ref(logicalId(stg, 'hedis-optimizer-staging-p95-latency')), ref(logicalId(stg, 'hedis-optimizer-staging-unhealthy-hosts'))],
      },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
    expect(service.Properties.LoadBalancers[0].AdvancedConfiguration).toBeUndefined();
    // No second target group, rule, test listener or load balancer role in a rolling stack.
    expect(Object.keys(resources(stg, 'AWS::ElasticLoadBalancingV2::TargetGroup'))).toHaveLength(1);
    expect(Object.keys(resources(stg, 'AWS::ElasticLoadBalancingV2::ListenerRule'))).toHaveLength(0);
    expect(Object.keys(resources(stg, 'AWS::ElasticLoadBalancingV2::Listener'))).toHaveLength(2);
  });

  test('the service names the alternate target group, both listener rules and the role ECS assumes', () => {
    const { prod } = snippetTemplates();
    const service = only(prod, 'AWS::ECS::Service');
    const groups = Object.entries(resources(prod, 'AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(groups.map(([, g]) => g.Properties.Name).sort()).toEqual(['hedis-optimizer-prod-tg', 'hedis-optimizer-prod-tg-alt']);
    const primary = groups.find(([, g]) => g.Properties.Name === 'hedis-optimizer-prod-tg')![0];
    const alternate = groups.find(([, g]) => g.Properties.Name === 'hedis-optimizer-prod-tg-alt')![0];
    // Both groups check health the same way, so either can serve.
    expect(groups[0][1].Properties.HealthCheckPath).toBe('/health');
    expect(groups[0][1].Properties.HealthCheckIntervalSeconds).toBe(groups[1][1].Properties.HealthCheckIntervalSeconds);
    expect(groups.every(([, g]) => g.Properties.TargetType === 'ip')).toBe(true);
    const rules = resources(prod, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const rule = (port: number) => Object.keys(rules).find((id) => listenerPort(prod, rules[id].Properties.ListenerArn.Ref) === port)!;
    expect(service.Properties.LoadBalancers).toEqual([
      {
        ContainerName: 'app',
        ContainerPort: 8000,
        TargetGroupArn: ref(primary),
        AdvancedConfiguration: {
          AlternateTargetGroupArn: ref(alternate),
          ProductionListenerRule: ref(rule(443)),
          TestListenerRule: ref(rule(9443)),
          RoleArn: { 'Fn::GetAtt': [roleId(prod), 'Arn'] },
        },
      },
    ]);
  });

  test('each rule forwards every path to both target groups (100/0), the only kind of action ECS can shift', () => {
    const { prod } = snippetTemplates();
    const rules = Object.values(resources(prod, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.Properties.Conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
      expect(r.Properties.Actions).toHaveLength(1);
      expect(r.Properties.Actions[0].Type).toBe('forward');
      expect(r.Properties.Actions[0].ForwardConfig.TargetGroups.map((g: any) => g.Weight)).toEqual([100, 0]);
    }
    // No listener that ECS shifts mixes in a non-forward action (ECS refuses the deployment).
    for (const port of [443, 9443]) {
      const listener = Object.values(resources(prod, 'AWS::ElasticLoadBalancingV2::Listener')).find((l) => l.Properties.Port === port)!;
      expect(listener.Properties.DefaultActions.every((a: any) => a.Type === 'forward')).toBe(true);
    }
  });

  test('the test listener is HTTPS on 9443 and only the VPC\'s CIDR may reach it', () => {
    const { prod } = snippetTemplates();
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 9443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    });
    const ingress = Object.values(resources(prod, 'AWS::EC2::SecurityGroupIngress')).filter((i) => i.Properties.FromPort === 9443);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toEqual(expect.objectContaining({
      IpProtocol: 'tcp',
      ToPort: 9443,
      CidrIp: { 'Fn::GetAtt': [logicalIdOfType(prod, 'AWS::EC2::VPC'), 'CidrBlock'] },
    }));
    // The load balancer's own group admits the internet on 443 and 80 only.
    const lbGroup = Object.values(resources(prod, 'AWS::EC2::SecurityGroup')).find((g) => g.Properties.GroupDescription === 'Load balancer of hedis-optimizer')!;
    expect(lbGroup.Properties.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort])).toEqual([['0.0.0.0/0', 443], ['0.0.0.0/0', 80]]);
  });

  test('ECS\'s load balancer role: trusted by ECS of this account, a managed policy limited to this service\'s groups, rules and listeners', () => {
    const { prod } = snippetTemplates();
    const role = resources(prod, 'AWS::IAM::Role')[roleId(prod)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
    const policyId = role.Properties.ManagedPolicyArns[0].Ref;
    const statements = resources(prod, 'AWS::IAM::ManagedPolicy')[policyId].Properties.PolicyDocument.Statement;
    const groups = Object.keys(resources(prod, 'AWS::ElasticLoadBalancingV2::TargetGroup')).sort();
    const rules = Object.keys(resources(prod, 'AWS::ElasticLoadBalancingV2::ListenerRule')).sort();
    const listeners = Object.entries(resources(prod, 'AWS::ElasticLoadBalancingV2::Listener')).filter(([, l]) => l.Properties.Port !== 80).map(([id]) => id).sort();
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.DescribeLoadBalancing.Resource).toBe('*');
    expect(bySid.DescribeLoadBalancing.Action.every((a: string) => a.startsWith('elasticloadbalancing:Describe'))).toBe(true);
    expect(bySid.RegisterTasks.Resource.map((r: any) => r.Ref).sort()).toEqual(groups);
    expect(bySid.ShiftTraffic.Resource.map((r: any) => r.Ref).sort()).toEqual(rules);
    expect(bySid.ModifyListeners.Resource.map((r: any) => r.Ref).sort()).toEqual(listeners);
    expect(statements).toHaveLength(4);
  });

  test('the latency and health alarms watch both target groups in production, the one in staging', () => {
    const { prod, stg } = snippetTemplates();
    const latency = (t: Template, env: string) => Object.values(resources(t, 'AWS::CloudWatch::Alarm')).find((a) => a.Properties.AlarmName === `hedis-optimizer-${env}-p95-latency`)!;
    const prodMetrics = latency(prod, 'production').Properties.Metrics;
    expect(prodMetrics.find((m: any) => m.Expression)?.Expression).toBe('MAX([FILL(primary, 0), FILL(alternate, 0)])');
    expect(latency(stg, 'staging').Properties.MetricName).toBe('TargetResponseTime');
  });
});

describe('rotation reaches running tasks', () => {
  test.each(['staging', 'production'])('%s: a successful rotation of the database secret, and only that, starts the state machine', (env) => {
    const t = snippetTemplates().of(env);
    const rule = only(t, 'AWS::Events::Rule');
    const secret = logicalIdOfType(t, 'AWS::SecretsManager::Secret', (r) => r.Properties.Description?.includes?.('database') ?? false) ?? databaseSecretId(t);
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.secretsmanager'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      'detail': {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['RotationSucceeded'],
        additionalEventData: { SecretId: [ref(secret)] },
      },
    });
    const machine = only(t, 'AWS::StepFunctions::StateMachine');
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual(ref(machine.id));
    expect(machine.Properties.StateMachineName).toBe(`hedis-optimizer-${env}-rotation-redeploy`);
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
  });

  test('the state machine makes one call, ecs:UpdateService with forceNewDeployment, and may make it on this service only', () => {
    const t = snippetTemplates().prod;
    const machine = only(t, 'AWS::StepFunctions::StateMachine');
    // The definition is a Fn::Join of text and tokens; with the tokens as placeholders it is JSON.
    const parts: any[] = machine.Properties.DefinitionString['Fn::Join'][1];
    const definition = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    expect(Object.keys(definition.States)).toEqual(['ForceNewDeployment']);
    expect(definition.States.ForceNewDeployment).toEqual(expect.objectContaining({
      Type: 'Task',
      End: true,
      Resource: 'arn:TOKEN:states:::aws-sdk:ecs:updateService',
      Parameters: { Cluster: 'TOKEN', Service: 'TOKEN', ForceNewDeployment: true },
    }));
    const serviceId = only(t, 'AWS::ECS::Service').id;
    const machineRole = machine.Properties.RoleArn['Fn::GetAtt'][0];
    const policies = Object.values(resources(t, 'AWS::IAM::Policy')).filter((p) => p.Properties.Roles.some((r: any) => r.Ref === machineRole));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const ecs = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('ecs:')));
    expect(ecs).toEqual([{ Action: 'ecs:UpdateService', Effect: 'Allow', Resource: ref(serviceId) }]);
    // Nothing else it may do touches ECS, IAM or another resource of the stack.
    for (const s of statements) {
      expect([s.Action].flat().every((a: string) => /^(ecs:UpdateService|xray:|logs:)/.test(a))).toBe(true);
    }
  });
});

describe('linear and blue/green, with every compliance pack', () => {
  let findings: ReturnType<typeof synthFindings>;
  let staging: Template;
  let production: Template;
  let outdir: string;
  beforeAll(() => {
    const app = newApp();
    outdir = app.outdir;
    const props = (environment: DeploymentEnvironment, extra: object) => ({
      serviceName: 'hedis-optimizer',
      environment,
      certificateArn: CERTIFICATE_ARN,
      alarmEmail: 'oncall@example.com',
      githubRepository: 'example-org/hedis-optimizer',
      complianceFrameworks: ComplianceFramework.ALL,
      env: ENV,
      ...extra,
    });
    const stg = new HardenedServiceStack(app, 'hedis-optimizer-staging', props(DeploymentEnvironment.STAGING, { deploymentStrategy: 'linear', linearStepPercent: 20, linearStepMinutes: 3, bakeTimeMinutes: 0 }));
    const prod = new HardenedServiceStack(app, 'hedis-optimizer-production', props(DeploymentEnvironment.PRODUCTION, { deploymentStrategy: 'blue-green', bakeTimeMinutes: 30 }));
    findings = synthFindings(app);
    staging = Template.fromStack(stg);
    production = Template.fromStack(prod);
  });

  test('zero open findings in AwsSolutions, HIPAA.Security, NIST.800-53.R5 and PCI.DSS.321', () => {
    expect(findings.findings).toEqual([]);
    expect(findings.error).toBeUndefined();
  });

  test('the strategies reach the service', () => {
    staging.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 3 }, BakeTimeInMinutes: 0 }),
    });
    production.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 30, CanaryConfiguration: Match.absent() }),
    });
  });

  test.each(['hedis-optimizer-staging', 'hedis-optimizer-production'])('cfn-lint: %s has no error and only the known warnings', (stack) => {
    expect(unexpectedCfnLint(join(outdir, `${stack}.template.json`), SERVICE_DEFAULTS.postgresMajorVersion)).toEqual([]);
  });
});

test('fails when a strategy option is invalid: the stack names the option, the value and the fix', () => {
  const app = newApp();
  expect(() => new HardenedServiceStack(app, 'bad', {
    serviceName: 'hedis-optimizer',
    environment: DeploymentEnvironment.PRODUCTION,
    certificateArn: CERTIFICATE_ARN,
    alarmEmail: 'oncall@example.com',
    githubRepository: 'example-org/hedis-optimizer',
    deploymentStrategy: 'bluegreen',
  })).toThrow('deploymentStrategy "bluegreen" is not a known strategy; use one of "rolling", "canary", "linear", "blue-green"');
});

function logicalId(t: Template, alarmName: string): string {
  return Object.entries(resources(t, 'AWS::CloudWatch::Alarm')).find(([, a]) => a.Properties.AlarmName === alarmName)![0];
}
function logicalIdOfType(t: Template, type: string, match: (r: any) => boolean = () => true): string | undefined {
  return Object.entries(resources(t, type)).find(([, r]) => match(r))?.[0];
}
function databaseSecretId(t: Template): string {
  return Object.entries(resources(t, 'AWS::SecretsManager::RotationSchedule')).map(([, r]) => r.Properties.SecretId.Ref)[0];
}
function listenerPort(t: Template, listenerId: string): number {
  return resources(t, 'AWS::ElasticLoadBalancingV2::Listener')[listenerId].Properties.Port;
}
function roleId(t: Template): string {
  return Object.entries(resources(t, 'AWS::IAM::Role')).find(([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal?.Service === 'ecs.amazonaws.com')![0];
}
