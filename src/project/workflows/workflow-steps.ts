import * as fs from 'fs';
import * as path from 'path';
import { github } from 'projen';
import { ACTION_PINS, uses } from './workflow-actions';
import { imageRuntimes } from '../../core/runtime-currency';
import type { ResolvedSettings } from '../../core/settings';
import { renderTemplate, TEMPLATES_DIR } from '../files/template-file';
import { ServiceModel } from '../service-model';

type JobStep = github.workflows.JobStep;

/** Node.js line of the CDK app's jobs when the project names none (defined with the model). */
export { DEFAULT_NODE_VERSION } from '../service-model';

/** GitHub variable, per GitHub environment, holding the ARN of that environment's deploy role. */
export const DEPLOY_ROLE_VARIABLE = 'AWS_DEPLOY_ROLE_ARN';

/**
 * GitHub variable, per GitHub environment: the URL the deploy verifies. Required when the stack
 * has no `domainName` (its ServiceUrl is then the load balancer's DNS name, which no certificate
 * names); otherwise it overrides `https://<domainName><healthCheckPath>`. The requests connect
 * to the load balancer whatever the URL's host resolves to.
 */
export const HEALTH_URL_VARIABLE = 'HEALTH_URL';

/** The secret projen's `upgrade.yml` opens its pull requests with (projen's default name). */
export const PROJEN_TOKEN_SECRET = 'PROJEN_GITHUB_TOKEN';

/**
 * The URL a deploy verifies by default: the environment's domain plus the health path, which
 * the certificate covers; none without a domain (the load balancer's own DNS name can never
 * match the certificate).
 */
export function defaultHealthUrl(settings: ResolvedSettings): string | undefined {
  return settings.domainName ? `https://${settings.domainName}${settings.healthCheckPath}` : undefined;
}

/** Repository variable holding the ARN of an environment's image-publishing role. */
export function publishRoleVariable(environment: string): string {
  return `AWS_PUBLISH_ROLE_ARN_${environment.toUpperCase()}`;
}

/** `${{ expression }}`, written so that the source does not look like a template literal. */
export function expr(expression: string): string {
  return '${{ ' + expression + ' }}';
}

/** Lines of a `run:` script, one command per line, ending with a newline. */
export function script(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A `run:` script rendered from `templates/workflows/<name>.sh.hbs` with the given values. */
export function shellScript(name: string, context: object): string {
  return renderTemplate(`workflows/${name}.sh.hbs`, context);
}

/** Checks out the repository without leaving the token in `.git/config`: no job pushes. */
export function checkoutStep(ref?: string): JobStep {
  return {
    name: 'Check out',
    uses: uses(ACTION_PINS.checkout),
    with: { 'persist-credentials': false, ...(ref ? { ref } : {}) },
  };
}

/** Node.js and the repository's own dependencies (the CDK app, projen and the deploy tool). */
export function nodeSetupSteps(nodeVersion: string, installCommand: string): JobStep[] {
  return [
    {
      name: 'Set up Node.js',
      uses: uses(ACTION_PINS.setupNode),
      with: { 'node-version': nodeVersion, 'cache': 'npm' },
    },
    { name: 'Install dependencies', id: 'install', run: installCommand },
  ];
}

/**
 * Fails early, with the fix, when a role variable is not set (configure-aws-credentials would
 * only say that `role-to-assume` is empty).
 */
export function requireVariableStep(variable: string, where: string, fix: string): JobStep {
  return {
    name: `Check that ${variable} is set`,
    env: { ROLE_ARN: expr(`vars.${variable}`) },
    run: shellScript('require-variable', { variable, where, fix }),
  };
}

/** Short-lived credentials for `roleVariable`'s role, through the job's OIDC token. */
export function awsCredentialsStep(model: { readonly region: string }, roleVariable: string, sessionName: string, name: string): JobStep {
  return {
    name,
    uses: uses(ACTION_PINS.configureAwsCredentials),
    with: {
      'role-to-assume': expr(`vars.${roleVariable}`),
      'aws-region': model.region,
      // Named sessions make each run traceable in CloudTrail.
      'role-session-name': `${sessionName}-${expr('github.run_id')}`,
    },
  };
}

/**
 * Waits for the repository's scan-on-push result of an image and fails on CRITICAL findings,
 * after checking that the tag names the expected digest. Reads `REPOSITORY`, `IMAGE_TAG` and
 * `EXPECTED_DIGEST`; writes the digest to the step's `digest` output.
 */
export function scanCheckStep(name: string, id: string, env: Record<string, string>): JobStep {
  return {
    name,
    id,
    env,
    run: shellScript('scan-check', {}),
  };
}

/** How the app's tests run in CI for one kind of runtime. */
export interface AppToolchain {
  /** Steps that install the language runtime. */
  readonly setup: JobStep[];
  /** Command, run in `app/`, that installs the app and its test and lint tools. */
  readonly install?: string;
}

/**
 * The CI toolchain of a blueprint, from its runtime (`Python 3.11`, `Node.js 24`): the
 * matching setup action with a dependency cache, and the install command that fits the
 * sample's manifests (`requirements-full.txt` holds the test and lint tools when present).
 * The version is the one of the image the app ships on when that is an official `node` or
 * `python` image (so `baseImage` moves the tests with the image), else the blueprint's.
 * A runtime of another language gets no setup step: its lint and test commands run with the
 * runner's own tools.
 */
export function appToolchain(model: ServiceModel): AppToolchain {
  const runtime = model.blueprint.runtime;
  const image = imageRuntimes(model.baseImage, 'baseImage')[0];
  const imageVersion = (product: string, parts: number) =>
    image?.product === product ? image.version.split('.').slice(0, parts).join('.') : undefined;
  const python = /python\s*(\d+(?:\.\d+)?)/i.exec(runtime);
  if (python) {
    const requirements = sampleHas(model, 'requirements-full.txt') ? 'requirements-full.txt' : 'requirements.txt';
    return {
      setup: [
        {
          name: 'Set up Python',
          uses: uses(ACTION_PINS.setupPython),
          with: { 'python-version': imageVersion('python', 2) ?? python[1], 'cache': 'pip', 'cache-dependency-path': 'app/requirements*.txt' },
        },
      ],
      install: `python -m pip install -r ${requirements}`,
    };
  }
  const node = /node(?:\.js)?\s*(\d+)/i.exec(runtime);
  if (node) {
    return {
      setup: [
        {
          name: 'Set up Node.js',
          uses: uses(ACTION_PINS.setupNode),
          with: { 'node-version': imageVersion('nodejs', 1) ?? node[1], 'cache': 'npm', 'cache-dependency-path': 'app/package-lock.json' },
        },
      ],
      install: sampleHas(model, 'package-lock.json') ? 'npm ci' : 'npm install',
    };
  }
  return { setup: [] };
}

/** Whether the blueprint's sample writes `file` into `app/` (as it is, or rendered from `.hbs`). */
function sampleHas(model: ServiceModel, file: string): boolean {
  const root = path.resolve(TEMPLATES_DIR, 'samples', model.blueprint.sampleDir);
  return fs.existsSync(path.join(root, file)) || fs.existsSync(path.join(root, `${file}.hbs`));
}
