import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { REPLACEMENTS_ACK_FILE } from '../../../src/core/stateful-resources';
import { ACTION_PINS, uses } from '../../../src/project/workflows/workflow-actions';
import { synth } from '../helpers';
import { actionlint, generate, workflowsOf } from './workflow-test-support';

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** A real cloud assembly of one stack holding a retained bucket under construct id `bucketId`. */
function assembly(bucketId: string): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-diffjob-')), context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'svc-production', { env: { account: '123456789012', region: 'us-east-1' } });
  new s3.Bucket(stack, bucketId, { removalPolicy: RemovalPolicy.RETAIN });
  app.synth();
  return app.outdir;
}

/** The logical id of the one bucket of an assembly made by `assembly()`. */
function bucketOf(dir: string): string {
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'svc-production.template.json'), 'utf-8'));
  return Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::S3::Bucket')!;
}

/**
 * Runs a step's script as GitHub does (bash -e -o pipefail) in `cwd`, with `npx` resolving
 * `hardened-service` to this checkout's CLI (run from source) and `cdk synth --output DIR` to a
 * copy of `synthesized` (the synthesis itself is tested in test/cli/diff.test.ts).
 */
function runScript(run: string, cwd: string, env: Record<string, string>, synthesized?: string) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-bin-'));
  fs.writeFileSync(path.join(bin, 'npx'), [
    '#!/usr/bin/env bash',
    'case "$1" in',
    `  hardened-service) shift; exec "${TSX}" "${path.join(ROOT, 'src', 'cli', 'main.ts')}" "$@" ;;`,
    '  cdk) [ -n "$SYNTHESIZED" ] || exit 1; out="${@: -1}"; cp -R "$SYNTHESIZED" "$out" ;;',
    '  *) echo "unexpected npx $*" >&2; exit 99 ;;',
    'esac',
  ].join('\n'), { mode: 0o755 });
  const summary = path.join(bin, 'summary.md');
  fs.writeFileSync(summary, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', run], {
    cwd,
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: path.join(bin, 'output'), SYNTHESIZED: synthesized ?? '', ...env },
    encoding: 'utf-8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, summary: fs.readFileSync(summary, 'utf-8') };
}

