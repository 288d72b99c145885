import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { STATEFUL_RESOURCE_TYPES } from '../../src/core/stateful-resources';
import { HardenedServiceProjectOptions } from '../../src/project/hardened-service-project';
import { buildServiceStacks } from '../../src/project/infrastructure/stack-facts';
import { resolvePlatformModel } from '../../src/project/platform/platform-model';
import { buildPlatformStacks } from '../../src/project/platform/platform-stacks';
import { resolveServiceModel } from '../../src/project/service-model';
import { projectOptions } from '../project/helpers';
import { platformOptions } from '../project/platform/platform-helpers';

/**
 * The logical ids of stateful resources are a contract with every live service: CloudFormation
 * knows a resource by its logical id, so a renamed or moved construct creates a new database,
 * cache, bucket or key and deletes (or orphans) the old one, with its data. This test lists the
 * logical id and type of every stateful resource of the stacks the project type builds, for both
 * blueprints, both environments, the database/cache variants, a service joined to a platform and
 * the platform itself, against the checked-in `stateful-manifest.json`. Any change fails.
 *
 * Regenerate the manifest only for a deliberate migration that the changelog records:
 * `HSK_UPDATE_STATEFUL_MANIFEST=1 npx jest test/constructs/stateful-manifest.test.ts`
 * (docs/releasing.md).
 */
const MANIFEST_FILE = join(__dirname, 'stateful-manifest.json');
const UPDATE = process.env.HSK_UPDATE_STATEFUL_MANIFEST === '1';
const REGENERATE = 'HSK_UPDATE_STATEFUL_MANIFEST=1 npx jest test/constructs/stateful-manifest.test.ts';

/**
 * Types whose resources hold data (or name what holds it): their logical ids are pinned. The
 * same list `hardened-service diff` blocks replacements of (src/core/stateful-resources.ts).
 */
const STATEFUL_TYPES = STATEFUL_RESOURCE_TYPES;
/** Of those, the types the kit's stacks do not create (Aurora; the cache uses a default parameter group). */
const NOT_CREATED = ['AWS::RDS::DBCluster', 'AWS::RDS::DBClusterParameterGroup', 'AWS::ElastiCache::ParameterGroup'];

/**
 * Of those, the types whose resources hold the data itself, with the policies that keep it when
 * the resource is deleted or replaced. Subnet and parameter groups and the backup plan hold no
 * data: their ids are pinned because replacing one replaces what uses it (a new DB subnet group
 * replaces the instance), and the database's groups are retained with it (below).
 */
const KEEPS_DATA: Record<string, string[]> = {
  'AWS::RDS::DBInstance': ['Retain', 'Snapshot'],
  'AWS::ElastiCache::ReplicationGroup': ['Retain', 'Snapshot'],
  'AWS::S3::Bucket': ['Retain'],
  'AWS::KMS::Key': ['Retain'],
  'AWS::Logs::LogGroup': ['Retain'],
  'AWS::ECR::Repository': ['Retain'],
  'AWS::SecretsManager::Secret': ['Retain'],
  'AWS::Backup::BackupVault': ['Retain'],
};

/** Logical id -> type, per stack name. */
type StackManifest = Record<string, string>;
type Manifest = Record<string, Record<string, StackManifest>>;

/** Every service variant: both blueprints, the database/cache variants, and a joined service. */
const SERVICE_CASES: Record<string, Partial<HardenedServiceProjectOptions>> = {};
for (const blueprint of ['python-api', 'node-api']) {
  SERVICE_CASES[`${blueprint} database+cache`] = { blueprint };
  SERVICE_CASES[`${blueprint} database only`] = { blueprint, cache: false };
  SERVICE_CASES[`${blueprint} cache only`] = { blueprint, database: false };
}
SERVICE_CASES['python-api joined to platform acme'] = { blueprint: 'python-api', platform: { name: 'acme' } };
const PLATFORM_CASE = 'platform acme';

/** The stacks of one case, both environments (staging first), as the generated app builds them. */
function stacksOf(name: string): Stack[] {
  if (name === PLATFORM_CASE) return buildPlatformStacks(resolvePlatformModel(platformOptions())).stacks;
  return buildServiceStacks(resolveServiceModel(projectOptions(SERVICE_CASES[name]))).stacks;
}

/** The stateful resources of a template, sorted by logical id. */
function statefulResources(resources: Record<string, { Type: string }>): StackManifest {
  return Object.fromEntries(
    Object.entries(resources)
      .filter(([, r]) => STATEFUL_TYPES.includes(r.Type))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, r]) => [id, r.Type]),
  );
}

/** What changed between the manifest and a stack, one line per resource, with the way out. */
function describeChanges(caseName: string, stackName: string, pinned: StackManifest, actual: StackManifest): string | undefined {
  const lines: string[] = [];
  for (const [id, type] of Object.entries(pinned)) {
    if (!(id in actual)) lines.push(`  - ${id} (${type}) is gone: CloudFormation would delete or orphan the live resource and its data`);
    else if (actual[id] !== type) lines.push(`  ~ ${id} was ${type} and is ${actual[id]} now: the live resource would be replaced`);
  }
  for (const [id, type] of Object.entries(actual)) {
    if (!(id in pinned)) lines.push(`  + ${id} (${type}) is new: a renamed construct creates an empty resource under a new id`);
  }
  if (lines.length === 0) return undefined;
  return [
    `Stateful resources changed in "${caseName}", stack ${stackName}:`,
    ...lines,
    'Way out: keep the construct id (and its place in the tree) of every resource above, so its logical id stays;',
    'or, for a deliberate migration, record it in the changelog (a "BREAKING CHANGE:" commit footer with the steps',
    `for live services) and regenerate the manifest: ${REGENERATE}`,
  ].join('\n');
}

