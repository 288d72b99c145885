import { ComplianceFramework } from '../../core/compliance-frameworks';
import { DeploymentEnvironment } from '../../core/deployment-environment';
import { platformNames, PLATFORM_TRAIL_ARCHIVE_DAYS } from '../../core/platform-baseline';

/**
 * What the generated docs say about the compliance frameworks and the account's singletons
 * (the GitHub OIDC provider and the trail), from the model and the stacks' facts. Internal module.
 */

/** What this module reads of a stack's facts (`StackFacts`), named here so it imports no other project module. */
interface StackFacts {
  readonly environment: DeploymentEnvironment;
  readonly stackName: string;
  /** The platform a joined stack joins. */
  readonly platformName?: string;
  readonly trailName?: string;
  readonly trailArchiveDays?: number;
  readonly createsGithubOidcProvider: boolean;
  readonly acknowledgements: { readonly id: string }[];
}

/** What this module reads of the model (`ServiceModel`). */
interface ServiceModel {
  readonly complianceFrameworks: string[];
  readonly sharedAccount: boolean;
  readonly staging: { readonly stackOptions: { readonly githubOidcProviderArn?: string } };
  readonly production: { readonly stackOptions: { readonly githubOidcProviderArn?: string } };
}

/** `A`, `A and B`, `A, B and C`: the frameworks as prose, optionally as code. */
export function frameworkList(frameworks: string[], asCode = false): string {
  const names = frameworks.map((f) => (asCode ? `\`${f}\`` : f));
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The framework (or validator) an acknowledged rule id belongs to, as the checklist's Pack column shows it. */
export function packOfRuleId(id: string): string {
  const framework = ComplianceFramework.ofRuleId(id);
  if (framework) return framework;
  if (id.startsWith('CloudFormation-Validate::')) return 'CDK template validation';
  return 'other';
}

/** The facts of the stack whose trail records the account of `environment`'s facts: its own, or staging's in a shared account. */
export function accountTrailFacts<F extends StackFacts>(facts: { staging: { facts: F }; production: { facts: F } }, which: 'staging' | 'production' = 'production'): F {
  const own = facts[which].facts;
  // A joined stack has no trail: the platform's account baseline records the account.
  if (own.platformName !== undefined) {
    const names = platformNames(own.platformName, own.environment);
    return { ...own, trailName: names.trailName, trailArchiveDays: PLATFORM_TRAIL_ARCHIVE_DAYS, stackName: names.prefix };
  }
  return own.trailName !== undefined ? own : facts.staging.facts;
}

/** Context of the docs templates: frameworks and account singletons. */
export function complianceDocsContext(model: ServiceModel, facts: StackFacts[]) {
  const [staging, production] = facts;
  const trail = accountTrailFacts({ staging: { facts: staging }, production: { facts: production } });
  const acknowledgedPerFramework = model.complianceFrameworks.map((framework) => {
    const ids = new Set(facts.flatMap((f) => f.acknowledgements.map((a) => a.id)).filter((id) => ComplianceFramework.ofRuleId(id) === framework));
    return { framework, rules: ids.size };
  });
  return {
    compliance: {
      frameworks: model.complianceFrameworks,
      list: frameworkList(model.complianceFrameworks, true),
      plain: frameworkList(model.complianceFrameworks),
      packs: model.complianceFrameworks.length === 1 ? 'the pack' : model.complianceFrameworks.length === 2 ? 'both packs' : `all ${model.complianceFrameworks.length} packs`,
      isDefault: model.complianceFrameworks.join() === ComplianceFramework.DEFAULTS.join(),
      acknowledgedPerFramework,
    },
    accountSingletons: {
      shared: model.sharedAccount,
      trailName: trail.trailName,
      trailArchiveDays: trail.trailArchiveDays,
      trailStack: trail.stackName,
      providerStacks: facts.filter((f) => f.createsGithubOidcProvider).map((f) => f.stackName),
      providerOwner: facts.find((f) => f.createsGithubOidcProvider)?.stackName ?? '',
      providerImported: facts.some((f) => !f.createsGithubOidcProvider),
      githubOidcProviderArn: model.production.stackOptions.githubOidcProviderArn ?? model.staging.stackOptions.githubOidcProviderArn,
    },
  };
}
