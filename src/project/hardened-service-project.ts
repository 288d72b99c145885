import { awscdk } from 'projen';
import { ComposeFiles } from './container/compose-files';
import { DeployScripts } from './container/deploy-scripts';
import { DockerFiles } from './container/docker-files';
import { RuntimesFile } from './container/runtimes-file';
import { ServiceSample } from './container/service-sample';
import { TaskDefinitionFile } from './container/task-definition-file';
import { firstDeployDocs } from './docs/context/first-deploy-context';
import { DOC_PURPOSES, SERVICE_DOCS } from './docs/docs-context';
import { ServiceDocs } from './docs/service-docs';
import { kitAppOptions, typeCheckInCompile } from './files/cdk-app-options';
import { kitName } from './files/kit-package';
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
    typeCheckInCompile(this, options);
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

/** The parent's options: defaults that fit this kind of repo, and the kit's dependencies. */
function parentOptions(options: HardenedServiceProjectOptions, model: ServiceModel): awscdk.AwsCdkTypeScriptAppOptions {
  return kitAppOptions(options, { nodeVersion: model.nodeVersion, readme: renderTemplate('README.md.hbs', readmeContext(model)) });
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
    stacks: model.environments.map((e) => e.settings.names.stackName),
    nodeMajor: model.nodeVersion.split('.')[0],
    kitName: kitName(),
    docs: SERVICE_DOCS.map((name) => ({ name, purpose: DOC_PURPOSES[name] })),
    ...firstDeployDocs(model),
  };
}
