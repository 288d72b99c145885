import { Component, Project } from 'projen';
import { DATABASE_CA_BUNDLE } from '../../core/container-environment';
import { TemplateFile } from '../files/template-file';
import { CONTAINER_UID, ServiceModel } from '../service-model';

/**
 * The container image of the service: a multi-stage `Dockerfile` (pinned base image,
 * dependency layer caching, non-root user with a fixed uid, HEALTHCHECK on the health path,
 * OCI labels, package mirrors from build arguments) and the `.dockerignore` that keeps all
 * but `app/` out of the build context.
 */
export class DockerFiles extends Component {
  /** The `Dockerfile`. */
  public readonly dockerfile: TemplateFile;
  /** The `.dockerignore`. */
  public readonly dockerignore: TemplateFile;
  /** The RDS certificate authorities the image verifies the database with, when it has one. */
  public readonly databaseCaBundle?: TemplateFile;

  constructor(project: Project, model: ServiceModel) {
    super(project);
    const blueprint = model.blueprint;
    this.dockerfile = new TemplateFile(project, 'Dockerfile', {
      template: 'Dockerfile.hbs',
      context: () => ({
        serviceName: model.serviceName,
        runtime: blueprint.runtime,
        description: blueprint.description.replace(/"/g, "'"),
        baseImage: model.baseImage,
        digestPinned: model.baseImage.includes('@sha256:'),
        sourceUrl: model.sourceUrl,
        uid: CONTAINER_UID,
        containerPort: model.containerPort,
        dependencyFiles: blueprint.dependencyFiles,
        installCommands: blueprint.installCommands,
        buildCommands: blueprint.buildCommands,
        runtimePaths: blueprint.runtimePaths,
        healthCheckCommand: JSON.stringify(healthCheckCommand(model)),
        startCommand: JSON.stringify(blueprint.startCommand),
        databaseCaBundle: model.database ? DATABASE_CA_BUNDLE : undefined,
      }),
    });
    if (model.database) {
      this.databaseCaBundle = new TemplateFile(project, DATABASE_CA_BUNDLE.repoPath, {
        template: 'certs/rds-ca-bundle.pem.hbs',
        context: () => ({}),
      });
    }
    this.dockerignore = new TemplateFile(project, '.dockerignore', {
      template: 'dockerignore.hbs',
      context: () => ({}),
    });
  }
}

/** The blueprint's health check command with the service's port and path filled in. */
export function healthCheckCommand(model: ServiceModel): string[] {
  return model.blueprint.healthCheckCommand.map((arg) =>
    arg.replace(/\{\{port\}\}/g, String(model.containerPort)).replace(/\{\{path\}\}/g, model.healthCheckPath),
  );
}
