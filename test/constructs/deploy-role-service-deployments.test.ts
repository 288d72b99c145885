import { Match } from 'aws-cdk-lib/assertions';
import { ENVIRONMENT_NAMES, snippetTemplates } from './helpers';

/** The deploy tool follows canary and linear deployments through the service's service deployments. */
describe('the deploy role may follow its own service\'s deployments, and nothing else\'s', () => {
  test.each(ENVIRONMENT_NAMES.map((name) => ({ name })))('$name: ListServiceDeployments on the service, DescribeServiceDeployments on its deployments', ({ name }) => {
    const template = snippetTemplates().of(name);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'FollowServiceDeployments', Action: 'ecs:ListServiceDeployments', Resource: { Ref: Match.stringLikeRegexp('Service') } }),
          Match.objectLike({
            Sid: 'DescribeServiceDeployments',
            Action: 'ecs:DescribeServiceDeployments',
            Resource: `arn:aws:ecs:us-east-1:123456789012:service-deployment/hedis-optimizer-${name}/hedis-optimizer/*`,
          }),
        ]),
      },
    });
  });
});
