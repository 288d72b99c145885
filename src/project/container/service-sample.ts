import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';
import { Component, Project, SampleDir } from 'projen';
import { TEMPLATES_DIR } from '../files/template-file';
import { sampleContext, ServiceModel } from '../service-model';

/**
 * The sample service in `app/`, from the blueprint's folder under `templates/samples/`:
 * written once, when `app/` does not exist, and the user's from then on. Files ending in
 * `.hbs` are rendered with the service's values (and lose the extension); the others are
 * copied as they are.
 */
export class ServiceSample extends Component {
  /** The folder the sample is written to. */
  public readonly dir: string;

  constructor(project: Project, model: ServiceModel, dir = 'app') {
    super(project);
    this.dir = dir;
    new SampleDir(project, dir, { files: renderSample(model) });
  }
}

/** The sample's files, by path relative to `app/`, rendered for the service. */
export function renderSample(model: ServiceModel): { [path: string]: string } {
  // An absolute sampleDir (a blueprint kept outside the kit) is used as it is.
  const root = path.resolve(TEMPLATES_DIR, 'samples', model.blueprint.sampleDir);
  if (!fs.existsSync(root)) {
    throw new Error(`blueprint "${model.blueprint.id}" names sample folder "${model.blueprint.sampleDir}", which is not in ${path.dirname(root)}`);
  }
  const context = sampleContext(model);
  const files: { [path: string]: string } = {};
  for (const file of listFiles(root)) {
    const source = fs.readFileSync(path.join(root, file), 'utf-8');
    if (file.endsWith('.hbs')) {
      files[file.slice(0, -'.hbs'.length)] = Handlebars.create().compile(source, { noEscape: true, strict: true })(context);
    } else {
      files[file] = source;
    }
  }
  return files;
}

/** Build output and installed dependencies a developer may have left in a sample folder. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', '.venv', 'dist', '.pytest_cache', '.ruff_cache']);

/** Every file under `dir`, as sorted POSIX paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      result.push(...listFiles(dir, relative));
    } else if (entry.isFile()) {
      result.push(relative);
    }
  }
  return result.sort();
}
