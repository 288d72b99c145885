import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PlatformModel } from './platform-model';
import { HardenedPlatformStack } from '../../constructs/hardened-platform-stack';

/**
 * The platform stacks as the generated `infrastructure/platform-stacks.ts` builds them, from
 * the same model (in memory, for the kit's tests): staging first.
 */
export function buildPlatformStacks(model: PlatformModel, app?: App): { app: App; stacks: HardenedPlatformStack[] } {
  const target = app ?? new App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
  const stacks = model.environments.map(
    (env) => new HardenedPlatformStack(target, env.stackName, {
      environment: env.environment,
      env: { account: env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: model.region },
      ...env.stackOptions,
    }),
  );
  return { app: target, stacks };
}
