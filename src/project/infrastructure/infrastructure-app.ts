import { Component, Project, SampleFile } from 'projen';
import { ComplianceFramework } from '../../core/compliance-frameworks';
import { REPLACEMENTS_ACK_FILE } from '../../core/stateful-resources';
import { renderTemplate, TemplateFile } from '../files/template-file';
import { tsProperties } from '../files/ts-literal';
import { ServiceModel } from '../service-model';

/**
 * The CDK app under `infrastructure/`: the managed entry point `main.ts` and
 * `service-stacks.ts` (one `HardenedServiceStack` per environment, props rendered from the
 * options), plus two files the user owns once written: `hooks.ts` for extra resources and
 * `main.test.ts`, which synthesizes both environments and asserts zero open cdk-nag findings.
 */
export class InfrastructureApp extends Component {
  /** `infrastructure/main.ts`, the entry point in `cdk.json`. */
  public readonly entryPoint: TemplateFile;
  /** `infrastructure/service-stacks.ts`. */
  public readonly stacks: TemplateFile;

  constructor(project: Project, model: ServiceModel, srcdir: string) {
    super(project);
    const context = () => appContext(model);
    this.entryPoint = new TemplateFile(project, `${srcdir}/main.ts`, { template: 'infrastructure/main.ts.hbs', context });
    this.stacks = new TemplateFile(project, `${srcdir}/service-stacks.ts`, {
      template: 'infrastructure/service-stacks.ts.hbs',
      context,
    });
    new SampleFile(project, `${srcdir}/hooks.ts`, {
      contents: renderTemplate('infrastructure/hooks.ts.hbs', context()),
    });
    new SampleFile(project, `${srcdir}/main.test.ts`, {
      contents: renderTemplate('infrastructure/main.test.ts.hbs', context()),
    });
    addReplacementsAckFile(project);
  }
}

/**
 * The reviewed list of deliberate replacements and removals that `hardened-service diff` (the
 * pull requests' infrastructure-diff check) lets through, owned by the repository and empty to
 * start with. Shared by the service and the platform repositories.
 */
export function addReplacementsAckFile(project: Project): void {
  const contents = {
    $comment: 'Stateful resources that a pull request deliberately replaces or removes: { "stack", "logicalId", "reason" } each (see hardened-service diff -h).',
    acknowledgements: [],
  };
  new SampleFile(project, REPLACEMENTS_ACK_FILE, { contents: `${JSON.stringify(contents, undefined, 2)}\n` });
}

function appContext(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    // The platform both stacks join (`platform`), or undefined: each stack has its own network.
    platformName: model.platform?.name,
    ...cdkAppContext('addServiceStacks', 'service-stacks', model.region, model.complianceFrameworks, model.environments.map((e) => ({
      environment: e.environment,
      stackName: e.settings.names.stackName,
      account: e.account,
      stackOptions: e.stackOptions,
    }))),
  };
}

/** One environment's stack in a generated CDK app. */
export interface AppStack {
  readonly environment: string;
  readonly stackName: string;
  /** The account id, when pinned. */
  readonly account?: string;
  /** The stack's props that plain data holds, rendered as TypeScript. */
  readonly stackOptions: object;
}

/**
 * What the templates of a generated CDK app (`main.ts`, the stacks file, `main.test.ts`) are
 * rendered from, for the service and the platform repositories alike.
 */
export function cdkAppContext(addStacks: string, stacksModule: string, region: string, frameworks: string[], stacks: AppStack[]) {
  return {
    addStacks,
    stacksModule,
    region,
    environmentList: `[${stacks.map((e) => `'${e.environment}'`).sort().join(', ')}]`,
    // The packs the compliance test expects to have run: the stacks' complianceFrameworks.
    packNames: packNamesExpression(frameworks),
    environments: stacks.map((e) => ({
      name: e.environment,
      enumMember: e.environment.toUpperCase(),
      stackName: e.stackName,
      account: e.account ? `'${e.account}'` : 'process.env.CDK_DEFAULT_ACCOUNT',
      props: tsProperties(e.stackOptions as Record<string, unknown>, 4).replace(/\n$/, ''),
    })),
  };
}

/** The packs the generated compliance test expects to have run, as a TypeScript expression. */
export function packNamesExpression(frameworks: string[]): string {
  return frameworks.join() === ComplianceFramework.DEFAULTS.join()
    ? 'ComplianceChecks.PACK_NAMES'
    : 'ComplianceChecks.packNames(stacks.staging.complianceFrameworks)';
}
