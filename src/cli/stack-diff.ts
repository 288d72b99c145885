import { fullDiff, ResourceDifference, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { AssemblyStack } from './assembly';
import { ReplacementAcknowledgement, statefulReason, TemplateResource } from '../core/stateful-resources';

/**
 * What `hardened-service diff` finds between two cloud assemblies, computed with
 * `@aws-cdk/cloudformation-diff` (the library behind `cdk diff`, which knows from the AWS
 * service specification which property changes replace a resource).
 */

/** What happens to one resource, worst first. */
export type ResourceChangeKind = 'removed' | 'replaced' | 'may-be-replaced' | 'added' | 'changed';
const KIND_ORDER: ResourceChangeKind[] = ['removed', 'replaced', 'may-be-replaced', 'added', 'changed'];

/** One changed property (or template attribute such as DeletionPolicy) of a resource. */
export interface PropertyChangeReport {
  readonly name: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** What the change does to the resource: `replaces`, `may replace` or `updates`. */
  readonly effect: 'replaces' | 'may replace' | 'updates';
}

/** One added, removed, replaced or changed resource. */
export interface ResourceReport {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly change: ResourceChangeKind;
  /** The construct path (`aws:cdk:path` metadata) in the base template, else the head's. */
  readonly path?: string;
  /** Why the resource holds data (its type, or its deletion policy); undefined when it does not. */
  readonly stateful?: string;
  /** For a replaced or removed resource: what happens to the old one and its data. */
  readonly dataOutcome?: string;
  readonly properties: PropertyChangeReport[];
  /** A stateful resource replaced or removed (may be acknowledged). */
  readonly dangerous: boolean;
  /** The acknowledgement's reason, when the repository acknowledged this one. */
  readonly acknowledged?: string;
}

/** One stack, paired by name across the two assemblies. */
export interface StackReport {
  readonly stack: string;
  /** `both` (in base and head), `added` (head only) or `removed` (base only). */
  readonly presence: 'both' | 'added' | 'removed';
  readonly resources: ResourceReport[];
  /** Outputs and parameters that changed, one line each (`output ServiceUrl changed`). */
  readonly other: string[];
}

/** The whole comparison. */
export interface AssemblyDiff {
  readonly stacks: StackReport[];
  /** Stateful resources replaced or removed without an acknowledgement: the diff fails. */
  readonly blocking: ResourceReport[];
  /** Stateful resources replaced or removed that the repository acknowledged. */
  readonly acknowledged: ResourceReport[];
  /** Acknowledgements that matched no replacement or removal (stale once deployed). */
  readonly unusedAcknowledgements: ReplacementAcknowledgement[];
}

/** Resource types that change on every synthesis and say nothing about AWS resources. */
const IGNORED_TYPES = ['AWS::CDK::Metadata'];

/** Compares the stacks of `base` and `head`, pairing them by stack name. */
export function diffAssemblies(base: AssemblyStack[], head: AssemblyStack[], acks: ReplacementAcknowledgement[]): AssemblyDiff {
  const names = [...new Set([...base.map((s) => s.name), ...head.map((s) => s.name)])].sort();
  const used = new Set<ReplacementAcknowledgement>();
  const stacks = names.map((name) => {
    const before = base.find((s) => s.name === name);
    const after = head.find((s) => s.name === name);
    const report = diffStack(name, before?.template ?? {}, after?.template ?? {}, acks, used);
    return { ...report, presence: before && after ? 'both' : before ? 'removed' : 'added' } as StackReport;
  });
  const flagged = stacks.flatMap((s) => s.resources.filter((r) => r.dangerous));
  return {
    stacks,
    blocking: flagged.filter((r) => r.acknowledged === undefined),
    acknowledged: flagged.filter((r) => r.acknowledged !== undefined),
    unusedAcknowledgements: acks.filter((a) => !used.has(a)),
  };
}

function diffStack(
  stack: string,
  before: Record<string, any>,
  after: Record<string, any>,
  acks: ReplacementAcknowledgement[],
  used: Set<ReplacementAcknowledgement>,
): Omit<StackReport, 'presence'> {
  const diff = fullDiff(before, after);
  const resources: ResourceReport[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const type = change.oldResourceType ?? change.newResourceType ?? 'unknown';
    if (IGNORED_TYPES.includes(type)) return;
    const kind = changeKind(change);
    if (!kind) return;
    const old = change.oldValue as (TemplateResource & { Metadata?: Record<string, unknown> }) | undefined;
    const stateful = statefulReason(old) ?? statefulReason(change.newValue as TemplateResource | undefined);
    const dangerous = statefulReason(old) !== undefined && (kind === 'removed' || kind === 'replaced' || kind === 'may-be-replaced');
    const ack = dangerous ? acks.find((a) => a.stack === stack && a.logicalId === logicalId) : undefined;
    if (ack) used.add(ack);
    const cdkPath = (old?.Metadata ?? (change.newValue as { Metadata?: Record<string, unknown> } | undefined)?.Metadata)?.['aws:cdk:path'];
    resources.push({
      stack,
      logicalId,
      type: change.resourceTypeChanged ? `${change.oldResourceType} -> ${change.newResourceType}` : type,
      change: kind,
      path: typeof cdkPath === 'string' ? cdkPath : undefined,
      stateful,
      dataOutcome: kind === 'removed' || kind === 'replaced' || kind === 'may-be-replaced' ? dataOutcome(kind, old) : undefined,
      properties: propertyChanges(change),
      dangerous,
      acknowledged: ack?.reason,
    });
  });
  resources.sort((a, b) => KIND_ORDER.indexOf(a.change) - KIND_ORDER.indexOf(b.change) || a.logicalId.localeCompare(b.logicalId));
  const other: string[] = [];
  for (const [what, collection] of [['output', diff.outputs], ['parameter', diff.parameters]] as const) {
    collection.forEachDifference((id, d) => {
      other.push(`${what} ${id} ${d.isAddition ? 'added' : d.isRemoval ? 'removed' : 'changed'}`);
    });
  }
  return { stack, resources, other };
}

