#!/usr/bin/env bash
# npm run test:container: the generated containers build and serve for real, on this machine.
#
# For each blueprint: scaffold a service with the packed kit, build its generated Dockerfile
# with buildah (only BASE_IMAGE and the package mirrors are passed in) and naive single-stage
# images of the same app (FROM the full image, and FROM the same slim base), inspect the image, run its migration and its start command as its
# non-root user against local PostgreSQL and Redis with the default task's CPU, check /health
# through a PostgreSQL outage, gate its latency under 100 users with think time (load.js, open
# loop), measure its capacity per task against the autoscaling target, and print one summary
# line. Exits non-zero when a gate fails. docs/container-testing.md explains each step.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: test/container/run.sh [-h] [BLUEPRINT...]      (default: python-api node-api)

Builds each blueprint's generated image with buildah, runs it on local PostgreSQL and Redis,
checks health, outage recovery and image contents, load-tests it and compares its size with
a naive single-stage build. Needs root (buildah, debootstrap, chroot).

environment:
  HSK_KIT_TARBALL=FILE       use this packed kit instead of compiling and packing the repo
  HSK_LOAD_USERS=100         concurrent users of the latency gate, one connection each
  HSK_LOAD_THINK_SECONDS=1   think time: each user sends one request every this many seconds,
                             on a fixed schedule (latency counts from the scheduled time)
  HSK_LOAD_SECONDS=15        seconds of the latency gate per endpoint (after a 2 s warm-up)
  HSK_LOAD_CONNECTIONS=100   connections of the saturation run and most of the paced steps
  HSK_CAPACITY_STEPS=0.6,0.75,0.85,0.95,1.05
                             paced rates of the capacity search, as fractions of saturation
  HSK_CAPACITY_STEP_SECONDS=4  seconds per paced step
  HSK_LOAD_AUTH_HEADER="Name: value"
                             extra header sent on every request of the load (for example the
                             credential /api/v1/* routes require); its value is never printed
  HSK_STALL_MS=200           the self-test stops the service this many ms of every second and
                             the latency gate must fail on it (0 skips the self-test)
  HSK_LOAD_STALL_MS=N        stall the service as above during the real gate too (a slowed
                             service, to watch the check fail; default 0)
  HSK_TASK_CPU=N             CPU units the service may use (1024 = one core; default: the kit's
                             default task size), enforced with a cgroup CPU quota; off: no limit
  HSK_WEB_CONCURRENCY=N      worker processes (WEB_CONCURRENCY; default: the task definition's,
                             for the kit's default task size)
  HSK_DB_POOL_SIZE=N         pooled connections per worker (DB_POOL_SIZE; default: the kit's)
  HSK_SIZE_RATIO_TARGET=0.6  most multi-stage size / naive size (naive FROM the full image)
  HSK_IMAGE=IMAGE            check and measure this image (in buildah's local storage, built from
                             a repo of the same blueprint) instead of building the scaffolded one;
                             no size comparison
  HSK_DB_ENDPOINT=PATH       the endpoint that reads the database (default /api/v1/measures)
  HSK_TARGET_REQUESTS_PER_TASK=N  the autoscaling target to check against the measured capacity
                             (requests per task per minute; default: the kit's)
  HSK_CACHE_DIR=/var/cache/hsk  debootstrap and package caches (outside the repo)
  HSK_KEEP_WORK=1            keep the work folder (generated repos, logs) for inspection
EOF
}

[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/test/container"
# shellcheck source=test/container/lib.sh
source "$HERE/lib.sh"
# shellcheck source=test/container/services.sh
source "$HERE/services.sh"

BLUEPRINTS=("$@")
[ "${#BLUEPRINTS[@]}" -gt 0 ] || BLUEPRINTS=(python-api node-api)
SERVICE_NAME=hedis-optimizer
LOAD_SECONDS="${HSK_LOAD_SECONDS:-15}"
LOAD_USERS="${HSK_LOAD_USERS:-100}"
LOAD_THINK_SECONDS="${HSK_LOAD_THINK_SECONDS:-1}"
LOAD_CONNECTIONS="${HSK_LOAD_CONNECTIONS:-100}"
CAPACITY_STEPS="${HSK_CAPACITY_STEPS:-0.6,0.75,0.85,0.95,1.05}"
CAPACITY_STEP_SECONDS="${HSK_CAPACITY_STEP_SECONDS:-4}"
STALL_MS="${HSK_STALL_MS:-200}"
LOAD_STALL_MS="${HSK_LOAD_STALL_MS:-0}"
# Seconds of the self-test's load on the stalled service.
STALL_SECONDS=5
SIZE_RATIO_TARGET="${HSK_SIZE_RATIO_TARGET:-0.6}"
# The endpoint that reads the database through the pool (both samples serve it).
DB_ENDPOINT="${HSK_DB_ENDPOINT:-/api/v1/measures}"
# A team's own image to check and measure instead of the one built from the scaffolded repo.
GIVEN_IMAGE="${HSK_IMAGE:-}"
# Seconds within which /health must report a PostgreSQL outage, and recover after it.
OUTAGE_DETECT_MAX=10
OUTAGE_RECOVER_MAX=15
PROJEN_VERSION="$(node -p "require('$ROOT/package.json').devDependencies.projen")"
export PYTHON_BASE_IMAGE="${PYTHON_BASE_IMAGE:-localhost/hsk-base/python:3.11-bookworm}"
NODE_MAJOR="$(kit_node_release)"
NODE_MAJOR="${NODE_MAJOR%%.*}"
export NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-localhost/hsk-base/node:$NODE_MAJOR-bookworm}"
export PYTHON_FULL_IMAGE="${PYTHON_FULL_IMAGE:-localhost/hsk-base/python:3.11-bookworm-full}"
export NODE_FULL_IMAGE="${NODE_FULL_IMAGE:-localhost/hsk-base/node:$NODE_MAJOR-bookworm-full}"

STARTED="$(now)"
WORK="$(mktemp -d /var/tmp/hsk-container.XXXXXX)"
# PostgreSQL and Redis run as their own users and must reach their folders inside.
chmod 0711 "$WORK"
SERVICES_DIR="$WORK/services"
SUMMARY="$WORK/summary.txt"
: >"$SUMMARY"

cleanup() {
  local rc=$?
  services_stop
  cpu_cgroup_remove "${BACKING_CGROUP:-}"
  if [ "${HSK_KEEP_WORK:-}" = 1 ] || [ "$rc" -ne 0 ]; then
    log "work folder kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Setup: tools, base images, the packed kit, PostgreSQL and Redis.

prerequisites() {
  [ "$(id -u)" -eq 0 ] || die "run as root: buildah, debootstrap and chroot need it"
  ensure_debian_packages buildah podman debootstrap postgresql redis-server curl iproute2 procps wrk
}

# The packed kit, under a name derived from its contents (npm caches tarballs by path).
pack_kit() {
  local tarball="${HSK_KIT_TARBALL:-}" started sum
  if [ -z "$tarball" ]; then
    started="$(now)"
    log "packing the kit (projen compile, package:js)"
    (cd "$ROOT" && CI=true quiet npx projen compile && CI=true quiet npx projen package:js)
    tarball="$(find "$ROOT/dist/js" -maxdepth 1 -name '*.tgz' -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)"
    log "packed $(basename "$tarball") in $(elapsed "$started")s"
  fi
  [ -f "$tarball" ] || die "kit tarball not found: $tarball"
  sum="$(sha256sum "$tarball" | cut -c1-12)"
  KIT_TARBALL="$WORK/hardened-service-kit-$sum.tgz"
  cp "$tarball" "$KIT_TARBALL"
  mkdir -p "$WORK/kit"
  tar -xzf "$KIT_TARBALL" -C "$WORK/kit"
  KIT_DIR="$WORK/kit/package"
}

# Build arguments and mounts that let pip and npm inside a build reach the package index and
# registry this machine uses, read from pip's and npm's own configuration (nothing is written
# into the images: build arguments are not kept, mounts are not committed).
mirror_build_args() {
  MIRROR_ARGS=()
  local config index="" extras="" url path host trusted="" registry
  config="$(pip config list 2>/dev/null || true)"
  index="${PIP_INDEX_URL:-$(sed -nE "s/^(global|install)\.index-url='?([^']*)'?$/\2/p" <<<"$config" | head -n 1)}"
  extras="${PIP_EXTRA_INDEX_URL:-$(sed -nE "s/^(global|install)\.extra-index-url='?([^']*)'?$/\2/p" <<<"$config" | head -n 1)}"
  # With only extra indexes configured (the default index unreachable), the first becomes the index.
  if [ -z "$index" ] && [ -n "$extras" ]; then
    index="${extras%% *}"
    extras="$(sed -E 's/^[^ ]+ ?//' <<<"$extras")"
  fi
  if [ -n "$index" ]; then
    MIRROR_ARGS+=(--build-arg "PIP_INDEX_URL=$index")
    [ -z "$extras" ] || MIRROR_ARGS+=(--build-arg "PIP_EXTRA_INDEX_URL=$extras")
    for url in $index $extras; do
      case "$url" in
        file://*)
          # A local index links to files next to its simple/ folder: mount its parent.
          path="$(dirname "${url#file://}")"
          MIRROR_ARGS+=(-v "$path:$path:ro")
          ;;
        http://*)
          host="${url#http://}"
          host="${host%%/*}"
          trusted="${trusted:+$trusted }${host%%:*}"
          ;;
      esac
    done
    [ -z "$trusted" ] || MIRROR_ARGS+=(--build-arg "PIP_TRUSTED_HOST=$trusted")
  fi
  registry="$(npm config get registry 2>/dev/null || true)"
  [ -z "$registry" ] || MIRROR_ARGS+=(--build-arg "npm_config_registry=$registry")
}

# ---------------------------------------------------------------------------------------------
# One blueprint.

# `projen new` from the packed kit, as a user runs it (CI unset), without installing the
# generated repo's own dependencies: the image build needs only the Dockerfile and app/.
scaffold() {
  local blueprint="$1" dir="$2"
  mkdir -p "$dir"
  (cd "$dir" && quiet env -u CI npx -y "projen@$PROJEN_VERSION" new --from "hardened-service-kit@file:$KIT_TARBALL" \
    hardened-service --no-git --no-post --service-name "$SERVICE_NAME" --blueprint "$blueprint")
  if [ ! -f "$dir/Dockerfile" ] || [ ! -d "$dir/app" ]; then
    die "$blueprint: projen new wrote no Dockerfile or app/ in $dir"
  fi
}

# The naive baseline: one stage, the whole app/ (tests included, no .dockerignore), every
# dependency including the development ones, caches left in place. It is built twice: FROM the
# full image (`python:3.11` / `node:24`, with a compiler, as a single-stage Dockerfile needs
# for native dependencies and as most naive Dockerfiles are written), which is the size
# baseline, and FROM the same slim base as the generated Dockerfile, which shows what the
# Dockerfile itself leaves out.
write_naive() {
  local blueprint="$1" repo="$2" context="$3" start_json
  mkdir -p "$context"
  cp -a "$repo/app" "$context/app"
  start_json="$(node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' "${BP_START_COMMAND[@]}")"
  if [ -f "$repo/app/requirements.txt" ]; then
    local requirements="requirements.txt"
    if [ -f "$repo/app/requirements-full.txt" ]; then requirements="requirements-full.txt"; fi
    cat >"$context/Dockerfile" <<EOF
ARG BASE_IMAGE
FROM \${BASE_IMAGE}
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
WORKDIR /app
COPY app/ ./
RUN python3 -m venv /app/.venv && /app/.venv/bin/pip install -r $requirements
EXPOSE $BP_PORT
CMD $start_json
EOF
  elif [ -f "$repo/app/package.json" ]; then
    cat >"$context/Dockerfile" <<EOF
ARG BASE_IMAGE
FROM \${BASE_IMAGE}
ARG npm_config_registry
WORKDIR /app
COPY app/ ./
RUN npm install
RUN npm run build
EXPOSE $BP_PORT
CMD $start_json
EOF
  else
    die "$blueprint: no requirements.txt or package.json in app/, cannot write the naive baseline"
  fi
}

# buildah bud with a local base image and the mirrors; "$1" context, "$2" tag, "$3" log,
# "$4" base image (default: the slim base the generated Dockerfile names).
build_image() {
  local context="$1" tag="$2" logfile="$3" base="${4:-$BASE}"
  if ! buildah bud --isolation chroot --layers --format docker --build-arg "BASE_IMAGE=$base" \
    "${MIRROR_ARGS[@]}" -f "$context/Dockerfile" -t "$tag" "$context" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    return 1
  fi
}

image_size() { podman image inspect --format '{{.Size}}' "$1"; }

# Problems with the image's contents, one per line (none printed: clean). "$1" is its root.
inspect_contents() {
  local rootfs="$1"
  local found
  # A compiler: gcc, cc, c++, clang or the compiler proper (cc1).
  found="$(find "$rootfs"/usr/bin "$rootfs"/usr/local/bin "$rootfs"/usr/lib/gcc -maxdepth 3 \
    \( -name gcc -o -name 'gcc-[0-9]*' -o -name 'x86_64-linux-gnu-gcc*' -o -name cc -o -name 'c++' \
    -o -name 'g++*' -o -name clang -o -name cc1 \) 2>/dev/null | head -n 3)"
  [ -z "$found" ] || echo "a compiler: ${found//$rootfs/}"
  # Environment files anywhere (an .env.example holds no secrets and is allowed).
  found="$(find "$rootfs" -xdev \( -path "$rootfs/proc" -o -path "$rootfs/sys" \) -prune -o \
    \( -name .env -o -name '.env.*' \) ! -name .env.example -print 2>/dev/null | head -n 3)"
  [ -z "$found" ] || echo ".env files: ${found//$rootfs/}"
  # The app's own tests (dependencies' bundled tests are theirs).
  found="$(find "$rootfs/app" \( -name node_modules -o -name .venv \) -prune -o \
    \( -type d \( -name tests -o -name test -o -name __tests__ \) -o -type f \( -name 'test_*.py' \
    -o -name '*_test.py' -o -name '*.test.[jt]s' -o -name '*.spec.[jt]s' -o -name conftest.py \) \) -print 2>/dev/null | head -n 3)"
  [ -z "$found" ] || echo "tests: ${found//$rootfs/}"
  # Package caches: pip's and npm's, apt's lists and downloaded packages.
  found="$(find "$rootfs/root" "$rootfs/app" "$rootfs/tmp" "$rootfs/home" -maxdepth 3 \
    \( -path '*/.cache/pip' -o -name .npm -o -name _cacache -o -path '*/.cache/yarn' \) 2>/dev/null | head -n 3)"
  [ -z "$found" ] || echo "package caches: ${found//$rootfs/}"
  found="$(find "$rootfs/var/lib/apt/lists" -type f ! -name lock 2>/dev/null | head -n 1)"
  [ -z "$found" ] || echo "apt package lists in /var/lib/apt/lists"
  found="$(find "$rootfs/var/cache/apt" -name '*.deb' -o -name '*.bin' 2>/dev/null | head -n 1)"
  [ -z "$found" ] || echo "apt caches in /var/cache/apt"
}

