#!/usr/bin/env bash
# Writes everything the kit produces for a fixed set of option sets into OUTDIR: the generated
# files of each project (as `npx projen` writes them) and the CloudFormation templates that the
# generated CDK app synthesizes. Run it on two commits and `diff -r` the folders to prove that a
# refactor changed nothing a user receives:
#
#   scripts/output-snapshot.sh /tmp/before            # in a worktree of the old commit
#   scripts/output-snapshot.sh /tmp/after             # in this checkout
#   diff -r /tmp/before /tmp/after && echo IDENTICAL
#
# It uses only the kit's public API (lib/index.js) and needs no network: the generated app
# resolves hardened-service-kit, aws-cdk-lib and cdk-nag from this checkout.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = "-h" ]; then
  echo "Usage: scripts/output-snapshot.sh OUTDIR   (OUTDIR is replaced)" >&2
  exit 2
fi
out="$(mkdir -p "$1" && cd "$1" && pwd)"
rm -rf "${out:?}"/*
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kit="$PWD"
npx projen compile >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

KIT="$kit" WORK="$work" node <<'NODE'
const path = require('path');
process.env.PROJEN_DISABLE_POST = '1';
const { HardenedServiceProject } = require(path.join(process.env.KIT, 'lib', 'index.js'));
const base = {
  name: 'hedis-optimizer',
  defaultReleaseBranch: 'main',
  cdkVersion: '2.1.0',
  projenrcTs: true,
  serviceName: 'hedis-optimizer',
  alarmEmail: 'oncall@example.com',
  githubRepository: 'example-org/hedis-optimizer',
  stagingCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
  productionCertificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000',
};
// The defaults of both blueprints, and one set where nearly every option differs from its default.
const cases = {
  'python-api': { blueprint: 'python-api' },
  'node-api': { blueprint: 'node-api' },
  'node-api-options': {
    blueprint: 'node-api',
    serviceName: 'member-portal',
    name: 'member-portal',
    containerPort: 3100,
    healthCheckPath: '/status',
    cpu: 1024,
    memoryLimitMiB: 2048,
    minCapacity: 3,
    maxCapacity: 12,
    stagingMinCapacity: 1,
    stagingMaxCapacity: 3,
    stagingScaleToZeroOutsideWorkingHours: true,
    database: false,
    cache: false,
    awsRegion: 'eu-west-1',
    stagingAccount: '111111111111',
    productionAccount: '222222222222',
    stagingCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000001',
    productionCertificateArn: 'arn:aws:acm:eu-west-1:222222222222:certificate/00000000-0000-0000-0000-000000000002',
    domainName: 'portal.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    monthlyBudgetUsd: 900,
    stagingMonthlyBudgetUsd: 250,
    latencyP95Ms: 800,
    targetRequestsPerTask: 4000,
    allowedOrigins: ['https://portal.example.com'],
    authentication: 'jwt-and-api-keys',
    jwtIssuerUrl: 'https://login.example.com/',
    jwtAudience: 'member-portal',
    jwtReadScope: 'portal.read',
    jwtWriteScope: 'portal.write',
    apiKeyMaxAgeDays: 30,
  },
};
for (const [id, options] of Object.entries(cases)) {
  const outdir = path.join(process.env.WORK, id);
  new HardenedServiceProject({ ...base, ...options, outdir }).synth();
}
NODE

for dir in "$work"/*/; do
  id="$(basename "$dir")"
  mkdir -p "$out/$id"
  (cd "$dir" && tar --exclude=./node_modules -cf - .) | tar -xf - -C "$out/$id"
  mkdir -p "$dir/node_modules"
  ln -s "$kit" "$dir/node_modules/hardened-service-kit"
  for dep in aws-cdk-lib constructs cdk-nag; do ln -s "$kit/node_modules/$dep" "$dir/node_modules/$dep"; done
  context="$(node -p "JSON.stringify(require('$dir/cdk.json').context || {})")"
  (cd "$dir" && CDK_OUTDIR="$out/$id/cdk.out" CDK_CONTEXT_JSON="$context" \
    "$kit/node_modules/.bin/ts-node" --transpile-only infrastructure/main.ts)
  # Keep the templates and the validation report; drop what names this run's temp folders.
  find "$out/$id/cdk.out" -type f ! -name '*.template.json' ! -name 'validation-report.json' ! -name '*.assets.json' -delete
  # The validation report's stack traces name the checkout: compare checkouts, not their paths.
  sed -i "s#$(realpath "$kit/node_modules")/#<kit>/node_modules/#g; s#$kit/#<kit>/#g" "$out/$id/cdk.out/validation-report.json"
  echo "$id: $(cd "$out/$id" && find . -type f | wc -l) files, $(ls "$out/$id/cdk.out" | grep -c template.json) templates"
done
