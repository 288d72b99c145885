import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { newApp, snippetProps, snippetTemplates } from './helpers';
import { CostBudget, DeploymentEnvironment } from '../../src';
import { estimateMonthlyCost } from '../../src/core/cost-model';
import { resolveSettings } from '../../src/core/settings';

const { PRODUCTION } = DeploymentEnvironment;
let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});

describe('CostBudget', () => {
  test('alerts on actual and forecast spend of the environment budget', () => {
    // The default budget is production's cost estimate plus the margin.
    const budget = estimateMonthlyCost(resolveSettings(snippetProps(PRODUCTION), PRODUCTION)).defaultBudgetUsd;
    prod.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: budget, Unit: 'USD' }, TimeUnit: 'MONTHLY' }),
      NotificationsWithSubscribers: [
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 80 }) }),
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }) }),
      ],
    });
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'budget');
    new CostBudget(stack, 'Budget', { budgetName: 'b', monthlyLimitUsd: 42, topic: new sns.Topic(stack, 'T') });
    Template.fromStack(stack).hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ BudgetLimit: { Amount: 42, Unit: 'USD' } }) });
  });
});
