import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { newDataKey } from './encryption-keys';

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
   * Tagged images to keep; older ones expire.
   * @default 50
   */
  readonly maxImageCount?: number;

  /**
   * Days after which untagged images expire.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * An ECR repository that scans on push, refuses to overwrite a tag, encrypts with KMS and
 * expires old images. It is retained when the stack is deleted, since running tasks and
 * rollbacks depend on its images.
 */
export class ServiceImageRepository extends Construct {
  /** The repository. */
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ServiceImageRepositoryProps) {
    super(scope, id);
    const untaggedDays = props.untaggedExpiryDays ?? 7;
    const maxImages = props.maxImageCount ?? 50;
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.encryptionKey ?? newDataKey(this, 'Key', `ECR ${props.repositoryName}`),
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedDays} days`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(untaggedDays),
        },
        {
          rulePriority: 2,
          description: `Keep the ${maxImages} most recent images`,
          tagStatus: ecr.TagStatus.ANY,
          maxImageCount: maxImages,
        },
      ],
    });
  }
}
