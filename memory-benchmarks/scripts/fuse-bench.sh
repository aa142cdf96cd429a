#!/usr/bin/env bash
# The FUSE mount benchmark: the same bash workload (1,000 small-file writes, appends and reads, a grep -r, a find
# and an rm -r) on tmpfs, on a checkout directory (plus its sync), on a trivial in-memory FUSE file system mounted
# through the same binding with the same options (the floor), and on the memory mount over the in-memory backend and
# SQLite, all in one run. memory-fuse needs a JDK 22+, so this is a shell harness rather than a JMH benchmark in this
# (Java 17) module; the harness itself is dev.agentmemory.fuse.bench.MountBenchmark in memory-fuse's test sources.
# Needs root or /dev/fuse access, and the fuse3 package. Usage: fuse-bench.sh [ROUNDS] (default 5).
# BENCH_JAVA_OPTS: extra JVM options, for example a JFR recording
# (-XX:StartFlightRecording=settings=profile,filename=/tmp/fuse.jfr) or -Dbench.only=SQLite (only the targets whose
# name contains that text). The SQLite mount's statements and transactions per file are printed after the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${AGENT_MEMORY_FUSE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
repo=()
[ -n "${MAVEN_REPO_LOCAL:-}" ] && repo=(-Dmaven.repo.local="$MAVEN_REPO_LOCAL")
# memory-bom too: memory-core imports it, and the class path below is resolved from the local repository.
# FUSE_BENCH_NO_BUILD=1 skips this (built already), so that a shared benchmark lock is held only while measuring.
if [ -z "${FUSE_BENCH_NO_BUILD:-}" ]; then
  mvn -B -q "${repo[@]}" -pl memory-bom,memory-fuse -am install -DskipTests -Dmaven.javadoc.skip
fi
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q "${repo[@]}" -pl memory-fuse dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} \
  -cp "memory-fuse/target/test-classes:memory-fuse/target/classes:$(cat "$cp_file")" \
  dev.agentmemory.fuse.bench.MountBenchmark "${1:-5}"
