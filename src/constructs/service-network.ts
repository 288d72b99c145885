import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newLogsKey } from './private/encryption-keys';
import { DeploymentEnvironment } from '../core/deployment-environment';
import { ENVIRONMENT_PRESETS } from '../core/presets';
import { retentionDays } from './private/log-retention';

/** Properties of `ServiceNetwork`. */
export interface ServiceNetworkProps {
  /** Environment, whose presets give the defaults of `maxAzs`, `natGatewayPerAz` and `flowLogRetentionDays`. */
  readonly environment: DeploymentEnvironment;

  /**
   * Availability Zones to spread the subnets over.
   * @default - staging 2, production 3
   */
  readonly maxAzs?: number;

  /**
   * One NAT gateway per Availability Zone, instead of one for the VPC.
   * @default - staging false, production true
   */
  readonly natGatewayPerAz?: boolean;

  /**
   * CIDR block of the VPC.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;

  /**
   * Availability Zones to use. Naming them avoids a context lookup at synth time.
   * @default - `<region>a`, `<region>b` (and `<region>c` in production) when the stack's region is known, otherwise two AZs resolved at deploy time
   */
  readonly availabilityZones?: string[];

  /**
   * KMS key for the flow log group.
   * @default - a new key with rotation
   */
  readonly logsKey?: kms.IKey;

  /**
   * Days to keep flow logs.
   * @default - staging 90, production 365
   */
  readonly flowLogRetentionDays?: number;
}

/**
 * A VPC with public, private-with-egress and isolated subnets over two or three AZs, NAT
 * gateways (one in staging, one per AZ in production), no public IPs assigned on launch,
 * the default security group closed, KMS-encrypted flow logs, and endpoints for S3, ECR,
 * CloudWatch Logs and Secrets Manager so that image pulls, logs and secrets stay off the
 * internet.
 */
export class ServiceNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** Log group that receives the VPC flow logs. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The VPC flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** Interface endpoint for Secrets Manager (the rotation function uses it). */
  public readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint;
  /** Security group of the interface endpoints. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** Every interface endpoint, by service. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];

  constructor(scope: Construct, id: string, props: ServiceNetworkProps) {
    super(scope, id);
    const preset = ENVIRONMENT_PRESETS[props.environment];
    const maxAzs = props.maxAzs ?? preset.maxAzs;
    const natGatewayPerAz = props.natGatewayPerAz ?? preset.natGateways === 'per-az';
    const flowLogRetentionDays = props.flowLogRetentionDays ?? preset.logRetentionDays;
    const region = Stack.of(this).region;
    const availabilityZones = props.availabilityZones ?? defaultZones(region, maxAzs);
    const logsKey = props.logsKey ?? newLogsKey(this, 'LogsKey', 'VPC flow logs');
    const cidr = props.cidr ?? '10.0.0.0/16';

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      ...(availabilityZones ? { availabilityZones } : { maxAzs }),
      natGateways: natGatewayPerAz ? (availabilityZones?.length ?? maxAzs) : 1,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    for (const subnet of this.vpc.publicSubnets) {
      acknowledge(subnet, ACK.publicSubnetRouteToIgw);
    }

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: logsKey,
      retention: retentionDays(flowLogRetentionDays),
    });
    this.flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    acknowledge(this.flowLog, ACK.inlineGrantPolicy);

    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // One security group for the interface endpoints, open on 443 to the VPC's literal CIDR
    // (a CIDR token would keep the compliance rules from evaluating the ingress).
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'HTTPS from the VPC to AWS service endpoints',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    const endpoint = (name: string, service: ec2.InterfaceVpcEndpointAwsService) =>
      this.vpc.addInterfaceEndpoint(name, {
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [this.endpointSecurityGroup],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    this.secretsManagerEndpoint = endpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
    this.interfaceEndpoints = [
      endpoint('EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR),
      endpoint('EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER),
      endpoint('Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS),
      this.secretsManagerEndpoint,
    ];
  }
}

/** `<region>a`, `<region>b`, ... when the region is a literal; otherwise undefined. */
function defaultZones(region: string | undefined, count: number): string[] | undefined {
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return undefined;
  return ['a', 'b', 'c'].slice(0, count).map((letter) => `${region}${letter}`);
}
