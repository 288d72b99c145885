import { Template } from 'aws-cdk-lib/assertions';
import { buildServiceStacks, inspectServiceStacks, settingsFacts, SettingsFacts } from '../../../src/project/infrastructure/stack-facts';
import { resolveServiceModel } from '../../../src/project/service-model';
import { projectOptions } from '../helpers';

/** The values `settingsFacts` stands for, as the synthesized template has them. */
function templateFacts(template: Template): SettingsFacts {
  const one = (type: string) => Object.values(template.findResources(type))[0]?.Properties;
  const db = one('AWS::RDS::DBInstance');
  const plan = one('AWS::Backup::BackupPlan');
  const redis = one('AWS::ElastiCache::ReplicationGroup');
  return {
    databaseInstanceId: db?.DBInstanceIdentifier,
    cacheReplicationGroupId: redis?.ReplicationGroupId,
    databaseBackupRetentionDays: db ? Number(db.BackupRetentionPeriod) : undefined,
    databaseMultiAz: db ? db.MultiAZ === true : undefined,
    databaseDeletionProtection: db ? db.DeletionProtection === true : undefined,
    awsBackupDeleteAfterDays: plan?.BackupPlan.BackupPlanRule[0].Lifecycle.DeleteAfterDays,
    cacheSnapshotRetentionDays: redis?.SnapshotRetentionLimit,
    cacheNodes: redis?.NumCacheClusters,
    cacheAutomaticFailover: redis ? redis.AutomaticFailoverEnabled === true : undefined,
  };
}

describe('stack facts', () => {
  test.each([
    ['with a database and a cache', {}],
    ['without either', { database: false, cache: false }],
  ])('what the docs take from the settings is what the stacks synthesize (%s)', (_name, overrides) => {
    // GIVEN
    const model = resolveServiceModel(projectOptions(overrides));
    // WHEN
    const { stacks } = buildServiceStacks(model);
    // THEN
    stacks.forEach((stack, i) => {
      expect(settingsFacts(model.environments[i].settings)).toEqual(templateFacts(Template.fromStack(stack)));
    });
  });

  test('the facts of both environments are read once per set of stack props', () => {
    const model = resolveServiceModel(projectOptions());
    const facts = inspectServiceStacks(model);
    expect(facts.map((f) => f.environment)).toEqual(['staging', 'production']);
    expect(inspectServiceStacks(resolveServiceModel(projectOptions()))).toBe(facts);
    // What only the stack knows comes from it: its acknowledgements and resource types.
    expect(facts[1].acknowledgements.length).toBeGreaterThan(0);
    expect(facts[1].resourceTypes).toContain('AWS::RDS::DBInstance');
    expect(facts[1].databaseMultiAz).toBe(true);
    expect(facts[0].databaseMultiAz).toBe(false);
  });
});
