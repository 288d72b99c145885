import { DeploymentEnvironment } from './deployment-environment';

/**
 * What an AWS account may hold only once, and which stack of a standalone service creates it.
 * IAM holds one OIDC provider per issuer URL per account, so a second stack that creates the
 * GitHub provider fails to deploy; a second CloudTrail trail bills every management event again.
 * When staging and production share an account, staging owns both (it is deployed first, and a
 * repo that already deployed staging there has them in the staging stack, so keeping them there
 * replaces nothing); production imports the provider by its ARN and creates no trail.
 */

/** The stack props that place an account's singletons. */
export interface AccountSingletonProps {
  readonly githubOidcProviderArn?: string;
  readonly createGithubOidcProvider?: boolean;
  readonly createAuditTrail?: boolean;
}

/** Where the singletons of a standalone service's two environments go. */
export interface AccountLayout {
  /** Whether staging and production deploy to one account (both unpinned, or pinned to the same id). */
  readonly sharedAccount: boolean;
  /** The singleton props of each environment's stack (empty: the stack creates both). */
  readonly props: Record<DeploymentEnvironment, AccountSingletonProps>;
  /** Problems with the options, each naming the option, the value and the fix. */
  readonly problems: string[];
}

const ACCOUNT_OF_PROVIDER = /^arn:aws[a-z-]*:iam::(\d{12}):oidc-provider\//;

/**
 * The layout of the account singletons for the project options `stagingAccount`,
 * `productionAccount` and `githubOidcProviderArn`:
 * - both accounts unset (both stacks deploy to `CDK_DEFAULT_ACCOUNT`) or equal: one account;
 *   staging creates the provider and the trail, production imports the provider and has no trail;
 * - different accounts: each stack creates its own account's provider and trail;
 * - only one set: an error, since the other environment's account is known only at deploy time;
 * - `githubOidcProviderArn` set: no stack creates a provider; each imports its account's (the
 *   given ARN, or, in the other of two separate accounts, the same path in its own account).
 */
export function accountLayout(stagingAccount?: string, productionAccount?: string, githubOidcProviderArn?: string): AccountLayout {
  const problems: string[] = [];
  if ((stagingAccount === undefined) !== (productionAccount === undefined)) {
    const [set, unset, value] =
      stagingAccount !== undefined
        ? ['stagingAccount', 'productionAccount', stagingAccount]
        : ['productionAccount', 'stagingAccount', productionAccount];
    problems.push(
      `${set} "${value}" is set but ${unset} is not, so it is unknown whether staging and production share an account (an account holds one GitHub OIDC provider and needs one CloudTrail trail); set ${unset} too: to "${value}" if both deploy to that account, or to the other environment's account id`,
    );
  }
  const sharedAccount = stagingAccount === productionAccount;
  const providerAccount = githubOidcProviderArn ? ACCOUNT_OF_PROVIDER.exec(githubOidcProviderArn)?.[1] : undefined;
  const pinned = [stagingAccount, productionAccount].filter((a): a is string => a !== undefined);
  if (providerAccount && pinned.length > 0 && !pinned.includes(providerAccount)) {
    problems.push(
      `githubOidcProviderArn "${githubOidcProviderArn}" is in account ${providerAccount}, but the stacks deploy to ${[...new Set(pinned)].join(' and ')}; a role can only trust an OIDC provider of its own account: use that account's provider ARN`,
    );
  }
  const imported = (account?: string): AccountSingletonProps => {
    if (!githubOidcProviderArn) return {};
    return account === undefined || account === providerAccount ? { githubOidcProviderArn } : { createGithubOidcProvider: false };
  };
  const staging = imported(stagingAccount);
  const production = imported(productionAccount);
  return {
    sharedAccount,
    props: {
      [DeploymentEnvironment.STAGING]: staging,
      [DeploymentEnvironment.PRODUCTION]: sharedAccount
        ? { ...(githubOidcProviderArn ? production : { createGithubOidcProvider: false }), createAuditTrail: false }
        : production,
    },
    problems,
  };
}

/** Problems with a stack's singleton props, each naming the option, the value and the fix. */
export function validateAccountSingletonProps(props: AccountSingletonProps): string[] {
  if (props.createGithubOidcProvider === true && props.githubOidcProviderArn !== undefined) {
    return [
      `createGithubOidcProvider is true but githubOidcProviderArn "${props.githubOidcProviderArn}" imports an existing provider; an account holds one GitHub OIDC provider: remove createGithubOidcProvider to import it, or githubOidcProviderArn to create one`,
    ];
  }
  return [];
}
