#!/usr/bin/env bash
# The README's main command (`npm run demo`): builds the kit, scaffolds the HEDIS Star Rating
# Portfolio Optimizer (blueprint python-api) into ./demo with `projen new`, synthesizes both
# environments with the compliance gate, and prints the generated files and the result.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/demo.sh [-b BLUEPRINT] [-h]

  -b BLUEPRINT  python-api (default) or node-api
  -h            show this help

Writes ./demo (replaced on every run). Needs Node.js 20.19 or later (24 LTS recommended) and the npm registry.
USAGE
}

blueprint=python-api
while getopts ":b:h" opt; do
  case "$opt" in
    b) blueprint="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; echo "error: unknown option -$OPTARG" >&2; exit 1 ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
projen_version="$(node -p "require('./package.json').devDependencies.projen")"

echo "==> Building the kit (jsii compile and npm pack)"
npx projen compile >/dev/null
npx projen package:js >/dev/null
built="$(ls "$root"/dist/js/hardened-service-kit*.tgz)"
# npm caches a tarball by its path: give each build a name of its own.
mkdir -p "$root/.cache/demo"
version="$(node -p "require('./package.json').version")"
tarball="$root/.cache/demo/hardened-service-kit-$version-$(sha256sum "$built" | cut -c1-12).tgz"
cp "$built" "$tarball"

echo "==> Scaffolding hedis-optimizer ($blueprint) into ./demo"
rm -rf "$root/demo"
mkdir -p "$root/demo"
cd "$root/demo"
# Without CI: projen would run `npm ci`, which needs a lock file the new repo does not have yet.
env -u CI npx -y "projen@$projen_version" new --from "hardened-service-kit@file:$tarball" hardened-service \
  --service-name hedis-optimizer --blueprint "$blueprint" --no-git >/dev/null

echo "==> Type-checking and synthesizing staging and production (the cdk-nag packs of complianceFrameworks)"
env -u CI npx projen compile >/dev/null
status=0
env -u CI npx cdk synth --quiet >/dev/null 2>"$root/.cache/demo/synth.log" || status=$?

echo
echo "==> Generated files (M = managed, rewritten by every 'npx projen'; U = yours, written once)"
node - <<'NODE'
const fs = require('fs');
const path = require('path');
const managed = new Set(JSON.parse(fs.readFileSync('.projen/files.json', 'utf-8')).files);
const skip = new Set(['node_modules', 'cdk.out', '.git', '__pycache__', '.venv', 'lib', 'dist', 'coverage', 'test-reports']);
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.posix.join(dir, e.name);
  if (e.isDirectory()) return skip.has(e.name) ? [] : walk(p);
  return [p.replace(/^\.\//, '')];
});
const files = walk('.').sort();
const own = (f) => (managed.has(f) ? 'M' : f === 'package-lock.json' ? '-' : 'U');
const app = files.filter((f) => f.startsWith('app/'));
for (const f of files.filter((f) => !f.startsWith('app/'))) console.log(`  ${own(f)}  ${f}`);
console.log(`  U  app/ (${app.length} files: the ${app.some((f) => f.endsWith('.py')) ? 'Python' : 'TypeScript'} sample service)`);
NODE

echo
echo "==> Compliance"
node - "$status" <<'NODE'
const fs = require('fs');
const status = Number(process.argv[2]);
const file = 'cdk.out/validation-report.json';
if (!fs.existsSync(file)) {
  console.log(`  no validation report: cdk synth exited ${status} (see .cache/demo/synth.log)`);
  process.exit(1);
}
// Open findings are in the validation report; acknowledged ones, with their reasons, in the
// templates' cdk_nag metadata.
const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
const stacks = fs.readdirSync('cdk.out').filter((f) => f.endsWith('.template.json')).sort();
// The packs of the stacks' complianceFrameworks: those that report findings or acknowledge rules
// (AwsSolutions and HIPAA.Security by default; NIST.800.53.R5 and PCI.DSS.321 when selected).
const metadataIds = stacks.flatMap((stack) => Object.values(JSON.parse(fs.readFileSync(`cdk.out/${stack}`, 'utf-8')).Resources || {})
  .flatMap((resource) => ((resource.Metadata && resource.Metadata.cdk_nag && resource.Metadata.cdk_nag.rules_to_suppress) || []).map((rule) => rule.id)));
const packs = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].filter(
  (pack) => metadataIds.some((id) => id.startsWith(`${pack}-`)) || report.pluginReports.some((p) => p.pluginName.includes(pack)),
);
let totalOpen = 0;
for (const pack of packs) {
  const open = report.pluginReports
    .filter((p) => p.pluginName.includes(pack))
    .reduce((n, p) => n + p.violations.reduce((m, v) => m + v.violatingConstructs.length, 0), 0);
  totalOpen += open;
  const rules = new Set();
  let acknowledgements = 0;
  for (const stack of stacks) {
    const template = JSON.parse(fs.readFileSync(`cdk.out/${stack}`, 'utf-8'));
    for (const resource of Object.values(template.Resources || {})) {
      for (const rule of (resource.Metadata && resource.Metadata.cdk_nag && resource.Metadata.cdk_nag.rules_to_suppress) || []) {
        if (rule.id.startsWith(`${pack}-`)) {
          acknowledgements += 1;
          rules.add(rule.id.replace(/\[.*$/, ''));
        }
      }
    }
  }
  console.log(`  ${pack.padEnd(16)} open findings: ${open}   acknowledged with a reason: ${acknowledgements} (${rules.size} rules)`);
}
console.log(`  stacks: ${stacks.map((s) => s.replace('.template.json', '')).join(', ')}`);
const pass = totalOpen === 0 && status === 0;
console.log(pass ? '  RESULT: PASS (zero open findings)' : `  RESULT: FAIL (${totalOpen} open findings, cdk synth exited ${status})`);
process.exit(pass ? 0 : 1);
NODE
echo
echo "Next: cd demo && npx projen build   (type-check, tests, synth), scripts/docker-run.sh -h"
