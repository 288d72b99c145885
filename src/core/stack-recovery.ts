/**
 * After a stack is deleted, the resources it retained (repository, keys, buckets, log groups,
 * backup vault, production's database) still exist under their names, so a plain `cdk deploy`
 * of the same stack fails on the first name that collides. The way back is `cdk import`: it
 * adopts each retained resource into the new stack under its old logical id, then `cdk deploy`
 * creates the rest. This module plans the import from the deleted stack's resources (as
 * CloudFormation lists them for a deleted stack's id) and the new template. Pure; internal.
 */

/**
 * The property CloudFormation identifies each importable retained type by (the primary
 * identifier of its resource schema), whose value is the resource's physical id. A retained
 * type missing here fails the kit's tests.
 */
export const IMPORT_IDENTIFIERS: Record<string, string> = {
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::KMS::Key': 'KeyId',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBSubnetGroup': 'DBSubnetGroupName',
  'AWS::RDS::DBParameterGroup': 'DBParameterGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SecretsManager::Secret': 'Id',
};

/** Deletion policies that leave the resource in the account. */
const KEPT = new Set(['Retain', 'RetainExceptOnCreate']);

/** A resource of the deleted stack, as DescribeStackResources reports it. */
export interface DeletedResource {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
}

/** The plan: the `cdk import --resource-mapping` file, and what was left out and why. */
export interface RecoveryPlan {
  /** `{ LogicalId: { IdentifierKey: physicalId } }`, for `cdk import --resource-mapping`. */
  readonly mapping: Record<string, Record<string, string>>;
  /** Resources the new template retains that the deleted stack did not hold: created anew. */
  readonly created: string[];
  /** Problems that stop the import, each with its fix. */
  readonly problems: string[];
}

/** The resources of the template that a deletion keeps, by logical id. */
export function retainedResources(template: { Resources?: Record<string, { Type: string; DeletionPolicy?: string }> }): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.DeletionPolicy && KEPT.has(resource.DeletionPolicy)) kept.set(id, resource.Type);
  }
  return kept;
}

/** Plans the import of the deleted stack's retained resources into the new template. */
export function planRecovery(template: Parameters<typeof retainedResources>[0], deleted: readonly DeletedResource[]): RecoveryPlan {
  const byId = new Map(deleted.map((r) => [r.logicalId, r]));
  const mapping: Record<string, Record<string, string>> = {};
  const created: string[] = [];
  const problems: string[] = [];
  for (const [logicalId, type] of retainedResources(template)) {
    const old = byId.get(logicalId);
    if (!old?.physicalId) {
      created.push(logicalId);
      continue;
    }
    const key = IMPORT_IDENTIFIERS[type];
    if (!key) {
      problems.push(`${logicalId} (${type}) is retained but the kit does not know how CloudFormation imports it: import it by hand (cdk import without --resource-mapping asks for it)`);
      continue;
    }
    if (old.type !== type) {
      problems.push(`${logicalId} was ${old.type} in the deleted stack and is ${type} now: a different resource under the same id cannot be imported`);
      continue;
    }
    mapping[logicalId] = { [key]: old.physicalId };
  }
  return { mapping, created, problems };
}
