# Local PostgreSQL and Redis for the container check (sourced by run.sh, not run).
# Each gets its own data folder under $SERVICES_DIR and its own port on 127.0.0.1; nothing
# of the machine's own clusters is touched. Call services_stop (run.sh traps it) to stop both.
# shellcheck shell=bash

PG_BIN="${PG_BIN:-$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)}"
PG_RUN_AS=postgres
# The service connects as this user with this password (the runtime contract's DB_* variables).
DB_USER=app
DB_PASSWORD=container-check-password
DB_NAME=app

# A TCP port on 127.0.0.1 that nothing listens on, from $1 upwards.
free_port() {
  local port="$1"
  while ss -ltnH "( sport = :$port )" 2>/dev/null | grep -q .; do port=$((port + 1)); done
  printf '%s\n' "$port"
}

pg_as() { runuser -u "$PG_RUN_AS" -- "$@"; }

# psql as the superuser over the cluster's own socket; "$@" are psql arguments.
pg_psql() { pg_as "$PG_BIN/psql" -h "$SERVICES_DIR/pg-socket" -p "$PG_PORT" -U postgres -d postgres -X -q -A -t "$@"; }

pg_start() {
  pg_as "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -l "$SERVICES_DIR/pg.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SERVICES_DIR/pg-socket" start >/dev/null
  # Into the check's CPU group (run.sh), when there is one: the server and the backends it forks.
  local main
  main="$(head -n 1 "$SERVICES_DIR/pg/postmaster.pid")"
  # shellcheck disable=SC2046 # one PID per word
  cpu_cgroup_add "${BACKING_CGROUP:-}" "$main" $(ps --ppid "$main" -o pid=)
}

pg_stop() { pg_as "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -m fast -w -t 30 stop >/dev/null; }

pg_running() { pg_as "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" status >/dev/null 2>&1; }

# Starts both; sets PG_PORT and REDIS_PORT.
services_start() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  mkdir -p "$SERVICES_DIR/pg" "$SERVICES_DIR/pg-socket" "$SERVICES_DIR/redis"
  chown "$PG_RUN_AS" "$SERVICES_DIR" "$SERVICES_DIR/pg" "$SERVICES_DIR/pg-socket"
  chmod 0700 "$SERVICES_DIR/pg"
  PG_PORT="$(free_port 55432)"
  REDIS_PORT="$(free_port 56379)"
  quiet pg_as "$PG_BIN/initdb" -D "$SERVICES_DIR/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions
  # Room for the pool plus the sampler; fsync off because this data is thrown away.
  cat >>"$SERVICES_DIR/pg/postgresql.conf" <<CONF
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  pg_start
  pg_psql -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null
  chown redis "$SERVICES_DIR/redis"
  runuser -u redis -- redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$SERVICES_DIR/redis" \
    --save '' --appendonly no --daemonize yes --pidfile "$SERVICES_DIR/redis/redis.pid" \
    --logfile "$SERVICES_DIR/redis/redis.log" >/dev/null
  local i
  for i in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
    [ "$i" -lt 50 ] || die "redis-server did not answer on 127.0.0.1:$REDIS_PORT (see $SERVICES_DIR/redis/redis.log)"
  done
  cpu_cgroup_add "${BACKING_CGROUP:-}" "$(cat "$SERVICES_DIR/redis/redis.pid")"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
}

# Empties the service's database between blueprints, so each runs its own migrations from scratch.
services_reset_database() {
  pg_psql -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
}

# Connections the service's database user holds (the sampler connects as postgres).
# shellcheck disable=SC2034 # read by run.sh
DB_CONNECTIONS_SQL="SELECT count(*) FROM pg_stat_activity WHERE usename = '$DB_USER'"

services_stop() {
  if [ -n "${SERVICES_DIR:-}" ] && [ -d "$SERVICES_DIR/pg" ]; then
    if pg_running; then pg_stop || true; fi
  fi
  if [ -n "${SERVICES_DIR:-}" ] && [ -f "$SERVICES_DIR/redis/redis.pid" ]; then
    kill "$(cat "$SERVICES_DIR/redis/redis.pid")" 2>/dev/null || true
  fi
}
