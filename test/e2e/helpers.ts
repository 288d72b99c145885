import { execFileSync, ExecFileSyncOptions } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The kit's checkout. */
export const KIT_ROOT = path.join(__dirname, '..', '..');

/** projen version the generated repos are made with (the kit's own dev dependency). */
export const PROJEN_VERSION = JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'package.json'), 'utf-8')).devDependencies.projen;

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The environment for commands run in generated repos: without CI (projen would `npm ci`
 * without a lock file) and without what the outer jest and npm put there.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'CI' || key === 'JEST_WORKER_ID' || key === 'INIT_CWD' || key.startsWith('PROJEN_')) continue;
    if (key.startsWith('npm_') && !/^npm_config_(registry|cache|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command; on failure throws with the command, exit code and the end of its output. */
export function run(command: string, args: string[], options: ExecFileSyncOptions & { cwd: string }): string {
  try {
    return execFileSync(command, args, {
      env: cleanEnv(),
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    }) as string;
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    const tail = (text?: string) => (text ?? '').split('\n').slice(-60).join('\n');
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${options.cwd} exited ${err.status}\n--- stdout ---\n${tail(err.stdout)}\n--- stderr ---\n${tail(err.stderr)}`,
    );
  }
}

/** Runs a command expected to fail; returns its exit code and combined output. */
export function runFailing(command: string, args: string[], options: ExecFileSyncOptions & { cwd: string }): { status: number; output: string } {
  try {
    execFileSync(command, args, { env: cleanEnv(), encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (e) {
    const err = e as { status: number; stdout?: string; stderr?: string };
    return { status: err.status, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
  throw new Error(`\`${command} ${args.join(' ')}\` succeeded; expected a failure`);
}

/** Fails with an install hint when a tool that the e2e tests need is missing. */
export function requireTool(tool: string, hint: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: ${hint}`);
  }
}

/**
 * Builds the kit (`projen compile`, `projen package:js`) and returns the tarball, repacked
 * with `version` under a file name of its own: npm caches tarballs by path, so one path
 * must never be reused for different contents.
 */
export function packKit(dest: string, version: string, patch?: (packageDir: string) => void): string {
  const built = builtKitTarball();
  const work = tempDir('hsk-repack-');
  run('tar', ['-xzf', built, '-C', work], { cwd: work });
  const packageDir = path.join(work, 'package');
  const pkgFile = path.join(packageDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf-8'));
  pkg.version = version;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, undefined, 2));
  patch?.(packageDir);
  fs.mkdirSync(dest, { recursive: true });
  const name = run('npm', ['pack', packageDir, '--pack-destination', dest, '--silent'], { cwd: work }).trim().split('\n').pop()!;
  fs.rmSync(work, { recursive: true, force: true });
  return path.join(dest, name);
}

/**
 * Compiles and packs the kit (`projen compile`, `projen package:js`). The tarball is kept in
 * `.cache/e2e-kit/` under a hash of the sources, so the test files of one run build it once.
 */
function builtKitTarball(): string {
  const cacheDir = path.join(KIT_ROOT, '.cache', 'e2e-kit');
  const cached = path.join(cacheDir, `hardened-service-kit-${sourceHash()}.tgz`);
  if (fs.existsSync(cached)) return cached;
  run('npx', ['projen', 'compile'], { cwd: KIT_ROOT, env: { ...process.env, CI: 'true' } });
  run('npx', ['projen', 'package:js'], { cwd: KIT_ROOT, env: { ...process.env, CI: 'true' } });
  const dist = path.join(KIT_ROOT, 'dist', 'js');
  const tarballs = fs.readdirSync(dist).filter((f) => /^hardened-service-kit.*\.tgz$/.test(f));
  if (tarballs.length !== 1) throw new Error(`expected one kit tarball in ${dist}, found: ${tarballs.join(', ')}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.copyFileSync(path.join(dist, tarballs[0]), cached);
  return cached;
}

/** A hash of everything that goes into the package: the sources and the manifest. */
function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  const files = ['package.json', ...listTree(path.join(KIT_ROOT, 'src')).map((f) => `src/${f}`)];
  for (const file of files) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(KIT_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * `projen new --from hardened-service-kit@file:<tarball> hardened-service ...` in `parent/<folder>`,
 * as a user would run it (CI unset, no git).
 */
export function scaffold(parent: string, folder: string, tarball: string, args: string[], projectType = 'hardened-service'): string {
  const dir = path.join(parent, folder);
  fs.mkdirSync(dir, { recursive: true });
  run('npx', ['-y', `projen@${PROJEN_VERSION}`, 'new', '--from', `hardened-service-kit@file:${tarball}`, projectType, '--no-git', ...args], {
    cwd: dir,
  });
  return dir;
}

/** Every file under `dir` (POSIX paths), skipping dependencies and build output. */
export function listTree(dir: string, prefix = ''): string[] {
  const skip = new Set(['node_modules', 'cdk.out', '.git', 'coverage', 'test-reports', '__pycache__', '.venv', 'lib', 'dist']);
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) files.push(...listTree(dir, relative));
    } else {
      files.push(relative);
    }
  }
  return files.sort();
}

/** The cdk-nag packs the stacks register (as named in reports and acknowledgement ids). */
export const PACKS = ['AwsSolutions', 'HIPAA.Security'];

/**
 * Open findings of the cdk-nag packs in a cloud assembly's validation report. A pack whose
 * findings are all fixed or acknowledged has no entry there; `acknowledgedRules` shows it ran.
 */
export function openFindings(cdkOut: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(cdkOut, 'validation-report.json'), 'utf-8'));
  type PluginReport = { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] };
  const open: string[] = [];
  for (const plugin of (report.pluginReports as PluginReport[]).filter((p) => PACKS.some((pack) => p.pluginName.includes(pack)))) {
    for (const violation of plugin.violations) {
      for (const construct of violation.violatingConstructs) open.push(`${plugin.pluginName} ${violation.ruleName} ${construct.constructPath}`);
    }
  }
  return open;
}

/** Rule ids acknowledged (with a reason) in the synthesized templates' cdk-nag metadata, sorted. */
export function acknowledgedRules(cdkOut: string): string[] {
  const ids = new Set<string>();
  for (const file of fs.readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(cdkOut, file), 'utf-8'));
    for (const resource of Object.values(template.Resources ?? {}) as { Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string }[] } } }[]) {
      for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) ids.add(rule.id.replace(/\[.*$/, ''));
    }
  }
  return [...ids].sort();
}
