import { actionlint, generate, shellcheck, Workflows } from './workflow-test-support';
import { parseArgs } from '../../../src/cli/args';

/**
 * The workflows run the deploy tool the repo installs (`npm ci`), not through `npx`: the local
 * bin gets a cancelled job's signals itself and is the version package-lock.json pins; where
 * it talks to AWS it names the region, like every `aws` command.
 */
describe('the workflows call the local deploy tool', () => {
  let w: Workflows;
  beforeAll(() => {
    w = generate();
  });

  test('no workflow runs hardened-service doctor or status through npx', () => {
    const offenders = Object.entries(w.text).filter(([, text]) => /npx (-y )?hardened-service (doctor|status)\b/.test(text)).map(([name]) => name);
    expect(offenders).toEqual([]);
  });

  test("test.yml's doctor step runs ./node_modules/.bin/hardened-service doctor", () => {
    const steps = Object.values(w.doc['test.yml'].jobs).flatMap((job: any) => job.steps);
    const doctor = steps.find((s: any) => s.id === 'doctor');
    expect(doctor.run).toBe('./node_modules/.bin/hardened-service doctor');
    expect(() => parseArgs(['doctor'], {})).not.toThrow();
  });

  test.each(['deploy-staging.yml', 'deploy-production.yml'])('%s shows the service after a failure with the local bin and the job\'s region', (file) => {
    const job = w.doc[file].jobs.deploy;
    const step = job.steps.find((s: any) => s.name === 'Show the service after a failure');
    expect(step.run).toBe('./node_modules/.bin/hardened-service status --region "$AWS_REGION" --cluster "$CLUSTER" --service "$SERVICE" --image-tag-parameter "$IMAGE_TAG_PARAMETER"');
    expect(job.env.AWS_REGION).toBe('us-east-1');
    // The line parses as the CLI would, with the job's values in place of the variables.
    const argv = step.run.split(' ').slice(1).map((word: string) => word.replace(/^"\$(\w+)"$/, (_m: string, name: string) => String(job.env[name])));
    expect(argv).toContain('us-east-1');
    expect(() => parseArgs(argv, {})).not.toThrow();
  });

  test('the workflows stay actionlint- and shellcheck-clean', async () => {
    expect(await actionlint(w)).toEqual([]);
    expect(shellcheck(w)).toEqual([]);
  });
});
