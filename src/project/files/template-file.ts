import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import * as Handlebars from 'handlebars';
import { FileBase, FileBaseOptions, IResolver } from 'projen';

/**
 * Folder of the Handlebars templates. They live in `src/templates` and are copied to
 * `lib/templates` by the compile task, so the same relative path works from the sources
 * (tests) and from the packed package.
 */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates');

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let handlebars: typeof Handlebars | undefined;

/** A Handlebars environment with every file of `templates/partials` registered by name. */
function environment(): typeof Handlebars {
  if (!handlebars) {
    handlebars = Handlebars.create();
    const partials = path.join(TEMPLATES_DIR, 'partials');
    for (const file of fs.readdirSync(partials)) {
      handlebars.registerPartial(path.basename(file, '.hbs'), fs.readFileSync(path.join(partials, file), 'utf-8'));
    }
  }
  return handlebars;
}

/** Renders `src/templates/<name>` with the given values. Text only: no HTML escaping. */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = fs.readFileSync(path.join(TEMPLATES_DIR, name), 'utf-8');
    template = environment().compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(context);
}

/** Options of `TemplateFile`. */
export interface TemplateFileOptions extends FileBaseOptions {
  /** Template path under `src/templates`. */
  readonly template: string;
  /**
   * Values for the template, computed when the file is synthesized so that changes made
   * after the component was created still count. `marker` is added (empty when the project
   * is ejected).
   */
  readonly context: () => object;
}

/**
 * A managed text file rendered from a Handlebars template at synth time. The template places
 * `{{marker}}` where a comment suits the file type.
 */
export class TemplateFile extends FileBase {
  private readonly template: string;
  private readonly context: () => object;

  constructor(scope: IConstruct, filePath: string, options: TemplateFileOptions) {
    super(scope, filePath, options);
    this.template = options.template;
    this.context = options.context;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderTemplate(this.template, { ...this.context(), marker: this.marker ?? '' });
  }
}
