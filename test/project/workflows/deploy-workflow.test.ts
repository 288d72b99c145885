import { synthSnapshot } from 'projen/lib/util/synth';
import { HardenedServiceProject, HardenedServiceProjectOptions } from '../../../src/project/hardened-service-project';
import { projectOptions } from '../helpers';
import { CONFIGURE_AWS, deployScript, generate, runStep, WITH_DOMAIN, WORKFLOW_DIR } from './workflow-test-support';

describe('the first real deploy (each test named after the defect it guards against)', () => {
  const SHA = 'c0ffee'.padEnd(40, '0');
  const DIGEST = `sha256:${'d'.repeat(64)}`;
  const LB = 'hedis-stg-alb-1234567890.us-east-1.elb.amazonaws.com';
  const workflows = generate();
  const deployJob = (file: string, w = workflows) => w.doc[file].jobs.deploy;
  const stepOf = (jobDoc: any, id: string) => jobDoc.steps.find((st: any) => st.id === id);

  describe('health URL vs certificate name', () => {
    test.each(['deploy-staging.yml', 'deploy-production.yml'])('fails when %s has no domain and no HEALTH_URL, before any deploy step, naming the fix', (file) => {
      const environment = file.replace(/^deploy-|\.yml$/g, '');
      const step = deployJob(file).steps[0];
      const result = runStep(step, { HEALTH_URL: '', DOMAIN_HEALTH_URL: step.env.DOMAIN_HEALTH_URL }, 'exit 99');
      expect(step.env).toEqual({ HEALTH_URL: '${{ vars.HEALTH_URL }}', DOMAIN_HEALTH_URL: '' });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe(
        `::error::The variable HEALTH_URL is not set in the GitHub environment ${environment}, and the stack hedis-optimizer-${environment} has no domainName: ` +
          "its ServiceUrl is the load balancer's DNS name, which the certificate can never match. " +
          'Set HEALTH_URL to https://<a name the certificate covers>/healthz (DNS need not point at the load balancer yet), or set domainName in .projenrc.ts.\n',
      );
    });

    test('verifies the domain by default when there is one, HEALTH_URL when set, and never the load balancer name', () => {
      const step = deployJob('deploy-production.yml', generate(WITH_DOMAIN)).steps[0];
      expect(step.env.DOMAIN_HEALTH_URL).toBe('https://api.hedis.example/healthz');
      expect(runStep(step, { HEALTH_URL: '', DOMAIN_HEALTH_URL: step.env.DOMAIN_HEALTH_URL }, 'exit 99').env).toEqual({ HEALTH_CHECK_URL: 'https://api.hedis.example/healthz' });
      expect(runStep(step, { HEALTH_URL: 'https://other.hedis.example/healthz', DOMAIN_HEALTH_URL: '' }, 'exit 99').env).toEqual({ HEALTH_CHECK_URL: 'https://other.hedis.example/healthz' });
      expect(runStep(step, { HEALTH_URL: 'http://plain.example/healthz', DOMAIN_HEALTH_URL: '' }, 'exit 99').status).toBe(1);
    });

    test('the rollout connects to the load balancer named by the stack output while verifying the URL host', () => {
      // the infrastructure step hands the LoadBalancerDnsName output to the rollout step
      const outputs = JSON.stringify([
        { OutputKey: 'ServiceUrl', OutputValue: `https://${LB}` },
        { OutputKey: 'LoadBalancerDnsName', OutputValue: LB },
      ]);
      const result = runStep(stepOf(deployJob('deploy-staging.yml'), 'infrastructure'), { STACK: 'hedis-optimizer-staging' }, `echo '${outputs}'`, { npx: 'exit 0' });
      expect(result.status).toBe(0);
      expect(result.env).toEqual({ SERVICE_URL: `https://${LB}`, LOAD_BALANCER_DNS_NAME: LB });
      expect(deployScript(workflows.doc['deploy-staging.yml'])).toContain('-u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"');
    });
  });

  describe('double rollout', () => {
    const outputs = JSON.stringify([{ OutputKey: 'ServiceUrl', OutputValue: 'https://x' }, { OutputKey: 'LoadBalancerDnsName', OutputValue: LB }]);
    const run = (diffExit: number) =>
      runStep(stepOf(deployJob('deploy-production.yml'), 'infrastructure'), { STACK: 'hedis-optimizer-production' }, `echo '${outputs}'`, {
        npx: `if [[ "$1 $2" == "cdk diff" ]]; then exit ${diffExit}; fi`,
      });

    test('skips cdk deploy when the template is the deployed one, so the deploy tool does the only rollout', () => {
      const result = run(0);
      expect(result.status).toBe(0);
      expect(result.outputs.deployed).toBe('false');
      expect(result.calls.filter((c) => c.startsWith('npx'))).toEqual(['npx cdk diff --no-change-set --fail hedis-optimizer-production']);
    });

    test.each([
      ['the template differs', 1],
      ['the diff fails (the stack does not exist yet, or no access)', 2],
    ])('runs cdk deploy when %s', (_label, diffExit) => {
      const result = run(diffExit);
      expect(result.status).toBe(0);
      expect(result.outputs.deployed).toBe('true');
      expect(result.calls.filter((c) => c.startsWith('npx'))).toEqual([
        'npx cdk diff --no-change-set --fail hedis-optimizer-production',
        'npx cdk deploy hedis-optimizer-production --require-approval never',
      ]);
    });
  });

  describe('staging is blocked until production exists', () => {
    test("build.yml pushes to staging's repository with staging's publish role only", () => {
      const text = workflows.text['build.yml'];
      expect(text).not.toMatch(/production/i);
      const image = workflows.doc['build.yml'].jobs.image;
      expect(image.steps.filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).map((s: any) => s.with['role-to-assume'])).toEqual([
        '${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}',
      ]);
    });

    test('the promotion to production is skipped while its publish role variable is unset', () => {
      const promote = workflows.doc['deploy-staging.yml'].jobs.promote;
      expect(promote.if).toBe("vars.AWS_PUBLISH_ROLE_ARN_PRODUCTION != ''");
    });
  });

  describe('production is not gated on staging', () => {
    const promote = workflows.doc['deploy-staging.yml']?.jobs.promote;

    test('promotes only after the verified staging deploy, by digest, from a job whose OIDC subject the publish roles trust', () => {
      expect(promote.needs).toBe('deploy');
      // no GitHub environment: the token's subject is the main branch's ref (workflow_run runs on it)
      expect(promote.environment).toBeUndefined();
      expect(promote.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
      expect(promote.env).toMatchObject({ IMAGE_TAG: '${{ needs.deploy.outputs.image-tag }}', IMAGE_DIGEST: '${{ needs.deploy.outputs.image-digest }}' });
      expect(workflows.doc['deploy-staging.yml'].jobs.deploy.outputs).toEqual({ 'image-tag': '${{ steps.image.outputs.tag }}', 'image-digest': '${{ steps.image.outputs.digest }}' });
      const roles = promote.steps.filter((s: any) => s.uses?.startsWith(`${CONFIGURE_AWS}@`)).map((s: any) => s.with['role-to-assume']);
      expect(roles).toEqual(['${{ vars.AWS_PUBLISH_ROLE_ARN_STAGING }}', '${{ vars.AWS_PUBLISH_ROLE_ARN_PRODUCTION }}']);
      const scan = stepOf(promote, 'scan');
      expect(scan.env).toEqual({ REPOSITORY: 'hedis-optimizer-production', EXPECTED_DIGEST: '${{ env.IMAGE_DIGEST }}' });
      expect(promote.steps.indexOf(scan)).toBeGreaterThan(promote.steps.indexOf(stepOf(promote, 'copy')));
    });

    const SOURCE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer-staging';
    const TARGET = '222222222222.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer-production';
    const copy = (existing: string, tag = SHA, digest = DIGEST) =>
      runStep(stepOf(promote, 'copy'), { IMAGE_TAG: tag, IMAGE_DIGEST: digest, SOURCE, TARGET, EXISTING: existing }, 'exit 99', { skopeo: 'exit 0' });

    test('copies exactly the digest staging ran into the production repository', () => {
      const result = copy('');
      expect(result.status).toBe(0);
      const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(result.calls).toEqual([
        expect.stringMatching(new RegExp(
          '^skopeo copy --all --preserve-digests --retry-times 3 --src-authfile \\S+/source-auth\\.json --dest-authfile \\S+/target-auth\\.json ' +
            `docker://${escape(SOURCE)}@${DIGEST} docker://${escape(TARGET)}:${SHA}$`,
        )),
      ]);
    });

    test('a re-run finds the image it promoted, and fails when the tag names another image', () => {
      expect(copy(DIGEST)).toMatchObject({ status: 0, calls: [] });
      const other = copy(`sha256:${'e'.repeat(64)}`);
      expect(other.status).toBe(1);
      expect(other.calls).toEqual([]);
      expect(copy('', SHA, '')).toMatchObject({ status: 1, calls: [] });
    });

    test("deploy-production accepts only images in production's repository, which only the promotion fills", () => {
      const find = stepOf(deployJob('deploy-production.yml'), 'image');
      const result = runStep(find, { IMAGE: SHA, REPOSITORY: 'hedis-optimizer-production' }, 'echo "An error occurred (ImageNotFoundException)" >&2; exit 254');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe(
        `::error::hedis-optimizer-production has no image ${SHA}: production deploys only images that staging verified and deploy-staging.yml promoted; deploy it to staging first\n`,
      );
    });
  });

  describe('upgrade.yml needs a secret nobody documents', () => {
    test.each([
      ['the defaults', {}],
      ['a domain', WITH_DOMAIN],
    ] as [string, Partial<HardenedServiceProjectOptions>][])('the CI/CD guide names every secret and variable the workflows read, with %s', (_label, overrides) => {
      const files = synthSnapshot(new HardenedServiceProject(projectOptions(overrides)));
      const guide = String(files['docs/CI_CD_GUIDE.md']);
      const read = new Set<string>();
      for (const [file, content] of Object.entries(files)) {
        if (!file.startsWith(WORKFLOW_DIR)) continue;
        for (const m of String(content).matchAll(/\$\{\{[^}]*?\b(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)) read.add(`${m[1]}.${m[2]}`);
      }
      // GitHub makes GITHUB_TOKEN for every run; everything else someone must create
      read.delete('secrets.GITHUB_TOKEN');
      expect([...read].sort()).toEqual(expect.arrayContaining(['secrets.PROJEN_GITHUB_TOKEN', 'vars.AWS_DEPLOY_ROLE_ARN', 'vars.HEALTH_URL']));
      const settingsTable = guide.slice(guide.indexOf('## Secrets and variables'), guide.indexOf('\n## ', guide.indexOf('## Secrets and variables') + 1));
      for (const name of read) {
        const [kind, variable] = name.split('.');
        expect({ name, row: settingsTable.split('\n').find((line) => line.startsWith(`| \`${variable}\` |`)) }).toEqual({
          name,
          row: expect.stringContaining(kind === 'secrets' ? '| secret |' : '| variable |'),
        });
      }
      // the token's least permissions are stated
      expect(settingsTable).toContain('Contents: read and write, Pull requests: read and write, Workflows: read and write');
    });
  });
});

describe('staging\'s deploy role is open to any branch', () => {
  // The deploy roles trust every job of their GitHub environment: the environment's
  // deployment branch policy is what keeps branches out, so each deploy checks it first.
  const gh = (policy: string, branches: string) => [
    'case "$*" in',
    `  *deployment-branch-policies*) echo '${branches}' | jq -r '[.branch_policies[] | "\\(.type // "branch"):\\(.name)"] | join(" ")' ;;`,
    `  *) echo '${policy}' | jq -r '.deployment_branch_policy' ;;`,
    'esac',
  ].join('\n');
  const only = (...names: string[]) => JSON.stringify({ branch_policies: names.map((name) => ({ name, type: 'branch' })) });
  const custom = JSON.stringify({ deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } });

  test.each(['deploy-staging.yml', 'deploy-production.yml'])('%s checks the branch policy before any AWS access', (file) => {
    const deploy = generate().doc[file].jobs.deploy;
    expect(deploy.steps[1].name).toBe('Check that only main can deploy to this environment');
    expect(deploy.steps.slice(0, 2).some((s: any) => s.uses)).toBe(false);
    expect(deploy.permissions.actions).toBe('read');
  });

  test.each([
    ['fails when every branch may deploy', JSON.stringify({ deployment_branch_policy: null }), only(), 1, 'every branch can deploy'],
    ['fails when any protected branch may deploy', JSON.stringify({ deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } }), only(), 1, 'every protected branch'],
    ['fails when another branch may deploy too', custom, only('main', 'feature/*'), 1, 'admits branch:main branch:feature/*'],
    ['passes when only main may deploy', custom, only('main'), 0, 'Only main can deploy to staging'],
  ])('%s', (_name, policy, branches, status, message) => {
    const step = generate().doc['deploy-staging.yml'].jobs.deploy.steps[1];
    const result = runStep(step, { ENVIRONMENT: 'staging', GITHUB_REPOSITORY: 'example-org/hedis-optimizer', GH_TOKEN: 't' }, 'exit 99', { gh: gh(policy, branches) });
    expect(result.status).toBe(status);
    expect(result.stdout).toContain(message);
  });

  test('warns and goes on when the token cannot read the environment', () => {
    const step = generate().doc['deploy-staging.yml'].jobs.deploy.steps[1];
    const result = runStep(step, { ENVIRONMENT: 'staging', GITHUB_REPOSITORY: 'o/r', GH_TOKEN: 't' }, 'exit 99', { gh: 'echo "HTTP 403: Resource not accessible by integration" >&2; exit 1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('::warning::could not read the deployment branch policy');
  });
});
