#!/usr/bin/env bash
# Benchmarks Eddy's DynamoDB against AWS's DynamoDB Local on this machine, one server at a time, and writes
# the medians into docs/benchmarks.md (section "dynamodb"). See docs/benchmarks.md for what is measured.
#
# Usage: bench/dynamodb.sh [--duration S] [--warmup S] [--runs N] [--systems a,b,...] [--items N]
#                          [--jvm-opts "..."] [--doc FILE] [--report-only RESULTS_DIR]
#   --report-only rewrites the section from an earlier run's bench/results/ folder without measuring.
#   systems: dynamodb-local (-inMemory), eddy-memory, eddy-disk, eddy-launcher (see lib/common.sh)
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
REPORT_ONLY=""
COMMAND_LINE="bench/dynamodb.sh${*:+ $*}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --items) ITEMS="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --doc) DOC="$2"; shift 2 ;;
    --report-only) REPORT_ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

RESULTS_DIR="${REPORT_ONLY:-$BENCH_DIR/results/dynamodb-$(date -u +%Y%m%dT%H%M%SZ)}"
RAW_RESULTS="$RESULTS_DIR/raw.tsv"
LUA="$BENCH_DIR/wrk/dynamodb.lua"

if [[ -z "$REPORT_ONLY" ]]; then
  ensure_tools
  prepare_systems dynamodb-local
  mkdir -p "$RESULTS_DIR"
  machine_preamble "$COMMAND_LINE" >"$RESULTS_DIR/preamble.md"

  # start_system SYSTEM PORT RUN_DIR : launches one server with the shared JVM flags.
  start_system() {
    if [[ "$1" == dynamodb-local ]]; then
      start_dynamodb_local "$2" "$3"
    else
      start_eddy "$@"
    fi
  }

  trap 'stop_server' EXIT
  if [[ " ${SYSTEM_LIST[*]} " == *" eddy-launcher "* ]]; then
    prime_eddy_launcher probe_list_tables "$RESULTS_DIR"
  fi
  for run in $(seq 1 "$RUNS"); do
    for system in $(rotated_systems "$run" "${SYSTEM_LIST[@]}"); do
      run_dir="$RESULTS_DIR/run$run-$system"
      mkdir -p "$run_dir"
      PORT=$(free_port)
      start_measured "$run" "$system" "$run_dir" probe_list_tables
      log "run $run/$RUNS $system: startup ${STARTUP_MS} ms, idle RSS $((IDLE_RSS_KIB / 1024)) MiB; preloading $ITEMS items"
      python3 "$BENCH_DIR/lib/dynamodb_setup.py" --port "$PORT" --items "$ITEMS" --group-size "$GROUP_SIZE"
      for operation in put get query; do
        run_wrk "$run_dir/warmup-$operation.txt" "$LUA" "$PORT" "$WARMUP" "$operation" w "$ITEMS" "$GROUP_SIZE"
      done
      other_cpu_max=0
      for operation in put get query; do
        run_wrk "$run_dir/$operation.txt" "$LUA" "$PORT" "$DURATION" "$operation" m "$ITEMS" "$GROUP_SIZE"
        log "run $run/$RUNS $system $operation: $WRK_RPS req/s, p50 $WRK_P50_US us, p99 $WRK_P99_US us, socket errors $WRK_SOCKET_ERRORS, other processes $WRK_OTHER_CPU_PERCENT% CPU"
        if (( WRK_OTHER_CPU_PERCENT > other_cpu_max )); then other_cpu_max=$WRK_OTHER_CPU_PERCENT; fi
        record "$run" "$system" "${operation}_rps" "$WRK_RPS"
        record "$run" "$system" "${operation}_p50_us" "$WRK_P50_US"
        record "$run" "$system" "${operation}_p99_us" "$WRK_P99_US"
        record "$run" "$system" "${operation}_socket_errors" "$WRK_SOCKET_ERRORS"
      done
      record "$run" "$system" other_cpu_percent "$other_cpu_max"
      loaded_rss=$(rss_kib "$SERVER_PID" VmRSS)
      peak_rss=$(rss_kib "$SERVER_PID" VmHWM)
      record "$run" "$system" loaded_rss_kib "$loaded_rss"
      record "$run" "$system" peak_rss_kib "$peak_rss"
      log "run $run/$RUNS $system: RSS after load $((loaded_rss / 1024)) MiB, peak $((peak_rss / 1024)) MiB"
      stop_server
      rm -rf "$run_dir/data"
    done
  done
fi

report_systems
{
  cat "$RESULTS_DIR/preamble.md"
  contention_note
  echo "- Per run and server: start, $IDLE_SETTLE_S s idle, create table \`bench\` (PK/SK, GSI1 on GSI1PK/GSI1SK, on-demand), preload $ITEMS items of 200 bytes ($GROUP_SIZE per GSI1 partition), ${WARMUP} s warmup per operation, then ${DURATION} s per operation: PutItem (new keys), GetItem (random preloaded key), Query on GSI1 (random partition, returns $GROUP_SIZE items)"
} >"$RESULTS_DIR/preamble-full.md"
mkdir -p "$(dirname "$DOC")"
python3 "$BENCH_DIR/lib/report.py" --raw "$RAW_RESULTS" --doc "$DOC" --section dynamodb \
  --title "DynamoDB: Eddy vs DynamoDB Local" --preamble "$RESULTS_DIR/preamble-full.md" --baseline dynamodb-local \
  "${SYSTEM_ARGS[@]}" \
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
  --metric "load_average|Machine load average (1 min) at start|processes|1|context|" \
  --metric "other_cpu_percent|CPU used by other processes during measured load, worst operation|% of all CPUs|1|context|"
log "results: $RESULTS_DIR; report: $DOC"
