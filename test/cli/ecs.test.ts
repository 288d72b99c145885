import { familyOf, pickContainer, revisionOf, shortRevision } from '../../src/cli/ecs';
import { UsageError } from '../../src/cli/errors';
import { logLocation } from '../../src/cli/migration';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/hedis-optimizer:12';

describe('task definition helpers', () => {
  test('read family and revision from an ARN', () => {
    expect(shortRevision(ARN)).toBe('hedis-optimizer:12');
    expect(familyOf(ARN)).toBe('hedis-optimizer');
    expect(revisionOf(ARN)).toBe(12);
  });

  test('pick the only container, else "app", else the one asked for', () => {
    const one = { taskDefinitionArn: ARN, containerDefinitions: [{ name: 'web' }] };
    const two = { taskDefinitionArn: ARN, containerDefinitions: [{ name: 'xray' }, { name: 'app' }] };
    expect(pickContainer(one, undefined).name).toBe('web');
    expect(pickContainer(two, undefined).name).toBe('app');
    expect(pickContainer(two, 'xray').name).toBe('xray');
  });

  test('fails when several containers have none named "app"', () => {
    const td = { taskDefinitionArn: ARN, containerDefinitions: [{ name: 'web' }, { name: 'worker' }] };
    expect(() => pickContainer(td, undefined)).toThrow(UsageError);
    expect(() => pickContainer(td, undefined)).toThrow(
      'task definition hedis-optimizer:12 has several containers (web, worker) and none is named "app"; pass --container NAME',
    );
  });
});

describe('logLocation', () => {
  test('names the awslogs group and stream of a task', () => {
    const container = {
      name: 'app',
      logConfiguration: { logDriver: 'awslogs' as const, options: { 'awslogs-group': '/ecs/x/app', 'awslogs-stream-prefix': 'app', 'awslogs-region': 'eu-west-1' } },
    };
    expect(logLocation(container, 'abc')).toEqual({
      group: '/ecs/x/app',
      stream: 'app/app/abc',
      region: 'eu-west-1',
      tail: 'aws logs tail /ecs/x/app --log-stream-names app/app/abc --region eu-west-1',
    });
  });

  test('is undefined for a container without awslogs', () => {
    expect(logLocation({ name: 'app' }, 'abc')).toBeUndefined();
    expect(logLocation({ name: 'app', logConfiguration: { logDriver: 'awsfirelens' } }, 'abc')).toBeUndefined();
  });
});
