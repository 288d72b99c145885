import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, newApp, snippetTemplates } from './helpers';
import { DeploymentEnvironment, ServiceCache, ServiceNetwork } from '../../src';

const { STAGING } = DeploymentEnvironment;

let stg: Template, prod: Template;
beforeAll(() => {
  ({ stg, prod } = snippetTemplates());
});
const both = () => snippetTemplates().both;

describe('ServiceCache', () => {
  test('encrypts in transit and at rest, uses an AUTH token and keeps snapshots', () => {
    for (const [, t] of both()) {
      t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'redis',
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        KmsKeyId: Match.anyValue(),
        SnapshotRetentionLimit: Match.anyValue(),
      });
      const group = Object.values(t.findResources('AWS::ElastiCache::ReplicationGroup'))[0].Properties;
      // A dynamic reference, resolved by CloudFormation: the token never appears in the template.
      expect(JSON.stringify(group.AuthToken)).toMatch(/\{\{resolve:secretsmanager:/);
      expect(group.SnapshotRetentionLimit).toBeGreaterThanOrEqual(15);
    }
  });

  test('fails over across AZs in production only', () => {
    prod.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumCacheClusters: 2, MultiAZEnabled: true, AutomaticFailoverEnabled: true });
    stg.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumCacheClusters: 1, MultiAZEnabled: false });
  });

  test('takes resolved values over its environment\'s presets', () => {
    // GIVEN a staging cache with a replica, 20 days of snapshots and 30 days of slow logs
    const stack = new Stack(newApp({}), 'cache', { env: ENV });
    const network = new ServiceNetwork(stack, 'Network', { environment: STAGING });
    new ServiceCache(stack, 'Cache', {
      vpc: network.vpc,
      environment: STAGING,
      replicationGroupId: 'svc-staging',
      nodeType: 'cache.t3.medium',
      replicas: 1,
      snapshotRetentionDays: 20,
      logRetentionDays: 30,
    });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      CacheNodeType: 'cache.t3.medium',
      NumCacheClusters: 2,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      SnapshotRetentionLimit: 20,
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
