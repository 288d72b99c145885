import { DeploymentOptions } from './deployment-strategy';
import { SharedServiceOptions } from './shared-service-options';

/**
 * The options that describe one service, whatever the environment. `HardenedServiceStackProps`
 * extends them, and the projen project type renders the same values into the Dockerfile,
 * compose files, workflows and docs, so that one value has one source.
 */
export interface HardenedServiceOptions extends SharedServiceOptions, DeploymentOptions {
  /**
   * ARN of an ACM certificate for the HTTPS listener, in the stack's region.
   * Required in production unless `domainName` and `hostedZoneId` are given.
   * @default - a DNS-validated certificate for `domainName`; in staging without a domain, none (HTTP only is refused: set one of the two)
   */
  readonly certificateArn?: string;

  /**
   * Domain name that serves the API, for example `api.example.com`. With `hostedZoneId` and
   * `hostedZoneName`, the stack issues a DNS-validated certificate and an alias record. With
   * `certificateArn` instead (DNS managed elsewhere), the stack creates no record: point the
   * name at the `LoadBalancerDnsName` output yourself. Either way `ServiceUrl` and the
   * deploy's health URL use this name, which the certificate covers.
   * @default - no domain; `certificateArn` is then required
   */
  readonly domainName?: string;

  /**
   * ARN of an existing GitHub OIDC provider in the account (an account holds only one).
   * @default - the stack creates the provider
   */
  readonly githubOidcProviderArn?: string;

  /**
   * Whether the stack creates the account's GitHub OIDC provider. An account holds one provider
   * per issuer URL, so when two stacks share an account only one may create it; with false, the
   * stack imports the provider of its own account by its fixed ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
   * The project type sets it from `stagingAccount` and `productionAccount`.
   * @default - true, unless `githubOidcProviderArn` is set
   */
  readonly createGithubOidcProvider?: boolean;

  /**
   * Whether the stack creates the multi-region CloudTrail trail (with its key, buckets and log
   * group). A trail records every region of its account, and a second trail bills management
   * events again: when two stacks share an account, one creates it. The project type sets it
   * from `stagingAccount` and `productionAccount`.
   * @default true
   */
  readonly createAuditTrail?: boolean;

  /**
   * Monthly budget in US dollars; alerts at 80% of actual and 100% of forecast spend.
   * @default - the environment's monthly cost estimate (from these options and a us-east-1 price table) plus 25%, rounded up to the next 50 USD: staging 300, production 650 with the default options
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * Fewest running tasks.
   * @default - staging 1, production 2
   */
  readonly minCapacity?: number;

  /**
   * Most running tasks.
   * @default - staging 2, production 10
   */
  readonly maxCapacity?: number;

  /**
   * Staging only: scale the service to zero tasks outside working hours
   * (07:00-19:00 UTC, Monday to Friday). Ignored in production.
   * @default false
   */
  readonly scaleToZeroOutsideWorkingHours?: boolean;

}
