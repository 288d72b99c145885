import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import { DeploymentStrategyName, resolveDeploymentSettings, validateDeploymentOptions } from '../../src/core/deployment-strategy';

describe('deployment strategy defaults', () => {
  test('canary in production, rolling in staging, with the tuning defaults', () => {
    expect(resolveDeploymentSettings({}, DeploymentEnvironment.PRODUCTION)).toEqual({
      strategy: 'canary', canaryPercent: 10, canaryBakeMinutes: 10, linearStepPercent: 0, linearStepMinutes: 0, bakeTimeMinutes: 10,
    });
    expect(resolveDeploymentSettings({}, DeploymentEnvironment.STAGING)).toEqual({
      strategy: 'rolling', canaryPercent: 0, canaryBakeMinutes: 0, linearStepPercent: 0, linearStepMinutes: 0, bakeTimeMinutes: 0,
    });
  });

  test('a strategy reads only its own options', () => {
    expect(resolveDeploymentSettings({ deploymentStrategy: 'linear', linearStepPercent: 20, bakeTimeMinutes: 0 }, DeploymentEnvironment.STAGING)).toEqual({
      strategy: 'linear', canaryPercent: 0, canaryBakeMinutes: 0, linearStepPercent: 20, linearStepMinutes: 5, bakeTimeMinutes: 0,
    });
  });

  test('ECS names', () => {
    expect(DeploymentStrategyName.ALL.map(DeploymentStrategyName.ecsName)).toEqual(['ROLLING', 'CANARY', 'LINEAR', 'BLUE_GREEN']);
  });
});

describe('validateDeploymentOptions', () => {
  test('accepts ECS limits at their edges', () => {
    const edges = { canaryPercent: 0.1, canaryBakeMinutes: 0, bakeTimeMinutes: 1440 };
    expect(validateDeploymentOptions(edges, DeploymentEnvironment.PRODUCTION)).toEqual([]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'linear', linearStepPercent: 3, linearStepMinutes: 1440 })).toEqual([]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'canary', canaryPercent: 100 })).toEqual([]);
  });

  test('fails when the strategy is unknown', () => {
    expect(validateDeploymentOptions({ deploymentStrategy: 'Canary' })).toEqual([
      'deploymentStrategy "Canary" is not a known strategy; use one of "rolling", "canary", "linear", "blue-green"',
    ]);
  });

  test('fails when a percentage is out of range or finer than 0.1', () => {
    expect(validateDeploymentOptions({ deploymentStrategy: 'canary', canaryPercent: 0 })).toEqual([
      'canaryPercent 0 must be a percentage from 0.1 to 100 in steps of 0.1 (ECS\'s limit; for example 10)',
    ]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'canary', canaryPercent: 12.25 })).toEqual([
      'canaryPercent 12.25 must be a percentage from 0.1 to 100 in steps of 0.1 (ECS\'s limit; for example 10)',
    ]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'linear', linearStepPercent: 2.9 })).toEqual([
      'linearStepPercent 2.9 must be a percentage from 3 to 100 in steps of 0.1 (ECS\'s limit; for example 25)',
    ]);
  });

  test('fails when a wait is not a whole number of minutes from 0 to 1440', () => {
    expect(validateDeploymentOptions({ deploymentStrategy: 'canary', canaryBakeMinutes: 1.5, bakeTimeMinutes: 1441 })).toEqual([
      'canaryBakeMinutes 1.5 must be a whole number of minutes from 0 to 1440 (ECS\'s limit; for example 10)',
      'bakeTimeMinutes 1441 must be a whole number of minutes from 0 to 1440 (ECS\'s limit; for example 10)',
    ]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'linear', linearStepMinutes: -1 })).toEqual([
      'linearStepMinutes -1 must be a whole number of minutes from 0 to 1440 (ECS\'s limit; for example 5)',
    ]);
  });

  test('fails when an option is set that the strategy ignores', () => {
    expect(validateDeploymentOptions({ canaryPercent: 5, bakeTimeMinutes: 5 }, DeploymentEnvironment.STAGING)).toEqual([
      'canaryPercent is set but deploymentStrategy is "rolling", which ignores it; set deploymentStrategy to "canary", or remove canaryPercent',
      'bakeTimeMinutes is set but deploymentStrategy is "rolling", which ignores it; set deploymentStrategy to "canary" or "linear" or "blue-green", or remove bakeTimeMinutes',
    ]);
    expect(validateDeploymentOptions({ deploymentStrategy: 'blue-green', linearStepMinutes: 5 })).toEqual([
      'linearStepMinutes is set but deploymentStrategy is "blue-green", which ignores it; set deploymentStrategy to "linear", or remove linearStepMinutes',
    ]);
  });
});
