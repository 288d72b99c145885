import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export const REGION = 'us-east-1';
export const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer';

/** Dummy credentials and the region, for every SDK client in the tests (moto ignores signatures). */
export function setAwsTestEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  process.env.AWS_REGION = REGION;
  delete process.env.AWS_PROFILE;
  // The SDK's "Node 22 from 2027" notice, once per test process, is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

/** One service as the stack would make it, in moto: names follow `serviceNames()`. */
export interface ServiceFixture {
  readonly name: string;
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  /** Revision 1, which the service runs at the start. */
  readonly initialTaskDefinition: string;
  readonly initialImage: string;
  readonly parameter: string;
  readonly subnets: string[];
  readonly securityGroup: string;
}

/** Reads and creates emulator state directly (not through the proxy). */
export class Emulator {
  public readonly ecs: ECSClient;
  public readonly ssm: SSMClient;
  public readonly ec2: EC2Client;
  private count = 0;

  constructor(endpoint: string) {
    const config = { endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    this.ecs = new ECSClient(config);
    this.ssm = new SSMClient(config);
    this.ec2 = new EC2Client(config);
  }

  /**
   * A VPC with DNS hostnames (moto's RunTask needs them), two subnets, a security group, a
   * cluster, a Fargate task definition with an `app` container and a sidecar (both with
   * memory, which moto's RunTask needs), a service with 2 tasks, and the image-tag parameter.
   */
  public async createService(): Promise<ServiceFixture> {
    const name = `svc${++this.count}-${Date.now().toString(36)}`;
    const cluster = `${name}-staging`;
    const vpc = await this.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc!.VpcId!;
    await this.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const subnets: string[] = [];
    for (const [i, az] of ['us-east-1a', 'us-east-1b'].entries()) {
      const subnet = await this.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: az }));
      subnets.push(subnet.Subnet!.SubnetId!);
    }
    const sg = await this.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `${name}-service`, Description: 'service tasks' }));
    await this.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const initialImage = `${REPOSITORY}:1.0.0`;
    const td = await this.ecs.send(new RegisterTaskDefinitionCommand({
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      executionRoleArn: `arn:aws:iam::123456789012:role/${name}-execution`,
      taskRoleArn: `arn:aws:iam::123456789012:role/${name}-task`,
      containerDefinitions: [
        {
          name: 'app',
          image: initialImage,
          memory: 896,
          essential: true,
          readonlyRootFilesystem: true,
          user: '10001',
          portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
          environment: [{ name: 'PORT', value: '8000' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': `/ecs/${cluster}/app`, 'awslogs-stream-prefix': 'app', 'awslogs-region': REGION },
          },
        },
        { name: 'xray', image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.14', memory: 128, essential: false },
      ],
      tags: [{ key: 'service', value: name }],
    }));
    const initialTaskDefinition = td.taskDefinition!.taskDefinitionArn!;
    await this.ecs.send(new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: initialTaskDefinition,
      desiredCount: 2,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [sg.GroupId!], assignPublicIp: 'DISABLED' } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
    }));
    const parameter = `/${name}/staging/image-tag`;
    await this.ssm.send(new PutParameterCommand({ Name: parameter, Value: '1.0.0', Type: 'String' }));
    return { name, cluster, service: name, family: name, initialTaskDefinition, initialImage, parameter, subnets, securityGroup: sg.GroupId! };
  }

  /** Someone else's deploy, straight to moto: a new revision with `image`, and UpdateService. */
  public async startDeployment(fixture: ServiceFixture, image: string): Promise<string> {
    const current = await this.taskDefinition(fixture.initialTaskDefinition);
    const registered = await this.ecs.send(new RegisterTaskDefinitionCommand({
      family: current.family,
      requiresCompatibilities: current.requiresCompatibilities,
      networkMode: current.networkMode,
      cpu: current.cpu,
      memory: current.memory,
      containerDefinitions: current.containerDefinitions!.map((c) => (c.name === 'app' ? { ...c, image } : c)),
    }));
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    await this.ecs.send(new UpdateServiceCommand({ cluster: fixture.cluster, service: fixture.service, taskDefinition: arn }));
    return arn;
  }

  /** The task definition ARN the service runs, as moto holds it. */
  public async serviceTaskDefinition(fixture: ServiceFixture): Promise<string> {
    const out = await this.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service] }));
    return out.services![0].taskDefinition!;
  }

  public async taskDefinition(arn: string): Promise<TaskDefinition> {
    const out = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    return out.taskDefinition!;
  }

  /** Revision ARNs of the fixture's family with the given status. */
  public async revisions(fixture: ServiceFixture, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
    const out = await this.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status }));
    return out.taskDefinitionArns ?? [];
  }

  public async parameter(fixture: ServiceFixture): Promise<string> {
    const out = await this.ssm.send(new GetParameterCommand({ Name: fixture.parameter }));
    return out.Parameter!.Value!;
  }

  public async setParameter(fixture: ServiceFixture, value: string): Promise<void> {
    await this.ssm.send(new PutParameterCommand({ Name: fixture.parameter, Value: value, Type: 'String', Overwrite: true }));
  }

  public async task(fixture: ServiceFixture, taskArn: string) {
    const out = await this.ecs.send(new DescribeTasksCommand({ cluster: fixture.cluster, tasks: [taskArn] }));
    return out.tasks![0];
  }

  public destroy(): void {
    this.ecs.destroy();
    this.ssm.destroy();
    this.ec2.destroy();
  }
}
