import { duration } from './rollout-context';
import { estimateFirstDeployTiming } from '../../../core/first-deploy-timing';
import { ServiceModel } from '../../service-model';

/**
 * The one first-deploy path, as the README and AWS_SETUP_GUIDE print it: `cdk bootstrap` once
 * per distinct account (one line each), then `scripts/aws-deploy.sh -i` per environment, each
 * step with its expected time (`estimateFirstDeployTiming`), and, when staging and production
 * are in different accounts, the credentials switch between them (`AWS_PROFILE`).
 */
export function firstDeployDocs(model: ServiceModel) {
  const twoAccounts = !model.sharedAccount;
  const profile = (environment: string) => (twoAccounts ? `AWS_PROFILE=<${environment}-profile> ` : '');
  const environments = model.environments.map((e) => {
    const timing = estimateFirstDeployTiming(e.settings);
    return {
      environment: e.environment,
      account: e.account,
      profile: profile(e.environment),
      profileName: twoAccounts ? `<${e.environment}-profile>` : undefined,
      command: `${profile(e.environment)}scripts/aws-deploy.sh -e ${e.environment} -t "$(git rev-parse HEAD)" -i`,
      phases: timing.phases.map((p) => ({ name: p.name, basis: p.basis, duration: duration(p.seconds) })),
      total: duration(timing.totalSeconds),
      bootstrap: { duration: duration(timing.bootstrap.seconds), basis: timing.bootstrap.basis },
    };
  });
  // One bootstrap per distinct account: both environments when they share one.
  const accounts = twoAccounts
    ? environments.map((e) => ({ label: `the ${e.environment} account`, account: e.account, profileName: e.profileName }))
    : [{ label: `the account of ${model.environments.map((e) => e.environment).join(' and ')}`, account: model.staging.account, profileName: undefined }];
  return {
    firstDeploy: {
      twoAccounts,
      accounts: accounts.map((a) => ({
        ...a,
        // A pinned account is written out; an unpinned one is read from the credentials.
        accountRef: a.account ?? '$account',
        readsAccount: a.account === undefined,
      })),
      environments,
      bootstrapDuration: environments[0].bootstrap.duration,
      bootstrapBasis: environments[0].bootstrap.basis,
    },
  };
}
