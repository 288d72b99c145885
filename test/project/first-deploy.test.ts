import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synth, tempOutdir } from './helpers';
import { parseArgs } from '../../src/cli/args';
import { cdkExecutionPolicy } from '../../src/core/cdk-execution-policy';
import { DATABASE_CA_BUNDLE } from '../../src/core/container-environment';
import { TASK_PLATFORM } from '../../src/core/defaults';
import { CDK_EXECUTION_POLICY_PATH } from '../../src/project/infrastructure/cdk-execution-policy-file';

/**
 * Defects of the generated repo that only a real first deploy would have shown (cfn-lint,
 * cdk-nag and the emulator cannot know them), each tested by what the user runs.
 */

/** Writes the generated file `file` into a fresh folder and returns its path there. */
function writeGenerated(files: Record<string, any>, file: string, dir = tempOutdir()): string {
  const target = path.join(dir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, String(files[file]), { mode: 0o755 });
  return target;
}

describe('the documented first image is built for the laptop\'s CPU', () => {
  test('docker-build.sh builds for the platform the tasks run, whatever the machine', () => {
    // GIVEN the generated script and a docker stand-in that records its arguments
    const files = synth();
    const dir = tempOutdir();
    const script = writeGenerated(files, 'scripts/docker-build.sh', dir);
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const recorded = path.join(dir, 'docker-args');
    fs.writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${recorded}'\n`, { mode: 0o755 });
    // WHEN a user runs it as the setup guide says
    execFileSync('bash', [script, '-t', 'abc123'], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe' });
    // THEN the build targets the task definition's architecture
    const args = fs.readFileSync(recorded, 'utf-8').trim().split('\n');
    expect(args[args.indexOf('--platform') + 1]).toBe(TASK_PLATFORM.imagePlatform);
    const taskDefinition = files['infrastructure/aws/ecs-task-definition.json'];
    expect(taskDefinition.runtimePlatform.cpuArchitecture).toBe(TASK_PLATFORM.cpuArchitecture);
    expect({ X86_64: 'linux/amd64', ARM64: 'linux/arm64' }[TASK_PLATFORM.cpuArchitecture]).toBe(TASK_PLATFORM.imagePlatform);
  });

  test('docker-build.sh tags with the full commit SHA by default, the tag production deploys take', () => {
    // GIVEN the generated script in a git repository, and a docker stand-in
    const files = synth();
    const dir = tempOutdir();
    const script = writeGenerated(files, 'scripts/docker-build.sh', dir);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf-8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const recorded = path.join(dir, 'docker-args');
    fs.writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${recorded}'\n`, { mode: 0o755 });
    // WHEN it runs without -t
    const out = execFileSync('bash', [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf-8', stdio: 'pipe' });
    // THEN the tag is the whole SHA, which the production workflow's image check accepts
    const args = fs.readFileSync(recorded, 'utf-8').trim().split('\n');
    const sha = git('rev-parse', 'HEAD');
    expect(args[args.indexOf('--tag') + 1]).toBe(`hedis-optimizer:${sha}`);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(out).toContain(`Built hedis-optimizer:${sha}`);
    expect(JSON.stringify(files['.github/workflows/deploy-production.yml'])).toContain('^[0-9a-f]{40}$');
    expect(files['scripts/docker-build.sh']).toContain('-t TAG         image tag (default: the full 40-character SHA of the current git commit,');
  });

  test('docker-build.sh still lets a user pick another platform with -p', () => {
    const files = synth();
    expect(files['scripts/docker-build.sh']).toContain('-p PLATFORM    target platform (default: linux/amd64');
  });
});

describe('the database server is never authenticated', () => {
  test('the image carries the RDS certificate authorities the service verifies the server with', () => {
    // GIVEN a service with a database
    const files = synth();
    // THEN the CA bundle is a managed file, copied into the image, and kept in the build context
    const bundle = String(files[DATABASE_CA_BUNDLE.repoPath]);
    expect(bundle).toContain('-----BEGIN CERTIFICATE-----');
    expect(files.Dockerfile).toContain(`COPY ${DATABASE_CA_BUNDLE.repoPath} ${DATABASE_CA_BUNDLE.imagePath}`);
    expect(String(files['.dockerignore']).split('\n')).toContain(`!${DATABASE_CA_BUNDLE.repoPath}`);
    // AND the task definition verifies the server's chain and name against it
    const env = Object.fromEntries(
      files['infrastructure/aws/ecs-task-definition.json'].containerDefinitions[0].environment.map((e: any) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ DB_SSLMODE: 'verify-full', DB_SSLROOTCERT: DATABASE_CA_BUNDLE.imagePath });
  });

  test('a service without a database gets no CA bundle', () => {
    const files = synth({ database: false });
    expect(files[DATABASE_CA_BUNDLE.repoPath]).toBeUndefined();
    expect(files.Dockerfile).not.toContain(DATABASE_CA_BUNDLE.imagePath);
  });

  test('the checklist no longer claims TLS on every hop, and names the plain-HTTP hop', () => {
    const checklist = String(synth()['docs/HIPAA_COMPLIANCE_CHECKLIST.md']);
    expect(checklist).not.toContain('TLS on every hop');
    expect(checklist).toContain('the hop from the load balancer to the tasks is HTTP on the container port');
    expect(checklist).toContain('DB_SSLMODE=verify-full');
  });
});

describe('the first deploy never runs migrations', () => {
  test('the setup guide\'s one-command first deploy migrates after the stack exists and before it starts its tasks', () => {
    const guide = String(synth()['docs/AWS_SETUP_GUIDE.md']);
    const command = guide.indexOf('scripts/aws-deploy.sh -e staging -t "$(git rev-parse HEAD)" -i');
    const withoutTasks = guide.indexOf('deploys `hedis-optimizer-staging` without tasks (`npx cdk deploy ... --context hardened-service:first-deploy=true`');
    const migrate = guide.indexOf('4. applies the migrations as a one-off task with that image');
    const withTasks = guide.indexOf('5. deploys the stack again, with its tasks');
    expect(command).toBeGreaterThan(0);
    expect(withoutTasks).toBeGreaterThan(command);
    expect(migrate).toBeGreaterThan(withoutTasks);
    expect(withTasks).toBeGreaterThan(migrate);
    expect(guide).toContain('scripts/db-migrate.sh -e staging -t "$(git rev-parse HEAD)"');
  });

  test('the migration command the guide shows is one db-migrate.sh accepts', () => {
    // GIVEN the generated script; WHEN asked for help THEN it documents -e staging and -t
    const files = synth();
    const script = writeGenerated(files, 'scripts/db-migrate.sh');
    const help = execFileSync('bash', [script, '-h'], { encoding: 'utf-8' });
    expect(help).toContain('-e staging|production');
    expect(help).toMatch(/-t IMAGE_TAG/);
  });

  test('a service without a database has no migration step', () => {
    expect(String(synth({ database: false })['docs/AWS_SETUP_GUIDE.md'])).not.toContain('db-migrate.sh');
  });
});

describe('each budget covers the whole account', () => {
  test('the setup guide asks for the cost-allocation tag the budgets filter on', () => {
    const guide = String(synth()['docs/AWS_SETUP_GUIDE.md']);
    expect(guide).toContain('Activate the cost-allocation tag `hardened-service:stack`');
  });
});

describe('the deploy roles are account administrators', () => {
  const files = synth();
  const policy = files[CDK_EXECUTION_POLICY_PATH];
  const statements: any[] = policy.Statement;
  const actions = (st: any): string[] => [st.Action].flat();

  test('the repo carries a CDK execution policy instead of AdministratorAccess, named in the setup guide', () => {
    const guide = String(files['docs/AWS_SETUP_GUIDE.md']);
    expect(guide).toContain(`--policy-document file://${CDK_EXECUTION_POLICY_PATH}`);
    expect(guide).toContain('--cloudformation-execution-policies "arn:aws:iam::$account:policy/hedis-optimizer-cdk-execution"');
    // IAM rejects unknown elements: the file has no projen marker key
    expect(Object.keys(policy).sort()).toEqual(['Statement', 'Version']);
  });

  test('no statement allows every action, or every IAM action', () => {
    for (const st of statements.filter((s) => s.Effect === 'Allow')) {
      for (const action of actions(st)) {
        expect({ sid: st.Sid, action }).not.toEqual({ sid: st.Sid, action: '*' });
        expect(action === 'iam:*' || action === 'sts:*' || action === 'organizations:*').toBe(false);
      }
    }
  });

  test('IAM is allowed only on the service\'s own roles and policies, the GitHub provider and service-linked roles', () => {
    const iamResources = statements
      .filter((s) => s.Effect === 'Allow' && actions(s).some((a) => a.startsWith('iam:')))
      .flatMap((s) => [s.Resource].flat());
    expect(iamResources.length).toBeGreaterThan(0);
    for (const resource of iamResources) {
      expect(resource).toMatch(/^arn:aws:iam::\*:(role\/hedis-optimizer-\*|policy\/hedis-optimizer-\*|oidc-provider\/token\.actions\.githubusercontent\.com|role\/aws-service-role\/\*)$/);
    }
    const deny = statements.find((s) => s.Sid === 'NoAdministratorPolicies');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Condition.ArnLike['iam:PolicyARN']).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(statements.find((s) => s.Sid === 'NoUsersOrKeys').Action).toContain('iam:CreateAccessKey');
  });

  test('IAM accepts the policy: valid actions, and within the managed-policy size limit', () => {
    // cfn-lint checks every action name of a policy document against IAM's list.
    const dir = tempOutdir();
    const template = path.join(dir, 'policy.json');
    fs.writeFileSync(template, JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: policy } } },
    }));
    let out = '[]';
    try {
      out = execFileSync('cfn-lint', ['--format', 'json', template], { encoding: 'utf-8' });
    } catch (e: any) {
      out = e.stdout;
    }
    expect(JSON.parse(out || '[]').map((r: any) => `${r.Rule.Id} ${r.Message}`)).toEqual([]);
    expect(JSON.stringify(policy).length).toBeLessThanOrEqual(6144);
  });
});

