import { awscdk } from 'projen';
import { PlatformApp } from './platform-app';
import { PlatformDocs, platformDocsContext } from './platform-docs';
import { PlatformModel, resolvePlatformModel } from './platform-model';
import { HardenedPlatformProjectOptions } from './platform-options';
import { PlatformWorkflows } from './platform-workflows';
import { kitAppOptions, typeCheckInCompile } from '../files/cdk-app-options';
import { renderTemplate } from '../files/template-file';

export * from './platform-options';

/**
 * The platform repository of an organization: a CDK TypeScript app under `infrastructure/`
 * with one `HardenedPlatformStack` per environment (staging, production), workflows that test
 * it and deploy it through OIDC, and the docs services join it with (`docs/PLATFORM.md`,
 * `docs/JOINING.md`, `docs/ACCOUNT_HIPAA_CHECKLIST.md`), all rendered from the same options.
 *
 * Managed files are rewritten on every `npx projen`; `.projenrc.ts`,
 * `infrastructure/hooks.ts` and `infrastructure/main.test.ts` are the user's.
 *
 * @pjid hardened-platform
 */
export class HardenedPlatformProject extends awscdk.AwsCdkTypeScriptApp {
  /** Name of the platform. */
  public readonly platformName: string;
  /** AWS region of both environments. */
  public readonly awsRegion: string;

  /** Everything the components render, resolved once. */
  private readonly model: PlatformModel;

  constructor(options: HardenedPlatformProjectOptions) {
    // Every option is checked before anything else happens, so that an invalid option fails
    // `projen new` and `npx projen` before any file is written.
    const model = resolvePlatformModel(options);
    super(kitAppOptions(options, {
      nodeVersion: model.nodeVersion,
      readme: renderTemplate('platform/README.md.hbs', platformDocsContext(model)),
    }));
    this.model = model;
    this.platformName = model.platformName;
    this.awsRegion = model.region;
    typeCheckInCompile(this, options);

    new PlatformApp(this, this.model, this.srcdir);
    new PlatformWorkflows(this, this.model, options);
    new PlatformDocs(this, this.model);
  }
}
