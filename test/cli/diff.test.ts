import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps } from '../../src';
import { main } from '../../src/cli/main';
import { serviceNames } from '../../src/core/names';
import { newApp, recommendedContext, snippetProps } from '../constructs/helpers';

/**
 * `hardened-service diff` on real cloud assemblies: each is synthesized here from the construct
 * library, as `cdk synth` does in a generated repo, and compared by the real
 * `@aws-cdk/cloudformation-diff`. A "kit change" is simulated by synthesizing the head with a
 * test-only subclass (the database construct under another id) or other options.
 */

const ENVIRONMENTS = [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION];
const stackName = (environment: DeploymentEnvironment) => serviceNames('hedis-optimizer', environment).stackName;
const PRODUCTION = stackName(DeploymentEnvironment.PRODUCTION);

/** The stack as a kit release that renamed `new ServiceDatabase(this, 'Database')` would build it. */
class RenamedDatabaseStack extends HardenedServiceStack {
  protected allocateLogicalId(element: CfnElement): string {
    const id = super.allocateLogicalId(element);
    return element.node.path.startsWith(`${this.node.id}/Database/`) ? id.replace(/^Database/, 'PostgresDatabase') : id;
  }
}

type StackClass = new (scope: Construct, id: string, props: HardenedServiceStackProps) => HardenedServiceStack;

/** A kit change: another stack class, other props, or an edit of the built stack. */
interface KitChange {
  readonly stackClass?: StackClass;
  readonly props?: Partial<HardenedServiceStackProps>;
  readonly edit?: (stack: HardenedServiceStack) => void;
}

/** Synthesizes both environments' stacks, as the generated app does; returns the cloud assembly folder. */
function synthesize(options: KitChange = {}): string {
  // What `cdk synth` passes an app: the construct path of each resource in its metadata.
  const app = newApp({ ...recommendedContext(), 'aws:cdk:enable-path-metadata': true });
  for (const environment of ENVIRONMENTS) {
    const StackType = options.stackClass ?? HardenedServiceStack;
    const stack = new StackType(app, stackName(environment), { ...snippetProps(environment), ...options.props });
    options.edit?.(stack);
  }
  app.synth();
  return app.outdir;
}

async function diff(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['diff', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, stdout, stderr };
}

function template(assembly: string, stack: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(assembly, `${stack}.template.json`), 'utf-8'));
}

