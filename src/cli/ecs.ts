import {
  ContainerDefinition,
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  RunTaskCommandInput,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  StopTaskCommand,
  Tag,
  Task,
  TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { AwsCaller } from './aws';
import { OperationFailedError, UsageError } from './errors';
import { Deadline } from './timing';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { serviceNames } from '../core/names';

/** A cluster and a service in it, as the user named them. */
export interface ServiceRef {
  readonly cluster: string;
  readonly service: string;
}

/** A task definition with its tags (they are copied to new revisions). */
export interface RevisionDetails {
  readonly taskDefinition: TaskDefinition;
  readonly tags: Tag[];
}

/** The container the stack names `app`: the default when a task has several containers. */
export const DEFAULT_CONTAINER = serviceNames('service', DeploymentEnvironment.STAGING).containerName;

/** The ECS calls the commands need, each retried and bounded by a deadline. */
export class EcsOperations {
  constructor(private readonly client: ECSClient, private readonly caller: AwsCaller) {}

  /** The service; an unknown cluster or service is bad input. */
  public async describeService(ref: ServiceRef, deadline: Deadline): Promise<Service> {
    let out;
    try {
      out = await this.caller.call('DescribeServices', deadline, (abortSignal) =>
        this.client.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }), { abortSignal }));
    } catch (err) {
      if (err instanceof Error && err.name === 'ClusterNotFoundException') {
        throw new UsageError(`--cluster "${ref.cluster}" was not found in ${await this.region()}; check the name (the stack names it <service>-<environment>) and AWS_REGION`);
      }
      throw err;
    }
    const service = out.services?.find((s) => s.status !== 'INACTIVE');
    if (!service) {
      throw new UsageError(`--service "${ref.service}" was not found in cluster "${ref.cluster}" (${await this.region()}); check the name (the stack names it <service>)`);
    }
    if (!service.taskDefinition) {
      throw new UsageError(`--service "${ref.service}" has no task definition (it uses task sets or an external deployment controller), which this tool does not deploy`);
    }
    return service;
  }

  public async describeTaskDefinition(taskDefinition: string, deadline: Deadline, flag?: string): Promise<RevisionDetails> {
    try {
      const out = await this.caller.call('DescribeTaskDefinition', deadline, (abortSignal) =>
        this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal }));
      if (!out.taskDefinition) {
        throw new OperationFailedError(`DescribeTaskDefinition returned nothing for ${taskDefinition}`);
      }
      return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
    } catch (err) {
      if (flag && err instanceof Error && (err.name === 'ClientException' || err.name === 'TaskDefinitionNotFoundException')) {
        throw new UsageError(`${flag} "${taskDefinition}" is not a task definition revision in ${await this.region()} (${err.message}); list them with hardened-service revisions --cluster CLUSTER --service SERVICE`);
      }
      throw err;
    }
  }

  /** Registers a new revision of `current`'s family, identical except for one container's image. */
  public async registerWithImage(current: RevisionDetails, containerName: string, image: string, deadline: Deadline): Promise<TaskDefinition> {
    const td = current.taskDefinition;
    const containerDefinitions: ContainerDefinition[] = (td.containerDefinitions ?? []).map((c) =>
      c.name === containerName ? { ...c, image } : c);
    // Everything the caller can set, nothing ECS sets (ARN, revision, status, timestamps).
    const input: RegisterTaskDefinitionCommandInput = {
      family: td.family,
      taskRoleArn: td.taskRoleArn,
      executionRoleArn: td.executionRoleArn,
      networkMode: td.networkMode,
      containerDefinitions,
      volumes: td.volumes,
      placementConstraints: td.placementConstraints,
      requiresCompatibilities: td.requiresCompatibilities,
      cpu: td.cpu,
      memory: td.memory,
      pidMode: td.pidMode,
      ipcMode: td.ipcMode,
      proxyConfiguration: td.proxyConfiguration,
      inferenceAccelerators: td.inferenceAccelerators,
      ephemeralStorage: td.ephemeralStorage,
      runtimePlatform: td.runtimePlatform,
      enableFaultInjection: td.enableFaultInjection,
      tags: current.tags.length > 0 ? current.tags : undefined,
    };
    const out = await this.caller.call('RegisterTaskDefinition', deadline, (abortSignal) =>
      this.client.send(new RegisterTaskDefinitionCommand(input), { abortSignal }));
    if (!out.taskDefinition?.taskDefinitionArn) {
      throw new OperationFailedError('RegisterTaskDefinition returned no task definition');
    }
    return out.taskDefinition;
  }

  public async updateService(ref: ServiceRef, taskDefinitionArn: string, deadline: Deadline): Promise<Service> {
    const out = await this.caller.call('UpdateService', deadline, (abortSignal) =>
      this.client.send(new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, taskDefinition: taskDefinitionArn }), { abortSignal }));
    return out.service ?? {};
  }

  public async runTask(input: RunTaskCommandInput, deadline: Deadline): Promise<Task> {
    const out = await this.caller.call('RunTask', deadline, (abortSignal) =>
      this.client.send(new RunTaskCommand(input), { abortSignal }));
    const task = out.tasks?.[0];
    if (!task?.taskArn) {
      const reasons = (out.failures ?? []).map((f) => `${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`).join(', ');
      throw new OperationFailedError(`RunTask started no task${reasons ? `: ${reasons}` : ''}`);
    }
    return task;
  }

  public async describeTask(cluster: string, taskArn: string, deadline: Deadline): Promise<Task> {
    const out = await this.caller.call('DescribeTasks', deadline, (abortSignal) =>
      this.client.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), { abortSignal }));
    const task = out.tasks?.find((t) => t.taskArn === taskArn) ?? out.tasks?.[0];
    if (!task) {
      throw new OperationFailedError(`task ${taskArn} disappeared from cluster ${cluster}`);
    }
    return task;
  }

  public async stopTask(cluster: string, taskArn: string, reason: string, deadline: Deadline): Promise<void> {
    await this.caller.call('StopTask', deadline, (abortSignal) =>
      this.client.send(new StopTaskCommand({ cluster, task: taskArn, reason }), { abortSignal }));
  }

  /** Marks a revision INACTIVE, so that `rollback` never picks it. */
  public async deregister(taskDefinitionArn: string, deadline: Deadline): Promise<void> {
    await this.caller.call('DeregisterTaskDefinition', deadline, (abortSignal) =>
      this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }), { abortSignal }));
  }

  /** ACTIVE revision ARNs of a family, oldest first. */
  public async listActiveRevisions(family: string, deadline: Deadline): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.caller.call('ListTaskDefinitions', deadline, (abortSignal) =>
        this.client.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'ASC', nextToken }), { abortSignal }));
      arns.push(...(out.taskDefinitionArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns
      .filter((arn) => familyOf(arn) === family)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  /**
   * The service's service deployments (ECS's record of each deployment, with its lifecycle
   * stage, traffic and alarms), newest first; the first page (up to 20) is enough to find the
   * one a deploy just started.
   */
  public async listServiceDeployments(ref: ServiceRef, deadline: Deadline): Promise<ServiceDeploymentBrief[]> {
    const out = await this.caller.call('ListServiceDeployments', deadline, (abortSignal) =>
      this.client.send(new ListServiceDeploymentsCommand({ cluster: ref.cluster, service: ref.service }), { abortSignal }));
    return [...(out.serviceDeployments ?? [])].sort((a, b) => time(b.createdAt) - time(a.createdAt));
  }

  public async describeServiceDeployment(arn: string, deadline: Deadline): Promise<ServiceDeployment> {
    const out = await this.caller.call('DescribeServiceDeployments', deadline, (abortSignal) =>
      this.client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal }));
    const found = out.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn);
    if (!found) {
      const why = (out.failures ?? []).map((f) => f.reason).join(', ');
      throw new OperationFailedError(`DescribeServiceDeployments returned nothing for ${arn}${why ? ` (${why})` : ''}`);
    }
    return found;
  }

  public async region(): Promise<string> {
    try {
      return await this.client.config.region();
    } catch {
      return 'the configured region';
    }
  }
}

