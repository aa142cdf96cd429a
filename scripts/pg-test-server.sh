#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests: initdb into a temporary directory, start, stop.
#
#   eval "$(scripts/pg-test-server.sh start)"   # prints export AGENT_MEMORY_PG_URL=... and PG_TEST_DIR=...
#   scripts/pg-test-server.sh stop              # stops the cluster in $PG_TEST_DIR and removes it
#
# Installs Debian's postgresql package if no server is found. Runs the server as the postgres user when started as
# root (PostgreSQL refuses to run as root). The cluster trusts local connections only; it is for tests.
# It runs with fsync=off, which tests want and benchmarks must not have: PG_TEST_DURABLE=1 starts it with stock
# durability instead (fsync=on, synchronous_commit=on), as the JDBC write benchmarks require.
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if ! bin=$(find_bin); then
      echo "installing PostgreSQL from Debian's packages" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
    durability="-c fsync=off"
    if [ "${PG_TEST_DURABLE:-0}" = 1 ]; then durability="-c fsync=on -c synchronous_commit=on"; fi
    dir=$(mktemp -d /tmp/agent-memory-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # PG_TEST_PORT, or the first port from 55432 up where the server starts, so that a developer's own server or
    # another run (even one starting at the same moment) is left alone.
    if [ -n "${PG_TEST_PORT:-}" ]; then candidates=$PG_TEST_PORT; else candidates=$(seq 55432 55531); fi
    port=
    for candidate in $candidates; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then continue; fi   # someone listens there
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $candidate -k $dir $durability -c max_connections=200" start >&2; then
        port=$candidate
        break
      fi
      grep -q 'Address already in use' "$dir/server.log" || { cat "$dir/server.log" >&2; exit 1; }
      : >"$dir/server.log"   # taken between the check and the start: try the next port
    done
    [ -n "$port" ] || { echo "could not start PostgreSQL on any port of: $candidates" >&2; exit 1; }
    echo "export PG_TEST_DIR=$dir"
    echo "export PG_TEST_BIN=$bin"
    echo "export AGENT_MEMORY_PG_URL='jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres'"
    ;;
  stop)
    dir=${PG_TEST_DIR:?PG_TEST_DIR is not set}
    bin=${PG_TEST_BIN:-$(find_bin)}
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
