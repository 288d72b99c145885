import * as YAML from 'yaml';
import { SERVICE_DOCS } from '../../../src/project/docs/docs-context';
import { synth } from '../helpers';

/** A synthesized YAML file as an object (the snapshot holds YAML as text). */
function yaml(files: Record<string, unknown>, file: string): any {
  const content = files[file];
  return typeof content === 'string' ? YAML.parse(content) : content;
}

describe('the generated CI/CD guide names what GitHub shows', () => {
  let files: Record<string, unknown>;
  let guide: string;
  beforeAll(() => {
    files = synth();
    guide = String(files['docs/CI_CD_GUIDE.md']);
  });

  test('the required checks are the job names of test.yml, infrastructure-diff.yml and pull-request-lint.yml', () => {
    const jobNames = (file: string) => Object.values(yaml(files, file).jobs).map((job: any) => job.name);
    const checks = ['test', 'infrastructure-diff', 'pull-request-lint'].flatMap((w) => jobNames(`.github/workflows/${w}.yml`));
    expect(checks).toEqual(['Infrastructure', 'App', 'Infrastructure diff', 'Validate PR title']);
    expect(guide).toContain(`require the status checks ${checks.map((c) => `\`${c}\``).join(', ')}.`);
    expect(guide).not.toContain('the `test` workflow');
  });

  test('documents pull-request-lint.yml with the title prefixes it enforces, and upgrade.yml', () => {
    const step = Object.values(yaml(files, '.github/workflows/pull-request-lint.yml').jobs as Record<string, any>)[0].steps[0];
    const types: string[] = step.with.types.split('\n');
    expect(types).toEqual(['feat', 'fix', 'chore']);
    expect(guide).toContain('| `.github/workflows/pull-request-lint.yml` |');
    expect(guide).toContain(`with one of these prefixes, a colon and a space (a scope in parentheses is allowed):\n${types.map((t) => `\`${t}:\``).join(', ')}.`);
    expect(guide).toContain('| `.github/workflows/upgrade.yml` | daily, and by hand (workflow dispatch) |');
    expect(yaml(files, '.github/workflows/upgrade.yml').on.schedule).toEqual([{ cron: '0 0 * * *' }]);
  });
});

describe('the generated README is the first page of the repo', () => {
  test('says npm ci, and links every guide in docs/', () => {
    const files = synth();
    const readme = String(files['README.md']);
    expect(readme).toContain('npm ci ');
    expect(readme).toContain('[`docs/`](docs/)');
    for (const doc of SERVICE_DOCS) {
      expect(readme).toContain(`- [${doc}](docs/${doc}): `);
      expect(files[`docs/${doc}`]).toBeDefined();
    }
  });

  test('says what ecs-task-definition.json is for: a reference that nothing deploys', () => {
    const files = synth();
    const readme = String(files['README.md']);
    expect(files['infrastructure/aws/ecs-task-definition.json']).toBeDefined();
    expect(readme).toContain('| `infrastructure/aws/ecs-task-definition.json` (reference, not deployed) | managed |');
    expect(readme).toContain('`ecs-task-definition.json` is the production task definition the stack\nrenders');
  });
});
