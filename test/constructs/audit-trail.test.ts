import { Match, Template } from 'aws-cdk-lib/assertions';
import { snippetTemplates } from './helpers';

let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});

describe('AuditTrail', () => {
  test('validates, encrypts and sends the trail to CloudWatch Logs', () => {
    prod.hasResourceProperties('AWS::CloudTrail::Trail', {
      EnableLogFileValidation: true,
      IsMultiRegionTrail: true,
      KMSKeyId: Match.anyValue(),
      CloudWatchLogsLogGroupArn: Match.anyValue(),
    });
  });
});
