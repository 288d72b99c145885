import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, newApp, snippetApp, snippetProps } from './helpers';
import {
  CostBudget,
  DeploymentEnvironment,
  HardenedServiceStack,
  ServiceDatabase,
  ServiceImageRepository,
  ServiceNetwork,
} from '../../src';
import { estimateMonthlyCost } from '../../src/core/cost-model';
import { DEPLOYED_IMAGE_TAG_PREFIX, DEPLOYED_IMAGES_KEPT, SERVICE_DEFAULTS } from '../../src/core/defaults';
import { MANAGED_RULE_GROUPS } from '../../src/core/firewall-rules';
import { resolveSettings } from '../../src/core/settings';

const { STAGING, PRODUCTION } = DeploymentEnvironment;
const { staging, production } = snippetApp();
const stg = Template.fromStack(staging);
const prod = Template.fromStack(production);
const both: [string, Template][] = [['staging', stg], ['production', prod]];

describe('ServiceNetwork', () => {
  test('has public, private and isolated subnets with no public IPs on launch', () => {
    for (const [, t] of both) {
      const subnets = Object.values(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties);
      expect(subnets.every((s) => s.MapPublicIpOnLaunch === false)).toBe(true);
      const types = new Set(subnets.map((s) => s.Tags.find((tag: any) => tag.Key === 'aws-cdk:subnet-type').Value));
      expect(types).toEqual(new Set(['Public', 'Private', 'Isolated']));
    }
  });

  test('uses one NAT gateway over 2 AZs in staging and one per AZ over 3 AZs in production', () => {
    stg.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.resourceCountIs('AWS::EC2::NatGateway', 3);
    stg.resourceCountIs('AWS::EC2::Subnet', 6);
    prod.resourceCountIs('AWS::EC2::Subnet', 9);
  });

  test('writes all flow logs to a KMS-encrypted log group with retention', () => {
    for (const [, t] of both) {
      t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      const groups = Object.values(t.findResources('AWS::Logs::LogGroup'));
      expect(groups.every((g) => g.Properties.KmsKeyId && g.Properties.RetentionInDays)).toBe(true);
    }
  });

  test('closes the default security group and adds S3, ECR, Logs and Secrets Manager endpoints', () => {
    for (const [, t] of both) {
      t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
      const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((r) => JSON.stringify(r.Properties.ServiceName));
      for (const service of ['.s3', '.ecr.api', '.ecr.dkr', '.logs', '.secretsmanager']) {
        expect(endpoints.some((name) => name.includes(service))).toBe(true);
      }
    }
  });

  test('works on its own in any stack', () => {
    const stack = new Stack(newApp({}), 'net', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: PRODUCTION, cidr: '10.20.0.0/16' });
    expect(network.vpc.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
  });
});

describe('ServiceImageRepository', () => {
  test('scans on push, keeps tags immutable, encrypts with KMS and expires images', () => {
    prod.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'hedis-optimizer-production',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countType":"sinceImagePushed"') },
    });
  });

  test.each(both)('the lifecycle can never delete a deployed (running or rollback) image in %s', (_env, t) => {
    // GIVEN the synthesized lifecycle policy
    const repository = Object.values(t.findResources('AWS::ECR::Repository'))[0];
    const policy = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText);

    // THEN the highest-priority rule takes every image the deploy path tagged, and keeps many
    // of them; ECR evaluates an image only under the first rule whose tag condition it meets
    const rules = [...policy.rules].sort((a: any, b: any) => a.rulePriority - b.rulePriority);
    expect(rules[0]).toEqual({
      rulePriority: 1,
      description: `Keep the ${DEPLOYED_IMAGES_KEPT} most recent deployed images (tag prefix ${DEPLOYED_IMAGE_TAG_PREFIX})`,
      selection: { tagStatus: 'tagged', tagPrefixList: [DEPLOYED_IMAGE_TAG_PREFIX], countType: 'imageCountMoreThan', countNumber: DEPLOYED_IMAGES_KEPT },
      action: { type: 'expire' },
    });
    expect(DEPLOYED_IMAGE_TAG_PREFIX).toBe('deployed-');
    expect(DEPLOYED_IMAGES_KEPT).toBeGreaterThanOrEqual(1000);
    // the count rule for everything else comes after it, so it counts never-deployed images only
    expect(rules.map((r: any) => r.selection.tagStatus)).toEqual(['tagged', 'untagged', 'any']);
    expect(rules[2].selection).toEqual({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 });
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'ecr');
    new ServiceImageRepository(stack, 'Images', { repositoryName: 'svc', maxImageCount: 10 });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":10') },
    });
  });
});

