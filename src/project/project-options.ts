import { awscdk } from 'projen';
import { ServiceWorkflowsOptions } from './workflows/workflow-options';
import { DeploymentOptions } from '../core/deployment-strategy';
import { SharedServiceOptions } from '../core/shared-service-options';

/**
 * Options of `HardenedServiceProject`: the service and its two environments. Sizing options
 * (`minCapacity`, `maxCapacity`, `monthlyBudgetUsd`) describe production; staging uses its
 * cheaper preset unless the `staging*` options say otherwise. The options that mean the same for
 * a stack (service name, port, sizing, engines, authentication) are `SharedServiceOptions`,
 * declared once for the stack props and this type.
 */
export interface HardenedServiceProjectOptions
  extends awscdk.AwsCdkTypeScriptAppOptions, ServiceWorkflowsOptions, SharedServiceOptions, DeploymentOptions {
  /**
   * Kind of service, one of the kit's blueprints: "python-api" (Python 3.11, FastAPI served by
   * gunicorn with uvicorn workers, alembic migrations) or "node-api" (TypeScript on Node.js 24 LTS).
   * It selects the base image, build and start commands and the sample written to `app/`.
   * @default "python-api"
   */
  readonly blueprint: string;

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
   * How ECS rolls out a revision in staging (`deploymentStrategy` is production's; the canary,
   * linear and bake options apply to every environment whose strategy reads them).
   * @default "rolling"
   */
  readonly stagingDeploymentStrategy?: string;

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
   * The platform both environments join (a `HardenedPlatformStack` per environment, deployed
   * first from its own repo): the stacks then create no VPC, NAT gateways, endpoints, ECS
   * cluster, GitHub OIDC provider or trail, and read the platform's from its SSM parameters
   * at deploy time. Joining replaces the network of a deployed standalone service (the
   * database moves by snapshot and restore): read "Migrating an existing standalone repo" in
   * the kit's docs/platform.md before setting it on an existing repo. Never set by an upgrade.
   * @default - standalone: each environment's stack has its own network and cluster
   */
  readonly platform?: ServicePlatformOptions;

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

/** The platform a service joins (`HardenedServiceProjectOptions.platform`). */
export interface ServicePlatformOptions {
  /**
   * The platform's `platformName` (of its `HardenedPlatformStack`s and its repo's
   * `--platform-name`), for example "acme": its parameters are read under
   * `/hardened-platform/<name>/<environment>/` and its cluster is `<name>-<environment>`.
   */
  readonly name: string;
}
