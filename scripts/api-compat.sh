#!/usr/bin/env bash
# The pull-request build's API check (build.yml, after `npx projen build`): jsii-diff of the
# compiled kit (./.jsii) against the last release, the newest v* tag, as published on npm.
# A breaking change passes only when the pull request declares it, which makes the next
# release a major (docs/releasing.md): a title such as `feat!: ...` or a `BREAKING CHANGE:`
# footer in the body (squash merges turn both into the commit projen's release reads).
#
# Env: PR_TITLE, PR_BODY   the pull request's title and body (empty outside a pull request)
#      UPSTREAM            the repository whose release tags count (a fork's pull request is
#                          checked out from the fork, which may lack them); its v* tags are fetched
#      BASELINE            what to compare against instead of the last tag's npm package:
#                          a directory holding a package.json and .jsii, or npm:name@version
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -f .jsii ] || { echo "api-compat: no .jsii in $PWD: run \`npx projen compile\` first" >&2; exit 2; }
name="$(node -p "require('./package.json').name")"
baseline="${BASELINE:-}"
if [ -z "$baseline" ]; then
  [ -z "${UPSTREAM:-}" ] || git fetch --quiet --no-tags "$UPSTREAM" '+refs/tags/v*:refs/tags/v*'
  tag="$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)"
  if [ -z "$tag" ]; then
    echo "api-compat: no release tag (v*) yet: the first release has nothing to be compatible with"
    exit 0
  fi
  baseline="npm:$name@${tag#v}"
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
npx jsii-diff "$baseline" . --keys --ignore-file .compatignore >"$report" 2>&1 || status=$?
cat "$report"
# jsii-diff passes (exit 0) when it cannot load an assembly: that is a failure here.
if grep -q "^Could not load" "$report"; then
  echo "::error::api-compat: jsii-diff could not load $baseline, so nothing was compared"
  exit 1
fi
case "$status" in
  0) echo "api-compat: no breaking change against $baseline"; exit 0 ;;
  1) ;;
  *) echo "::error::api-compat: jsii-diff failed (exit $status)"; exit "$status" ;;
esac

# Breaking changes: allowed only when declared (a conventional `type!:` title or a footer).
if [[ "${PR_TITLE:-}" =~ ^[a-z]+(\([^\)]*\))?!: ]] || grep -Eq '^BREAKING[ -]CHANGE: ' <<<"${PR_BODY:-}"; then
  echo "api-compat: breaking changes against $baseline, declared by the pull request: the next release is a major"
  exit 0
fi
echo "::error::api-compat: breaking API changes against $baseline (listed above). Keep the API compatible, or declare the break: a title such as \"feat!: ...\" and a \"BREAKING CHANGE: <what users change>\" footer in the body, which makes the next release a major"
exit 1