/** The manifest of every case, built fresh. */
function currentManifest(): { manifest: Manifest; templates: Record<string, Record<string, any>> } {
  const manifest: Manifest = {};
  const templates: Record<string, Record<string, any>> = {};
  for (const name of [...Object.keys(SERVICE_CASES), PLATFORM_CASE]) {
    manifest[name] = {};
    for (const stack of stacksOf(name)) {
      const template = Template.fromStack(stack).toJSON();
      manifest[name][stack.stackName] = statefulResources(template.Resources);
      templates[`${name} / ${stack.stackName}`] = template;
    }
  }
  return { manifest, templates };
}

let built: ReturnType<typeof currentManifest>;
beforeAll(() => {
  built = currentManifest();
  if (UPDATE) writeFileSync(MANIFEST_FILE, `${JSON.stringify(built.manifest, undefined, 2)}\n`);
});

describe('stateful identities', () => {
  test('every stateful resource keeps the logical id and type of the checked-in manifest', () => {
    // GIVEN the checked-in manifest
    const pinned = JSON.parse(readFileSync(MANIFEST_FILE, 'utf-8')) as Manifest;
    // WHEN the stacks of every case are synthesized
    const problems: string[] = [];
    for (const name of new Set([...Object.keys(pinned), ...Object.keys(built.manifest)])) {
      if (!built.manifest[name]) {
        problems.push(`The manifest has case "${name}" that the test no longer builds: regenerate it (${REGENERATE})`);
        continue;
      }
      for (const stackName of new Set([...Object.keys(pinned[name] ?? {}), ...Object.keys(built.manifest[name])])) {
        const change = describeChanges(name, stackName, pinned[name]?.[stackName] ?? {}, built.manifest[name][stackName] ?? {});
        if (change) problems.push(change);
      }
    }
    // THEN nothing changed
    if (problems.length > 0) throw new Error(problems.join('\n\n'));
  });

  test('the manifest covers the database, the cache, their groups, buckets, keys, logs, the repository, secrets and backups', () => {
    const types = new Set(Object.values(built.manifest).flatMap((stacks) => Object.values(stacks).flatMap((s) => Object.values(s))));
    for (const type of STATEFUL_TYPES.filter((t) => !NOT_CREATED.includes(t))) expect(types).toContain(type);
    // both environments of every case
    for (const stacks of Object.values(built.manifest)) expect(Object.keys(stacks)).toHaveLength(2);
  });

  test('in production every resource that holds data is kept on delete and on replacement', () => {
    const problems: string[] = [];
    for (const [name, template] of Object.entries(built.templates).filter(([n]) => n.endsWith('-production'))) {
      const resources = Object.entries<any>(template.Resources);
      for (const [id, r] of resources) {
        const allowed = KEEPS_DATA[r.Type];
        if (!allowed) continue;
        for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
          if (!allowed.includes(r[policy])) problems.push(`${name}: ${id} (${r.Type}) has ${policy} ${r[policy] ?? '(none: Delete)'}, expected ${allowed.join(' or ')}`);
        }
      }
      // A retained database keeps its subnet and parameter groups (CloudFormation cannot delete them while in use).
      if (resources.some(([, r]) => r.Type === 'AWS::RDS::DBInstance' && r.DeletionPolicy === 'Retain')) {
        for (const [id, r] of resources.filter(([, x]) => ['AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup'].includes(x.Type))) {
          if (r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain') problems.push(`${name}: ${id} (${r.Type}) of a retained database is not retained`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('fails when a stateful logical id changes, naming the resource and the way out', () => {
    // GIVEN a manifest and a stack whose database construct was renamed
    const pinned = { DatabaseInstanceAA8A5FDE: 'AWS::RDS::DBInstance', DataKey17AFBB84: 'AWS::KMS::Key' };
    const renamed = { DatabaseInstance2B4C1F0A: 'AWS::RDS::DBInstance', DataKey17AFBB84: 'AWS::KMS::Key' };
    // WHEN compared
    const message = describeChanges('python-api database+cache', 'hedis-optimizer-production', pinned, renamed);
    // THEN the message names both ids and both ways out
    expect(message).toBe([
      'Stateful resources changed in "python-api database+cache", stack hedis-optimizer-production:',
      '  - DatabaseInstanceAA8A5FDE (AWS::RDS::DBInstance) is gone: CloudFormation would delete or orphan the live resource and its data',
      '  + DatabaseInstance2B4C1F0A (AWS::RDS::DBInstance) is new: a renamed construct creates an empty resource under a new id',
      'Way out: keep the construct id (and its place in the tree) of every resource above, so its logical id stays;',
      'or, for a deliberate migration, record it in the changelog (a "BREAKING CHANGE:" commit footer with the steps',
      `for live services) and regenerate the manifest: ${REGENERATE}`,
    ].join('\n'));
    expect(describeChanges('c', 's', pinned, { ...pinned })).toBeUndefined();
  });
});
