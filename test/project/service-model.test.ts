import { projectOptions, synth } from './helpers';
import * as costModel from '../../src/core/cost-model';
import * as settings from '../../src/core/settings';
import { resolveServiceModel } from '../../src/project/service-model';

describe('the service model', () => {
  afterEach(() => jest.restoreAllMocks());

  test('settings and the default budget resolve once per environment for a whole synth', () => {
    // GIVEN
    const resolve = jest.spyOn(settings, 'resolveSettings');
    const budget = jest.spyOn(costModel, 'defaultMonthlyBudgetUsd');
    // WHEN: every file, the docs and their in-memory stacks included
    const files = synth();
    // THEN
    expect(files['docs/ARCHITECTURE.md']).toContain('hedis-optimizer');
    // The cost model runs for the budget once per environment, in the model; the stacks built
    // for the docs take the resolved budget.
    expect(budget).toHaveBeenCalledTimes(2);
    // The model resolves each environment once; each in-memory stack (and its monitoring)
    // resolves its own props, which only the constructs can change.
    const fromModel = resolve.mock.calls.filter(([options]) => !('environment' in options));
    expect(fromModel.map(([, environment]) => environment)).toEqual(['staging', 'production']);
  });

  test('each environment carries its settings and their cost estimate', () => {
    const model = resolveServiceModel(projectOptions());
    for (const env of model.environments) {
      expect(env.costEstimate).toEqual(costModel.estimateMonthlyCost(env.settings));
      expect(env.settings.monthlyBudgetUsd).toEqual(env.costEstimate.defaultBudgetUsd);
    }
  });
});
