#!/usr/bin/env bash
# Install (when missing) and start PostgreSQL and Redis on loopback for the test suite, then print
# the `export` lines the tests read. Idempotent; meant for root on Debian/Ubuntu (CI and dev boxes).
#   eval "$(.ci/services.sh)"
set -euo pipefail

PG_PORT="${SWITCHBOARD_PG_PORT:-5432}"
REDIS_PORT="${SWITCHBOARD_REDIS_PORT:-6379}"
PG_DB="switchboard_test"
PG_USER="switchboard"
PG_PASS="switchboard"
# A role with no privileges of its own: the tests grant it what docs/operations.md says `serve` needs.
PG_APP_USER="switchboard_app"
PG_APP_PASS="switchboard_app"

log() { echo "services.sh: $*" >&2; }

need_apt=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need_apt+=(redis-tools)
if ((${#need_apt[@]})); then
  log "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a concurrent apt/dpkg (unattended-upgrades, another script) instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  # policy-rc.d may forbid starting services inside containers; we start them ourselves below.
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

# --- PostgreSQL -------------------------------------------------------------------------------
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  log "creating cluster $PG_VERSION/main"
  pg_createcluster "$PG_VERSION" main -p "$PG_PORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT"
  pg_ctlcluster "$PG_VERSION" main start -- -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT" >&2 \
    || pg_ctlcluster "$PG_VERSION" main start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1 -p $PG_PORT" && break
  sleep 0.5
done
# Peer auth over the local socket as the postgres superuser; -w: never prompt for a password.
psql_su() { su postgres -c "psql -w -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres -tAc \"$1\""; }
if [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != "1" ]; then
  psql_su "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASS' CREATEDB" >&2
fi
if [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='$PG_APP_USER'")" != "1" ]; then
  psql_su "CREATE ROLE $PG_APP_USER LOGIN PASSWORD '$PG_APP_PASS'" >&2
fi
if [ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" != "1" ]; then
  psql_su "CREATE DATABASE $PG_DB OWNER $PG_USER" >&2
fi

# --- Redis ------------------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no >&2
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi

echo "export SWITCHBOARD_TEST_POSTGRES_URL=postgres://$PG_USER:$PG_PASS@127.0.0.1:$PG_PORT/$PG_DB"
echo "export SWITCHBOARD_TEST_POSTGRES_APP_URL=postgres://$PG_APP_USER:$PG_APP_PASS@127.0.0.1:$PG_PORT/$PG_DB"
echo "export SWITCHBOARD_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