/** The change of a resource, or undefined when only its metadata changed (nothing in AWS does). */
function changeKind(change: ResourceDifference): ResourceChangeKind | undefined {
  if (change.isAddition) return 'added';
  if (change.isRemoval) return 'removed';
  switch (change.changeImpact) {
    case ResourceImpact.WILL_REPLACE:
      return 'replaced';
    case ResourceImpact.MAY_REPLACE:
      return 'may-be-replaced';
    default:
      return propertyChanges(change).length > 0 ? 'changed' : undefined;
  }
}

function propertyChanges(change: ResourceDifference): PropertyChangeReport[] {
  if (change.isAddition || change.isRemoval) return [];
  const changes: PropertyChangeReport[] = [];
  for (const [name, d] of Object.entries(change.propertyUpdates)) {
    const effect = d.changeImpact === ResourceImpact.WILL_REPLACE ? 'replaces' : d.changeImpact === ResourceImpact.MAY_REPLACE ? 'may replace' : 'updates';
    changes.push({ name, before: d.oldValue, after: d.newValue, effect });
  }
  // Metadata (the construct path, cdk-nag acknowledgements) changes nothing in AWS.
  for (const [name, d] of Object.entries(change.otherChanges)) {
    if (name === 'Metadata') continue;
    changes.push({ name, before: d.oldValue, after: d.newValue, effect: name === 'Type' ? 'replaces' : 'updates' });
  }
  return changes;
}

/** What CloudFormation does with the old resource, from its policies in the base template. */
function dataOutcome(kind: ResourceChangeKind, old: TemplateResource | undefined): string {
  const keeps = (policy?: string) => policy === 'Retain' || policy === 'RetainExceptOnCreate';
  if (kind === 'removed') {
    if (keeps(old?.DeletionPolicy)) return 'left in the account but no longer managed by the stack (DeletionPolicy Retain); a resource under a new id starts empty';
    if (old?.DeletionPolicy === 'Snapshot') return 'deleted after a final snapshot (DeletionPolicy Snapshot); a resource under a new id starts empty';
    return 'deleted with its data';
  }
  const replaced = kind === 'replaced' ? 'a new resource replaces it' : 'a new resource may replace it';
  if (keeps(old?.UpdateReplacePolicy)) return `${replaced}; the old one is kept but no longer managed (UpdateReplacePolicy Retain)`;
  if (old?.UpdateReplacePolicy === 'Snapshot') return `${replaced}; the old one is deleted after a snapshot (UpdateReplacePolicy Snapshot)`;
  return `${replaced}; the old one is deleted with its data`;
}
