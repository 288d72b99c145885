import * as cxapi from 'aws-cdk-lib/cx-api';
import { awscdk, javascript, typescript } from 'projen';
import { CdkExecutionPolicyFile } from './cdk-execution-policy-file';
import { ComposeFiles } from './compose-files';
import { DeployScripts } from './deploy-scripts';
import { DockerFiles } from './docker-files';
import { InfrastructureApp } from './infrastructure-app';
import { kitDependencyRange, kitName, kitVersion, minimumVersion, versionLessThan } from './kit-package';
import { RuntimesFile } from './runtimes-file';
import { ServiceDocs } from './service-docs';
import { resolveServiceModel, ServiceModel } from './service-model';
import { ServiceSample } from './service-sample';
import { TaskDefinitionFile } from './task-definition-file';
import { renderTemplate } from './template-file';
import { ServiceWorkflowsOptions } from './workflow-options';
import { ServiceWorkflows } from './workflows';

/**
 * Options of `HardenedServiceProject`: the service and its two environments. Sizing options
 * (`minCapacity`, `maxCapacity`, `monthlyBudgetUsd`) describe production; staging uses its
 * cheaper preset unless the `staging*` options say otherwise.
 */
export interface HardenedServiceProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions, ServiceWorkflowsOptions {
  /**
   * Name of the service: lowercase letters, digits and single hyphens, starting with a letter,
   * at most 20 characters. It prefixes every AWS resource name (stacks, cluster, log groups,
   * alarms).
   */
  readonly serviceName: string;

  /**
   * Kind of service, one of the kit's blueprints: "python-api" (Python 3.11, FastAPI served by
   * gunicorn with uvicorn workers, alembic migrations) or "node-api" (TypeScript on Node.js 24 LTS).
   * It selects the base image, build and start commands and the sample written to `app/`.
   * @default "python-api"
   */
  readonly blueprint: string;

  /**
   * Port the container listens on.
   * @default - the blueprint's port (8000 for both blueprints)
   */
  readonly containerPort?: number;

  /**
   * HTTP path that reports health: load balancer target group, container HEALTHCHECK, compose
   * healthcheck and the deploy tool's verification all use it.
   * @default - the blueprint's health path ("/health")
   */
  readonly healthCheckPath?: string;

  /**
   * Fargate task CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384), in both environments.
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Fargate task memory in MiB, valid for `cpu`, in both environments.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * Fewest running tasks in production (at least 2, one per Availability Zone).
   * @default 2
   */
  readonly minCapacity?: number;

  /**
   * Most running tasks in production.
   * @default 10
   */
  readonly maxCapacity?: number;

  /**
   * Fewest running tasks in staging.
   * @default 1
   */
  readonly stagingMinCapacity?: number;

  /**
   * Most running tasks in staging.
   * @default 2
   */
  readonly stagingMaxCapacity?: number;

  /**
   * Scale staging to zero tasks outside working hours (07:00-19:00 UTC, Monday to Friday).
   * @default false
   */
  readonly stagingScaleToZeroOutsideWorkingHours?: boolean;

  /**
   * Whether the service has a PostgreSQL database (RDS in AWS, a container locally).
   * @default true
   */
  readonly database?: boolean;

  /**
   * Whether the service has a Redis cache (ElastiCache in AWS, a container locally).
   * @default true
   */
  readonly cache?: boolean;

  /**
   * Email address that receives alarm and budget notifications.
   * @default "oncall@example.com"
   */
  readonly alarmEmail: string;

  /**
   * GitHub repository, as "owner/repo", whose workflows may assume the deploy roles.
   * @default "example-org/example-service"
   */
  readonly githubRepository: string;

  /**
   * AWS region of both environments.
   * @default "us-east-1"
   * @pjnew "us-east-1"
   */
  readonly awsRegion?: string;

  /**
   * AWS account id (12 digits, as a string) of staging. Set both account options or neither:
   * the stacks must know whether they share an account (one GitHub OIDC provider and one trail
   * per account, both in staging's stack when they do).
   * @default - the account of the credentials that run `cdk deploy`
   */
  readonly stagingAccount?: string;

  /**
   * AWS account id (12 digits, as a string) of production.
   * @default - the account of the credentials that run `cdk deploy`
   */
  readonly productionAccount?: string;

  /**
   * ARN of the account's existing GitHub OIDC provider
   * ("arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"), for an account
   * that already has one (IAM holds one per account): no stack then creates a provider. With
   * staging and production in separate accounts, the other account's provider is imported at
   * the same path in that account.
   * @default - the stacks create the provider: one per account (staging's when both
   * environments share an account)
   */
  readonly githubOidcProviderArn?: string;

