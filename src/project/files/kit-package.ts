import * as fs from 'fs';
import * as path from 'path';

/**
 * The kit's own package.json, read at run time so that the versions a generated repo gets
 * (aws-cdk-lib, cdk-nag, TypeScript, tsx) are the ones the kit was built and tested with,
 * written in one place. Works from `src/project` (tests) and `lib/project` (the package).
 */
interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

let cached: PackageJson | undefined;

function kitPackage(): PackageJson {
  cached ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8')) as PackageJson;
  return cached;
}

/**
 * The kit's deploy tool as a generated repo installs it (`npm ci`): the local bin, which gets
 * Ctrl-C and a cancelled job's SIGTERM itself (`npx` does not pass signals on) and runs the
 * version package-lock.json pins, never one fetched at run time.
 */
export const DEPLOY_TOOL = './node_modules/.bin/hardened-service';

/** The kit's package name. */
export function kitName(): string {
  return kitPackage().name;
}

/** The kit's version. */
export function kitVersion(): string {
  return kitPackage().version;
}

/** The version range the kit itself declares for a dependency, from any section. */
export function kitDependencyRange(name: string): string {
  const pkg = kitPackage();
  const range = pkg.dependencies?.[name] ?? pkg.peerDependencies?.[name] ?? pkg.devDependencies?.[name];
  if (!range) {
    throw new Error(`hardened-service-kit declares no version of ${name}; add it to the kit's .projenrc.ts`);
  }
  return range;
}

/** The lowest version a range such as `^2.276.0`, `~6.0.3` or `2.276.0` allows. */
export function minimumVersion(range: string): string {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(range);
  if (!match) throw new Error(`cannot read a version from "${range}"`);
  return `${match[1]}.${match[2]}.${match[3]}`;
}

/** Whether version `a` is lower than version `b` (both `x.y.z`). */
export function versionLessThan(a: string, b: string): boolean {
  const pa = minimumVersion(a).split('.').map(Number);
  const pb = minimumVersion(b).split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i];
  }
  return false;
}
