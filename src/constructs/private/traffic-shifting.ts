import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './acknowledgements';
import { DeploymentSettings, DeploymentStrategyName, TARGET_HEALTH, TEST_LISTENER_PORT } from '../../core/deployment-strategy';

/**
 * What ECS needs to shift traffic between two revisions behind an ALB (canary, linear,
 * blue/green), as ECS documents it: two IP target groups with the same health check, a
 * production listener rule and a test listener rule that each forward to both groups (weights
 * 100/0; ECS changes the weights), only forward actions on those listeners, and a role that ECS
 * assumes to change them. Internal to `ApiService`.
 */
export interface TrafficShifting {
  readonly alternateTargetGroup: elbv2.ApplicationTargetGroup;
  readonly productionListenerRule: elbv2.ApplicationListenerRule;
  readonly testListener: elbv2.ApplicationListener;
  readonly testListenerRule: elbv2.ApplicationListenerRule;
  readonly loadBalancerRole: iam.Role;
}

export interface TrafficShiftingProps {
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly certificate: acm.ICertificate;
  readonly primaryTargetGroup: elbv2.ApplicationTargetGroup;
  readonly alternateTargetGroupName?: string;
  readonly port: number;
  readonly healthCheck: elbv2.HealthCheck;
  readonly service: ecs.FargateService;
  readonly containerName: string;
}

/** The health check of both target groups, from `TARGET_HEALTH`. */
export function targetHealthCheck(path: string): elbv2.HealthCheck {
  return {
    path,
    healthyHttpCodes: '200',
    interval: Duration.seconds(TARGET_HEALTH.intervalSeconds),
    timeout: Duration.seconds(TARGET_HEALTH.timeoutSeconds),
    healthyThresholdCount: TARGET_HEALTH.healthyThresholdCount,
    unhealthyThresholdCount: TARGET_HEALTH.unhealthyThresholdCount,
  };
}

/** The FargateService props of a strategy: the circuit breaker for rolling, ECS's strategy otherwise. */
export function deploymentProps(d: DeploymentSettings): Partial<ecs.FargateServiceProps> {
  if (!DeploymentStrategyName.shiftsTraffic(d.strategy)) {
    // ECS allows the circuit breaker only with rolling updates.
    return { circuitBreaker: { enable: true, rollback: true } };
  }
  const step = (percent: number, minutes: number): ecs.TrafficShiftConfig => ({ stepPercent: percent, stepBakeTime: Duration.minutes(minutes) });
  return {
    // Off, and said so: ECS runs the circuit breaker only in rolling updates; here the
    // deployment alarms and the bake decide, and failing tasks never receive production traffic.
    circuitBreaker: { enable: false, rollback: false },
    deploymentStrategy: DeploymentStrategyName.ecsName(d.strategy) as ecs.DeploymentStrategy,
    bakeTime: Duration.minutes(d.bakeTimeMinutes),
    ...(d.strategy === DeploymentStrategyName.CANARY ? { canaryConfiguration: step(d.canaryPercent, d.canaryBakeMinutes) } : {}),
    ...(d.strategy === DeploymentStrategyName.LINEAR ? { linearConfiguration: step(d.linearStepPercent, d.linearStepMinutes) } : {}),
  };
}

/** Adds the alternate target group, both listener rules, the test listener and ECS's role; attaches the service. */
export function addTrafficShifting(scope: Construct, props: TrafficShiftingProps): TrafficShifting {
  const alternateTargetGroup = new elbv2.ApplicationTargetGroup(scope, 'AlternateTargetGroup', {
    vpc: props.vpc,
    targetGroupName: props.alternateTargetGroupName,
    targetType: elbv2.TargetType.IP,
    port: props.port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    deregistrationDelay: Duration.seconds(TARGET_HEALTH.deregistrationDelaySeconds),
    healthCheck: props.healthCheck,
  });
  const bothGroups = () =>
    elbv2.ListenerAction.weightedForward([
      { targetGroup: props.primaryTargetGroup, weight: 100 },
      { targetGroup: alternateTargetGroup, weight: 0 },
    ]);
  const everyPath = [elbv2.ListenerCondition.pathPatterns(['/*'])];
  const productionListenerRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
    listener: props.httpsListener,
    priority: 1,
    conditions: everyPath,
    action: bothGroups(),
  });

  // Test traffic reaches the new revision before production does; only the VPC may send it.
  const testListener = props.loadBalancer.addListener('TestHttps', {
    port: TEST_LISTENER_PORT,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [props.certificate],
    sslPolicy: elbv2.SslPolicy.TLS13_RES,
    open: false,
    defaultAction: bothGroups(),
  });
  // A rule of its own (not inline in the group): the VPC's CIDR is a deploy-time value that
  // the port rules cannot evaluate, and only this rule is acknowledged for it.
  const testIngress = new ec2.CfnSecurityGroupIngress(scope, 'TestListenerIngress', {
    groupId: props.loadBalancerSecurityGroup.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: TEST_LISTENER_PORT,
    toPort: TEST_LISTENER_PORT,
    cidrIp: props.vpc.vpcCidrBlock,
    description: 'Test listener of the new revision, from inside the VPC only',
  });
  acknowledge(testIngress, ...ACK.testListenerIngress);
  const testListenerRule = new elbv2.ApplicationListenerRule(scope, 'TestRule', {
    listener: testListener,
    priority: 1,
    conditions: everyPath,
    action: bothGroups(),
  });

  const loadBalancerRole = ecsLoadBalancerRole(scope, {
    targetGroups: [props.primaryTargetGroup.targetGroupArn, alternateTargetGroup.targetGroupArn],
    rules: [productionListenerRule.listenerRuleArn, testListenerRule.listenerRuleArn],
    listeners: [props.httpsListener.listenerArn, testListener.listenerArn],
  });

  props.primaryTargetGroup.addTarget(
    props.service.loadBalancerTarget({
      containerName: props.containerName,
      containerPort: props.port,
      alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionListenerRule),
        testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testListenerRule),
        role: loadBalancerRole,
      }),
    }),
  );
  // ECS checks the rules when it creates the service.
  props.service.node.addDependency(productionListenerRule, testListenerRule);
  return { alternateTargetGroup, productionListenerRule, testListener, testListenerRule, loadBalancerRole };
}

/**
 * The role ECS assumes to shift traffic: what AWS's AmazonECSInfrastructureRolePolicyForLoadBalancers
 * allows, limited to this service's two target groups, two rules and two listeners (the
 * Describe calls support no resource-level permissions). A customer-managed policy, so no
 * inline policy and no AWS-managed policy.
 */
function ecsLoadBalancerRole(scope: Construct, on: { targetGroups: string[]; rules: string[]; listeners: string[] }): iam.Role {
  const role = new iam.Role(scope, 'LoadBalancerRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: 'ECS shifts the service\'s traffic between its two target groups',
  });
  const policy = new iam.ManagedPolicy(scope, 'LoadBalancerPolicy', {
    description: 'Only the service\'s own target groups, listener rules and listeners',
    statements: [
      new iam.PolicyStatement({
        sid: 'DescribeLoadBalancing',
        actions: [
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeRules',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetHealth',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'RegisterTasks',
        actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        resources: on.targetGroups,
      }),
      new iam.PolicyStatement({ sid: 'ShiftTraffic', actions: ['elasticloadbalancing:ModifyRule'], resources: on.rules }),
      new iam.PolicyStatement({ sid: 'ModifyListeners', actions: ['elasticloadbalancing:ModifyListener'], resources: on.listeners }),
    ],
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, ACK.loadBalancingDescribe);
  return role;
}