  /**
   * The compliance frameworks whose cdk-nag packs gate synthesis of both stacks, some of
   * "AwsSolutions", "HIPAA.Security", "NIST.800-53.R5", "PCI.DSS.321" (`ComplianceFramework`).
   * The HIPAA checklist lists every acknowledged rule per framework.
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly complianceFrameworks?: string[];

  /**
   * ARN of the ACM certificate of staging's HTTPS listener, in `awsRegion`. Needed unless
   * `domainName` is set. `projen new` writes a placeholder: replace it before deploying.
   * @default - a DNS-validated certificate for `staging.<domainName>`
   * @pjnew "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
   */
  readonly stagingCertificateArn?: string;

  /**
   * ARN of the ACM certificate of production's HTTPS listener, in `awsRegion`. Needed unless
   * `domainName` is set. `projen new` writes a placeholder: replace it before deploying.
   * @default - a DNS-validated certificate for `domainName`
   * @pjnew "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000"
   */
  readonly productionCertificateArn?: string;

  /**
   * Domain name of the API in production, for example "api.example.com"; staging serves
   * `staging.<domainName>`. With `hostedZoneId` and `hostedZoneName`, the stacks issue
   * DNS-validated certificates and alias records; with the certificate ARNs instead (DNS
   * managed elsewhere), no record is created. The deploys verify these names through the load
   * balancer; without a domain, each GitHub environment needs the `HEALTH_URL` variable.
   * @default - no domain: the certificate ARNs are required
   */
  readonly domainName?: string;

  /**
   * Route 53 hosted zone id of `domainName`.
   * @default - none
   */
  readonly hostedZoneId?: string;

  /**
   * Route 53 hosted zone name of `domainName`, for example "example.com".
   * @default - none
   */
  readonly hostedZoneName?: string;

  /**
   * Monthly budget of production in US dollars; alerts at 80% of actual and 100% of forecast.
   * @default - production's cost estimate plus 25%, rounded up to the next 50 (650 with the other defaults)
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * Monthly budget of staging in US dollars.
   * @default - staging's cost estimate plus 25%, rounded up to the next 50 (300 with the other defaults)
   */
  readonly stagingMonthlyBudgetUsd?: number;

  /**
   * p95 response time target in milliseconds; an alarm fires above it.
   * @default 100
   */
  readonly latencyP95Ms?: number;

  /**
   * Requests per task per minute that autoscaling holds each task at (besides CPU). Keep it at
   * most half the capacity one task of this service measures; MONITORING_GUIDE.md says how to
   * measure it.
   * @default 6000
   */
  readonly targetRequestsPerTask?: number;

  /**
   * Origins the service's CORS policy allows, for example ["https://app.example.com"].
   * @default - none (same-origin only)
   */
  readonly allowedOrigins?: string[];

  /**
   * How callers of the API authenticate, in both environments: "api-keys" (machine clients;
   * only SHA-256 digests of the keys, in a Secrets Manager secret each stack creates), "jwt"
   * (access tokens of an OIDC issuer: set `jwtIssuerUrl` and `jwtAudience`), "jwt-and-api-keys"
   * (both), or "none" (anyone may call the API; the HIPAA checklist then reports 164.312(d) as
   * an open gap). API keys are the default because a JWT issuer is something only the team
   * can name; SECURITY_GUIDE.md explains how to switch.
   * @default "api-keys"
   * @pjnew "api-keys"
   */
  readonly authentication?: string;

  /**
   * OIDC issuer URL (https) whose access tokens the service accepts, as the tokens' `iss`
   * claim has it. Required when `authentication` is "jwt" or "jwt-and-api-keys".
   * @default - none
   */
  readonly jwtIssuerUrl?: string;

  /**
   * Audience (`aud` claim) of the service's access tokens. Required with the JWT modes.
   * @default - none
   */
  readonly jwtAudience?: string;

  /**
   * Scope or group that allows reading (GET routes).
   * @default "api:read"
   */
  readonly jwtReadScope?: string;

  /**
   * Scope or group that allows writing (POST routes).
   * @default "api:write"
   */
  readonly jwtWriteScope?: string;

  /**
   * Longest life of an API key in days (the rotation schedule); the service refuses older keys.
   * @default 90
   */
  readonly apiKeyMaxAgeDays?: number;

  /**
   * Base image of both Dockerfile stages, pinned to a version tag (never "latest").
   * @default - the blueprint's pinned image
   */
  readonly baseImage?: string;

  /**
   * Digest ("sha256:...") that pins the base image beyond its tag.
   * @default - the tag only
   */
  readonly baseImageDigest?: string;
}