describe('cdkExecutionPolicy', () => {
  test('fails when a stack holds a resource type whose service it does not know', () => {
    expect(() => cdkExecutionPolicy({ serviceName: 'svc', region: 'us-east-1', resourceTypes: ['AWS::Kinesis::Stream'] })).toThrow(
      'no IAM service is known for the resource types AWS::Kinesis::Stream: add them to SERVICE_PREFIXES',
    );
  });

  test('covers the domain variant (Route 53 record, ACM certificate)', () => {
    const files = synth({
      domainName: 'api.example.com',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      stagingCertificateArn: undefined,
      productionCertificateArn: undefined,
    });
    const allowed: string[] = files[CDK_EXECUTION_POLICY_PATH].Statement[0].Action;
    expect(allowed).toEqual(expect.arrayContaining(['route53:*', 'acm:*']));
  });
});

describe('the recovery guide promises a redeploy that would fail', () => {
  test('the guide imports the retained resources before it deploys, with flags recovery-plan accepts', () => {
    const guide = String(synth()['docs/DISASTER_RECOVERY.md']);
    expect(guide).not.toContain('Deploy the stack again (`npx cdk deploy <stack>`)');
    const plan = guide.indexOf('./node_modules/.bin/hardened-service recovery-plan --region us-east-1');
    const importAt = guide.indexOf('npx cdk import hedis-optimizer-production --resource-mapping recovery-hedis-optimizer-production.json');
    const deployAt = guide.indexOf('npx cdk deploy hedis-optimizer-production', importAt);
    expect(plan).toBeGreaterThan(0);
    expect(importAt).toBeGreaterThan(plan);
    expect(deployAt).toBeGreaterThan(importAt);
    // every flag the guide passes is one the command's own parser accepts
    const line = guide.slice(plan, guide.indexOf('\n', guide.indexOf('\n', plan) + 1)).replace(/\\\n\s*/g, ' ');
    const argv = line.slice(line.indexOf('recovery-plan')).trim().split(/\s+/);
    expect(parseArgs(argv, {})).toMatchObject({ command: 'recovery-plan', region: 'us-east-1', stackName: 'hedis-optimizer-production', out: 'recovery-hedis-optimizer-production.json' });
  });
});
