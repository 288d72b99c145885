import { Component, Project, SampleFile } from 'projen';
import { ComplianceFramework } from '../../core/compliance-frameworks';
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
  }
}

function appContext(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    addStacks: 'addServiceStacks',
    stacksModule: 'service-stacks',
    region: model.region,
    environmentList: `[${model.environments.map((e) => `'${e.environment}'`).sort().join(', ')}]`,
    // The packs the compliance test expects to have run: the stacks' complianceFrameworks.
    packNames: packNamesExpression(model.complianceFrameworks),
    environments: model.environments.map((e) => ({
      name: e.environment,
      enumMember: e.environment.toUpperCase(),
      stackName: e.settings.names.stackName,
      account: e.account ? `'${e.account}'` : 'process.env.CDK_DEFAULT_ACCOUNT',
      props: tsProperties(e.stackOptions as unknown as Record<string, unknown>, 4).replace(/\n$/, ''),
    })),
  };
}

/** The packs the generated compliance test expects to have run, as a TypeScript expression. */
export function packNamesExpression(frameworks: string[]): string {
  return frameworks.join() === ComplianceFramework.DEFAULTS.join()
    ? 'ComplianceChecks.PACK_NAMES'
    : 'ComplianceChecks.packNames(stacks.staging.complianceFrameworks)';
}
