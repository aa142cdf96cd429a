#!/usr/bin/env bash
# Runs every test: starts a throwaway PostgreSQL cluster on 127.0.0.1 for the memory-jdbc tests (installing Debian's
# postgresql package first if there is no server, which needs root), runs `mvn -B verify`, and stops the cluster.
# With AGENT_MEMORY_PG_URL already set, that server is used instead. Extra arguments go to Maven.
#
# memory-fuse (the live FUSE mount) needs Java 22+: when the default JDK is older, a second Maven run builds it with
# the JDK in AGENT_MEMORY_FUSE_JDK (default: Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64) and runs only its tests:
# the modules it depends on, memctl among them, are rebuilt, not re-tested (-Dtest limits surefire, -DskipITs
# failsafe). Without such a JDK the FUSE tests are skipped with a warning, except under CI=true, where that fails the
# run, as a missing /dev/fuse or libfuse3 fails the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AGENT_MEMORY_PG_URL:-}" ]; then
  eval "$(scripts/pg-test-server.sh start)"
  trap 'scripts/pg-test-server.sh stop' EXIT
fi
echo "PostgreSQL test server: $AGENT_MEMORY_PG_URL"
mvn -B verify "$@"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
maven_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"   # the JDK the first Maven run used
if [ "$(java_major "$maven_java")" -lt 22 ]; then
  fuse_jdk="${AGENT_MEMORY_FUSE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  if [ -x "$fuse_jdk/bin/java" ] && [ "$(java_major "$fuse_jdk/bin/java")" -ge 22 ]; then
    echo "memory-fuse: building and testing with $fuse_jdk"
    JAVA_HOME="$fuse_jdk" mvn -B verify -pl memory-fuse -am -Dtest='dev.agentmemory.fuse.**' \
      -Dsurefire.failIfNoSpecifiedTests=false -DskipITs "$@"
  elif [ "${CI:-}" = true ]; then
    echo "memory-fuse needs a JDK 22 or newer; set AGENT_MEMORY_FUSE_JDK" >&2
    exit 1
  else
    echo "WARNING: no JDK 22+ at $fuse_jdk: memory-fuse not built or tested (set AGENT_MEMORY_FUSE_JDK)" >&2
  fi
fi
