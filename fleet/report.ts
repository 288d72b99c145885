/** The fleet report as a platform engineer reads it: plain text, one section per question. */
import { FleetCheck } from './checks';
import { ENVIRONMENTS, FleetResult, MAX_MARGINAL_RATIO, NAG_PACKS } from './simulation';
import { CostEstimate } from '../src/core/cost-model';

const usd = (value: number) => `$${value.toFixed(2)}`;
const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
const line = (c: FleetCheck) => `  ${mark(c.ok)} ${c.check.padEnd(62)} ${c.found}`;

export function formatReport(r: FleetResult): string {
  const out: string[] = [];
  const apps = r.findings.length;
  out.push(
    `Fleet simulation: 1 platform app (${ENVIRONMENTS.join(', ')}) + ${r.services.length} service apps, one account and region; ${r.templates.length} templates`,
    '',
    'Services:',
    ...r.services.map(
      (s) =>
        `  ${s.options.serviceName.padEnd(24)} ${s.blueprint.padEnd(11)} port ${s.options.containerPort} ${s.options.healthCheckPath}  database ${s.options.database ? 'yes' : 'no '}  cache ${s.options.cache ? 'yes' : 'no'}`,
    ),
    '',
    'Account and region singletons (joined fleet):',
    ...r.singletons.map(line),
    '',
    'Default quotas (joined fleet):',
    ...r.quotas.map(line),
    '',
    'Platform parameters (joined fleet):',
    line(r.checks.find((c) => c.check.startsWith('every platform parameter'))!),
    '',
    'Physical names written twice (joined fleet):',
    ...(r.duplicates.length ? r.duplicates.map((d) => `  FAIL ${d}`) : ['  none']),
    '',
    `Compliance gate (${apps} apps):`,
    ...NAG_PACKS.map((pack) => `  ${pack.padEnd(16)} ${r.findings.reduce((n, f) => n + (f.openByPack[pack] ?? 0), 0)} open`),
    ...r.findings
      .filter((f) => f.error || NAG_PACKS.some((pack) => f.openByPack[pack]))
      .map((f) => `  FAIL ${f.app}: ${f.error ?? ''} ${f.open.filter((o) => NAG_PACKS.some((pack) => o.startsWith(`${pack} `))).slice(0, 5).join('; ')}`),
    ...otherPlugins(r),
    '',
    `cfn-lint (one run over ${r.templates.length} templates):`,
    `  errors ${r.lint.filter((m) => m.Level === 'Error').length}`,
    `  warnings ${r.lint.filter((m) => m.Level === 'Warning').length}${countBy(r.lint.filter((m) => m.Level === 'Warning').map((m) => m.Rule.Id))}`,
    ...r.lint.filter((m) => m.Level === 'Error').slice(0, 20).map((m) => `  FAIL ${m.Rule.Id} ${m.Filename}: ${m.Message}`),
  );
  if (r.standalone.templates.length) {
    out.push(
      '',
      `The same ${r.services.length} services standalone (no platform; informative, this is what the platform prevents):`,
      ...[...r.standalone.singletons, ...r.standalone.quotas]
        .filter((c) => !c.ok)
        .map((c) => `  ${c.found === '0' ? 'lacks ' : 'breaks'} ${c.check.padEnd(62)} ${c.found.replace(/ \(.*\)$/, '')}`),
    );
  }
  out.push('', ...costSection(r));
  const failed = r.checks.filter((c) => !c.ok);
  out.push('', failed.length ? `RESULT: ${failed.length} check(s) of the joined fleet failed: ${failed.map((c) => c.check).join('; ')}` : `RESULT: all ${r.checks.length} checks of the joined fleet pass`);
  return out.join('\n');
}

function costSection(r: FleetResult): string[] {
  const c = r.cost;
  const out = ['Monthly cost (the kit\'s cost model, on-demand us-east-1 prices; see docs/fleet.md):'];
  for (const p of c.platforms) {
    out.push(`  platform ${p.environment.padEnd(10)} ${usd(p.totalUsd).padStart(9)}${p.accountBaseline ? '  (holds the account baseline)' : ''}`);
  }
  out.push('', '  one more joined service, by options       staging marginal (standalone)   production marginal (standalone)');
  const seen = new Set<string>();
  for (const service of r.services) {
    const key = `database ${service.options.database ? 'yes' : 'no'}, cache ${service.options.cache ? 'yes' : 'no'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const of = (environment: string) => c.services.find((s) => s.serviceName === service.options.serviceName && s.environment === environment)!;
    const [staging, production] = ENVIRONMENTS.map(of);
    const cell = (s: typeof staging) => `${usd(s.joined.totalUsd).padStart(9)} (${usd(s.standalone.totalUsd)})`;
    out.push(`  ${key.padEnd(41)}${cell(staging).padEnd(32)}${cell(production)}`);
  }
  out.push('', '  per service        environment  standalone  joined (marginal)  ratio');
  for (const s of c.services) {
    const ratio = s.joined.totalUsd / s.standalone.totalUsd;
    const over = s.environment === 'production' && ratio > MAX_MARGINAL_RATIO ? `  > ${MAX_MARGINAL_RATIO * 100}%: ${why(s.joined)}` : '';
    out.push(`  ${s.serviceName.padEnd(19)}${s.environment.padEnd(13)}${usd(s.standalone.totalUsd).padStart(10)}  ${usd(s.joined.totalUsd).padStart(17)}  ${(ratio * 100).toFixed(1).padStart(5)}%${over}`);
  }
  const n = r.services.length;
  out.push(
    '',
    `  total, ${n} joined services + 2 platforms   ${usd(c.joinedFleetUsd)}`,
    `  total, ${n} standalone services            ${usd(c.standaloneFleetUsd)} (incl. ${usd(c.standaloneExtraTrailsUsd)} for the trails after the first)`,
    `  production: marginal joined / standalone  ${(c.productionRatio * 100).toFixed(1)}% (bound ${MAX_MARGINAL_RATIO * 100}%)`,
  );
  return out;
}

/** The biggest lines of an over-bound estimate: what the platform cannot share. */
function why(e: CostEstimate): string {
  const total = e.lineItems.reduce((sum, l) => sum + l.monthlyUsd, 0);
  const byCategory = new Map<string, number>();
  for (const l of e.lineItems) byCategory.set(l.category, (byCategory.get(l.category) ?? 0) + l.monthlyUsd);
  const top = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2);
  return top.map(([cat, v]) => `${cat} ${usd(v)} (${((v / total) * 100).toFixed(0)}%)`).join(', ') + ' stay per service';
}

/** Violations other plugins than the packs report (CDK's own CloudFormation Validate warns here). */
function otherPlugins(r: FleetResult): string[] {
  const total = new Map<string, number>();
  for (const f of r.findings) {
    for (const [key, n] of Object.entries(f.byRule)) {
      if (!NAG_PACKS.some((pack) => key.startsWith(`${pack} `))) total.set(key, (total.get(key) ?? 0) + n);
    }
  }
  return [...total.entries()].sort().map(([key, n]) => `  other plugin: ${key} x${n}`);
}

function countBy(ids: string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts.size ? ` (${[...counts.entries()].sort().map(([id, n]) => `${id} x${n}`).join(', ')})` : '';
}