describe('ServiceDatabase', () => {
  test.each([
    ['staging', stg, 'db.t3.small', 7, false],
    ['production', prod, 'db.t3.medium', 35, true],
  ] as const)('%s: encrypted, private, IAM auth, backups, logs, monitoring', (_n, t, instanceClass, retention, ha) => {
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      // The major only: RDS picks the minor and upgrades it (a pinned minor stops deploying once
      // RDS retires it, and fights the automatic minor upgrades).
      EngineVersion: String(SERVICE_DEFAULTS.postgresMajorVersion),
      AutoMinorVersionUpgrade: true,
      DBInstanceClass: instanceClass,
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      BackupRetentionPeriod: retention,
      MultiAZ: ha,
      DeletionProtection: ha,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      MonitoringInterval: 60,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
    });
  });

  test('forces TLS, rotates credentials and is in an AWS Backup plan', () => {
    for (const [, t] of both) {
      t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
      t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
      t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.anyValue(), GenerateSecretString: Match.anyValue() });
      t.resourceCountIs('AWS::Backup::BackupSelection', 1);
      t.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    }
  });

  test('admits only the service and the rotation function, on the literal port', () => {
    const ingress = Object.values(prod.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) => r.Properties.FromPort === 5432);
    expect(ingress).toHaveLength(2);
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'db', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: STAGING });
    const db = new ServiceDatabase(stack, 'Db', { vpc: network.vpc, environment: STAGING, instanceIdentifier: 'svc-staging', instanceClass: 't3.large' });
    expect(db.port).toBe(5432);
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t3.large' });
  });
});

describe('ServiceCache', () => {
  test('encrypts in transit and at rest, uses an AUTH token and keeps snapshots', () => {
    for (const [, t] of both) {
      t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'redis',
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        KmsKeyId: Match.anyValue(),
        SnapshotRetentionLimit: Match.anyValue(),
      });
      const group = Object.values(t.findResources('AWS::ElastiCache::ReplicationGroup'))[0].Properties;
      // A dynamic reference, resolved by CloudFormation: the token never appears in the template.
      expect(JSON.stringify(group.AuthToken)).toMatch(/\{\{resolve:secretsmanager:/);
      expect(group.SnapshotRetentionLimit).toBeGreaterThanOrEqual(15);
    }
  });

  test('fails over across AZs in production only', () => {
    prod.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumCacheClusters: 2, MultiAZEnabled: true, AutomaticFailoverEnabled: true });
    stg.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumCacheClusters: 1, MultiAZEnabled: false });
  });
});

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
    for (const [name, t] of both) {
      t.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
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

  test('alarms on p95 latency above latencyP95Ms', () => {
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'hedis-optimizer-production-p95-latency',
      ExtendedStatistic: 'p95',
      MetricName: 'TargetResponseTime',
      Threshold: 0.1,
    });
    const stack = new HardenedServiceStack(newApp({}), 'slow', { ...snippetProps(PRODUCTION), latencyP95Ms: 250 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { ExtendedStatistic: 'p95', Threshold: 0.25 });
  });

  test('has four dashboards, saved queries and an error metric filter', () => {
    const dashboards = Object.values(prod.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName).sort();
    expect(dashboards).toEqual(['api', 'cost', 'database', 'errors'].map((n) => `hedis-optimizer-production-${n}`));
    prod.resourceCountIs('AWS::Logs::QueryDefinition', 4);
    prod.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: Match.stringLikeRegexp('error') });
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

describe('AuditTrail', () => {
  test('validates, encrypts and sends the trail to CloudWatch Logs', () => {
    prod.hasResourceProperties('AWS::CloudTrail::Trail', {
      EnableLogFileValidation: true,
      IsMultiRegionTrail: true,
      KMSKeyId: Match.anyValue(),
      CloudWatchLogsLogGroupArn: Match.anyValue(),
    });
  });
});

