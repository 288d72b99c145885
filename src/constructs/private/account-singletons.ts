import { Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GITHUB_OIDC_ISSUER } from '../github-deploy-role';

/**
 * The ARN of the GitHub OIDC provider of the account a construct's stack deploys to. IAM names a
 * provider after its issuer URL, so the ARN is fixed per account: a stack that does not create
 * the provider imports it by this ARN (partition and account stay the stack's tokens, so the
 * template works in any account and partition).
 */
export function accountGithubOidcProviderArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:iam::${stack.account}:oidc-provider/${GITHUB_OIDC_ISSUER}`;
}

/**
 * The provider the deploy roles trust: the ARN given, the account's by its fixed ARN when the
 * stack does not create it, or undefined (the stack creates it).
 */
export function githubOidcProviderToImport(
  scope: IConstruct,
  props: { readonly githubOidcProviderArn?: string; readonly createGithubOidcProvider?: boolean },
): string | undefined {
  if (props.githubOidcProviderArn !== undefined) return props.githubOidcProviderArn;
  return props.createGithubOidcProvider === false ? accountGithubOidcProviderArn(scope) : undefined;
}

/**
 * Which stack of an app owns a resource AWS allows once per account (the GitHub OIDC provider,
 * a multi-region trail) or once per account and region (GuardDuty detector, Security Hub,
 * Config recorder, Access Analyzer). Stacks whose account is not pinned count as one account:
 * that is how they deploy when no account is given.
 */
const OWNERS = new WeakMap<Stage, Map<string, Stack>>();

/** The key of a singleton: its kind, the stack's account and, for regional kinds, its region. */
export function singletonKey(stack: Stack, kind: string, regional: boolean): string {
  const account = Token.isUnresolved(stack.account) ? '(current account)' : stack.account;
  return regional ? `${kind}:${account}:${stack.region}` : `${kind}:${account}`;
}

/** The stack that already owns the singleton in this app, if any. */
export function singletonOwner(stack: Stack, key: string): Stack | undefined {
  return OWNERS.get(Stage.of(stack)!)?.get(key);
}

/** Records `stack` as the owner of the singleton. */
export function claimSingleton(stack: Stack, key: string): void {
  const stage = Stage.of(stack)!;
  const owners = OWNERS.get(stage) ?? new Map<string, Stack>();
  owners.set(key, stack);
  OWNERS.set(stage, owners);
}
