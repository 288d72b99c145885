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

# A CPU cgroup "$1" whose processes have 8 times the default CPU weight, and, with "$2" (CPU
# units, 1024 = one core), at most that much CPU: a CFS quota of units/1024 of a 100 ms period.
# Together they stand for what Fargate gives a task: its CPU is reserved (other work on a
# shared machine cannot take it) and capped. cgroup v2 (cpu.weight, cpu.max) or the v1 cpu
# controller (cpu.shares, cpu.cfs_quota_us); prints its folder, fails when neither is writable.
cpu_cgroup_create() {
  local name="$1" units="${2:-}" period=100000 quota=-1 dir
  [ -z "$units" ] || quota=$((units * period / 1024))
  if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    dir="/sys/fs/cgroup/$name"
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
    mkdir -p "$dir" && echo 800 >"$dir/cpu.weight" || return 1
    [ -z "$units" ] || echo "$quota $period" >"$dir/cpu.max" || return 1
  elif [ -f /sys/fs/cgroup/cpu/cpu.shares ]; then
    dir="/sys/fs/cgroup/cpu/$name"
    mkdir -p "$dir" && echo 8192 >"$dir/cpu.shares" || return 1
    [ -z "$units" ] || { echo "$period" >"$dir/cpu.cfs_period_us" && echo "$quota" >"$dir/cpu.cfs_quota_us"; } || return 1
  else
    return 1
  fi
  printf '%s\n' "$dir"
}

# Moves processes "$2..." (and, with their threads, everything they start later) into cgroup "$1".
cpu_cgroup_add() {
  local dir="$1" pid
  shift
  [ -n "$dir" ] || return 0
  for pid in "$@"; do echo "$pid" >"$dir/cgroup.procs" 2>/dev/null || true; done
}

# Removes a cgroup made by cpu_cgroup_create once its processes are gone (waits up to 5 s).
cpu_cgroup_remove() {
  local dir="$1" _
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for _ in $(seq 1 25); do
    rmdir "$dir" 2>/dev/null && return 0
    sleep 0.2
  done
  log "cgroup $dir still has processes; left in place"
}

# Seconds the cgroup's processes were held back by the quota so far (v1 or v2 cpu.stat).
cpu_cgroup_throttled() {
  awk '$1 == "throttled_time" { printf "%.1f", $2 / 1e9 } $1 == "throttled_usec" { printf "%.1f", $2 / 1e6 }' "$1/cpu.stat" 2>/dev/null
}
