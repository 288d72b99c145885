import * as cxapi from 'aws-cdk-lib/cx-api';
import { awscdk, javascript, typescript } from 'projen';
import { kitDependencyRange, kitName, kitVersion, minimumVersion, versionLessThan } from './kit-package';

/** The tsconfig projen writes for .projenrc.ts and `projenrc/` (type-check only). */
export const PROJENRC_TSCONFIG = 'projenrc/tsconfig.json';

/** What differs between the kit's project types in their parent's options. */
export interface KitAppSpec {
  /** Node.js line the workflows run the CDK app on (its `@types/node`). */
  readonly nodeVersion: string;
  /** README contents when the user sets none. */
  readonly readme: string;
}

/** Where `projen new` passes the options it writes into `.projenrc.ts` (projen's `__new__`). */
const PROJEN_NEW = '__new__';

/**
 * During `projen new`, the values `.projenrc.ts` is written with, with `values` in place of
 * what the user or projen's defaults gave: the file then shows what the project really uses
 * (the raised `cdkVersion`, not a lower one the kit silently overrides). Otherwise nothing.
 */
function withNewProjectArgs(options: object, values: Record<string, unknown>): object {
  const init = (options as Record<string, { args?: Record<string, unknown> } | undefined>)[PROJEN_NEW];
  if (!init?.args) return {};
  return { [PROJEN_NEW]: { ...init, args: { ...init.args, ...values } } };
}

/**
 * The options of `AwsCdkTypeScriptApp` for a repository the kit generates (a service or a
 * platform): the kit pinned as a runtime dependency with the spec `projen new` used, the CDK
 * it was built with, tsx for `cdk synth` and `.projenrc.ts`, the CDK's recommended feature
 * flags, and no projen build workflow (the kit renders its own).
 */
export function kitAppOptions<T extends awscdk.AwsCdkTypeScriptAppOptions>(options: T, spec: KitAppSpec): T {
  const kit = kitName();
  const isKit = (dep: string) => dep === kit || dep.startsWith(`${kit}@`);
  // `projen new --from <spec>` lists the kit in devDeps; the CDK app imports it at run time,
  // so it becomes a runtime dependency with the very same spec.
  const kitSpec = [...(options.deps ?? []), ...(options.devDeps ?? [])].find(isKit) ?? `${kit}@^${kitVersion()}`;
  const kitCdk = minimumVersion(kitDependencyRange('aws-cdk-lib'));
  const tsxSpec = `tsx@${kitDependencyRange('tsx')}`;
  // The kit's constructs need at least the CDK it was built with; `projen new` writes projen's
  // default (older).
  const cdkVersion = versionLessThan(options.cdkVersion, kitCdk) ? kitCdk : options.cdkVersion;
  return {
    ...options,
    ...withNewProjectArgs(options, { cdkVersion }),
    cdkVersion,
    srcdir: options.srcdir ?? 'infrastructure',
    packageManager: options.packageManager ?? javascript.NodePackageManager.NPM,
    // Tests are transpiled file by file (ts-jest reads this): `compile` type-checks already.
    tsconfigDev: options.tsconfigDev ?? { compilerOptions: { isolatedModules: true } },
    // The flags `cdk init` writes for the kit's CDK version: they change what cdk-nag finds,
    // and the stack is checked with exactly these.
    context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, ...options.context },
    sampleCode: false,
    // ts-node type-checks on every synth; tsx runs the app in a fraction of the time.
    app: options.app ?? (options.appEntrypoint ? undefined : `node --import tsx ${options.srcdir ?? 'infrastructure'}/main.ts`),
    // `npx projen` runs .projenrc.ts with tsx: ts-node type-checked it on every run, loading the
    // kit's and the CDK's type declarations (about 10 of its 13 seconds); `compile` type-checks it.
    projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx({ tsconfig: PROJENRC_TSCONFIG }), ...options.projenrcTsOptions },
    // TypeScript 7 breaks ts-node (jest's ts-jest and the TypeScript tooling): pin the line the kit is built with.
    typescriptVersion: options.typescriptVersion ?? kitDependencyRange('typescript'),
    deps: [...(options.deps ?? []).filter((d) => !isKit(d)), kitSpec, `cdk-nag@${kitDependencyRange('cdk-nag')}`],
    // Without it projen asks for `@types/node@ts<major.minor>`, a tag TypeScript 6 does not have.
    // The types of the Node.js line the workflows run the CDK app on.
    devDeps: [...(options.devDeps ?? []).filter((d) => !isKit(d)), tsxSpec, `@types/node@^${spec.nodeVersion.split('.')[0]}`],
    // The kit's own workflows replace projen's generic build workflow.
    buildWorkflow: options.buildWorkflow ?? false,
    pullRequestTemplate: options.pullRequestTemplate ?? false,
    readme: options.readme ?? { contents: spec.readme },
  };
}

/**
 * Type-check once in `compile` (the app and, unless the user picked another runner,
 * .projenrc.ts); `cdk synth` and `npx projen` then run the TypeScript directly with tsx.
 */
export function typeCheckInCompile(project: awscdk.AwsCdkTypeScriptApp, options: awscdk.AwsCdkTypeScriptAppOptions): void {
  project.compileTask.exec(`tsc --noEmit -p ${project.tsconfig?.fileName ?? 'tsconfig.json'}`);
  if (!options.projenrcTsOptions?.runner) project.compileTask.exec(`tsc --noEmit -p ${PROJENRC_TSCONFIG}`);
}
