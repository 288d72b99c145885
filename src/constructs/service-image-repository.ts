import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { newDataKey } from './private/encryption-keys';
import { DEPLOYED_IMAGE_TAG_PREFIX, DEPLOYED_IMAGES_KEPT } from '../core/defaults';

/** Properties of `ServiceImageRepository`. */
export interface ServiceImageRepositoryProps {
  /** Name of the repository. */
  readonly repositoryName: string;

  /**
   * KMS key that encrypts the images.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Images to keep that were never deployed (no tag with `deployedTagPrefix`); older ones
   * expire. Deployed images are never counted here.
   * @default 50
   */
  readonly maxImageCount?: number;

  /**
   * Tag prefix that marks an image as deployed. The deploy path tags every image it rolls
   * out with it (`deployed-<tag>`) before the rollout; the lifecycle policy's first rule
   * matches that prefix, and an image a higher-priority rule matches is never expired by a
   * lower one, so the running and the rollback images stay.
   * @default "deployed-"
   */
  readonly deployedTagPrefix?: string;

  /**
   * Deployed images to keep (newest pushed first); only older deployed images expire.
   * @default 1000
   */
  readonly maxDeployedImageCount?: number;

  /**
   * Days after which untagged images expire.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * An ECR repository that scans on push, refuses to overwrite a tag, encrypts with KMS and
 * expires old images that were never deployed. It is retained when the stack is deleted,
 * since running tasks and rollbacks depend on its images.
 */
export class ServiceImageRepository extends Construct {
  /** The repository. */
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ServiceImageRepositoryProps) {
    super(scope, id);
    const untaggedDays = props.untaggedExpiryDays ?? 7;
    const maxImages = props.maxImageCount ?? 50;
    const deployedPrefix = props.deployedTagPrefix ?? DEPLOYED_IMAGE_TAG_PREFIX;
    const maxDeployed = props.maxDeployedImageCount ?? DEPLOYED_IMAGES_KEPT;
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', `ECR ${props.repositoryName}`),
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          // First, so that the rules below never see a deployed image (ECR evaluates an image
          // only under the highest-priority rule whose tag condition it matches).
          rulePriority: 1,
          description: `Keep the ${maxDeployed} most recent deployed images (tag prefix ${deployedPrefix})`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPrefixList: [deployedPrefix],
          maxImageCount: maxDeployed,
        },
        {
          rulePriority: 2,
          description: `Expire untagged images after ${untaggedDays} days`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(untaggedDays),
        },
        {
          rulePriority: 3,
          description: `Keep the ${maxImages} most recent images that were never deployed`,
          tagStatus: ecr.TagStatus.ANY,
          maxImageCount: maxImages,
        },
      ],
    });
  }
}