function time(value: Date | undefined): number {
  return value ? new Date(value).getTime() : 0;
}

/** `my-service:7` from a task definition ARN. */
export function shortRevision(arn: string | undefined): string {
  return arn ? arn.split('/').pop() ?? arn : '(none)';
}

export function revisionOf(arn: string): number {
  return Number(arn.split(':').pop());
}

export function familyOf(arn: string): string {
  const name = arn.split('/').pop() ?? arn;
  return name.slice(0, name.lastIndexOf(':'));
}

/**
 * The container to change: `--container` if given, else the only container, else `app`.
 * Throws a usage error naming the containers there are.
 */
export function pickContainer(td: TaskDefinition, requested: string | undefined): ContainerDefinition {
  const containers = td.containerDefinitions ?? [];
  const names = containers.map((c) => c.name).join(', ');
  if (requested !== undefined) {
    const found = containers.find((c) => c.name === requested);
    if (!found) {
      throw new UsageError(`--container "${requested}" is not in task definition ${shortRevision(td.taskDefinitionArn)}; its containers are: ${names}`);
    }
    return found;
  }
  if (containers.length === 1) {
    return containers[0];
  }
  const app = containers.find((c) => c.name === DEFAULT_CONTAINER);
  if (!app) {
    throw new UsageError(`task definition ${shortRevision(td.taskDefinitionArn)} has several containers (${names}) and none is named "${DEFAULT_CONTAINER}"; pass --container NAME`);
  }
  return app;
}
