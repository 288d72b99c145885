import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACK, acknowledge } from './acknowledgements';

/** The repository of GuardDuty's runtime-monitoring sidecar for Fargate (one per region, in an AWS account). */
const AGENT_REPOSITORY = 'aws-guardduty-agent-fargate';

/**
 * Lets a task execution role pull GuardDuty's security agent, which the platform's detector
 * (runtime monitoring with agent management for ECS Fargate) adds as a sidecar to every task.
 * The repository lives in an AWS-owned account that differs per region, hence the account
 * wildcard on that one repository name.
 */
export function allowGuardDutyAgent(executionRole: iam.IRole): void {
  const stack = Stack.of(executionRole);
  const arn = `arn:${stack.partition}:ecr:${stack.region}:*:repository/${AGENT_REPOSITORY}`;
  executionRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PullGuardDutyAgent',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: [arn],
    }),
  );
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  acknowledge(executionRole, ACK.guardDutyAgent(`arn:${shown(stack.partition, 'Partition')}:ecr:${shown(stack.region, 'Region')}:*:repository/${AGENT_REPOSITORY}`));
}
