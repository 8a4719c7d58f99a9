#!/usr/bin/env bash
# Benchmarks Eddy's DynamoDB against AWS's DynamoDB Local on this machine, one server at a time, and writes
# the medians into docs/benchmarks.md (section "dynamodb"). See docs/benchmarks.md for what is measured.
#
# Usage: bench/dynamodb.sh [--duration S] [--warmup S] [--runs N] [--systems a,b,...] [--items N]
#                          [--jvm-opts "..."] [--doc FILE]
#   systems: dynamodb-local (-inMemory); eddy-memory (--in-memory) and eddy-disk (--data-dir on a fresh
#   directory), both as `java $JVM_OPTS -jar server/target/eddy-server.jar`; eddy-launcher (`./eddy --in-memory`
#   with EDDY_JAVA_OPTS=$JVM_OPTS: what a user runs, with the launcher's own JVM flags and class-data archive)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

DURATION=15
WARMUP=5
RUNS=3
SYSTEMS=dynamodb-local,eddy-memory,eddy-disk,eddy-launcher
ITEMS=10000
GROUP_SIZE=10
JVM_OPTS="-Xmx1g"
DOC="$REPO_DIR/docs/benchmarks.md"
WRK_THREADS=2
WRK_CONNECTIONS=16
IDLE_SETTLE_S=2
COMMAND_LINE="bench/dynamodb.sh $*"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --items) ITEMS="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --doc) DOC="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

DDB_LOCAL_LIB="$BENCH_DIR/.cache/dynamodb-local/lib"
EDDY_JAR="$REPO_DIR/server/target/eddy-server.jar"
RESULTS_DIR="$BENCH_DIR/results/dynamodb-$(date -u +%Y%m%dT%H%M%SZ)"
RAW_RESULTS="$RESULTS_DIR/raw.tsv"
LUA="$BENCH_DIR/wrk/dynamodb.lua"

ensure_tools
for system in "${SYSTEM_LIST[@]}"; do
  case "$system" in
    dynamodb-local) "$BENCH_DIR/fetch.sh" dynamodb-local >&2 ;;
    eddy-memory|eddy-disk)
      [[ -f "$EDDY_JAR" ]] || die "$EDDY_JAR missing; build it: ./eddy build" ;;
    eddy-launcher) ;;
    *) die "unknown system $system" ;;
  esac
done
mkdir -p "$RESULTS_DIR"
machine_preamble "$COMMAND_LINE" >"$RESULTS_DIR/preamble.md"
read -r -a JVM_FLAGS <<<"$JVM_OPTS"

# start_system SYSTEM PORT RUN_DIR : launches one server with the shared JVM flags.
start_system() {
  local system="$1" port="$2" run_dir="$3"
  case "$system" in
    dynamodb-local)
      launch_server "$run_dir/server.log" "$run_dir" "$JAVA" "${JVM_FLAGS[@]}" -Djava.library.path="$DDB_LOCAL_LIB" \
        -cp "$DDB_LOCAL_LIB/*" software.amazon.dynamodb.services.local.main.ServerRunner \
        -inMemory -port "$port" -disableTelemetry ;;
    eddy-memory)
      launch_server "$run_dir/server.log" "$run_dir" "$JAVA" "${JVM_FLAGS[@]}" -jar "$EDDY_JAR" --port "$port" --in-memory --quiet ;;
    eddy-disk)
      mkdir -p "$run_dir/data"
      launch_server "$run_dir/server.log" "$run_dir" "$JAVA" "${JVM_FLAGS[@]}" -jar "$EDDY_JAR" --port "$port" \
        --data-dir "$run_dir/data" --quiet ;;
    eddy-launcher)
      JAVA_HOME="$BENCH_JAVA_HOME" EDDY_JAVA_OPTS="$JVM_OPTS" \
        launch_server "$run_dir/server.log" "$run_dir" "$REPO_DIR/eddy" --port "$port" --in-memory --quiet ;;
  esac
}

# The first served request is a real DynamoDB call answered with HTTP 200, not just an open port.
probe_list_tables() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST "http://127.0.0.1:$PORT/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'X-Amz-Date: 20250101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000' \
    -d '{}' 2>/dev/null) == 200 ]]
}

trap 'stop_server' EXIT
# The launcher builds a stale jar and writes its class-data archive on the first exit after a build; one
# unmeasured start keeps both out of the measured runs.
if [[ " ${SYSTEM_LIST[*]} " == *" eddy-launcher "* ]]; then
  log "priming ./eddy (build if stale, class-data archive)"
  mkdir -p "$RESULTS_DIR/prime-eddy-launcher"
  PORT=$(free_port)
  start_system eddy-launcher "$PORT" "$RESULTS_DIR/prime-eddy-launcher"
  wait_until_served probe_list_tables "$RESULTS_DIR/prime-eddy-launcher/server.log" >/dev/null
  stop_server
