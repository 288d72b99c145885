import { estimateFirstDeployTiming } from '../../../src/core/first-deploy-timing';
import { duration } from '../../../src/project/docs/context/rollout-context';
import { resolveServiceModel } from '../../../src/project/service-model';
import { projectOptions, synth } from '../helpers';

/** The lines of a document's bash blocks. */
function shellLines(doc: string): string[] {
  return [...doc.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).map((l) => l.trim()).filter(Boolean);
}

/** Lines that start a first deploy or deploy infrastructure, in the order the document shows them. */
function deploySteps(doc: string): string[] {
  return shellLines(doc).filter((l) => /(^|\s)(npx )?cdk (deploy|bootstrap)\b|scripts\/aws-deploy\.sh\b/.test(l));
}

const TWO_ACCOUNTS = { stagingAccount: '111111111111', productionAccount: '222222222222' };

describe('the README and AWS_SETUP_GUIDE describe one first-deploy path', () => {
  test.each([
    ['unpinned accounts', {}],
    ['two accounts', TWO_ACCOUNTS],
  ])('%s: no cdk deploy before the first aws-deploy.sh -i, and the -i runs are staging then production', (_name, overrides) => {
    const files = synth(overrides);
    for (const file of ['README.md', 'docs/AWS_SETUP_GUIDE.md']) {
      const steps = deploySteps(String(files[file]));
      const firstDeploy = steps.findIndex((l) => / -i\b/.test(l));
      expect(firstDeploy).toBeGreaterThanOrEqual(0);
      expect(steps.slice(0, firstDeploy).filter((l) => /cdk deploy/.test(l))).toEqual([]);
      expect(steps.filter((l) => /aws-deploy\.sh .* -i(\s+#.*)?$/.test(l)).map((l) => / -e (\w+)/.exec(l)![1])).toEqual(['staging', 'production']);
    }
    const readme = String(files['README.md']);
    expect(readme).not.toMatch(/while `?cdk deploy`? waits/);
    // The other guides point at that path, not at a first `cdk deploy`.
    const all = Object.entries(files).filter(([f]) => f === 'README.md' || f.startsWith('docs/')).map(([, c]) => String(c)).join('\n');
    expect(all).not.toContain('first `cdk deploy`');
    expect(String(files['docs/DEPLOYMENT_GUIDE.md'])).toContain('The first deploy of an environment is\n`scripts/aws-deploy.sh -i`');
    expect(String(files['docs/CI_CD_GUIDE.md'])).toContain('Once, after the first deploy of each environment (`scripts/aws-deploy.sh -i`,');
  });

  test('one cdk bootstrap line per distinct account: one when shared, two (one each) with two accounts', () => {
    const bootstraps = (doc: string) => shellLines(doc).filter((l) => l.startsWith('npx cdk bootstrap'));
    const shared = bootstraps(String(synth()['docs/AWS_SETUP_GUIDE.md']));
    expect(shared).toEqual(['npx cdk bootstrap "aws://$account/us-east-1" \\']);
    const pinnedShared = bootstraps(String(synth({ stagingAccount: '111111111111', productionAccount: '111111111111', productionCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000001' })['docs/AWS_SETUP_GUIDE.md']));
    expect(pinnedShared).toEqual(['npx cdk bootstrap "aws://111111111111/us-east-1" \\']);
    const two = bootstraps(String(synth(TWO_ACCOUNTS)['docs/AWS_SETUP_GUIDE.md']));
    expect(two).toEqual(['npx cdk bootstrap "aws://111111111111/us-east-1" \\', 'npx cdk bootstrap "aws://222222222222/us-east-1" \\']);
    expect(new Set(two).size).toBe(two.length);
  });

  test('two accounts: each command carries its account\'s AWS_PROFILE, and the guide explains the switch', () => {
    const files = synth(TWO_ACCOUNTS);
    const guide = String(files['docs/AWS_SETUP_GUIDE.md']);
    expect(guide).toContain('### Two accounts: switching credentials');
    expect(guide).toContain('export AWS_PROFILE=<staging-profile>');
    expect(guide).toContain('export AWS_PROFILE=<production-profile>');
    for (const doc of [guide, String(files['README.md'])]) {
      expect(doc).toContain('AWS_PROFILE=<staging-profile> scripts/aws-deploy.sh -e staging -t "$(git rev-parse HEAD)" -i');
      expect(doc).toContain('AWS_PROFILE=<production-profile> scripts/aws-deploy.sh -e production -t "$(git rev-parse HEAD)" -i');
    }
    const shared = synth();
    expect(String(shared['docs/AWS_SETUP_GUIDE.md'])).not.toContain('AWS_PROFILE');
    expect(String(shared['README.md'])).not.toContain('AWS_PROFILE');
  });

  test('each step\'s time comes from estimateFirstDeployTiming, in both documents', () => {
    const options = projectOptions();
    const model = resolveServiceModel(options);
    const files = synth();
    const guide = String(files['docs/AWS_SETUP_GUIDE.md']);
    const readme = String(files['README.md']);
    for (const env of model.environments) {
      const timing = estimateFirstDeployTiming(env.settings);
      expect(readme).toContain(`scripts/aws-deploy.sh -e ${env.environment} -t "$(git rev-parse HEAD)" -i   # about ${duration(timing.totalSeconds)}`);
      for (const p of timing.phases) expect(guide).toContain(`| ${p.name} | ${duration(p.seconds)} | ${p.basis} |`);
      expect(guide).toContain(`| **total** | **${duration(timing.totalSeconds)}** | |`);
    }
    expect(readme).toContain(`about ${duration(estimateFirstDeployTiming(model.staging.settings).bootstrap.seconds)} each`);
  });
});

describe('estimateFirstDeployTiming', () => {
  test('the stack creation is the longest resource, the Multi-AZ database in production; migrations only with a database', () => {
    const model = resolveServiceModel(projectOptions());
    const staging = estimateFirstDeployTiming(model.staging.settings);
    const production = estimateFirstDeployTiming(model.production.settings);
    const create = (t: typeof staging) => t.phases.find((p) => p.name === 'create the stack without tasks')!;
    expect(create(production).seconds).toBeGreaterThan(create(staging).seconds);
    expect(create(production).basis).toContain('the Multi-AZ database takes longest');
    expect(staging.totalSeconds).toBe(staging.phases.reduce((s, p) => s + p.seconds, 0));
    expect(staging.phases.map((p) => p.name)).toContain('apply the migrations');
    const noDb = estimateFirstDeployTiming({ ...model.staging.settings, database: false, cache: false });
    expect(noDb.phases.map((p) => p.name)).not.toContain('apply the migrations');
    expect(create(noDb).basis).toContain('the VPC, NAT gateways and load balancer takes longest');
  });
});
