import { Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { HardenedPlatformStack } from './hardened-platform-stack';
import { DeploymentEnvironment } from '../core/deployment-environment';
import {
  DEFAULT_PLATFORM_NAME,
  PLATFORM_LIST_SEPARATOR,
  platformParameterNames,
  platformZoneCount,
  validatePlatformName,
} from '../core/platform-parameters';
import { assertValid } from '../core/validation';

/** Options of `ServicePlatform.fromParameters`. */
export interface ServicePlatformParametersOptions {
  /** The platform's environment (the service's own). */
  readonly environment: DeploymentEnvironment;
  /**
   * The platform's name.
   * @default "platform"
   */
  readonly platformName?: string;
}

/** What a service stack gets from the platform it joins, bound to that stack. */
export interface ServicePlatformConfig {
  /** The platform's VPC with its public, private and isolated subnets. */
  readonly vpc: ec2.IVpc;
  /** The platform's ECS cluster. */
  readonly cluster: ecs.ICluster;
  /** ARN of the account's GitHub OIDC provider. */
  readonly githubOidcProviderArn: string;
  /** The platform's backup vault. */
  readonly backupVault: backup.IBackupVault;
  /** ARN of the platform's alarm topic. */
  readonly alarmTopicArn: string;
  /** ARN of the second-region vault to copy backups to, or `none` (known at deploy time). */
  readonly backupCopyVaultArn: string;
  /** ARN of the platform's web ACL, to associate with the service's load balancer. */
  readonly webAclArn: string;
}

/** Options of `ServicePlatform.bind`. */
export interface ServicePlatformBindOptions {
  /**
   * Import the platform's isolated subnets (the stack has a database or a cache).
   * @default true
   */
  readonly isolatedSubnets?: boolean;
}

/**
 * The platform a `HardenedServiceStack` joins (its `platform` prop). Either way the service
 * reads the platform's SSM parameters at deploy time (CloudFormation parameters of type
 * `AWS::SSM::Parameter::Value<String>`), so synthesis needs no credentials and no context
 * lookups, and the platform's resources are not locked by cross-stack exports. The number of
 * subnets per tier comes from the environment's preset (`platformZoneCount`), the same one
 * the platform's VPC is built from.
 */
export class ServicePlatform {
  /** The platform published under `/hardened-platform/<platformName>/<environment>/`, deployed separately. */
  public static fromParameters(options: ServicePlatformParametersOptions): ServicePlatform {
    const platformName = options.platformName ?? DEFAULT_PLATFORM_NAME;
    assertValid(validatePlatformName(platformName), 'ServicePlatform.fromParameters options');
    return new ServicePlatform(options.environment, platformName);
  }

  /**
   * A platform stack of the same app: the same parameters, plus a dependency so that
   * `cdk deploy --all` deploys the platform first. The service stack must target the
   * platform's account and region.
   */
  public static fromStack(platformStack: HardenedPlatformStack): ServicePlatform {
    return new ServicePlatform(platformStack.deploymentEnvironment, platformStack.platformName, platformStack);
  }

  /** The platform's environment. */
  public readonly environment: DeploymentEnvironment;
  /** The platform's name. */
  public readonly platformName: string;
  private readonly platformStack?: HardenedPlatformStack;
  private readonly bound = new WeakMap<Construct, ServicePlatformConfig>();

  private constructor(environment: DeploymentEnvironment, platformName: string, platformStack?: HardenedPlatformStack) {
    this.environment = environment;
    this.platformName = platformName;
    this.platformStack = platformStack;
  }

  /**
   * Imports the platform's resources into `scope` (once per scope: a second call returns the
   * first binding). Each parameter is declared in the template the first time the stack uses
   * its value, so a template declares only the parameters it reads (no cfn-lint W2001).
   */
  public bind(scope: Construct, options: ServicePlatformBindOptions = {}): ServicePlatformConfig {
    const existing = this.bound.get(scope);
    if (existing) return existing;
    if (this.platformStack) this.dependOnStack(Stack.of(scope), this.platformStack);

    const names = platformParameterNames(this.platformName, this.environment);
    // valueForStringParameter declares the parameter once per stack and name.
    const read = (name: string) => ssm.StringParameter.valueForStringParameter(scope, name);
    const zones = platformZoneCount(this.environment);
    const list = (name: string) => Fn.split(PLATFORM_LIST_SEPARATOR, read(name), zones);
    // A service places nothing by zone and routes nothing (its subnets are the platform's):
    // a construct that needs a zone's name or a route table gets this error, not a wrong value.
    const unread = (what: string) =>
      Array.from({ length: zones }, (_, i) =>
        Lazy.string({
          produce: () => {
            throw new Error(`ServicePlatform: a construct of "${scope.node.path}" uses the platform's ${what} ${i + 1}, which a joined service does not read; select subnets instead`);
          },
        }),
      );
    const imported = ec2.Vpc.fromVpcAttributes(scope, 'PlatformVpc', {
      vpcId: read(names.vpcId),
      availabilityZones: unread('Availability Zone'),
      publicSubnetIds: list(names.publicSubnetIds),
      privateSubnetIds: list(names.privateSubnetIds),
      isolatedSubnetIds: options.isolatedSubnets ?? true ? list(names.isolatedSubnetIds) : undefined,
      publicSubnetRouteTableIds: unread('public route table'),
      privateSubnetRouteTableIds: unread('private route table'),
      isolatedSubnetRouteTableIds: options.isolatedSubnets ?? true ? unread('isolated route table') : undefined,
    });
    // The VPC's CIDR is read only when a construct asks for it (a security group rule "from the VPC").
    const vpc = new Proxy(imported, {
      get: (target, property) => (property === 'vpcCidrBlock' ? read(names.vpcCidr) : Reflect.get(target, property, target)),
    });
    const once = <T>(make: () => T) => {
      let value: T | undefined;
      return () => (value ??= make());
    };
    const cluster = once(() =>
      ecs.Cluster.fromClusterAttributes(scope, 'PlatformCluster', {
        clusterName: read(names.clusterName),
        clusterArn: read(names.clusterArn),
        vpc,
        securityGroups: [],
      }),
    );
    const backupVault = once(() => backup.BackupVault.fromBackupVaultArn(scope, 'PlatformBackupVault', read(names.backupVaultArn)));
    const config: ServicePlatformConfig = {
      vpc,
      get cluster() { return cluster(); },
      get githubOidcProviderArn() { return read(names.githubOidcProviderArn); },
      get backupVault() { return backupVault(); },
      get alarmTopicArn() { return read(names.alarmTopicArn); },
      get backupCopyVaultArn() { return read(names.backupCopyVaultArn); },
      get webAclArn() { return read(names.webAclArn); },
    };
    this.bound.set(scope, config);
    return config;
  }

  private dependOnStack(service: Stack, platform: HardenedPlatformStack): void {
    const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
    const problems: string[] = [];
    if (differs(service.region, platform.region)) {
      problems.push(`env.region "${service.region}" differs from the platform stack's "${platform.region}"; a service joins the platform of its own region`);
    }
    if (differs(service.account, platform.account) || Token.isUnresolved(service.account) !== Token.isUnresolved(platform.account)) {
      problems.push(
        `env.account "${Token.isUnresolved(service.account) ? '(not pinned)' : service.account}" differs from the platform stack's "${Token.isUnresolved(platform.account) ? '(not pinned)' : platform.account}"; give both the same account`,
      );
    }
    assertValid(problems, `ServicePlatform.fromStack("${platform.node.id}") for stack "${service.node.id}"`);
    service.addStackDependency(platform, 'the platform publishes the parameters the service reads');
  }
}
