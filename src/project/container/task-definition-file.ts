import { Component, JsonFile, Project } from 'projen';
import { AuthenticationMode } from '../../core/authentication';
import { API_KEYS_SECRET_VARIABLE, CACHE_SECRET_VARIABLE, containerEnvironment, DATABASE_SECRET_FIELDS } from '../../core/container-environment';
import { TASK_PLATFORM } from '../../core/defaults';
import { DEPLOYMENT_ALARM_IDS, DeploymentStrategyName, TARGET_HEALTH } from '../../core/deployment-strategy';
import { alarmDefinitions } from '../../core/monitoring-definitions';
import { CONTAINER_UID, EnvironmentModel, ServiceModel } from '../service-model';

/**
 * `infrastructure/aws/ecs-task-definition.json`: the production task definition rendered from
 * the same settings as the stack, in the shape `aws ecs register-task-definition
 * --cli-input-json` takes (the "//" marker aside). Values that exist only once the stack is
 * deployed are written as `<OutputName>` placeholders naming the stack output that holds them.
 */
export class TaskDefinitionFile extends Component {
  /** The JSON file. */
  public readonly file: JsonFile;
  /**
   * `infrastructure/aws/ecs-service-deployment.json`: how production's service rolls out (the
   * strategy is the service's, not the task definition's), in the shape `aws ecs update-service
   * --cli-input-json` takes, from the same settings as the stack.
   */
  public readonly deploymentFile: JsonFile;

  constructor(project: Project, model: ServiceModel, filePath = 'infrastructure/aws/ecs-task-definition.json') {
    super(project);
    this.file = new JsonFile(project, filePath, { obj: () => taskDefinition(model, model.production) });
    this.deploymentFile = new JsonFile(project, filePath.replace(/[^/]+$/, 'ecs-service-deployment.json'), {
      obj: () => serviceDeployment(model.production),
    });
  }
}

/** The service's deployment configuration of one environment, as the stack sets it. */
export function serviceDeployment(env: EnvironmentModel): object {
  const s = env.settings;
  const d = s.deployment;
  const shifts = DeploymentStrategyName.shiftsTraffic(d.strategy);
  const alarms = alarmDefinitions(s, { loadBalancerFullName: '', targetGroupFullName: '', clusterName: '', serviceName: '', appLogGroupName: '' })
    .filter((a) => (DEPLOYMENT_ALARM_IDS as readonly string[]).includes(a.id))
    .map((a) => a.name);
  return {
    cluster: s.names.clusterName,
    service: s.names.serviceName,
    healthCheckGracePeriodSeconds: TARGET_HEALTH.healthCheckGracePeriodSeconds,
    deploymentConfiguration: {
      ...(shifts ? { strategy: DeploymentStrategyName.ecsName(d.strategy) } : {}),
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: !shifts, rollback: !shifts },
      alarms: { alarmNames: alarms, enable: true, rollback: true },
      ...(shifts ? { bakeTimeInMinutes: d.bakeTimeMinutes } : {}),
      ...(d.strategy === DeploymentStrategyName.CANARY
        ? { canaryConfiguration: { canaryPercent: d.canaryPercent, canaryBakeTimeInMinutes: d.canaryBakeMinutes } }
        : {}),
      ...(d.strategy === DeploymentStrategyName.LINEAR
        ? { linearConfiguration: { stepPercent: d.linearStepPercent, stepBakeTimeInMinutes: d.linearStepMinutes } }
        : {}),
    },
  };
}

/** The task definition of one environment, as plain data. */
export function taskDefinition(model: ServiceModel, env: EnvironmentModel): object {
  const s = env.settings;
  const account = env.account ?? '<account-id>';
  const environment = containerEnvironment(s, '<RedisPrimaryEndpoint>');
  const secrets: { name: string; valueFrom: string }[] = [];
  if (s.database) {
    for (const [name, field] of Object.entries(DATABASE_SECRET_FIELDS)) {
      secrets.push({ name, valueFrom: `<DatabaseSecretArn>:${field}::` });
    }
  }
  if (s.cache) {
    secrets.push({ name: CACHE_SECRET_VARIABLE, valueFrom: '<RedisAuthTokenSecretArn>' });
  }
  if (AuthenticationMode.usesApiKeys(s.authentication)) {
    secrets.push({ name: API_KEYS_SECRET_VARIABLE, valueFrom: '<ApiKeysSecretArn>' });
  }
  return {
    family: s.names.taskFamily,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(s.cpu),
    memory: String(s.memoryLimitMiB),
    runtimePlatform: { cpuArchitecture: TASK_PLATFORM.cpuArchitecture, operatingSystemFamily: 'LINUX' },
    executionRoleArn: '<TaskExecutionRoleArn>',
    taskRoleArn: '<TaskRoleArn>',
    volumes: [{ name: 'tmp' }],
    containerDefinitions: [
      {
        name: s.names.containerName,
        image: `${account}.dkr.ecr.${model.region}.amazonaws.com/${s.names.repositoryName}:<image-tag>`,
        essential: true,
        user: `${CONTAINER_UID}:${CONTAINER_UID}`,
        readonlyRootFilesystem: true,
        privileged: false,
        memory: s.memoryLimitMiB,
        portMappings: [{ containerPort: s.containerPort, protocol: 'tcp', name: 'http' }],
        environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
        secrets,
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: 30,
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': s.names.appLogGroup,
            'awslogs-region': model.region,
            'awslogs-stream-prefix': s.names.containerName,
          },
        },
      },
    ],
  };
}
