import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { inspectStack, StackOnlyFacts } from './stack-reader';
import { HardenedServiceStack, HardenedServiceStackProps } from '../../constructs/hardened-service-stack';
import { ServicePlatform } from '../../constructs/service-platform';
import { ResolvedSettings } from '../../core/settings';
import { EnvironmentModel, ServiceModel } from '../service-model';

/**
 * What the generated docs say about the stacks. What only the stack knows is read from the
 * stacks themselves (`stack-reader.ts`): the project builds both environments'
 * `HardenedServiceStack` in memory from the very props the generated CDK app passes (no
 * synthesis, no AWS calls) and reads acknowledgements, resource types, subnets, routes,
 * security-group paths, log groups and outputs from the construct tree, so the checklist, the
 * diagrams and the execution policy cannot drift from the stack. What the settings hold
 * (ids, retention, Multi-AZ) comes from the settings.
 */

export type { AcknowledgedFinding, DeployRoleFact, IngressFact, LogGroupFact, OutputFact, StackOnlyFacts, SubnetFact } from './stack-reader';

/**
 * What the docs state about a stack that the resolved settings hold already: read from them,
 * not from the built stack (`test/project/infrastructure/stack-facts.test.ts` checks that the
 * stack agrees).
 */
export interface SettingsFacts {
  /** Physical id of the database instance and of the Redis replication group, when there are. */
  readonly databaseInstanceId?: string;
  readonly cacheReplicationGroupId?: string;
  /** Automated backup retention, Multi-AZ and deletion protection, when there is a database. */
  readonly databaseBackupRetentionDays?: number;
  readonly databaseMultiAz?: boolean;
  readonly databaseDeletionProtection?: boolean;
  /** Days the AWS Backup rule keeps a recovery point, when there is a database. */
  readonly awsBackupDeleteAfterDays?: number;
  /** Redis snapshot retention, nodes and failover, when there is a cache. */
  readonly cacheSnapshotRetentionDays?: number;
  readonly cacheNodes?: number;
  readonly cacheAutomaticFailover?: boolean;
}

/** The facts of one environment's stack, as the docs read them. */
export interface StackFacts extends StackOnlyFacts, SettingsFacts {}

/** The facts the settings hold: the ids the stack names its database and cache with, the presets. */
export function settingsFacts(s: ResolvedSettings): SettingsFacts {
  return {
    databaseInstanceId: s.database ? s.names.prefix : undefined,
    cacheReplicationGroupId: s.cache ? s.names.prefix : undefined,
    databaseBackupRetentionDays: s.database ? s.databaseBackupRetentionDays : undefined,
    databaseMultiAz: s.database ? s.multiAz : undefined,
    databaseDeletionProtection: s.database ? s.deletionProtection : undefined,
    awsBackupDeleteAfterDays: s.database ? s.awsBackupRetentionDays : undefined,
    cacheSnapshotRetentionDays: s.cache ? s.cacheSnapshotRetentionDays : undefined,
    cacheNodes: s.cache ? 1 + s.cacheReplicas : undefined,
    cacheAutomaticFailover: s.cache ? s.cacheReplicas > 0 : undefined,
  };
}

/** The props the generated CDK app (`infrastructure/service-stacks.ts`) passes for one environment. */
export function stackProps(model: ServiceModel, env: EnvironmentModel): HardenedServiceStackProps {
  return {
    ...env.stackOptions,
    environment: env.environment,
    env: { account: env.account, region: model.region },
    ...(model.platform ? { platform: ServicePlatform.fromParameters({ environment: env.environment, platformName: model.platform.name }) } : {}),
  };
}

/**
 * Both environments' stacks in a new app with the recommended feature flags, as the
 * generated `infrastructure/main.ts` makes them (what `infrastructure/hooks.ts` adds aside).
 */
export function buildServiceStacks(model: ServiceModel, app?: App): { app: App; stacks: HardenedServiceStack[] } {
  const target = app ?? new App({ context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
  // The budget the model resolved (what the stack would resolve itself): the stack then
  // skips the cost model, which the model ran once per environment already.
  const stacks = model.environments.map(
    (env) => new HardenedServiceStack(target, env.settings.names.stackName, {
      ...stackProps(model, env),
      monthlyBudgetUsd: env.settings.monthlyBudgetUsd,
    }),
  );
  return { app: target, stacks };
}

/** Facts by the stack props they were read from: projects with the same options share them. */
const cache = new Map<string, StackFacts[]>();
const CACHE_SIZE = 16;

/** The facts of both environments' stacks, staging first; built once per set of stack props. */
export function inspectServiceStacks(model: ServiceModel): StackFacts[] {
  const key = JSON.stringify(model.environments.map((env) => stackProps(model, env)));
  let facts = cache.get(key);
  if (!facts) {
    facts = buildServiceStacks(model).stacks.map((stack, i) => {
      const env = model.environments[i];
      return { ...inspectStack(stack, env.environment), ...settingsFacts(env.settings) };
    });
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, facts);
  }
  return facts;
}
