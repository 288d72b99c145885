import { Match, Template } from 'aws-cdk-lib/assertions';
import { newApp, recommendedContext, snippetApp, snippetProps, synthFindings } from './helpers';
import { DeploymentEnvironment, HardenedServiceStack } from '../../src';
import { FIRST_DEPLOY_CONTEXT, FIRST_DEPLOY_OUTPUT, WITHOUT_TASKS } from '../../src/core/first-deploy';

/**
 * `hardened-service first-deploy` deploys the stack once without tasks, so that CloudFormation
 * never waits for an image that cannot be pushed before the stack made its repository.
 */
describe('the first deploy\'s first phase (context hardened-service:first-deploy=true)', () => {
  const phaseOne = snippetApp({ ...recommendedContext(), [FIRST_DEPLOY_CONTEXT]: 'true' });
  const normal = snippetApp();

  test('runs no task: desired count and scaling bounds 0, and says so in an output', () => {
    for (const stack of [phaseOne.staging, phaseOne.production]) {
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 0, ScheduledActions: Match.absent() });
      template.hasOutput(FIRST_DEPLOY_OUTPUT, { Value: WITHOUT_TASKS });
    }
  });

  test('differs from the normal stack only in those values: same resources, same logical ids', () => {
    for (const env of ['staging', 'production'] as const) {
      const one = Template.fromStack(phaseOne[env]).toJSON();
      const two = Template.fromStack(normal[env]).toJSON();
      expect(Object.keys(one.Resources)).toEqual(Object.keys(two.Resources));
      expect(Object.keys(one.Outputs).filter((k) => !Object.keys(two.Outputs).includes(k))).toEqual([FIRST_DEPLOY_OUTPUT]);
      const service = Object.keys(two.Resources).find((k) => two.Resources[k].Type === 'AWS::ECS::Service')!;
      expect(two.Resources[service].Properties.DesiredCount).toBeGreaterThan(0);
      expect(one.Resources[service].Properties.DesiredCount).toBe(0);
    }
  });

  test('drops the scheduled start of working hours, which would raise the bounds before the image exists', () => {
    const props = { ...snippetProps(DeploymentEnvironment.STAGING), scaleToZeroOutsideWorkingHours: true };
    const withSchedule = new HardenedServiceStack(newApp(), 'hedis-optimizer-staging', props);
    expect(JSON.stringify(Template.fromStack(withSchedule).toJSON())).toContain('StartWorkingHours');
    const app = newApp({ ...recommendedContext(), [FIRST_DEPLOY_CONTEXT]: 'true' });
    const phase = Template.fromStack(new HardenedServiceStack(app, 'hedis-optimizer-staging', props));
    phase.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 0, ScheduledActions: Match.absent() });
  });

  test('has no open cdk-nag finding', () => {
    expect(synthFindings(phaseOne.app)).toEqual({ findings: [], error: undefined });
  });
});
