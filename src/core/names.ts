import { DeploymentEnvironment } from './deployment-environment';
import { platformNames } from './platform-baseline';

/** Name of the application's container in the task definition. */
export const CONTAINER_NAME = 'app';

/**
 * Key prefix of the load balancer's access logs in their bucket (the bucket's name is generated:
 * the docs find it from the load balancer's attributes).
 */
export const ALB_ACCESS_LOG_PREFIX = 'alb';

/** Physical names of everything the docs and the deploy tool refer to. */
export interface ServiceNames {
  /** `hedis-optimizer-production` */
  readonly prefix: string;
  readonly stackName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly containerName: string;
  readonly taskFamily: string;
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  /** The second target group of the canary, linear and blue/green strategies. */
  readonly alternateTargetGroupName: string;
  readonly repositoryName: string;
  readonly appLogGroup: string;
  readonly imageTagParameter: string;
  readonly alarmPrefix: string;
  readonly dashboardPrefix: string;
  readonly deployRoleName: string;
  readonly webAclName: string;
  readonly trailName: string;
  readonly alarmTopicName: string;
  readonly budgetName: string;
  /** State machine that redeploys the service after the database secret rotates. */
  readonly rotationRedeployName: string;
  /** Secrets Manager secret of the API keys' digests. */
  readonly apiKeysSecretName: string;
}

/**
 * Names derived from the service name and environment, for the stack and the docs alike. A
 * service that joins a platform (`platformName`) runs in the platform's cluster
 * (`<platformName>-<environment>`, `platformNames`) behind the platform's web ACL; every other
 * name stays the service's.
 */
export function serviceNames(service: string, environment: DeploymentEnvironment, platformName?: string): ServiceNames {
  const prefix = `${service}-${environment}`;
  // Load balancer and target group names are limited to 32 characters.
  const short = `${service}-${environment === DeploymentEnvironment.PRODUCTION ? 'prod' : 'stg'}`;
  return {
    prefix,
    stackName: prefix,
    clusterName: platformName === undefined ? prefix : platformNames(platformName, environment).clusterName,
    serviceName: service,
    containerName: CONTAINER_NAME,
    taskFamily: prefix,
    loadBalancerName: `${short}-alb`,
    targetGroupName: `${short}-tg`,
    alternateTargetGroupName: `${short}-tg-alt`,
    repositoryName: prefix,
    appLogGroup: `/ecs/${prefix}/app`,
    imageTagParameter: `/${service}/${environment}/image-tag`,
    alarmPrefix: prefix,
    dashboardPrefix: prefix,
    deployRoleName: `${prefix}-github-deploy`,
    webAclName: platformName === undefined ? `${prefix}-web-acl` : platformNames(platformName, environment).webAclName,
    trailName: `${prefix}-trail`,
    alarmTopicName: `${prefix}-alarms`,
    budgetName: `${prefix}-monthly`,
    rotationRedeployName: `${prefix}-rotation-redeploy`,
    apiKeysSecretName: `${prefix}/api-keys`,
  };
}
