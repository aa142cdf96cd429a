#!/usr/bin/env bash
# The write-path and write-policy targets in one run, each benchmark beside its floor (the table at the top of
# docs/performance.md comes from this script): one writer's 1 KiB update on SQLite and PostgreSQL against the least
# version transaction and the one-statement upsert; 1, 4 and 16 writers on one store; the in-memory create and
# update and the NIO view's write against their floors; the default write-policy chain against the write without
# it. Run it with nothing else on the machine: the ratios are only as good as the quiet.
#
# Usage: targets.sh [OUT_DIR]   (default /tmp/targets.<timestamp>; one JMH JSON file and one log per step, and the
#                                load average before each step in OUT_DIR/load.txt)
#   TARGETS_JAR        the benchmarks jar (default memory-benchmarks/target/benchmarks.jar; build it first with
#                      mvn -B -q -pl memory-benchmarks -am package -DskipTests)
#   TARGETS_STEPS      which steps, default "jdbc concurrent inmemory policy"
# PostgreSQL: uses $AGENT_MEMORY_PG_URL if set (a durable server, please: fsync=on, synchronous_commit=on), else starts
# a durable throwaway one with scripts/pg-test-server.sh (PG_TEST_DURABLE=1) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=${TARGETS_JAR:-memory-benchmarks/target/benchmarks.jar}
steps=${TARGETS_STEPS:-jdbc concurrent inmemory policy}
out=${1:-/tmp/targets.$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out"
[ -f "$jar" ] || { echo "targets: no $jar (build memory-benchmarks first)" >&2; exit 1; }
started_pg=
cleanup() { if [ -n "$started_pg" ]; then scripts/pg-test-server.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
if [[ " $steps " == *" jdbc "* || " $steps " == *" concurrent "* ]] && [ -z "${AGENT_MEMORY_PG_URL:-}" ]; then
  eval "$(PG_TEST_DURABLE=1 scripts/pg-test-server.sh start)"
  started_pg=1
fi

# run NAME JMH-ARGS...: one JMH invocation, its JSON in $out/NAME.json and its log in $out/NAME.log
run() {
  local name=$1
  shift
  echo "$(date -u +%H:%M:%S) $name load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
  java -jar "$jar" "$@" -rf json -rff "$out/$name.json" >"$out/$name.log" 2>&1 \
    || { echo "targets: $name failed, see $out/$name.log" >&2; exit 1; }
  grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' "$out/$name.log" | grep -v ':·' || true
}

for step in $steps; do
  case $step in
    jdbc)
      run jdbc-write 'JdbcWriteBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s ;;
    concurrent)
      for t in 1 4 16; do
        run "concurrent-t$t" ConcurrentWriteBenchmark -p layout=shared -t "$t" -f 1 -wi 2 -w 2s -i 4 -r 2s
      done
      # one writer again at the end: the database's files have grown, so the first figure alone could flatter it
      run concurrent-t1-again ConcurrentWriteBenchmark -p layout=shared -t 1 -f 1 -wi 2 -w 2s -i 4 -r 2s ;;
    inmemory)
      run inmemory 'CreateBenchmark|UpdateBenchmark|NioBenchmark.write' -p sizeBytes=1024 -p rotateEvery=10000 \
        -p fileSystem=memory -f 1 -wi 5 -w 1s -i 5 -r 1s ;;
    policy)
      run policy 'PolicyBenchmark.(create|guardedCreate)$' -p sizeBytes=1024 -f 3 -wi 4 -w 1s -i 5 -r 1s ;;
    *)
      echo "targets: unknown step $step" >&2; exit 2 ;;
  esac
done
echo "targets: results in $out"
