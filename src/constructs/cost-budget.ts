import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of `CostBudget`. */
export interface CostBudgetProps {
  /** Name of the budget. */
  readonly budgetName: string;
  /** Monthly limit in US dollars. */
  readonly monthlyLimitUsd: number;
  /** Topic that receives the alerts. */
  readonly topic: sns.ITopic;
  /**
   * Percentage of actual spend that alerts.
   * @default 80
   */
  readonly actualThresholdPercent?: number;
  /**
   * Percentage of forecast spend that alerts.
   * @default 100
   */
  readonly forecastThresholdPercent?: number;
}

/** A monthly AWS Budgets cost budget with actual and forecast alerts to an SNS topic. */
export class CostBudget extends Construct {
  /** The budget. */
  public readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: {
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
      },
      subscribers: [{ subscriptionType: 'SNS', address: props.topic.topicArn }],
    });
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: props.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyLimitUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [
        notify('ACTUAL', props.actualThresholdPercent ?? 80),
        notify('FORECASTED', props.forecastThresholdPercent ?? 100),
      ],
    });
  }
}