describe('the infrastructure diff of every pull request', () => {
  const workflows = generate();
  const doc = workflows.doc['infrastructure-diff.yml'];
  const job = doc.jobs['infrastructure-diff'];

  test('infrastructure-diff.yml: base and pull request synthesized without AWS credentials, then diffed', async () => {
    // THEN it runs on every pull request, read-only, with no id-token and no credentials step
    expect(doc.on).toEqual({ pull_request: {} });
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.env).toEqual({ AWS_EC2_METADATA_DISABLED: 'true' });
    expect(workflows.text['infrastructure-diff.yml']).not.toContain(ACTION_PINS.configureAwsCredentials.action);
    expect(workflows.text['infrastructure-diff.yml']).not.toMatch(/secrets\./);
    // the pull request (GitHub's merge ref) and its base, side by side
    expect(job.steps[0]).toMatchObject({ uses: uses(ACTION_PINS.checkout), with: { 'persist-credentials': false, 'path': 'head' } });
    expect(job.steps[1]).toMatchObject({ uses: uses(ACTION_PINS.checkout), with: { 'persist-credentials': false, 'path': 'base', 'ref': '${{ github.event.pull_request.base.sha }}' } });
    const runs = job.steps.filter((s: any) => s.run).map((s: any) => [s['working-directory'], s.run.trim().split('\n')[0]]);
    expect(runs.slice(0, 4)).toEqual([
      ['base', 'npm ci'],
      ['head', 'npm ci'],
      ['base', 'npx cdk synth --quiet --output "$RUNNER_TEMP/cdk.out.base"'],
      ['head', 'npx cdk synth --quiet --output "$RUNNER_TEMP/cdk.out.head"'],
    ]);
    // the diff runs the pull request's own kit, with the pull request's acknowledgements file
    expect(runs[4][0]).toBe('head');
    expect(job.steps.at(-1).run).toContain('npx hardened-service diff --base "$RUNNER_TEMP/cdk.out.base" --head "$RUNNER_TEMP/cdk.out.head" --markdown');
    expect(job['timeout-minutes']).toBe(30);
    expect(await actionlint(workflows)).toEqual([]);
  });

  test('the diff step fails on a renamed retained bucket and writes the report to the job summary', () => {
    // GIVEN real assemblies, before and after a rename of the bucket's construct id
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-runner-'));
    fs.cpSync(assembly('Data'), path.join(temp, 'cdk.out.base'), { recursive: true });
    fs.cpSync(assembly('Records'), path.join(temp, 'cdk.out.head'), { recursive: true });
    const head = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-head-'));
    const bucket = bucketOf(path.join(temp, 'cdk.out.base'));
    // WHEN
    const blocked = runScript(job.steps.at(-1).run, head, { RUNNER_TEMP: temp });
    // THEN
    expect(blocked.status).toBe(1);
    expect(blocked.summary).toMatch(/^## Infrastructure diff\n\n\*\*Blocked\*\*: 1 stateful resource\(s\) would be replaced or removed/);
    expect(blocked.summary).toContain(`| svc-production | \`${bucket}\` | AWS::S3::Bucket | svc-production/Data/Resource | removed |`);
    expect(blocked.stdout).toContain(`::error title=Stateful resource replaced or removed::see the job summary; keep the construct ids, or acknowledge each resource in ${REPLACEMENTS_ACK_FILE} with a reason`);
    expect(blocked.stderr).toContain(`hardened-service diff: 1 stateful resource(s) would be replaced or removed: svc-production ${bucket} (AWS::S3::Bucket, svc-production/Data/Resource) removed`);

    // WHEN the pull request acknowledges it in its own acknowledgements file
    fs.mkdirSync(path.join(head, path.dirname(REPLACEMENTS_ACK_FILE)), { recursive: true });
    fs.writeFileSync(path.join(head, REPLACEMENTS_ACK_FILE), JSON.stringify({ acknowledgements: [{ stack: 'svc-production', logicalId: bucket, reason: 'the objects were copied to the new bucket' }] }));
    const passed = runScript(job.steps.at(-1).run, head, { RUNNER_TEMP: temp });
    // THEN
    expect(passed.status).toBe(0);
    expect(passed.summary).toContain(`| svc-production | \`${bucket}\` | AWS::S3::Bucket | svc-production/Data/Resource | removed | left in the account`);
    expect(passed.summary).toContain('| the objects were copied to the new bucket |');
  });

  test('a new repo gets an empty acknowledgements file it owns', () => {
    const files = synth();
    expect(files[REPLACEMENTS_ACK_FILE].acknowledgements).toEqual([]);
  });
});

