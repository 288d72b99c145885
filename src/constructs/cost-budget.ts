import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COST_ALLOCATION_TAG_KEY } from '../core/defaults';

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
  /**
   * Cost-allocation tag that limits the budget to the resources carrying it, as `KEY=VALUE`
   * (a user-defined tag, activated as a cost-allocation tag in the Billing console).
   * @default - the budget covers the whole account
   */
  readonly costAllocationTag?: string;
}

/**
 * A monthly AWS Budgets cost budget with actual and forecast alerts to an SNS topic, limited to
 * one cost-allocation tag when given (two environments in one account then each watch their own).
 */
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
        ...(props.costAllocationTag ? { costFilters: { TagKeyValue: [costFilterValue(props.costAllocationTag)] } } : {}),
      },
      notificationsWithSubscribers: [
        notify('ACTUAL', props.actualThresholdPercent ?? 80),
        notify('FORECASTED', props.forecastThresholdPercent ?? 100),
      ],
    });
  }
}

/** `KEY=VALUE` as AWS Budgets writes a user-defined tag filter: `user:KEY$VALUE`. */
function costFilterValue(tag: string): string {
  const at = tag.indexOf('=');
  if (at <= 0 || at === tag.length - 1) {
    throw new Error(`costAllocationTag "${tag}" must be KEY=VALUE (for example "${COST_ALLOCATION_TAG_KEY}=hedis-optimizer-staging")`);
  }
  return `user:${tag.slice(0, at)}$${tag.slice(at + 1)}`;
}
