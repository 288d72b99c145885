# Shared helpers of the container check (sourced, not run).
# shellcheck shell=bash

# The kit's checkout.
HSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The Node.js release the node-api blueprint pins (the currency table's LTS line, e.g. 24.22.3).
kit_node_release() { bash "$HSK_ROOT/scripts/registry-node.sh" --version; }

# Seconds since the epoch, with milliseconds.
now() { date +%s.%3N; }

# Seconds elapsed since $1 (from `now`), one decimal.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

log() { printf '[container %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() { printf '[container] error: %s\n' "$*" >&2; exit 1; }

# Runs "$@" quietly; on failure prints the command and the end of its output, then fails.
quiet() {
  local out
  out="$(mktemp)"
  if ! "$@" >"$out" 2>&1; then
    printf '[container] command failed: %s\n--- last output ---\n' "$*" >&2
    tail -n 60 "$out" >&2
    rm -f "$out"
    return 1
  fi
  rm -f "$out"
}

# Installs the Debian packages that are missing (needs root); "$@" are package names.
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (install them with apt-get as root)"
  log "installing ${missing[*]}"
  quiet apt-get update -qq
  DEBIAN_FRONTEND=noninteractive quiet apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The Debian archive this machine installs from (first `URIs:` or `deb` entry for the
# release), so debootstrap and apt inside images use the same mirror.
debian_mirror() {
  local uri
  uri="$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n 1)"
  if [ -z "$uri" ]; then
    uri="$(grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }}' | grep -v -- '-security' | head -n 1)"
  fi
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list*"
  printf '%s\n' "$uri"
}

# True when buildah's local storage has the image "$1".
image_exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# A label of image "$1" (empty when the image or label is missing).
image_label() { buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }

# Bytes -> "123MB" (decimal megabytes, as docker and podman print sizes).
megabytes() { awk -v b="$1" 'BEGIN { printf "%dMB", b / 1000000 + 0.5 }'; }