describe('the upgrade pull request', () => {
  const upgrade = generate().doc['upgrade.yml'];

  test('records the kit version and synthesizes before the upgrade, diffs after it, and uses that as the body', () => {
    // THEN the steps of the upgrade job, in order
    const names = upgrade.jobs.upgrade.steps.map((s: any) => s.name);
    expect(names).toEqual([
      'Checkout',
      'Install dependencies',
      'Record the kit version and synthesize the stacks before the upgrade',
      'Upgrade dependencies',
      'Diff the stacks after the upgrade (the pull request body)',
      'Upload the pull request body',
      'Find mutations',
      'Upload patch',
    ]);
    expect(upgrade.jobs.upgrade.permissions).toEqual({ contents: 'read' });
    expect(upgrade.jobs.upgrade.env).toEqual({ AWS_EC2_METADATA_DISABLED: 'true' });
    const [, , before, , diff, upload] = upgrade.jobs.upgrade.steps;
    expect(before.run).toContain('npx cdk synth --quiet --output "$RUNNER_TEMP/cdk.out.base"');
    expect(diff.env).toEqual({ KIT_BEFORE: '${{ steps.before-upgrade.outputs.kit }}' });
    expect(upload).toMatchObject({ uses: uses(ACTION_PINS.uploadArtifact), with: { name: 'upgrade-pr-body', path: '${{ runner.temp }}/upgrade-pr-body.md' } });
    // the pr job downloads the body and opens the pull request with it instead of projen's text
    const pr = upgrade.jobs.pr.steps;
    const create = pr.find((s: any) => s.id === 'create-pr');
    expect(pr[pr.indexOf(create) - 1]).toMatchObject({ uses: uses(ACTION_PINS.downloadArtifact), with: { name: 'upgrade-pr-body', path: '${{ runner.temp }}/upgrade-pr-body' } });
    expect(create.with['body-path']).toBe('${{ runner.temp }}/upgrade-pr-body/upgrade-pr-body.md');
    expect(create.with.body).toBeUndefined();
  });

  test('the body names the kit versions (from, to) and summarizes the diff; a blocked diff does not stop the upgrade', () => {
    // GIVEN a repo whose kit went from 1.4.0 to 1.5.0, and real assemblies before and after
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-upgrade-'));
    fs.mkdirSync(path.join(repo, 'node_modules', 'hardened-service-kit'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'node_modules', 'hardened-service-kit', 'package.json'), JSON.stringify({ name: 'hardened-service-kit', version: '1.5.0' }));
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-runner-'));
    fs.cpSync(assembly('Data'), path.join(temp, 'cdk.out.base'), { recursive: true });
    const step = upgrade.jobs.upgrade.steps[4];
    const env = { RUNNER_TEMP: temp, KIT_BEFORE: '1.4.0', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example-org/svc', GITHUB_RUN_ID: '42' };
    // WHEN the head renames the bucket
    const result = runScript(step.run, repo, env, assembly('Records'));
    // THEN the step succeeds and the body says it all
    expect(result.status).toBe(0);
    const body = fs.readFileSync(path.join(temp, 'upgrade-pr-body.md'), 'utf-8');
    expect(body.startsWith('Upgrades project dependencies.\n\nhardened-service-kit: **1.4.0** -> **1.5.0**\n\n## Infrastructure diff\n\n**Blocked**: 1 stateful resource(s)')).toBe(true);
    expect(body).toContain('| svc-production | 1 | 1 | 0 | 0 | 0 |');
    expect(body).toContain(`**This upgrade replaces or removes stateful resources**: merge it only with a reviewed entry per resource in \`${REPLACEMENTS_ACK_FILE}\`.`);
    expect(body).toContain('[Workflow run](https://github.com/example-org/svc/actions/runs/42)');
    expect(result.summary).toBe(body);

    // WHEN nothing changes but the kit's version
    fs.rmSync(path.join(temp, 'cdk.out.head'), { recursive: true });
    const same = runScript(step.run, repo, { ...env, KIT_BEFORE: '1.5.0' }, path.join(temp, 'cdk.out.base'));
    expect(same.status).toBe(0);
    const sameBody = fs.readFileSync(path.join(temp, 'upgrade-pr-body.md'), 'utf-8');
    expect(sameBody).toContain('hardened-service-kit stays at **1.5.0**.');
    expect(sameBody).toContain('No stateful resource is replaced or removed without an acknowledgement (0 acknowledged).');
    expect(sameBody).not.toContain('This upgrade replaces');
  });

  test('the steps are shellcheck-clean', () => {
    // projen's own steps are projen's; the kit's three are checked here
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-shellcheck-'));
    const ours = [...upgrade.jobs.upgrade.steps.slice(2, 3), upgrade.jobs.upgrade.steps[4]];
    const files = ours.map((s: any, i: number) => {
      const file = path.join(dir, `step-${i}.sh`);
      fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${s.run}`);
      return file;
    });
    const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', ...files], { encoding: 'utf-8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  test('without workflows, no diff workflow', () => {
    expect(Object.keys(workflowsOf(synth({ workflows: false })).doc)).not.toContain('infrastructure-diff.yml');
  });
});
