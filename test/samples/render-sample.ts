import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';
import { findBlueprint } from '../../src/blueprints';
import { runtimeSampleContext } from '../../src/project/service-model';

/** The values a sample's `.hbs` files are rendered with. */
export interface SampleContext {
  readonly serviceName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  readonly databaseName: string;
  readonly postgresMajorVersion: number;
  readonly redisVersion: string;
  readonly allowedOrigins: string[];
  readonly runtime: string;
  readonly runtimeEngines: string;
}

/** The folder holding the samples, one subfolder per blueprint. */
export const SAMPLES_DIR = path.join(__dirname, '..', '..', 'src', 'templates', 'samples');

/** What a generated repo gets by default (the kit's defaults for `hedis-optimizer`). */
export const DEFAULT_CONTEXT: SampleContext = {
  serviceName: 'hedis-optimizer',
  containerPort: 8000,
  healthCheckPath: '/health',
  databaseName: 'app',
  postgresMajorVersion: 16,
  redisVersion: '7.1',
  allowedOrigins: ['https://portal.example.com'],
  // The runtime lines come from the blueprints (the currency table), as the project type's.
  ...runtimeSampleContext(findBlueprint('node-api')!),
};

// Build output and installed dependencies that a developer may have left in a sample folder.
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', '.venv', 'dist', '.pytest_cache', '.ruff_cache']);

/**
 * Renders the sample folder `sampleDir` into `outDir`, the way the project type writes `app/`:
 * `*.hbs` files are rendered with `context` (strict: an unknown variable is an error) and lose
 * the suffix; every other file is copied byte for byte. Returns the written paths, sorted.
 */
export function renderSample(sampleDir: string, outDir: string, context: SampleContext): string[] {
  const written: string[] = [];
  for (const relative of listFiles(sampleDir)) {
    const source = path.join(sampleDir, relative);
    const target = path.join(outDir, relative.endsWith('.hbs') ? relative.slice(0, -'.hbs'.length) : relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (relative.endsWith('.hbs')) {
      const template = Handlebars.create().compile(fs.readFileSync(source, 'utf-8'), { noEscape: true, strict: true });
      fs.writeFileSync(target, template(context));
    } else {
      fs.copyFileSync(source, target);
    }
    written.push(path.relative(outDir, target));
  }
  return written.sort();
}

function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? path.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) files.push(...listFiles(dir, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

// Command line: render-sample.ts <sample> <outDir> [serviceName] [containerPort] [healthCheckPath]
if (require.main === module) {
  const [sample, outDir, serviceName, port, healthCheckPath] = process.argv.slice(2);
  const sampleDir = path.join(SAMPLES_DIR, sample ?? '');
  if (!sample || !outDir || !fs.existsSync(sampleDir)) {
    const known = fs.readdirSync(SAMPLES_DIR).join(', ');
    process.stderr.write(`usage: render-sample.ts <sample> <outDir> [serviceName] [port] [healthPath]; samples: ${known}\n`);
    process.exit(2);
  }
  const blueprint = findBlueprint(sample);
  const context: SampleContext = {
    ...DEFAULT_CONTEXT,
    ...(blueprint ? runtimeSampleContext(blueprint) : {}),
    ...(serviceName ? { serviceName } : {}),
    ...(port ? { containerPort: Number(port) } : {}),
    ...(healthCheckPath ? { healthCheckPath } : {}),
  };
  const files = renderSample(sampleDir, path.resolve(outDir), context);
  process.stdout.write(`rendered ${sample} into ${outDir}: ${files.length} files\n`);
}
