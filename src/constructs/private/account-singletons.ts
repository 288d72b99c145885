import { Stack } from 'aws-cdk-lib';
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
