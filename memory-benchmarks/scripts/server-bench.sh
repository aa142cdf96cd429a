#!/usr/bin/env bash
# The memory server under a lean load generator, beside the embedded library, on SQLite and PostgreSQL, in one run.
#
# For each database: starts `java -jar memory-server/target/memory-server.jar` (rate limit off, every other option
# its default), creates an API key with memctl, a store and 128 memories of 1 KiB through the API, then runs wrk
# (a C load generator, Debian's `wrk` package: one connection per client, keep-alive) at 1, 8 and 64 connections
# for three requests: GET /healthz (no key, no database: the HTTP exchange alone, the floor of any request),
# a read of one memory with its content, and a 1 KiB conditional update (precondition content_sha256, never
# conflicting; see server-bench.lua). Then stops the server and runs the same two operations through the embedded
# library (JMH ServerBenchmark.read and .conditionalUpdate, -p surface=embedded) at the same client counts.
# Prints one table: database, operation, clients, surface, ops/s, p50 ms, p99 ms, and the load average before each
# database.
#
# Usage: server-bench.sh [SECONDS]   (each wrk measurement, default 10, after a 3 s warm-up at 8 connections)
#   SERVER_BENCH_NO_BUILD=1   build nothing (the jars are there), so a benchmark lock is held only while measuring
#   SERVER_BENCH_DIALECTS     default "sqlite postgresql"; SERVER_BENCH_CLIENTS default "1 8 64"
#   SERVER_BENCH_OPS          default "healthz read update"; SERVER_BENCH_EMBEDDED=0 skips the JMH rows
#   SERVER_BENCH_JAVA_OPTS    extra JVM options for the server, e.g. a JFR recording
#   SERVER_BENCH_ARGS         extra server options, e.g. "--threads 16"
#   SERVER_BENCH_JAR          the server's jar (default memory-server/target/memory-server.jar), e.g. an older build
#   MAVEN_REPO_LOCAL          a Maven repository for the build (offline builds: add -o through MAVEN_ARGS)
# PostgreSQL: uses $AGENT_MEMORY_PG_URL if set (a durable server, please), else starts a durable throwaway one with
# scripts/pg-test-server.sh (PG_TEST_DURABLE=1) and stops it at the end. Each database gets its own schema or file.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
dialects=${SERVER_BENCH_DIALECTS:-sqlite postgresql}
clients=${SERVER_BENCH_CLIENTS:-1 8 64}
ops=${SERVER_BENCH_OPS:-healthz read update}
command -v wrk >/dev/null || { echo "server-bench: needs wrk (apt-get install wrk)" >&2; exit 1; }
repo=()
[ -n "${MAVEN_REPO_LOCAL:-}" ] && repo=(-Dmaven.repo.local="$MAVEN_REPO_LOCAL")
if [ -z "${SERVER_BENCH_NO_BUILD:-}" ]; then
  # shellcheck disable=SC2086
  mvn -B -q ${MAVEN_ARGS:-} "${repo[@]}" -pl memory-server,memctl,memory-benchmarks -am package -DskipTests \
    -Dmaven.javadoc.skip
fi
work=$(mktemp -d /tmp/server-bench.XXXXXX)
server_pid=
started_pg=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$started_pg" ]; then scripts/pg-test-server.sh stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [[ " $dialects " == *" postgresql "* && -z "${AGENT_MEMORY_PG_URL:-}" ]]; then
  eval "$(PG_TEST_DURABLE=1 scripts/pg-test-server.sh start)"
  started_pg=1
fi

# Writes $work/contents: two 1 KiB contents (Markdown with newlines, as ServerBenchmark's), JSON-escaped, each
# followed by its SHA-256.
python3 - "$work/contents" <<'PY'
import hashlib, json, sys
words = "The build runs with mvn -B verify and every module keeps its tests green before a merge.".split()
def content(seed):
    out, i = "# Note %d\n\n" % seed, seed
    while True:
        w = words[i % len(words)] + ("\n\n" if i % 11 == 10 else " ")
        if len((out + w).encode()) > 1024: break
        out, i = out + w, i + 1
    return out + "x" * (1024 - len(out.encode()))
with open(sys.argv[1], "w") as f:
    for s in (1, 2):
        c = content(s)
        f.write(json.dumps(c)[1:-1] + "\n" + hashlib.sha256(c.encode()).hexdigest() + "\n")
PY
content_a=$(sed -n 1p "$work/contents")

results="$work/results"
row() { printf '%-10s %-8s %7s %-8s %10s %9s %9s\n' "$@" | tee -a "$results"; }

# Writes $work/memories: "id sha256" of the memories, as they are now.
memory_states() {
  local args=() i
  for i in $(cat "$work/ids"); do args+=("$base/v1/memory_stores/$store/memories/$i?view=basic"); done
  curl -sf -H "x-api-key: $key" "${args[@]}" | jq -r '"\(.id) \(.content_sha256)"' >"$work/memories"
}