fi
for run in $(seq 1 "$RUNS"); do
  # Each run starts with the next system, so a neighbour's load on this shared machine does not always hit the same one.
  for index in "${!SYSTEM_LIST[@]}"; do
    system="${SYSTEM_LIST[$(( (index + run - 1) % ${#SYSTEM_LIST[@]} ))]}"
    run_dir="$RESULTS_DIR/run$run-$system"
    mkdir -p "$run_dir"
    PORT=$(free_port)
    record "$run" "$system" load_average "$(cut -d' ' -f1 /proc/loadavg)"
    start_system "$system" "$PORT" "$run_dir"
    startup_ms=$(wait_until_served probe_list_tables "$run_dir/server.log")
    sleep "$IDLE_SETTLE_S"
    idle_rss=$(rss_kib "$SERVER_PID" VmRSS)
    log "run $run/$RUNS $system: startup ${startup_ms} ms, idle RSS $((idle_rss / 1024)) MiB; preloading $ITEMS items"
    record "$run" "$system" startup_ms "$startup_ms"
    record "$run" "$system" idle_rss_kib "$idle_rss"
    python3 "$BENCH_DIR/lib/dynamodb_setup.py" --port "$PORT" --items "$ITEMS" --group-size "$GROUP_SIZE"
    for operation in put get query; do
      run_wrk "$run_dir/warmup-$operation.txt" "$LUA" "$PORT" "$WARMUP" "$operation" w "$ITEMS" "$GROUP_SIZE"
    done
    for operation in put get query; do
      run_wrk "$run_dir/$operation.txt" "$LUA" "$PORT" "$DURATION" "$operation" m "$ITEMS" "$GROUP_SIZE"
      log "run $run/$RUNS $system $operation: $WRK_RPS req/s, p50 $WRK_P50_US us, p99 $WRK_P99_US us, socket errors $WRK_SOCKET_ERRORS"
      record "$run" "$system" "${operation}_rps" "$WRK_RPS"
      record "$run" "$system" "${operation}_p50_us" "$WRK_P50_US"
      record "$run" "$system" "${operation}_p99_us" "$WRK_P99_US"
      record "$run" "$system" "${operation}_socket_errors" "$WRK_SOCKET_ERRORS"
    done
    loaded_rss=$(rss_kib "$SERVER_PID" VmRSS)
    peak_rss=$(rss_kib "$SERVER_PID" VmHWM)
    record "$run" "$system" loaded_rss_kib "$loaded_rss"
    record "$run" "$system" peak_rss_kib "$peak_rss"
    log "run $run/$RUNS $system: RSS after load $((loaded_rss / 1024)) MiB, peak $((peak_rss / 1024)) MiB"
    stop_server
    rm -rf "$run_dir/data"
  done
done

system_args=()
for system in "${SYSTEM_LIST[@]}"; do
  case "$system" in
    dynamodb-local) system_args+=(--system "dynamodb-local=DynamoDB Local 3.3.1") ;;
    eddy-memory) system_args+=(--system "eddy-memory=Eddy in-memory") ;;
    eddy-disk) system_args+=(--system "eddy-disk=Eddy persistent") ;;
    eddy-launcher) system_args+=(--system "eddy-launcher=Eddy in-memory via ./eddy") ;;
  esac
done
{
  cat "$RESULTS_DIR/preamble.md"
  echo "- Per run and server: start, $IDLE_SETTLE_S s idle, create table \`bench\` (PK/SK, GSI1 on GSI1PK/GSI1SK, on-demand), preload $ITEMS items of 200 bytes ($GROUP_SIZE per GSI1 partition), ${WARMUP} s warmup per operation, then ${DURATION} s per operation: PutItem (new keys), GetItem (random preloaded key), Query on GSI1 (random partition, returns $GROUP_SIZE items)"
} >"$RESULTS_DIR/preamble-full.md"
mkdir -p "$(dirname "$DOC")"
python3 "$BENCH_DIR/lib/report.py" --raw "$RAW_RESULTS" --doc "$DOC" --section dynamodb \
  --title "DynamoDB: Eddy vs DynamoDB Local" --preamble "$RESULTS_DIR/preamble-full.md" --baseline dynamodb-local \
  "${system_args[@]}" \
  --metric "put_rps|PutItem throughput|req/s|1|higher|ratio>=5" \
  --metric "put_p50_us|PutItem p50 latency|ms|1000|lower|" \
  --metric "put_p99_us|PutItem p99 latency|ms|1000|lower|" \
  --metric "get_rps|GetItem throughput|req/s|1|higher|ratio>=5" \
  --metric "get_p50_us|GetItem p50 latency|ms|1000|lower|" \
  --metric "get_p99_us|GetItem p99 latency|ms|1000|lower|" \
  --metric "query_rps|Query (GSI) throughput|req/s|1|higher|ratio>=5" \
  --metric "query_p50_us|Query (GSI) p50 latency|ms|1000|lower|" \
  --metric "query_p99_us|Query (GSI) p99 latency|ms|1000|lower|" \
  --metric "startup_ms|Startup to first served request|ms|1|lower|value<500" \
  --metric "idle_rss_kib|Idle RSS|MiB|1024|lower|value<100" \
  --metric "loaded_rss_kib|RSS after load|MiB|1024|lower|" \
  --metric "peak_rss_kib|Peak RSS, VmHWM|MiB|1024|lower|" \
  --metric "load_average|Machine load average (1 min) at start|processes|1|context|"
log "results: $RESULTS_DIR; report: $DOC"