# HTTP status of a GET (000 when nothing answered); the body goes to "$2".
http_get() { curl -s -o "$2" -w '%{http_code}' --max-time 5 "$1" || true; }

# "db cache" statuses from a health body ("$1"), e.g. "ok ok" or "error ok".
health_statuses() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    let body = {};
    try { body = JSON.parse(require("fs").readFileSync(process.argv[1], "utf-8")); } catch {}
    const c = body.checks || {};
    process.stdout.write(`${(c.database || {}).status || "?"} ${(c.cache || {}).status || "?"}`);
  ' "$1"
}

# PIDs listening on TCP port "$1".
listener_pids() { ss -ltnpH "( sport = :$1 )" 2>/dev/null | grep -oE 'pid=[0-9]+' | cut -d= -f2 | sort -un; }

# PIDs of the container's processes: those of the service's session ("$1") that run chrooted
# into the image (buildah itself, which starts them, runs on the host as root).
container_pids() {
  local pid root
  for pid in $(ps -s "$1" -o pid=); do
    root="$(readlink "/proc/$pid/root" 2>/dev/null || true)"
    [ -z "$root" ] || [ "$root" = / ] || echo "$pid"
  done
}

# Whether a health answer (HTTP code "$2", statuses "$3") is in state "$1": serving (200),
# healthy (200, database and cache ok) or database-down (503 naming the database).
health_is() {
  case "$1" in
    serving) [ "$2" = 200 ] ;;
    healthy) [ "$2" = 200 ] && [ "$3" = "ok ok" ] ;;
    database-down) [ "$2" = 503 ] && [ "${3%% *}" = error ] ;;
    *) die "unknown health state $1" ;;
  esac
}