function logicalIdOf(assembly: string, stack: string, type: string): string {
  const ids = Object.entries<any>(template(assembly, stack).Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

function ackFile(entries: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-ack-')), 'replacements-ack.json');
  fs.writeFileSync(file, typeof entries === 'string' ? entries : JSON.stringify(entries));
  return file;
}

describe('hardened-service diff', () => {
  let base: string;
  let renamed: string;
  let threshold: string;
  let cachePort: string;

  beforeAll(() => {
    // GIVEN the stacks of a scaffolded repo's options, and three kit changes
    base = synthesize();
    renamed = synthesize({ stackClass: RenamedDatabaseStack });
    threshold = synthesize({ props: { latencyP95Ms: 250 } });
    // a change of a property that replaces the cache (its port), on the production stack
    cachePort = synthesize({
      edit: (stack) => {
        if (stack.node.id === PRODUCTION) stack.cache!.replicationGroup.addPropertyOverride('Port', 6380);
      },
    });
  });

  test('fails when a kit change renames the database construct: names the database, its path and what happens to its data', async () => {
    // GIVEN
    const database = logicalIdOf(base, PRODUCTION, 'AWS::RDS::DBInstance');
    // WHEN
    const result = await diff(['--base', base, '--head', renamed]);
    // THEN it exits 1 and the one line on stderr names the database
    expect(result.code).toBe(1);
    const verdict = result.stderr.trim().split('\n');
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toContain(`${PRODUCTION} ${database} (AWS::RDS::DBInstance, ${PRODUCTION}/Database/Instance/Resource) removed`);
    expect(verdict[0]).toContain('add { "stack", "logicalId", "reason" } for each to infrastructure/replacements-ack.json');
    // the report lists the removal with the outcome of production's snapshot-or-retain policy, and the new id as added
    const lines = result.stdout.split('\n');
    const removal = lines.findIndex((l) => l.includes(`- removed         AWS::RDS::DBInstance  ${database}`));
    expect(removal).toBeGreaterThan(-1);
    expect(lines[removal]).toContain('STATEFUL: blocks the merge');
    expect(lines[removal + 1]).toMatch(/left in the account but no longer managed by the stack \(DeletionPolicy Retain\)|deleted after a final snapshot/);
    expect(lines.some((l) => l.includes(`+ added           AWS::RDS::DBInstance  ${database.replace(/^Database/, 'PostgresDatabase')}`))).toBe(true);
    // the database's subnet and parameter groups, log groups and backup vault and plan go with it,
    // in both stacks (its generated secret keeps a logical id that RDS derives from the path
    // itself, which this subclass does not rename)
    for (const stack of [PRODUCTION, stackName(DeploymentEnvironment.STAGING)]) {
      for (const type of ['AWS::RDS::DBInstance', 'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan']) {
        expect({ stack, type, named: verdict[0].includes(`${stack} `) && verdict[0].includes(`(${type}, ${stack}/Database/`) }).toEqual({ stack, type, named: true });
      }
    }
  });

  test('passes on a kit change of an alarm threshold and shows the change', async () => {
    // WHEN
    const result = await diff(['--base', base, '--head', threshold]);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const alarm = lines.findIndex((l) => /~ changed +AWS::CloudWatch::Alarm .*LatencyP95/i.test(l) || (/~ changed +AWS::CloudWatch::Alarm/.test(l) && /Latency/i.test(l)));
    expect(alarm).toBeGreaterThan(-1);
    expect(lines.slice(alarm + 1)).toContainEqual(expect.stringMatching(/^ {6}Threshold: 0\.1 -> 0\.25$/));
    expect(lines).not.toContainEqual(expect.stringMatching(/STATEFUL|replaced +AWS|removed +AWS/));
    expect(lines.at(-2)).toBe('2 stack(s) compared: no unacknowledged replacement or removal of a stateful resource');
  });

  test('the acknowledgements file lets a deliberate replacement through, and says which it let through', async () => {
    // GIVEN the head replaces production's cache (a new port)
    const cache = logicalIdOf(base, PRODUCTION, 'AWS::ElastiCache::ReplicationGroup');
    const withoutAck = await diff(['--base', base, '--head', cachePort]);
    expect(withoutAck.code).toBe(1);
    expect(withoutAck.stderr).toContain(`${PRODUCTION} ${cache} (AWS::ElastiCache::ReplicationGroup, ${PRODUCTION}/Cache/ReplicationGroup) replaced`);
    expect(withoutAck.stdout).toContain('Port: 6379 -> 6380 (replaces)');
    // WHEN the repository acknowledges it
    const reason = 'the cache holds only sessions; clients reconnect to the new port';
    const ack = ackFile({ acknowledgements: [{ stack: PRODUCTION, logicalId: cache, reason }] });
    const result = await diff(['--base', base, '--head', cachePort, '--acknowledgements', ack, '--json']);
    // THEN
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: true, command: 'diff', blocking: [], unusedAcknowledgements: [] });
    expect(doc.acknowledged).toEqual([expect.objectContaining({ stack: PRODUCTION, logicalId: cache, change: 'replaced', acknowledged: reason, dangerous: true })]);
  });

  test('acknowledging every resource of the renamed database lets the rename through; a missing one still fails', async () => {
    // GIVEN what the failing diff names
    const failing = JSON.parse((await diff(['--base', base, '--head', renamed, '--json'])).stdout);
    expect(failing.ok).toBe(false);
    expect(failing.exitCode).toBe(1);
    const entries = failing.blocking.map((r: any) => ({ stack: r.stack, logicalId: r.logicalId, reason: 'restored from the snapshot into the new instance' }));
    // WHEN all but one are acknowledged, THEN that one still blocks
    const partial = await diff(['--base', base, '--head', renamed, '--acknowledgements', ackFile({ acknowledgements: entries.slice(1) })]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(`1 stateful resource(s) would be replaced or removed: ${entries[0].stack} ${entries[0].logicalId} `);
    // WHEN all are, THEN it passes
    const all = await diff(['--base', base, '--head', renamed, '--acknowledgements', ackFile({ acknowledgements: entries })]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('ACKNOWLEDGED: restored from the snapshot into the new instance');
  });

  test('--markdown: a summary table, the blocking resources with a ready acknowledgement entry, and each stack', async () => {
    // WHEN
    const result = await diff(['--base', base, '--head', cachePort, '--markdown']);
    // THEN
    expect(result.code).toBe(1);
    const md = result.stdout;
    const cache = logicalIdOf(base, PRODUCTION, 'AWS::ElastiCache::ReplicationGroup');
    expect(md.startsWith('## Infrastructure diff\n\n**Blocked**: 1 stateful resource(s) would be replaced or removed')).toBe(true);
    // the cache and the task definition that reads its port
    expect(md).toContain(`| ${PRODUCTION} | 0 | 0 | 2 | 0 | 0 |`);
    expect(md).toContain(`| ${stackName(DeploymentEnvironment.STAGING)} | 0 | 0 | 0 | 0 | 0 |`);
    expect(md).toContain(`| ${PRODUCTION} | \`${cache}\` | AWS::ElastiCache::ReplicationGroup | ${PRODUCTION}/Cache/ReplicationGroup | replaced |`);
    expect(md).toContain(`"logicalId": "${cache}"`);
    expect(md).toContain(`### ${PRODUCTION}\n\n<details><summary>`);
  });

  test('an unused acknowledgement is a warning, not a failure', async () => {
    // WHEN
    const ack = ackFile({ acknowledgements: [{ stack: PRODUCTION, logicalId: 'OldBucket1234', reason: 'the bucket was emptied in the last release' }] });
    const result = await diff(['--base', base, '--head', threshold, '--acknowledgements', ack]);
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`warning: ${ack} acknowledges ${PRODUCTION} OldBucket1234, which this diff does not replace or remove; remove the entry once the change it was for is deployed`);
  });

  test('the same assembly twice: no changes in any stack', async () => {
    const result = await diff(['--base', base, '--head', base]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2).sort()).toEqual([`${PRODUCTION}: no changes`, `${stackName(DeploymentEnvironment.STAGING)}: no changes`].sort());
  });

  test('fails when a stack is removed: its stateful resources are named', async () => {
    // GIVEN a head with the staging stack only
    const head = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-head-'));
    fs.cpSync(base, head, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(head, 'manifest.json'), 'utf-8'));
    delete manifest.artifacts[PRODUCTION];
    fs.writeFileSync(path.join(head, 'manifest.json'), JSON.stringify(manifest));
    // WHEN
    const result = await diff(['--base', base, '--head', head]);
    // THEN
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${PRODUCTION} (stack removed):`);
    expect(result.stderr).toContain(`${PRODUCTION} ${logicalIdOf(base, PRODUCTION, 'AWS::RDS::DBInstance')} (AWS::RDS::DBInstance`);
  });

  describe('bad input (exit 2)', () => {
    test('fails when --base is not a cloud assembly', async () => {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-empty-'));
      const result = await diff(['--base', empty, '--head', base]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`hardened-service diff: --base: ${path.join(empty, 'manifest.json')} cannot be read (ENOENT); pass the folder that npx cdk synth --output DIR wrote (it holds manifest.json and <stack>.template.json)\n`);
    });

    test('fails when --head does not exist, and when flags are missing or conflict', async () => {
      expect((await diff(['--base', base, '--head', '/nonexistent/cdk.out'])).stderr).toBe(
        'hardened-service diff: --head "/nonexistent/cdk.out" is not a folder; pass the folder that npx cdk synth --output DIR wrote (it holds manifest.json and <stack>.template.json)\n',
      );
      const result = await diff(['--json', '--markdown']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--base is required; --head is required; --json and --markdown are both given; pick one output');
    });

    test('fails when the acknowledgements file is malformed: every problem named with the fix', async () => {
      const ack = ackFile({ acknowledgements: [{ stack: '', logicalId: 'Database-1', reason: 'ok', extra: 1 }, { stack: PRODUCTION, logicalId: 'Cache1', reason: 'the cache holds only sessions' }, { stack: PRODUCTION, logicalId: 'Cache1', reason: 'the cache holds only sessions' }] });
      const result = await diff(['--base', base, '--head', base, '--acknowledgements', ack]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`hardened-service diff: ${ack}: `
        + 'acknowledgements[0] has unknown key "extra" (allowed: stack, logicalId, reason); '
        + 'acknowledgements[0].stack "" must name the stack, e.g. "hedis-optimizer-production" (the stackName in cdk.out/manifest.json); '
        + 'acknowledgements[0].logicalId "Database-1" must be the resource\'s logical id in the base template (letters and digits, as hardened-service diff prints it); '
        + 'acknowledgements[0].reason "ok" must say why losing or moving the resource is safe (at least 10 characters), e.g. "data copied to the new instance by the migration in PR 42"; '
        + `acknowledgements[2] acknowledges ${PRODUCTION}/Cache1 a second time; keep one entry\n`);
      const notJson = ackFile('{ acknowledgements: [');
      expect((await diff(['--base', base, '--head', base, '--acknowledgements', notJson])).stderr).toMatch(new RegExp(`^hardened-service diff: ${notJson} is not JSON \\(.+\\); expected \\{ "acknowledgements": \\[`));
      const missing = await diff(['--base', base, '--head', base, '--acknowledgements', '/nonexistent/ack.json']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe('hardened-service diff: --acknowledgements "/nonexistent/ack.json" cannot be read (ENOENT); pass the repository\'s infrastructure/replacements-ack.json, or leave the flag out\n');
    });
  });
});
