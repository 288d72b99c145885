import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { FIRST_DEPLOY_CONTEXT, FIRST_DEPLOY_OUTPUT, isFirstDeployPhase, WITHOUT_TASKS } from '../../core/first-deploy';

/**
 * With the context `hardened-service:first-deploy=true`, the stack runs no task: the service's
 * desired count and its scaling bounds are 0 (Application Auto Scaling would otherwise start
 * the minimum at once), so CloudFormation creates the image repository and everything else
 * without waiting for an image nobody could push yet. The output `FirstDeployPhase` tells
 * `hardened-service first-deploy` that the second phase (the same stack with its tasks) is due.
 * Nothing else differs, so the second phase changes only these values.
 */
export function applyFirstDeployPhase(stack: Stack, service: ecs.FargateService, scaling: ecs.ScalableTaskCount): void {
  if (!isFirstDeployPhase(stack.node.tryGetContext(FIRST_DEPLOY_CONTEXT))) {
    return;
  }
  (service.node.defaultChild as ecs.CfnService).desiredCount = 0;
  const target = scaling.node.findChild('Target').node.defaultChild as appscaling.CfnScalableTarget;
  target.minCapacity = 0;
  target.maxCapacity = 0;
  // A scheduled start of working hours would raise the bounds again before the image exists.
  target.addPropertyDeletionOverride('ScheduledActions');
  new CfnOutput(stack, FIRST_DEPLOY_OUTPUT, {
    value: WITHOUT_TASKS,
    description: 'First deploy, phase 1: no tasks until the image is pushed (hardened-service first-deploy)',
  });
}
