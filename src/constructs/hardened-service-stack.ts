import { StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DeploymentEnvironment } from './deployment-environment';
import { HardenedServiceOptions } from './service-options';

/** Properties of `HardenedServiceStack`. */
export interface HardenedServiceStackProps extends StackProps, HardenedServiceOptions {
  /** The environment, which selects availability, cost and retention presets. */
  readonly environment: DeploymentEnvironment;

  /**
   * Image tag to run from the stack's own ECR repository.
   * @default - the tag stored in the SSM parameter `/<serviceName>/<environment>/image-tag`,
   * which the `hardened-service` deploy tool updates on every deploy, so that `cdk deploy`
   * keeps the image the tool rolled out
   */
  readonly imageTag?: string;

  /**
   * Any container image, instead of a tag in the stack's ECR repository (for example
   * `ecs.ContainerImage.fromAsset(...)`). Takes precedence over `imageTag`.
   * @default - see `imageTag`
   */
  readonly image?: ecs.ContainerImage;
}
