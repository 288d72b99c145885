import { Component, Project } from 'projen';
import { DEPLOYED_IMAGE_TAG_PREFIX, TASK_PLATFORM } from '../../core/defaults';
import { TemplateFile } from '../files/template-file';
import { ServiceModel } from '../service-model';
import { defaultHealthUrl } from '../workflows/workflow-steps';

/**
 * The operator's scripts: `scripts/docker-build.sh`, `scripts/docker-run.sh`,
 * `scripts/aws-deploy.sh` and, with a database, `scripts/db-migrate.sh`. The AWS ones call
 * the `hardened-service` deploy tool with the physical names the stack gives each environment,
 * so what CI does can be run by hand.
 */
export class DeployScripts extends Component {
  /** The scripts, by file name. */
  public readonly scripts: { readonly [name: string]: TemplateFile } = {};

  constructor(project: Project, model: ServiceModel) {
    super(project);
    const names = ['docker-build.sh', 'docker-run.sh', 'aws-deploy.sh', ...(model.database ? ['db-migrate.sh'] : [])];
    for (const name of names) {
      (this.scripts as Record<string, TemplateFile>)[name] = new TemplateFile(project, `scripts/${name}`, {
        template: `scripts/${name}.hbs`,
        executable: true,
        context: () => scriptContext(model),
      });
    }
  }
}

/** The values every script template may use. */
function scriptContext(model: ServiceModel) {
  const dependencies = [model.database ? 'PostgreSQL' : undefined, model.cache ? 'Redis' : undefined].filter(Boolean);
  return {
    serviceName: model.serviceName,
    region: model.region,
    baseImage: model.baseImage,
    imagePlatform: TASK_PLATFORM.imagePlatform,
    nodeVersion: model.nodeVersion,
    containerPort: model.containerPort,
    healthCheckPath: model.healthCheckPath,
    database: model.database,
    dependencies: dependencies.join(' and '),
    migrateCommand: model.blueprint.migrateCommand,
    migrateCommandQuoted: shellQuote(model.blueprint.migrateCommand),
    environmentNames: model.environments.map((e) => e.environment).join(' or '),
    deployedTagPrefix: DEPLOYED_IMAGE_TAG_PREFIX,
    environments: model.environments.map((e) => ({
      name: e.environment,
      account: e.account ?? '',
      stackName: e.settings.names.stackName,
      clusterName: e.settings.names.clusterName,
      serviceName: e.settings.names.serviceName,
      containerName: e.settings.names.containerName,
      repositoryName: e.settings.names.repositoryName,
      imageTagParameter: e.settings.names.imageTagParameter,
      healthUrl: defaultHealthUrl(e.settings) ?? '',
    })),
  };
}

/** One word for bash: single-quoted, with embedded single quotes escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}
