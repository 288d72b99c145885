import { SERVICE_DEFAULTS } from '../../../core/defaults';
import { DeploymentEnvironment } from '../../../core/deployment-environment';
import { MANAGED_RULE_GROUPS } from '../../../core/firewall-rules';
import { StackFacts } from '../../infrastructure/stack-facts';
import { ServiceModel } from '../../service-model';
import { packOfRuleId } from '../compliance-docs';
import { ORGANISATION_TASKS, SAFEGUARDS, SafeguardInput } from '../hipaa-safeguards';
import { cellText } from './format';

/** The firewall's rate limit (the stack keeps `ServiceFirewall`'s default) and rule groups. */
export function firewallDocs() {
  return {
    wafRateLimit: SERVICE_DEFAULTS.wafRateLimitPer5Min,
    managedRuleGroups: MANAGED_RULE_GROUPS,
  };
}

/** The HIPAA checklist: acknowledged findings of both stacks, the safeguards, the open gaps. */
export function complianceDocs(model: ServiceModel, facts: StackFacts[]) {
  const safeguardInput: SafeguardInput = {
    model,
    staging: { settings: model.staging.settings, facts: facts[0] },
    production: { settings: model.production.settings, facts: facts[1] },
  };
  return {
    acknowledgements: acknowledgementRows(facts),
    acknowledgementCounts: facts.map((f) => ({ environment: f.environment, stackName: f.stackName, count: f.acknowledgements.length })),
    safeguards: (['Administrative', 'Physical', 'Technical'] as const).map((kind) => ({
      kind,
      rows: SAFEGUARDS.filter((g) => g.kind === kind).map((g) => ({
        section: g.section,
        title: g.title,
        specification: g.specification,
        implementedBy: cellText(g.implementedBy(safeguardInput).join('; ')),
        rules: applicableRules(g.rules, model).map((r) => `\`${r}\``).join(', ') || '-',
        organisation: cellText(g.organisation ?? '-'),
      })),
    })),
    openGaps: SAFEGUARDS.flatMap((g) => {
      const gap = g.gap?.(safeguardInput);
      return gap ? [{ section: g.section, title: g.title, gap }] : [];
    }),
    organisationTasks: ORGANISATION_TASKS,
  };
}

/** Acknowledgements of both stacks, one row per rule and reason, with where and in which environments. */
function acknowledgementRows(facts: StackFacts[]) {
  const rows = new Map<string, { id: string; reason: string; paths: Map<string, DeploymentEnvironment[]> }>();
  for (const f of facts) {
    for (const ack of f.acknowledgements) {
      const key = `${ack.id}\u0000${ack.reason}`;
      const row = rows.get(key) ?? { id: ack.id, reason: ack.reason, paths: new Map() };
      const envs = row.paths.get(ack.path) ?? [];
      if (!envs.includes(f.environment)) envs.push(f.environment);
      row.paths.set(ack.path, envs);
      rows.set(key, row);
    }
  }
  const all = facts.map((f) => f.environment);
  return [...rows.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((row) => ({
      id: row.id,
      pack: packOfRuleId(row.id),
      where: [...row.paths.entries()]
        .map(([path, envs]) => `\`${path === '' ? '(whole stack)' : path}\`${envs.length === all.length ? '' : ` (${envs.join(', ')} only)`}`)
        .join(', '),
      environments: all.filter((e) => [...row.paths.values()].some((envs) => envs.includes(e))).join(', '),
      reason: cellText(row.reason),
    }));
}

/** The rules that apply to what this service has (no RDS rules without a database, ...). */
function applicableRules(rules: string[], model: ServiceModel): string[] {
  return rules.filter((r) => (model.database || !/RDS|InBackupPlan/.test(r)) && (model.cache || !/ElastiCache|AEC/.test(r)));
}
