import { Stack, Stage, Token } from 'aws-cdk-lib';

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
