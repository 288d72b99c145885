import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CERTIFICATE_ARN, ENV, newApp, snippetProps, snippetTemplates } from './helpers';
import { ApiService, DeploymentEnvironment, HardenedServiceStack, ServiceNetwork } from '../../src';
import { SERVICE_DEFAULTS } from '../../src/core/defaults';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
let stg: Template, prod: Template;
beforeAll(() => {
  ({ stg, prod } = snippetTemplates());
});
const both = () => snippetTemplates().both;

describe('ApiService', () => {
  test('enables Container Insights', () => {
    prod.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'hedis-optimizer-production',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('runs non-root, read-only containers with secrets from Secrets Manager only', () => {
    const task = Object.values(prod.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
    const [container] = task.ContainerDefinitions;
    expect(container.User).toBe('10001:10001');
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.Privileged).toBe(false);
    expect(container.Secrets.map((s: any) => s.Name).sort()).toEqual(
      ['API_KEYS', 'DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER', 'REDIS_PASSWORD'],
    );
    const envNames = container.Environment.map((e: any) => e.Name);
    expect(envNames.filter((n: string) => /PASSWORD|SECRET|TOKEN/.test(n))).toEqual([]);
    expect(container.MountPoints).toEqual([{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }]);
  });

  test('rolls back failed deployments and uses Fargate Spot in staging only', () => {
    for (const [name, t] of both()) {
      // Staging rolls (circuit breaker with rollback); production canaries, where ECS has no
      // circuit breaker and the deployment alarms roll back (test/constructs/deployment-strategy.test.ts).
      const rolling = name === 'staging';
      t.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: rolling, Rollback: rolling },
          Strategy: rolling ? Match.absent() : 'CANARY',
        }),
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      });
      const service = Object.values(t.findResources('AWS::ECS::Service'))[0].Properties;
      const providers = service.CapacityProviderStrategy.map((p: any) => p.CapacityProvider);
      expect(providers.includes('FARGATE_SPOT')).toBe(name === 'staging');
    }
  });

  test('serves HTTPS with a modern TLS policy and redirects HTTP', () => {
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    });
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) })],
    });
  });

  test('drops invalid headers, logs access and protects production from deletion', () => {
    const attributes = (t: Template) =>
      Object.fromEntries(
        Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0].Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]),
      );
    expect(attributes(prod)).toMatchObject({
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'deletion_protection.enabled': 'true',
      'access_logs.s3.enabled': 'true',
    });
    expect(attributes(stg)['deletion_protection.enabled']).toBe('false');
  });

  test('checks health on the health path and drains quickly', () => {
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'hedis-optimizer-prod-tg',
      HealthCheckPath: '/health',
      Port: 8000,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  test('scales on CPU and on requests between min and max', () => {
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    stg.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 2 });
    const metrics = Object.values(prod.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map(
      (p) => p.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  });

  test('scales on requests at the kit\'s measured target per task, or the one given', () => {
    const requestTarget = (t: Template) =>
      Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'))
        .map((p) => p.Properties.TargetTrackingScalingPolicyConfiguration)
        .find((c) => c.PredefinedMetricSpecification.PredefinedMetricType === 'ALBRequestCountPerTarget').TargetValue;
    expect(requestTarget(prod)).toBe(SERVICE_DEFAULTS.targetRequestsPerTask);
    expect(requestTarget(stg)).toBe(SERVICE_DEFAULTS.targetRequestsPerTask);
    const given = new HardenedServiceStack(newApp({}), 'measured', { ...snippetProps(PRODUCTION), targetRequestsPerTask: 2400 });
    expect(requestTarget(Template.fromStack(given))).toBe(2400);
  });

  test('scales staging to zero outside working hours when asked', () => {
    const stack = new HardenedServiceStack(newApp({}), 'nights', { ...snippetProps(STAGING), scaleToZeroOutsideWorkingHours: true });
    const target = Object.values(Template.fromStack(stack).findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0].Properties;
    expect(target.ScheduledActions.map((a: any) => [a.Schedule, a.ScalableTargetAction])).toEqual([
      ['cron(0 19 ? * MON-FRI *)', { MinCapacity: 0, MaxCapacity: 0 }],
      ['cron(0 7 ? * MON-FRI *)', { MinCapacity: 1, MaxCapacity: 2 }],
    ]);
  });

  test('takes resolved values over its environment\'s presets', () => {
    // GIVEN a staging service without Fargate Spot, with deletion protection and 30 days of logs
    const stack = new Stack(newApp({}), 'api', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: STAGING });
    new ApiService(stack, 'Api', {
      vpc: network.vpc,
      environment: STAGING,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1.2.3'),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
      clusterName: 'svc-staging',
      serviceName: 'svc',
      loadBalancerName: 'svc-stg-alb',
      targetGroupName: 'svc-stg-tg',
      logGroupName: '/ecs/svc-staging/app',
      fargateSpot: false,
      deletionProtection: true,
      logRetentionDays: 30,
    });
    // THEN on-demand tasks only, a protected load balancer, a retained log group and 30 days
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }] });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
    t.hasResource('AWS::Logs::LogGroup', { Properties: Match.objectLike({ LogGroupName: '/ecs/svc-staging/app', RetentionInDays: 30 }), DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
    });
  });
});