describe('GithubDeployRole', () => {
  const trust = (t: Template, roleName: string) =>
    Object.values(t.findResources('AWS::IAM::Role')).find((r) => r.Properties.RoleName === roleName)!.Properties;

  test('lets only the production environment of the repository assume the production deploy role', () => {
    const role = trust(prod, 'hedis-optimizer-production-github-deploy');
    const condition = role.AssumeRolePolicyDocument.Statement[0].Condition;
    expect(condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:example-org/hedis-optimizer:environment:production',
    ]);
    expect(condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.Policies).toBeUndefined();
  });

  test('lets pushes to main only publish images', () => {
    const role = trust(stg, 'hedis-optimizer-staging-github-deploy-publish');
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:example-org/hedis-optimizer:ref:refs/heads/main',
    ]);
  });

  test.each(both)('the %s deploy role may tag the image it deploys and read its own stack\'s outputs, nothing wider', (_env, t) => {
    // GIVEN the deploy policy
    const policy = Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
      .find((p) => JSON.stringify(p.Properties.Description).startsWith('{"Fn::Join":["",["Deploy '))!;
    const statement = (sid: string) => policy.Properties.PolicyDocument.Statement.find((st: any) => st.Sid === sid);

    // THEN re-tagging (PutImage, no layer upload) on the repository only
    expect(statement('TagDeployedImages')).toMatchObject({ Action: 'ecr:PutImage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ImagesRepository/), 'Arn'] } });
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(actions).not.toContain('ecr:InitiateLayerUpload');
    // and DescribeStacks on this stack alone (its id, no wildcard)
    expect(statement('ReadStackOutputs')).toMatchObject({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } });
  });

  test('creates the OIDC provider, or uses an existing one', () => {
    prod.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    const stack = new HardenedServiceStack(newApp({}), 'existing', {
      ...snippetProps(PRODUCTION),
      githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });
});

describe('health URL vs certificate name: a domain with a certificate and DNS managed elsewhere', () => {
  test('ServiceUrl is the domain, no record is created, and the load balancer name is its own output', () => {
    // GIVEN a domain the given certificate covers, and no hosted zone
    const stack = new HardenedServiceStack(newApp({}), 'domain', { ...snippetProps(PRODUCTION), domainName: 'api.hedis.example' });
    const t = Template.fromStack(stack);
    // THEN
    expect(t.findOutputs('ServiceUrl').ServiceUrl.Value).toBe('https://api.hedis.example');
    expect(t.findOutputs('LoadBalancerDnsName').LoadBalancerDnsName.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/LoadBalancer/), 'DNSName'] });
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });
});

describe('CostBudget', () => {
  test('alerts on actual and forecast spend of the environment budget', () => {
    // The default budget is production's cost estimate plus the margin.
    const budget = estimateMonthlyCost(resolveSettings(snippetProps(PRODUCTION), PRODUCTION)).defaultBudgetUsd;
    prod.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: budget, Unit: 'USD' }, TimeUnit: 'MONTHLY' }),
      NotificationsWithSubscribers: [
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 80 }) }),
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }) }),
      ],
    });
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'budget');
    new CostBudget(stack, 'Budget', { budgetName: 'b', monthlyLimitUsd: 42, topic: new sns.Topic(stack, 'T') });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ BudgetLimit: { Amount: 42, Unit: 'USD' } }) });
  });
});

describe('one option value flows everywhere in the stack', () => {
  test('containerPort reaches the container, target group and security group', () => {
    const stack = new HardenedServiceStack(newApp({}), 'port', { ...snippetProps(STAGING), containerPort: 9000, healthCheckPath: '/healthz' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 9000, HealthCheckPath: '/healthz' });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: 9000 })] })],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 9000, ToPort: 9000 });
  });

  test('database and cache can be turned off', () => {
    const stack = new HardenedServiceStack(newApp({}), 'stateless', { ...snippetProps(STAGING), database: false, cache: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    t.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    const container = Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];
    // Only the API keys' digests (the default authentication) remain.
    expect(container.Secrets.map((s: any) => s.Name)).toEqual(['API_KEYS']);
    expect(stack.database).toBeUndefined();
  });

  test('an explicit image replaces the ECR tag parameter', () => {
    const stack = new HardenedServiceStack(newApp({}), 'img', { ...snippetProps(STAGING), image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1.2.3') });
    const t = Template.fromStack(stack);
    expect(Object.keys(t.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual([]);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/example/app:1.2.3' })],
    });
  });

  test('by default the image tag comes from the SSM parameter the deploy tool updates', () => {
    const params = stg.toJSON().Parameters;
    const ssm = Object.values<any>(params).find((p) => p.Type === 'AWS::SSM::Parameter::Value<String>');
    expect(ssm.Default).toBe('/hedis-optimizer/staging/image-tag');
  });
});
