import { Component, DependencyType, github, Project, YamlFile } from 'projen';
import { PullRequestChecks } from './context/ci-context';
import { DocsContext, SERVICE_DOCS } from './docs-context';
import { kitDependencyRange } from '../files/kit-package';
import { TemplateFile } from '../files/template-file';
import { CloudWatchConfigFile } from '../infrastructure/cloudwatch-config';
import { ServiceModel } from '../service-model';

export { SERVICE_DOCS } from './docs-context';

/** Options of `ServiceDocs`. */
export interface ServiceDocsOptions {
  /**
   * Folder of the documents.
   * @default "docs"
   */
  readonly docsDir?: string;
}

/**
 * The service's documentation as managed files: `docs/*.md` (architecture with Mermaid
 * diagrams and the cost estimate, AWS setup, CI/CD, deployment, monitoring, security, the HIPAA
 * checklist, the operations runbook and disaster recovery) and
 * `infrastructure/monitoring/cloudwatch-config.json`, all written for this service from the
 * same options as its stacks. Both environments' stacks are built in memory to read what the
 * docs state about them (acknowledged findings, subnets, security-group paths, log groups), so
 * the documents cannot drift from the stacks. Also a markdownlint-cli2 configuration and a
 * `docs:lint` task that lints the documents.
 */
export class ServiceDocs extends Component {
  /** The documents, by file name. */
  public readonly docs: { readonly [name: string]: TemplateFile } = {};
  /** `infrastructure/monitoring/cloudwatch-config.json`. */
  public readonly cloudWatchConfig: CloudWatchConfigFile;
  /** `.markdownlint-cli2.yaml`. */
  public readonly markdownlintConfig: YamlFile;

  constructor(project: Project, model: ServiceModel, options: ServiceDocsOptions = {}) {
    super(project);
    const docsDir = options.docsDir ?? 'docs';
    // Each document gets its own sections, built at the first synthesized document that needs
    // them: building the stacks takes seconds.
    let context: DocsContext | undefined;
    const contexts = () => (context ??= new DocsContext(model, { projenSecrets: projenSecrets(project), checks: pullRequestChecks(project) }));
    for (const name of SERVICE_DOCS) {
      (this.docs as Record<string, TemplateFile>)[name] = new TemplateFile(project, `${docsDir}/${name}`, {
        template: `docs/${name}.hbs`,
        context: () => contexts().forDocument(name),
      });
    }
    this.cloudWatchConfig = new CloudWatchConfigFile(project, model);
    this.markdownlintConfig = new YamlFile(project, '.markdownlint-cli2.yaml', { obj: MARKDOWNLINT_CONFIG });
    project.deps.addDependency(`markdownlint-cli2@${kitDependencyRange('markdownlint-cli2')}`, DependencyType.BUILD);
    project.addTask('docs:lint', {
      description: `Lint the generated documents in ${docsDir}/ with markdownlint-cli2`,
      exec: `markdownlint-cli2 "${docsDir}/**/*.md"`,
    });
  }
}

/**
 * The secrets projen's own workflows (`upgrade.yml`) open pull requests with, as the project's
 * GitHub credentials name them (a token, or a GitHub App's id and key); none without GitHub.
 */
function projenSecrets(project: Project): string[] {
  const credentials = github.GitHub.of(project)?.projenCredentials;
  if (!credentials) return [];
  const text = `${credentials.tokenRef} ${JSON.stringify(credentials.setupSteps)}`;
  return [...new Set([...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

/**
 * The checks of a pull request as GitHub lists them (a job's `name`, else its id), read from
 * the project's own workflows at synth time, so the guide names what the branch rule must
 * require: the test workflow's jobs, the infrastructure diff, and `pull-request-lint.yml`'s title
 * check with its prefixes.
 */
function pullRequestChecks(project: Project): PullRequestChecks {
  const gh = github.GitHub.of(project);
  const jobNames = (workflow?: github.GithubWorkflow) => Object.entries(workflow?.jobs ?? {}).map(([id, job]) => ('name' in job && job.name) || id);
  const lint = gh?.tryFindWorkflow('pull-request-lint');
  const types = Object.values(lint?.jobs ?? {})
    .flatMap((job) => ('steps' in job ? (job.steps ?? []) : []))
    .map((step) => (typeof step === 'object' && step?.with ? step.with.types : undefined))
    .find((t): t is string => typeof t === 'string');
  return {
    // The infrastructure diff is a check of its own workflow, required like the tests.
    testJobs: [...jobNames(gh?.tryFindWorkflow('test')), ...jobNames(gh?.tryFindWorkflow('infrastructure-diff'))],
    titleJob: lint ? jobNames(lint)[0] : undefined,
    titleTypes: types ? types.split(/\s+/).filter(Boolean) : [],
  };
}

/**
 * markdownlint's defaults, except line length (tables, commands and Mermaid labels are long
 * by nature) and repeated headings under different parents (one section per environment).
 */
export const MARKDOWNLINT_CONFIG = {
  config: {
    default: true,
    MD013: false,
    MD024: { siblings_only: true },
  },
  ignores: ['node_modules/**', 'cdk.out/**'],
};
