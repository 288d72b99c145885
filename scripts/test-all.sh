#!/usr/bin/env bash
# The README's test command (`npm run test:all`): every suite, in order, stopping at the first
# that fails. Each suite starts the servers it needs (moto_server, PostgreSQL, Redis) itself.
# The container stage needs root (buildah, debootstrap, chroot); it makes its base images once
# and keeps them (see docs/container-testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { printf '\n======== %s ========\n' "$*"; }
start=$(date +%s)

stage "unit tests: constructs, project type, workflows, docs, deploy tool (jest) + eslint"
npx projen test

stage "end-to-end: pack the kit, projen new each blueprint, build the generated repos"
npx projen test:e2e

stage "sample services against real PostgreSQL and Redis"
bash test/samples/run.sh

stage "containers: build the generated images with buildah, run them on PostgreSQL and Redis, load-test them"
npx projen test:container

printf '\nall suites passed in %ss\n' "$(( $(date +%s) - start ))"
