/**
 * Which CloudFormation resources hold data that a replacement or a removal would lose, and the
 * file in which a service repository acknowledges a deliberate one. Read by
 * `hardened-service diff` (the infrastructure-diff job of every pull request) and by the
 * generated CI/CD guide.
 */

/**
 * Resource types whose replacement or removal loses data or identity: the database and its
 * subnet and parameter groups, the cache, buckets, KMS keys (data encrypted under a deleted key
 * is gone), log groups, the image repository, secrets, and the backup vault and plan.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBClusterParameterGroup',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::ElastiCache::ParameterGroup',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::ECR::Repository',
  'AWS::SecretsManager::Secret',
  'AWS::Backup::BackupVault',
  'AWS::Backup::BackupPlan',
];

/** Deletion and replacement policies that say the resource's data must outlive it. */
const KEEPING_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** The parts of a template's resource that decide whether it is stateful. */
export interface TemplateResource {
  readonly Type?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/**
 * Why a resource is stateful, or undefined when it is not: its type is one of
 * `STATEFUL_RESOURCE_TYPES`, or its template keeps it on delete or replacement
 * (`DeletionPolicy`/`UpdateReplacePolicy` Retain or Snapshot), whatever its type.
 */
export function statefulReason(resource: TemplateResource | undefined): string | undefined {
  if (!resource) return undefined;
  if (resource.Type && STATEFUL_RESOURCE_TYPES.includes(resource.Type)) return `${resource.Type} holds data`;
  for (const key of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    const policy = resource[key];
    if (policy && KEEPING_POLICIES.includes(policy)) return `${key} ${policy}`;
  }
  return undefined;
}

/**
 * The file, relative to the repository's root, in which a service repository acknowledges a
 * replacement or removal of a stateful resource that it means to make. Reviewed like code: the
 * pull request that replaces the resource adds the entry.
 */
export const REPLACEMENTS_ACK_FILE = 'infrastructure/replacements-ack.json';

/** One acknowledged replacement or removal. */
export interface ReplacementAcknowledgement {
  /** The stack's name (`cdk.out/manifest.json`'s `stackName`), e.g. `hedis-optimizer-production`. */
  readonly stack: string;
  /** The resource's logical id in the base template (the one replaced or removed). */
  readonly logicalId: string;
  /** Why losing or moving the resource is safe, for the reviewer and the audit trail. */
  readonly reason: string;
}

/** Reasons shorter than this are refused: "ok" is not a review. */
export const MIN_ACK_REASON_LENGTH = 10;

/** A logical id as CloudFormation accepts it. */
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

/**
 * Parses and checks the acknowledgements file's text. Every problem is collected and thrown once,
 * each naming the entry, the field, the bad value and the fix.
 */
export function parseReplacementAcks(text: string, file: string): ReplacementAcknowledgement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON (${(err as Error).message}); expected { "acknowledgements": [ { "stack": ..., "logicalId": ..., "reason": ... } ] }`);
  }
  const list = (doc as { acknowledgements?: unknown } | null)?.acknowledgements;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Array.isArray(list)) {
    throw new Error(`${file} must be an object with an "acknowledgements" list, e.g. { "acknowledgements": [] }`);
  }
  const problems: string[] = [];
  for (const key of Object.keys(doc)) {
    if (key !== 'acknowledgements' && key !== '$comment') problems.push(`unknown key "${key}" (allowed: acknowledgements, $comment)`);
  }
  const seen = new Set<string>();
  const acks: ReplacementAcknowledgement[] = [];
  list.forEach((entry: unknown, i: number) => {
    const at = `acknowledgements[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at} must be an object with stack, logicalId and reason`);
      return;
    }
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!['stack', 'logicalId', 'reason'].includes(key)) problems.push(`${at} has unknown key "${key}" (allowed: stack, logicalId, reason)`);
    }
    const { stack, logicalId, reason } = e;
    if (typeof stack !== 'string' || stack.trim() === '') {
      problems.push(`${at}.stack ${show(stack)} must name the stack, e.g. "hedis-optimizer-production" (the stackName in cdk.out/manifest.json)`);
    }
    if (typeof logicalId !== 'string' || !LOGICAL_ID.test(logicalId)) {
      problems.push(`${at}.logicalId ${show(logicalId)} must be the resource's logical id in the base template (letters and digits, as hardened-service diff prints it)`);
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_ACK_REASON_LENGTH) {
      problems.push(`${at}.reason ${show(reason)} must say why losing or moving the resource is safe (at least ${MIN_ACK_REASON_LENGTH} characters), e.g. "data copied to the new instance by the migration in PR 42"`);
    }
    if (typeof stack === 'string' && typeof logicalId === 'string') {
      const key = `${stack}/${logicalId}`;
      if (seen.has(key)) problems.push(`${at} acknowledges ${key} a second time; keep one entry`);
      seen.add(key);
      if (typeof reason === 'string') acks.push({ stack, logicalId, reason });
    }
  });
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return acks;
}

function show(value: unknown): string {
  return value === undefined ? 'is missing and' : `${JSON.stringify(value)}`;
}
