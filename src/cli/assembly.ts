import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './errors';

/** One stack of a synthesized cloud assembly. */
export interface AssemblyStack {
  /** The stack's name in CloudFormation (`stackName`, else the artifact id). */
  readonly name: string;
  /** The artifact id in manifest.json (the construct path of a stack inside a stage). */
  readonly artifactId: string;
  /** The parsed template. */
  readonly template: Record<string, any>;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: { readonly templateFile?: unknown; readonly stackName?: unknown; readonly directoryName?: unknown };
}

/**
 * The stacks of the cloud assembly in `dir` (what `cdk synth --output DIR` writes), read from its
 * `manifest.json`: every `aws:cloudformation:stack` artifact with its template, also those of
 * nested assemblies (CDK stages). `flag` names the option in error messages.
 */
export function readAssembly(dir: string, flag: string): AssemblyStack[] {
  const fix = 'pass the folder that npx cdk synth --output DIR wrote (it holds manifest.json and <stack>.template.json)';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${flag} "${dir}" is not a folder; ${fix}`);
  }
  const stacks = readStacks(dir, flag, fix);
  if (stacks.length === 0) {
    throw new UsageError(`${flag} "${dir}" holds no stack (manifest.json lists no aws:cloudformation:stack artifact); ${fix}`);
  }
  const names = new Set<string>();
  for (const stack of stacks) {
    if (names.has(stack.name)) throw new UsageError(`${flag} "${dir}" holds two stacks named ${stack.name}; stacks are paired by name, so give each its own stackName`);
    names.add(stack.name);
  }
  return stacks;
}

function readStacks(dir: string, flag: string, fix: string): AssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = readJson(manifestFile, flag, fix) as { artifacts?: Record<string, ManifestArtifact> };
  if (typeof manifest !== 'object' || manifest === null || (manifest.artifacts !== undefined && typeof manifest.artifacts !== 'object')) {
    throw new UsageError(`${flag}: ${manifestFile} is not a cloud assembly manifest; ${fix}`);
  }
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact?.properties ?? {};
    if (artifact?.type === 'aws:cloudformation:stack') {
      if (typeof props.templateFile !== 'string') {
        throw new UsageError(`${flag}: stack artifact ${artifactId} in ${manifestFile} names no templateFile; ${fix}`);
      }
      const template = readJson(path.join(dir, props.templateFile), flag, fix) as Record<string, any>;
      const name = typeof props.stackName === 'string' && props.stackName ? props.stackName : artifactId;
      stacks.push({ name, artifactId, template });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      stacks.push(...readStacks(path.join(dir, props.directoryName), flag, fix));
    }
  }
  return stacks;
}

function readJson(file: string, flag: string, fix: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (err) {
    throw new UsageError(`${flag}: ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: ${file} is not JSON (${(err as Error).message}); synthesize again: ${fix}`);
  }
}