# Seconds (one decimal) until the health URL "$2" is in state "$1" (see health_is), polling
# every 0.2 s; fails after "$3" seconds, printing the last answer on stderr.
wait_for_health() {
  local state="$1" url="$2" limit="$3" started code statuses body
  body="$(mktemp)"
  started="$(now)"
  while :; do
    code="$(http_get "$url" "$body")"
    statuses="$(health_statuses "$body")"
    if health_is "$state" "$code" "$statuses"; then
      rm -f "$body"
      elapsed "$started"
      return 0
    fi
    if awk -v e="$(elapsed "$started")" -v l="$limit" 'BEGIN { exit !(e > l) }'; then
      echo "last answer: HTTP $code $(head -c 300 "$body" 2>/dev/null)" >&2
      rm -f "$body"
      return 1
    fi
    sleep 0.2
  done
}

# --- Caller authentication -------------------------------------------------------------------
# The image runs with the authentication variables of the generated task definition
# (infrastructure/aws/ecs-task-definition.json): its AUTH_* and API_KEY_MAX_AGE_DAYS values as they
# are, and for the API_KEYS secret a local document holding the digest of a key made here (what
# Secrets Manager injects in AWS). Sets AUTH_RUN_ENV (buildah -e flags) and exports
# HSK_LOAD_AUTH_HEADER ("Name: value"), which the load generator sends on every request.
auth_for_image() {
  local repo="$1" out
  # shellcheck disable=SC2016 # JavaScript, expanded by node
  out="$(node -e '
    const fs = require("fs");
    const crypto = require("crypto");
    const td = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).containerDefinitions[0];
    const env = Object.fromEntries(td.environment.map((e) => [e.name, e.value]));
    const lines = Object.entries(env).filter(([n]) => n.startsWith("AUTH_") || n === "API_KEY_MAX_AGE_DAYS").map(([n, v]) => `env ${n}=${v}`);
    if (td.secrets.some((s) => s.name === "API_KEYS")) {
      const key = `hsk.container-check.${crypto.randomBytes(32).toString("base64url")}`;
      const now = new Date();
      const record = { id: "container-check", client: "container-check", scopes: ["read", "write"],
        sha256: crypto.createHash("sha256").update(key).digest("hex"),
        created: now.toISOString(), expires: new Date(now.getTime() + 86400000).toISOString() };
      lines.push(`env API_KEYS=${JSON.stringify({ keys: [record] })}`, `header X-API-Key: ${key}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
  ' "$repo/infrastructure/aws/ecs-task-definition.json")" || die "could not read the generated task definition of $repo"
  AUTH_RUN_ENV=()
  HSK_LOAD_AUTH_HEADER=""
  while IFS= read -r line; do
    case "$line" in
      env\ *) AUTH_RUN_ENV+=(-e "${line#env }") ;;
      header\ *) HSK_LOAD_AUTH_HEADER="${line#header }" ;;
    esac
  done <<<"$out"
  export HSK_LOAD_AUTH_HEADER
  log "authentication of the image: ${AUTH_RUN_ENV[*]//API_KEYS=*/API_KEYS=<digest of a local key>}"
}

# GET "$1" with the load's credential (if any) into "$2"; prints the status.
http_get_authenticated() {
  local -a header=()
  [ -z "${HSK_LOAD_AUTH_HEADER:-}" ] || header=(-H "$HSK_LOAD_AUTH_HEADER")
  curl -s -o "$2" -w '%{http_code}' --max-time 5 "${header[@]}" "$1" || true
}

# An API route without a credential must answer 401: logs the answer, sets UNAUTHENTICATED_CODE.
check_unauthenticated() {
  local url="$1" name="$2"
  UNAUTHENTICATED_CODE="$(http_get "$url" /dev/null)"
  log "unauthenticated GET $name -> $UNAUTHENTICATED_CODE (must be 401)"
}


# `load.js "$@"` (output to "$1") while sampling the service's PostgreSQL connections, and
# stalling the service when LOAD_STALL_MS is set; sets LOAD_JSON and DB_MAX.
load_with_sampling() {
  local out="$1" samples="$1.connections" pid sampler staller=""
  shift
  : >"$samples"
  node "$HERE/load.js" "$@" >"$out" 2>"$out.err" &
  pid=$!
  cpu_cgroup_add "$BACKING_CGROUP" "$pid"
  if [ "$LOAD_STALL_MS" -gt 0 ]; then
    stall_service "$LOAD_STALL_MS" "$pid" &
    staller=$!
  fi
  # One psql session fed a query every 0.25 s: starting psql (and a backend) per sample would
  # take CPU from the service under test.
  (
    while kill -0 "$pid" 2>/dev/null; do
      printf '%s;\n' "$DB_CONNECTIONS_SQL"
      sleep 0.25
    done
  ) | pg_psql >"$samples" 2>/dev/null &
  sampler=$!
  wait "$pid" || { cat "$out.err" >&2; return 1; }
  wait "$sampler" || true
  [ -z "$staller" ] || wait "$staller" || true
  LOAD_JSON="$(cat "$out")"
  DB_MAX="$(sort -n "$samples" | tail -n 1)"
  DB_MAX="${DB_MAX:-0}"
}

field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$1" "$2"; }

# One endpoint's figures for the summary line: the users gate ("$1" JSON) in the fields the line
# always had, then the capacity search ("$2" JSON) and the generator's own CPU.
load_text() {
  local json="$1" cap="$2"
  printf '%s rps p50 %sms p95 %sms p99 %sms errors %s users %s think %ss capacity %s rps saturation %s rps loadgen cpu %s%%/%s%%' \
    "$(field "$json" rps)" "$(field "$json" p50)" "$(field "$json" p95)" "$(field "$json" p99)" "$(field "$json" errors)" \
    "$(field "$json" users)" "$(field "$json" think)" "$(capacity_text "$cap")" "$(field "$cap" saturation)" \
    "$(field "$json" cpu)" "$(field "$cap" cpu)"
}

# The paced steps of a capacity search ("$1" JSON): rate, p95, and which one missed.
steps_text() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e 'process.stdout.write(JSON.parse(process.argv[1]).steps.map((s) => `${s.rate}/s p95 ${s.p95}ms${s.pass ? "" : " (missed)"}`).join(", "))' "$1"
}

# The capacity, with ">=" when even the highest step held (the search found no limit).
capacity_text() {
  if [ "$(field "$1" bounded)" = true ]; then field "$1" capacity; else printf '>=%s' "$(field "$1" capacity)"; fi
}

# Gate problems of one users result ("$1" JSON, "$2" name): p95 and p99 under the kit's
# latencyP95Ms, no errors, every scheduled request answered.
load_gate() {
  local json="$1" name="$2" q
  for q in p95 p99; do
    awk -v p="$(field "$json" "$q")" -v max="$KIT_P95_MS" 'BEGIN { exit !(p != "null" && p < max) }' ||
      echo "$name $q $(field "$json" "$q")ms is not under ${KIT_P95_MS}ms"
  done
  [ "$(field "$json" errors)" = 0 ] || echo "$name had $(field "$json" errors) errors ($(field "$json" non2xx) non-2xx, $(field "$json" timeouts) timeouts or unanswered)"
  [ "$(field "$json" requests)" -gt 0 ] || echo "$name got no responses"
}

# Stops the container's processes for "$1" ms of every second while process "$2" runs: a
# service that stalls (as a blocked event loop or a long pause would), which the gate must see.
# shellcheck disable=SC2086 # $pids: one PID per word
stall_service() {
  local ms="$1" watched="$2" pids gap
  pids="$(container_pids "$app_pid")"
  [ -n "$pids" ] || return 0
  gap="$(awk -v m="$ms" 'BEGIN { printf "%.3f", (1000 - m) / 1000 }')"
  while kill -0 "$watched" 2>/dev/null; do
    sleep "$gap"
    kill -STOP $pids 2>/dev/null || true
    sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -CONT $pids 2>/dev/null || true
  done
  kill -CONT $pids 2>/dev/null || true
}

check_blueprint() {
  local blueprint="$1"
  local dir="$WORK/$blueprint" repo="$WORK/$blueprint/$SERVICE_NAME" t problems=() problem
  local image="localhost/hsk-test/$blueprint:multistage" naive="localhost/hsk-test/$blueprint:naive" port
  local naive_slim="localhost/hsk-test/$blueprint:naive-slim"
  # Globals of this blueprint's subshell, so that the EXIT trap sees them.
  container="" app_pid="" cgroup=""
  containers_before="$(buildah containers -q --notruncate | sort)"
  mkdir -p "$dir"
  stop_app() {
    # The service runs in its own session (setsid): signal the whole group, so that its
    # worker processes stop with it rather than outlive `buildah run`.
    if [ -n "$app_pid" ] && kill -0 -- "-$app_pid" 2>/dev/null; then
      kill -TERM -- "-$app_pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 -- "-$app_pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL -- "-$app_pid" 2>/dev/null || true
    fi
    [ -z "$container" ] || buildah rm "$container" >/dev/null 2>&1 || true
    cpu_cgroup_remove "$cgroup"
    app_pid="" container="" cgroup=""
    # A build that was interrupted or failed leaves its working container behind.
    local leftover
    for leftover in $(comm -13 <(printf '%s\n' "$containers_before") <(buildah containers -q --notruncate | sort)); do
      buildah rm "$leftover" >/dev/null 2>&1 || true
    done
  }
  trap stop_app EXIT

  t="$(now)"
  scaffold "$blueprint" "$repo"
  local scaffold_s
  scaffold_s="$(elapsed "$t")"
  local facts
  facts="$(NODE_PATH="$ROOT/node_modules" node "$HERE/facts.js" "$KIT_DIR" "$blueprint")"
  eval "$facts"
  KIT_TARGET_REQUESTS_PER_TASK="${HSK_TARGET_REQUESTS_PER_TASK:-$KIT_TARGET_REQUESTS_PER_TASK}"
  [[ "$KIT_TARGET_REQUESTS_PER_TASK" =~ ^[1-9][0-9]*$ ]] ||
    die "HSK_TARGET_REQUESTS_PER_TASK \"$KIT_TARGET_REQUESTS_PER_TASK\" must be a whole number of requests per task per minute"
  DB_POOL_SIZE="${HSK_DB_POOL_SIZE:-$KIT_DB_POOL_SIZE}"
  # What the task definition sets for the default task size (cpu $KIT_CPU): the image runs as deployed.
  WEB_CONCURRENCY="${HSK_WEB_CONCURRENCY:-$KIT_WEB_CONCURRENCY}"
  # ... and the CPU that task gets: the service runs under a quota of KIT_CPU/1024 cores.
  TASK_CPU="${HSK_TASK_CPU:-$KIT_CPU}"
  [[ "$TASK_CPU" =~ ^(off|[1-9][0-9]*)$ ]] || die "HSK_TASK_CPU \"$TASK_CPU\" must be CPU units (for example $KIT_CPU, 1024 = one core) or off"
  case "$BP_BASE_IMAGE" in
    python:*) BASE="$PYTHON_BASE_IMAGE" FULL_BASE="$PYTHON_FULL_IMAGE" ;;
    node:*) BASE="$NODE_BASE_IMAGE" FULL_BASE="$NODE_FULL_IMAGE" ;;
    *) die "$blueprint: no local base image for $BP_BASE_IMAGE" ;;
  esac
  log "$blueprint: scaffolded in ${scaffold_s}s; building FROM $BASE (stands in for $BP_BASE_IMAGE)"

  local build_s="-" naive_s size naive_size naive_slim_size base_size ratio slim_ratio app_ratio size_note
  if [ -n "$GIVEN_IMAGE" ]; then
    # A team's own image: run and measured as it is; nothing to build or compare sizes with.
    image="$GIVEN_IMAGE"
    image_exists "$image" || die "HSK_IMAGE \"$image\" is not in buildah's local storage (buildah pull docker-daemon:$image, or podman load -i FILE)"
    size="$(image_size "$image")"
    log "$blueprint: HSK_IMAGE $image ($(megabytes "$size")), not built here: no size comparison"
  else
    t="$(now)"
    build_image "$repo" "$image" "$dir/build.log" || die "$blueprint: the generated Dockerfile does not build (log: $dir/build.log)"
    build_s="$(elapsed "$t")"
    t="$(now)"
    write_naive "$blueprint" "$repo" "$dir/naive"
    build_image "$dir/naive" "$naive" "$dir/naive-build.log" "$FULL_BASE" ||
      die "$blueprint: the naive baseline does not build FROM $FULL_BASE (log: $dir/naive-build.log)"
    build_image "$dir/naive" "$naive_slim" "$dir/naive-slim-build.log" ||
      die "$blueprint: the naive baseline does not build FROM $BASE (log: $dir/naive-slim-build.log)"
    naive_s="$(elapsed "$t")"
    size="$(image_size "$image")"
    naive_size="$(image_size "$naive")"
    naive_slim_size="$(image_size "$naive_slim")"
    base_size="$(image_size "$BASE")"
    ratio="$(awk -v a="$size" -v b="$naive_size" 'BEGIN { printf "%.2f", a / b }')"
    slim_ratio="$(awk -v a="$size" -v b="$naive_slim_size" 'BEGIN { printf "%.2f", a / b }')"
    # What each build adds on top of the shared slim base.
    app_ratio="$(awk -v a="$size" -v b="$naive_slim_size" -v c="$base_size" 'BEGIN { printf "%.2f", (a - c) / (b - c) }')"
    log "$blueprint: built in ${build_s}s (both naive ${naive_s}s): $(megabytes "$size"); naive FROM the full image $(megabytes "$naive_size"), ratio $ratio; naive FROM the slim base $(megabytes "$naive_slim_size"), ratio $slim_ratio; above the $(megabytes "$base_size") base $(megabytes $((size - base_size))) vs $(megabytes $((naive_slim_size - base_size))), ratio $app_ratio"
    if awk -v r="$ratio" -v max="$SIZE_RATIO_TARGET" 'BEGIN { exit !(r <= max) }'; then
      size_note="target $SIZE_RATIO_TARGET met"
    else
      size_note="target $SIZE_RATIO_TARGET missed"
      problems+=("image size ratio $ratio (against the naive image FROM the full base) is above the target $SIZE_RATIO_TARGET")
    fi
  fi

  # The image's own configuration: its user and its start command (ENTRYPOINT then CMD).
  local user cmd_json
  user="$(podman image inspect --format '{{.Config.User}}' "$image")"
  cmd_json="$(podman image inspect --format '[{{json .Config.Entrypoint}},{{json .Config.Cmd}}]' "$image")"
  local uid="${user%%:*}"
  [[ "$uid" =~ ^[0-9]+$ ]] && [ "$uid" -ne 0 ] || problems+=("image USER is \"$user\", not a fixed non-root uid")
  podman image inspect --format '{{.Config.Healthcheck}}' "$image" | grep -qv '<nil>' ||
    problems+=("image has no HEALTHCHECK")
  local -a start_cmd
  mapfile -t start_cmd < <(node -e 'for (const a of JSON.parse(process.argv[1]).flatMap((p) => p ?? [])) console.log(a)' "$cmd_json")
  [ "${#start_cmd[@]}" -gt 0 ] || die "$blueprint: the image has no ENTRYPOINT or CMD"

  container="$(buildah from "$image")"
  local rootfs
  rootfs="$(buildah mount "$container")"
  while IFS= read -r problem; do
    [ -z "$problem" ] || problems+=("image holds $problem")
  done < <(inspect_contents "$rootfs")
  buildah umount "$container" >/dev/null
  # The same inspection must find the naive image's compiler, tests and caches, or it proves nothing.
  local naive_container naive_findings
  if [ -z "$GIVEN_IMAGE" ]; then
    naive_container="$(buildah from "$naive")"
    naive_findings="$(inspect_contents "$(buildah mount "$naive_container")")"
    buildah umount "$naive_container" >/dev/null
    buildah rm "$naive_container" >/dev/null
    grep -q '^a compiler: ' <<<"$naive_findings" && grep -q '^tests: ' <<<"$naive_findings" &&
      grep -q '^package caches: ' <<<"$naive_findings" ||
      problems+=("the content inspection did not find the compiler, tests and package caches of the naive image: it is broken")
  fi

  # Run it: migration, then the start command, as the image's user, on the host network.
  services_reset_database
  port="$(free_port 18000)"
  local -a run_env=(
    -e "PORT=$port" -e APP_ENV=production -e LOG_LEVEL=info
    -e DB_HOST=127.0.0.1 -e "DB_PORT=$PG_PORT" -e "DB_NAME=$DB_NAME" -e "DB_USER=$DB_USER"
    -e "DB_PASSWORD=$DB_PASSWORD" -e DB_SSLMODE=disable -e "DB_POOL_SIZE=$DB_POOL_SIZE"
    -e REDIS_HOST=127.0.0.1 -e "REDIS_PORT=$REDIS_PORT" -e REDIS_TLS=false
    -e "WEB_CONCURRENCY=$WEB_CONCURRENCY"
  )
  auth_for_image "$repo"
  run_env+=("${AUTH_RUN_ENV[@]}")
  local -a run=(buildah run --isolation chroot --network host --user "$user" "${run_env[@]}" "$container" --)
  t="$(now)"
  "${run[@]}" sh -c "$BP_MIGRATE_COMMAND" >"$dir/migrate.log" 2>&1 || {
    tail -n 30 "$dir/migrate.log" >&2
    die "$blueprint: the migration ($BP_MIGRATE_COMMAND) failed"
  }
  log "$blueprint: migrated in $(elapsed "$t")s"
  local task_text="cpu unlimited"
  if [ "$TASK_CPU" = off ]; then
    setsid "${run[@]}" "${start_cmd[@]}" >"$dir/app.log" 2>&1 &
  else
    cgroup="$(cpu_cgroup_create "hsk-container-$$-$blueprint" "$TASK_CPU")" ||
      die "no writable CPU cgroup (cgroup v2 cpu.max or v1 cpu.cfs_quota_us) to give the service the task's $TASK_CPU CPU units; HSK_TASK_CPU=off runs it unlimited"
    task_text="cpu $(awk -v u="$TASK_CPU" 'BEGIN { printf "%g", u / 1024 }') vCPU reserved"
    # The shell joins the cgroup and becomes buildah: the server and its workers inherit it.
    # shellcheck disable=SC2016 # expanded by that shell
    setsid sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cgroup" "${run[@]}" "${start_cmd[@]}" >"$dir/app.log" 2>&1 &
  fi
  app_pid=$!
  local health="http://127.0.0.1:$port$BP_HEALTH_PATH" startup_s
  startup_s="$(wait_for_health serving "$health" 60)" || {
    tail -n 30 "$dir/app.log" >&2
    die "$blueprint: $BP_HEALTH_PATH did not answer 200 within 60 s of starting ${start_cmd[*]}"
  }
  log "$blueprint: serving on 127.0.0.1:$port after ${startup_s}s"

  local body="$dir/health.json" code statuses
  code="$(http_get "$health" "$body")"
  statuses="$(health_statuses "$body")"
  health_is healthy "$code" "$statuses" ||
    problems+=("/health answered $code with database/cache \"$statuses\", not 200 with both ok")

  # Every process of the container (the server and its workers) runs as the image's uid:
  # real, effective, saved and filesystem uid alike.
  local pids pid uids bad_uids=""
  pids="$(container_pids "$app_pid")"
  [ -n "$pids" ] || problems+=("no process of the container found")
  [ -n "$(listener_pids "$port")" ] || problems+=("no process found listening on $port")
  for pid in $pids; do
    uids="$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status" 2>/dev/null || true)"
    [ -z "$uids" ] || [ "$uids" = "$uid $uid $uid $uid" ] || bad_uids="$bad_uids $pid($uids)"
  done
  [ -z "$bad_uids" ] || problems+=("processes not running as uid $uid:$bad_uids")
  local nproc
  nproc="$(wc -w <<<"$pids")"

  # Load, on /health and on the endpoint that reads the database through the pool: the latency
  # gate (users with think time, open loop), then the capacity search (paced steps up to
  # saturation, which wrk measures first).
  local pool_max=$((DB_POOL_SIZE * WEB_CONCURRENCY)) db_max=0 endpoint url key json cap
  local -A users_json=() capacity_json=()
  check_unauthenticated "http://127.0.0.1:$port$DB_ENDPOINT" "$DB_ENDPOINT"
  [ "$UNAUTHENTICATED_CODE" = 401 ] ||
    problems+=("an unauthenticated request to $DB_ENDPOINT answered $UNAUTHENTICATED_CODE, not 401")
  code="$(http_get_authenticated "http://127.0.0.1:$port$DB_ENDPOINT" "$dir/db-endpoint.json")"
  [ "$code" = 200 ] || problems+=("$DB_ENDPOINT answered $code with a valid credential before the load")
  # Other work on the machine shows in the figures: log the load average they ran under.
  log "$blueprint: load average before the load: $(cut -d' ' -f1-3 /proc/loadavg); service $task_text, $WEB_CONCURRENCY worker(s)"
  for endpoint in "$BP_HEALTH_PATH" "$DB_ENDPOINT"; do
    url="http://127.0.0.1:$port$endpoint"
    key="$( [ "$endpoint" = "$BP_HEALTH_PATH" ] && echo health || echo db)"
    load_with_sampling "$dir/load-$key.json" users "$url" --users "$LOAD_USERS" --think "$LOAD_THINK_SECONDS" --seconds "$LOAD_SECONDS" ||
      die "$blueprint: load on $endpoint failed"
    json="$LOAD_JSON"
    db_max=$((DB_MAX > db_max ? DB_MAX : db_max))
    while IFS= read -r problem; do [ -z "$problem" ] || problems+=("$problem"); done < <(load_gate "$json" "$endpoint")
    load_with_sampling "$dir/capacity-$key.json" capacity "$url" --p95-ms "$KIT_P95_MS" --connections "$LOAD_CONNECTIONS" \
      --steps "$CAPACITY_STEPS" --step-seconds "$CAPACITY_STEP_SECONDS" || die "$blueprint: capacity search on $endpoint failed"
    cap="$LOAD_JSON"
    db_max=$((DB_MAX > db_max ? DB_MAX : db_max))
    users_json[$key]="$json" capacity_json[$key]="$cap"
    log "$blueprint: $endpoint $(load_text "$json" "$cap"); steps $(steps_text "$cap")"
  done
  [ "$db_max" -ge 1 ] || problems+=("no database connection of $DB_USER seen during the load")
  [ "$db_max" -le "$pool_max" ] ||
    problems+=("$db_max database connections under load, more than the pool's $pool_max ($WEB_CONCURRENCY workers x $DB_POOL_SIZE)")
  local throttled="-"
  [ -z "$cgroup" ] || throttled="$(cpu_cgroup_throttled "$cgroup")"

  # Scaling: the stack's request target per task must leave the documented headroom below the
  # capacity one task measured here (the lower of the two endpoints), per minute as the ALB counts.
  local capacity_min scaling_max scaling_text
  capacity_min="$(awk -v a="$(field "${capacity_json[health]}" capacity)" -v b="$(field "${capacity_json[db]}" capacity)" 'BEGIN { print (a < b ? a : b) }')"
  scaling_max="$(awk -v c="$capacity_min" -v h="$KIT_SCALING_HEADROOM" 'BEGIN { printf "%d", c * 60 * h }')"
  scaling_text="scaling target $KIT_TARGET_REQUESTS_PER_TASK/min per task, at most $KIT_SCALING_HEADROOM x capacity $((capacity_min * 60))/min = $scaling_max"
  if [ "$KIT_TARGET_REQUESTS_PER_TASK" -le "$scaling_max" ]; then
    scaling_text+=" (met)"
  else
    scaling_text+=" (missed)"
    problems+=("the autoscaling target of $KIT_TARGET_REQUESTS_PER_TASK requests per task per minute is above $KIT_SCALING_HEADROOM of the measured capacity ($capacity_min requests/s = $((capacity_min * 60))/min); set targetRequestsPerTask (the kit's default: SERVICE_DEFAULTS in src/constructs/settings.ts) to at most $scaling_max")
  fi

  # Self-test: the same gate on a service stalled STALL_MS of every second must fail, or the
  # gate cannot see a slow service.
  local stall_text="self-test skipped"
  if [ "$STALL_MS" -gt 0 ] && [ "$LOAD_STALL_MS" -eq 0 ]; then
    LOAD_STALL_MS="$STALL_MS" load_with_sampling "$dir/load-stalled.json" users "$health" --users "$LOAD_USERS" \
      --think "$LOAD_THINK_SECONDS" --seconds "$STALL_SECONDS" --warmup 0 || die "$blueprint: the self-test's load failed"
    local stall_problems
    stall_problems="$(load_gate "$LOAD_JSON" "$BP_HEALTH_PATH")"
    stall_text="stalled ${STALL_MS}ms/s p95 $(field "$LOAD_JSON" p95)ms p99 $(field "$LOAD_JSON" p99)ms"
    if [ -n "$stall_problems" ]; then
      stall_text+=" (gate fails, as it must)"
    else
      stall_text+=" (gate passed)"
      problems+=("the latency gate passed on a service stalled ${STALL_MS} ms of every second: it cannot see a slow service")
    fi
    log "$blueprint: self-test: $stall_text"
  fi

  # PostgreSQL outage: /health reports it and fails within seconds, then recovers by itself.
  local detect_s="" recover_s="" pids_before
  pids_before="$(container_pids "$app_pid" | sort | tr '\n' ' ')"
  pg_stop
  if detect_s="$(wait_for_health database-down "$health" "$OUTAGE_DETECT_MAX")"; then
    :
  else
    problems+=("/health did not report the PostgreSQL outage (503, database error) within ${OUTAGE_DETECT_MAX}s")
    detect_s="-"
  fi
  pg_start
  if recover_s="$(wait_for_health healthy "$health" "$OUTAGE_RECOVER_MAX")"; then
    :
  else
    problems+=("/health did not recover within ${OUTAGE_RECOVER_MAX}s of PostgreSQL starting again")
    recover_s="-"
  fi
  [ "$(container_pids "$app_pid" | sort | tr '\n' ' ')" = "$pids_before" ] ||
    problems+=("the service's processes changed during the outage (before: $pids_before; a restart or a replaced worker)")
  log "$blueprint: outage reported after ${detect_s}s, recovered ${recover_s}s after PostgreSQL started"

  stop_app
  buildah rmi "$naive" "$naive_slim" >/dev/null 2>&1 || true

  local line
  if [ -n "$GIVEN_IMAGE" ]; then
    line="container $blueprint: image $(megabytes "$size") ($GIVEN_IMAGE, not built here: no size comparison)"
  else
    line="container $blueprint: image $(megabytes "$size") naive $(megabytes "$naive_size") ratio $ratio ($size_note)"
    line+=" naive on the slim base $(megabytes "$naive_slim_size") ratio $slim_ratio (above the $(megabytes "$base_size") base $(megabytes $((size - base_size))) vs $(megabytes $((naive_slim_size - base_size))), ratio $app_ratio)"
  fi
  line+=" | unauthenticated $DB_ENDPOINT $UNAUTHENTICATED_CODE"
  line+=" | $BP_HEALTH_PATH $(load_text "${users_json[health]}" "${capacity_json[health]}") | $DB_ENDPOINT $(load_text "${users_json[db]}" "${capacity_json[db]}") (authenticated)"
  line+=" | db connections max $db_max (pool ${WEB_CONCURRENCY}x$DB_POOL_SIZE) | uid $uid ($nproc processes)"
  line+=" | outage detected ${detect_s}s recovery ${recover_s}s | build ${build_s}s"
  line+=" | $scaling_text | $stall_text | $task_text, throttled ${throttled}s"
  [ "$LOAD_STALL_MS" -eq 0 ] || line+=" | service stalled ${LOAD_STALL_MS}ms/s during the load (HSK_LOAD_STALL_MS)"
  if [ "${#problems[@]}" -gt 0 ]; then
    line+=" | FAIL"
    printf '%s\n' "$line" >>"$SUMMARY"
    for problem in "${problems[@]}"; do printf '  %s: %s\n' "$blueprint" "$problem" >>"$SUMMARY"; done
    return 1
  fi
  line+=" | PASS"
  printf '%s\n' "$line" >>"$SUMMARY"
}

main() {
  prerequisites
  local t
  t="$(now)"
  # Only the base images of the blueprints checked (python-api: python, python-full;
  # node-api: node, node-full).
  local kinds=() bp
  for bp in "${BLUEPRINTS[@]}"; do
    case "$bp" in
      python-api) kinds+=(python python-full) ;;
      node-api) kinds+=(node node-full) ;;
    esac
  done
  bash "$HERE/base-images.sh" "${kinds[@]}"
  local base_s
  base_s="$(elapsed "$t")"
  pack_kit
  mirror_build_args
  # PostgreSQL, Redis and the load generator get the CPU they need on a shared machine, as the
  # service gets its task's (check_blueprint): what is measured is the service, not the
  # machine's other work. HSK_TASK_CPU=off runs everything without cgroups.
  BACKING_CGROUP=""
  if [ "${HSK_TASK_CPU:-}" != off ]; then
    BACKING_CGROUP="$(cpu_cgroup_create "hsk-container-$$-backing")" ||
      die "no writable CPU cgroup (cgroup v2, or the v1 cpu controller) for the check's CPU weight and the task's CPU quota; HSK_TASK_CPU=off runs without"
  fi
  services_start
  local failed=0 blueprint rc
  for blueprint in "${BLUEPRINTS[@]}"; do
    log "== $blueprint"
    # A subshell per blueprint, so that a hard failure in one still lets the next run. Not
    # under `||` or `if`: bash would ignore `set -e` inside it.
    set +e
    (
      set -e
      check_blueprint "$blueprint"
    )
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
      failed=1
      grep -q "^container $blueprint:" "$SUMMARY" || printf 'container %s: FAIL (stopped early, see above)\n' "$blueprint" >>"$SUMMARY"
    fi
  done
  echo
  cat "$SUMMARY"
  printf 'container: total %ss (base images %ss)\n' "$(elapsed "$STARTED")" "$base_s"
  return "$failed"
}

main
