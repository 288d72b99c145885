import { title } from './format';
import { platformNames } from '../../../core/platform-baseline';
import { platformParameterPrefix } from '../../../core/platform-parameters';
import { ServiceModel } from '../../service-model';

/**
 * The platform the service joins (`platform`), as the documents state it: who owns the
 * network, what must be deployed first and which parameters the stacks read. `platform` is
 * undefined for a standalone service, whose documents then read as before.
 */
export function platformDocs(model: ServiceModel) {
  const p = model.platform;
  if (!p) return { platform: undefined };
  const environments = p.environments.map((e) => ({
    name: e.environment,
    title: title(e.environment),
    stackName: e.stackPrefix,
    clusterName: platformNames(p.name, e.environment).clusterName,
    parameterPrefix: platformParameterPrefix(p.name, e.environment),
    parameters: e.parameters,
  }));
  return {
    platform: {
      name: p.name,
      environments,
      staging: environments[0],
      production: environments[1],
    },
  };
}
