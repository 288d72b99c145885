#!/usr/bin/env bash
# Prepares a fresh clone for one command: the Debian packages it needs, then the npm
# dependencies. Idempotent: installs only what is missing.
#
#   bash scripts/setup.sh          everything (what .ci/run and `npm run test:all` need)
#   bash scripts/setup.sh test     the same
#   bash scripts/setup.sh demo     npm dependencies only: `npm run demo` needs Node.js and npm,
#                                  no Debian package (so it also runs on macOS)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-test}"
case "$mode" in
  test | all)
    # PostgreSQL and Redis for the sample services' tests, shellcheck for the generated
    # scripts, buildah/podman/debootstrap (and their helpers) for the container check.
    packages=(curl postgresql redis-server shellcheck docker-compose buildah podman debootstrap uidmap fuse-overlayfs)
    ;;
  demo)
    packages=()
    ;;
  -h | --help)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "setup: unknown command \"$mode\"; pass demo, test (the default) or nothing" >&2
    exit 2
    ;;
esac

missing=()
# (The ${a[@]+...} form: bash 3.2, macOS's, treats an empty array as unset under set -u.)
for pkg in ${packages[@]+"${packages[@]}"}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}; run as root or install them with apt-get (only \`npm run demo\`? run: bash scripts/setup.sh demo)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready"