/**
 * A deployment repository for one service: a CDK TypeScript app under `infrastructure/` with
 * one `HardenedServiceStack` per environment (staging, production), the service under `app/`
 * (a sample written once from the blueprint), and the files that build, run and deploy it
 * (Dockerfile, compose files, scripts, task definition), all rendered from the same options.
 *
 * Managed files are rewritten on every `npx projen`; `.projenrc.ts`, `app/`,
 * `infrastructure/hooks.ts` and `infrastructure/main.test.ts` are the user's.
 *
 * @pjid hardened-service
 */
export class HardenedServiceProject extends awscdk.AwsCdkTypeScriptApp {
  /** Name of the service. */
  public readonly serviceName: string;
  /** Id of the blueprint the service was made from. */
  public readonly blueprintId: string;
  /** AWS region of both environments. */
  public readonly awsRegion: string;

  /** Everything the components render, resolved once. */
  private readonly model: ServiceModel;

  constructor(options: HardenedServiceProjectOptions) {
    // Every option is checked before anything else happens, so that an invalid option fails
    // `projen new` and `npx projen` before any file is written.
    const model = resolveServiceModel(options);
    super(parentOptions(options, model));
    this.model = model;
    this.serviceName = model.serviceName;
    this.blueprintId = model.blueprint.id;
    this.awsRegion = model.region;

    // Type-check once in `compile`; `cdk synth` and `npx projen` then run the TypeScript
    // directly with tsx.
    this.compileTask.exec(`tsc --noEmit -p ${this.tsconfig?.fileName ?? 'tsconfig.json'}`);
    if (!options.projenrcTsOptions?.runner) this.compileTask.exec(`tsc --noEmit -p ${PROJENRC_TSCONFIG}`);
    this.jest?.addIgnorePattern('/app/');
    this.jest?.addWatchIgnorePattern('/app/');
    this.gitignore.exclude('/app/.venv/', '/app/node_modules/', '__pycache__/');

    new DockerFiles(this, this.model);
    new ComposeFiles(this, this.model);
    new DeployScripts(this, this.model);
    new InfrastructureApp(this, this.model, this.srcdir);
    new TaskDefinitionFile(this, this.model);
    new CdkExecutionPolicyFile(this, this.model);
    new RuntimesFile(this, this.model);
    new ServiceSample(this, this.model);
    new ServiceWorkflows(this, this.model, options);
    new ServiceDocs(this, this.model);
  }
}

/** The tsconfig projen writes for .projenrc.ts and `projenrc/` (type-check only). */
const PROJENRC_TSCONFIG = 'projenrc/tsconfig.json';

/** The parent's options: defaults that fit this kind of repo, and the kit's dependencies. */
function parentOptions(options: HardenedServiceProjectOptions, model: ServiceModel): awscdk.AwsCdkTypeScriptAppOptions {
  const kit = kitName();
  const isKit = (spec: string) => spec === kit || spec.startsWith(`${kit}@`);
  // `projen new --from <spec>` lists the kit in devDeps; the CDK app imports it at run time,
  // so it becomes a runtime dependency with the very same spec.
  const kitSpec = [...(options.deps ?? []), ...(options.devDeps ?? [])].find(isKit) ?? `${kit}@^${kitVersion()}`;
  const kitCdk = minimumVersion(kitDependencyRange('aws-cdk-lib'));
  const tsxSpec = `tsx@${kitDependencyRange('tsx')}`;
  return {
    ...options,
    // The kit's constructs need at least the CDK it was built with; `projen new` writes 2.1.0.
    cdkVersion: versionLessThan(options.cdkVersion, kitCdk) ? kitCdk : options.cdkVersion,
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
    devDeps: [...(options.devDeps ?? []).filter((d) => !isKit(d)), tsxSpec, `@types/node@^${model.nodeVersion.split('.')[0]}`],
    // The service's own workflows replace projen's generic build workflow.
    buildWorkflow: options.buildWorkflow ?? false,
    pullRequestTemplate: options.pullRequestTemplate ?? false,
    readme: options.readme ?? { contents: renderTemplate('README.md.hbs', readmeContext(model)) },
  };
}

function readmeContext(model: ServiceModel) {
  return {
    serviceName: model.serviceName,
    description: model.blueprint.description.replace(/\.$/, ''),
    runtime: model.blueprint.runtime,
    database: model.database,
    cache: model.cache,
    healthCheckPath: model.healthCheckPath,
    containerPort: model.containerPort,
    region: model.region,
    stagingStack: model.staging.settings.names.stackName,
    stacks: model.environments.map((e) => e.settings.names.stackName),
  };
}
