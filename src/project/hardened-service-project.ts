import * as cxapi from 'aws-cdk-lib/cx-api';
import { awscdk, javascript, typescript } from 'projen';
import { ComposeFiles } from './container/compose-files';
import { DeployScripts } from './container/deploy-scripts';
import { DockerFiles } from './container/docker-files';
import { RuntimesFile } from './container/runtimes-file';
import { ServiceSample } from './container/service-sample';
import { TaskDefinitionFile } from './container/task-definition-file';
import { ServiceDocs } from './docs/service-docs';
import { kitDependencyRange, kitName, kitVersion, minimumVersion, versionLessThan } from './files/kit-package';
import { renderTemplate } from './files/template-file';
import { CdkExecutionPolicyFile } from './infrastructure/cdk-execution-policy-file';
import { InfrastructureApp } from './infrastructure/infrastructure-app';
import { HardenedServiceProjectOptions } from './project-options';
import { resolveServiceModel, ServiceModel } from './service-model';
import { ServiceWorkflows } from './workflows/service-workflows';

export * from './project-options';

/**
 * A deployment repository for one service: a CDK TypeScript app under `infrastructure/` with
 * one `HardenedServiceStack` per environment (staging, production), the service under `app/`
 * (a sample written once from the blueprint), and the files that build, run and deploy it
 * (Dockerfile, compose files, scripts, task definition), all rendered from the same options.
 *
 * Managed files are rewritten on every `npx projen`; `.projenrc.ts`, `app/`,
 * `infrastructure/hooks.ts` and `infrastructure/main.test.ts` are the user's.
 *
 * @pjid hardened-service
 */
export class HardenedServiceProject extends awscdk.AwsCdkTypeScriptApp {
  /** Name of the service. */
  public readonly serviceName: string;
  /** Id of the blueprint the service was made from. */
  public readonly blueprintId: string;
  /** AWS region of both environments. */
  public readonly awsRegion: string;

  /** Everything the components render, resolved once. */
  private readonly model: ServiceModel;

  constructor(options: HardenedServiceProjectOptions) {
    // Every option is checked before anything else happens, so that an invalid option fails
    // `projen new` and `npx projen` before any file is written.
    const model = resolveServiceModel(options);
    super(parentOptions(options, model));
    this.model = model;
    this.serviceName = model.serviceName;
    this.blueprintId = model.blueprint.id;
    this.awsRegion = model.region;

    // Type-check once in `compile`; `cdk synth` and `npx projen` then run the TypeScript
    // directly with tsx.
    this.compileTask.exec(`tsc --noEmit -p ${this.tsconfig?.fileName ?? 'tsconfig.json'}`);
    if (!options.projenrcTsOptions?.runner) this.compileTask.exec(`tsc --noEmit -p ${PROJENRC_TSCONFIG}`);
    this.jest?.addIgnorePattern('/app/');
    this.jest?.addWatchIgnorePattern('/app/');
    this.gitignore.exclude('/app/.venv/', '/app/node_modules/', '__pycache__/');

    new DockerFiles(this, this.model);
    new ComposeFiles(this, this.model);
    new DeployScripts(this, this.model);
    new InfrastructureApp(this, this.model, this.srcdir);
    new TaskDefinitionFile(this, this.model);
    new CdkExecutionPolicyFile(this, this.model);
    new RuntimesFile(this, this.model);
    new ServiceSample(this, this.model);
    new ServiceWorkflows(this, this.model, options);
    new ServiceDocs(this, this.model);
  }
}

/** The tsconfig projen writes for .projenrc.ts and `projenrc/` (type-check only). */
const PROJENRC_TSCONFIG = 'projenrc/tsconfig.json';

/** The parent's options: defaults that fit this kind of repo, and the kit's dependencies. */
function parentOptions(options: HardenedServiceProjectOptions, model: ServiceModel): awscdk.AwsCdkTypeScriptAppOptions {
  const kit = kitName();
  const isKit = (spec: string) => spec === kit || spec.startsWith(`${kit}@`);
  // `projen new --from <spec>` lists the kit in devDeps; the CDK app imports it at run time,
  // so it becomes a runtime dependency with the very same spec.
  const kitSpec = [...(options.deps ?? []), ...(options.devDeps ?? [])].find(isKit) ?? `${kit}@^${kitVersion()}`;
  const kitCdk = minimumVersion(kitDependencyRange('aws-cdk-lib'));
  const tsxSpec = `tsx@${kitDependencyRange('tsx')}`;
  return {
    ...options,
    // The kit's constructs need at least the CDK it was built with; `projen new` writes 2.1.0.
    cdkVersion: versionLessThan(options.cdkVersion, kitCdk) ? kitCdk : options.cdkVersion,
    srcdir: options.srcdir ?? 'infrastructure',
    packageManager: options.packageManager ?? javascript.NodePackageManager.NPM,
    // Tests are transpiled file by file (ts-jest reads this): `compile` type-checks already.
    tsconfigDev: options.tsconfigDev ?? { compilerOptions: { isolatedModules: true } },
    // The flags `cdk init` writes for the kit's CDK version: they change what cdk-nag finds,
    // and the stack is checked with exactly these.
    context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, ...options.context },
    sampleCode: false,
    // ts-node type-checks on every synth; tsx runs the app in a fraction of the time.
    app: options.app ?? (options.appEntrypoint ? undefined : `node --import tsx ${options.srcdir ?? 'infrastructure'}/main.ts`),
    // `npx projen` runs .projenrc.ts with tsx: ts-node type-checked it on every run, loading the
    // kit's and the CDK's type declarations (about 10 of its 13 seconds); `compile` type-checks it.
    projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx({ tsconfig: PROJENRC_TSCONFIG }), ...options.projenrcTsOptions },
    // TypeScript 7 breaks ts-node (jest's ts-jest and the TypeScript tooling): pin the line the kit is built with.
    typescriptVersion: options.typescriptVersion ?? kitDependencyRange('typescript'),
    deps: [...(options.deps ?? []).filter((d) => !isKit(d)), kitSpec, `cdk-nag@${kitDependencyRange('cdk-nag')}`],
    // Without it projen asks for `@types/node@ts<major.minor>`, a tag TypeScript 6 does not have.
    // The types of the Node.js line the workflows run the CDK app on.
    devDeps: [...(options.devDeps ?? []).filter((d) => !isKit(d)), tsxSpec, `@types/node@^${model.nodeVersion.split('.')[0]}`],
    // The service's own workflows replace projen's generic build workflow.
    buildWorkflow: options.buildWorkflow ?? false,
    pullRequestTemplate: options.pullRequestTemplate ?? false,
    readme: options.readme ?? { contents: renderTemplate('README.md.hbs', readmeContext(model)) },
  };
}

function readmeContext(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    description: model.blueprint.description.replace(/\.$/, ''),
    runtime: model.blueprint.runtime,
    database: model.database,
    cache: model.cache,
    healthCheckPath: model.healthCheckPath,
    containerPort: model.containerPort,
    region: model.region,
    stagingStack: model.staging.settings.names.stackName,
    stacks: model.environments.map((e) => e.settings.names.stackName),
  };
}
