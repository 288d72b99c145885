import { Component, JsonFile, Project } from 'projen';
import { RUNTIMES_FILE, RuntimesManifest } from '../../core/runtime-currency';
import { kitName, kitVersion } from '../files/kit-package';
import { ServiceModel } from '../service-model';

/**
 * `.hardened-service/runtimes.json`: every runtime, base-image distribution and engine the repo
 * runs (from the same model as the Dockerfile, the workflows and the stack), each with the
 * option that chooses it. `hardened-service doctor` reads it and judges each against the
 * installed kit's currency table.
 */
export class RuntimesFile extends Component {
  /** The JSON file. */
  public readonly file: JsonFile;

  constructor(project: Project, model: ServiceModel) {
    super(project);
    const manifest: RuntimesManifest = { kit: `${kitName()}@${kitVersion()}`, runtimes: model.runtimes };
    this.file = new JsonFile(project, RUNTIMES_FILE, { obj: manifest });
  }
}