run_wrk() {   # op connections seconds
  local t=$(( $2 < 2 ? 1 : 2 )) url=$base
  [ "$1" = healthz ] && url=$base/healthz
  [ "$1" = healthz ] || memory_states
  SB_OP=$1 SB_DIR=$work SB_KEY=$key SB_STORE=$store SB_THREADS=$t \
    wrk -t"$t" -c"$2" -d"$3"s --timeout 10s -s memory-benchmarks/scripts/server-bench.lua "$url" >"$work/wrk.out" \
    2>"$work/wrk.err" || { cat "$work/wrk.out" "$work/wrk.err" >&2; exit 1; }
  if [ -s "$work/wrk.err" ]; then cat "$work/wrk.err" >&2; fi
  grep '^WRK ' "$work/wrk.out"
}

: >"$results"
row database operation clients surface ops/s p50_ms p99_ms
for d in $dialects; do
  echo "# $d: $(uptime)" | tee -a "$results"
  if [ "$d" = sqlite ]; then
    db=(--db "$work/bench.db")
  else
    schema=sb_$$
    db=(--url "$AGENT_MEMORY_PG_URL&currentSchema=$schema")
    "$PG_TEST_BIN/psql" -q -h 127.0.0.1 -p "$(sed 's/.*:\([0-9]*\)\/.*/\1/' <<<"$AGENT_MEMORY_PG_URL")" -U postgres \
      -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" postgres
  fi
  key=$(java -jar memctl/target/memctl.jar "${db[@]}" --create -w bench keys create bench --json | jq -r .secret)
  # shellcheck disable=SC2086
  java ${SERVER_BENCH_JAVA_OPTS:-} -jar "${SERVER_BENCH_JAR:-memory-server/target/memory-server.jar}" "${db[@]}" --port 0 --rate-limit 0 \
    ${SERVER_BENCH_ARGS:-} >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 600); do grep -q 'listening on' "$work/server.out" && break; sleep 0.1; done
  base=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.out")
  [ -n "$base" ] || { cat "$work/server.log" >&2; exit 1; }
  store=$(curl -sf -H "x-api-key: $key" -H 'content-type: application/json' -d '{"name":"bench"}' \
    "$base/v1/memory_stores" | jq -r .id)
  : >"$work/ids"
  for i in $(seq 0 127); do   # two a connection at 64, so that a lost answer does not starve a thread
    curl -sf -H "x-api-key: $key" -H 'content-type: application/json' \
      -d "{\"path\":\"/client-$i.md\",\"content\":\"$content_a\"}" "$base/v1/memory_stores/$store/memories?view=basic" \
      | jq -r .id >>"$work/ids"
  done
  for op in $ops; do
    run_wrk "$op" 8 3 >/dev/null   # warm-up: the server's JIT
    for c in $clients; do
      out=$(run_wrk "$op" "$c" "$secs") || exit 1
      # shellcheck disable=SC2046
      set -- $(sed 's/[a-z_0-9]*=//g' <<<"$out")
      [ "$6" = 0 ] && [ "$7" = 0 ] || { echo "server-bench: $op at $c: $6 non-2xx answers, $7 socket errors" >&2; exit 1; }
      row "$d" "$op" "$c" http "$2" "$3" "$4"
    done
  done
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  if [ "${SERVER_BENCH_EMBEDDED:-1}" = 1 ]; then
    for c in $clients; do
      java -jar memory-benchmarks/target/benchmarks.jar 'ServerBenchmark.(read|conditionalUpdate)$' -p surface=embedded \
        -p dialect="$d" -t "$c" -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$work/jmh.json" >"$work/jmh.out" 2>&1 \
        || { tail -30 "$work/jmh.out" >&2; exit 1; }
      jq -r --arg c "$c" '.[] | [(.benchmark | sub(".*\\."; "") | sub("conditionalUpdate"; "update")),
          ($c | tonumber) / .primaryMetric.score * 1000, .primaryMetric.scorePercentiles["50.0"],
          .primaryMetric.scorePercentiles["99.0"]] | @tsv' "$work/jmh.json" |
      while IFS=$'\t' read -r op ops_s p50 p99; do
        row "$d" "$op" "$c" embedded "$(printf '%.1f' "$ops_s")" "$(printf '%.3f' "$p50")" "$(printf '%.3f' "$p99")"
      done
    done
  fi
done
echo "# end: $(uptime)" | tee -a "$results"
echo
echo "sorted:"
head -1 "$results"; grep -v '^#' "$results" | tail -n +2 | sort -k1,1 -k2,2 -k3,3n -k4,4
