import { Component, Project, SampleFile } from 'projen';
import { PlatformModel } from './platform-model';
import { renderTemplate, TemplateFile } from '../files/template-file';
import { addReplacementsAckFile, cdkAppContext } from '../infrastructure/infrastructure-app';

/**
 * The platform's CDK app under `infrastructure/`: the managed entry point `main.ts` and
 * `platform-stacks.ts` (one `HardenedPlatformStack` per environment, props rendered from the
 * options), plus two files the user owns once written: `hooks.ts` for extra resources and
 * `main.test.ts`, which synthesizes both environments and asserts zero open cdk-nag findings.
 */
export class PlatformApp extends Component {
  /** `infrastructure/main.ts`, the entry point in `cdk.json`. */
  public readonly entryPoint: TemplateFile;
  /** `infrastructure/platform-stacks.ts`. */
  public readonly stacks: TemplateFile;

  constructor(project: Project, model: PlatformModel, srcdir: string) {
    super(project);
    const context = () => platformAppContext(model);
    this.entryPoint = new TemplateFile(project, `${srcdir}/main.ts`, { template: 'infrastructure/main.ts.hbs', context });
    this.stacks = new TemplateFile(project, `${srcdir}/platform-stacks.ts`, { template: 'platform/platform-stacks.ts.hbs', context });
    new SampleFile(project, `${srcdir}/hooks.ts`, { contents: renderTemplate('platform/hooks.ts.hbs', context()) });
    new SampleFile(project, `${srcdir}/main.test.ts`, { contents: renderTemplate('infrastructure/main.test.ts.hbs', context()) });
    addReplacementsAckFile(project);
  }
}

function platformAppContext(model: PlatformModel) {
  return {
    platformName: model.platformName,
    ...cdkAppContext('addPlatformStacks', 'platform-stacks', model.region, model.complianceFrameworks, model.environments),
  };
}
