#!/usr/bin/env bash
# Runs every test: starts a throwaway PostgreSQL cluster on 127.0.0.1 for the memory-jdbc tests (installing Debian's
# postgresql package first if there is no server, which needs root), runs `mvn -B verify`, and stops the cluster.
# With AGENT_MEMORY_PG_URL already set, that server is used instead. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AGENT_MEMORY_PG_URL:-}" ]; then
  eval "$(scripts/pg-test-server.sh start)"
  trap 'scripts/pg-test-server.sh stop' EXIT
fi
echo "PostgreSQL test server: $AGENT_MEMORY_PG_URL"
mvn -B verify "$@"
