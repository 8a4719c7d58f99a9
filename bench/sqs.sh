#!/usr/bin/env bash
# Benchmarks Eddy's SQS against ElasticMQ on this machine, one server at a time, and writes the medians into
# docs/benchmarks.md (section "sqs"). See docs/benchmarks.md for what is measured.
#
# Usage: bench/sqs.sh [--duration S] [--warmup S] [--runs N] [--systems a,b,...] [--wake-samples K]
#                     [--jvm-opts "..."] [--doc FILE] [--report-only RESULTS_DIR]
#   --report-only rewrites the section from an earlier run's bench/results/ folder without measuring.
#   systems: elasticmq, eddy-memory, eddy-disk, eddy-launcher (see lib/common.sh)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

DURATION=10
WARMUP=20
RUNS=3
SYSTEMS=elasticmq,eddy-memory,eddy-disk,eddy-launcher
WAKE_SAMPLES=30
JVM_OPTS="-Xmx1g"
DOC="$REPO_DIR/docs/benchmarks.md"
WRK_THREADS=2
WRK_CONNECTIONS=16
IDLE_SETTLE_S=2
REPORT_ONLY=""
COMMAND_LINE="bench/sqs.sh${*:+ $*}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --wake-samples) WAKE_SAMPLES="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --doc) DOC="$2"; shift 2 ;;
    --report-only) REPORT_ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

ELASTICMQ_LIB="$BENCH_DIR/.cache/elasticmq/lib"
RESULTS_DIR="${REPORT_ONLY:-$BENCH_DIR/results/sqs-$(date -u +%Y%m%dT%H%M%SZ)}"
RAW_RESULTS="$RESULTS_DIR/raw.tsv"
LUA="$BENCH_DIR/wrk/sqs.lua"

if [[ -z "$REPORT_ONLY" ]]; then
  ensure_tools
  prepare_systems elasticmq
  mkdir -p "$RESULTS_DIR"
  machine_preamble "$COMMAND_LINE" >"$RESULTS_DIR/preamble.md"

  # start_system SYSTEM PORT RUN_DIR : launches one server with the shared JVM flags.
  start_system() {
    if [[ "$1" == elasticmq ]]; then
      local jvm_flags
      read -r -a jvm_flags <<<"$JVM_OPTS"
      cat >"$3/elasticmq.conf" <<CONF
include classpath("application.conf")
node-address { protocol = http, host = 127.0.0.1, port = $2, context-path = "" }
rest-sqs { enabled = true, bind-port = $2, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
CONF
      launch_server "$3/server.log" "$3" "$JAVA" "${jvm_flags[@]}" -Dconfig.file="$3/elasticmq.conf" \
        -cp "$ELASTICMQ_LIB/*" org.elasticmq.server.Main
    else
      start_eddy "$@"
    fi
  }

  probe_list_queues() { aws_json_probe "$PORT" AmazonSQS.ListQueues sqs; }

  # measure RUN SYSTEM RUN_DIR QUEUE_URL PHASE : one measured pass of SendMessage and one of Receive+Delete;
  # PHASE (cold or warm) prefixes the metric names.
  measure() {
    local run="$1" system="$2" run_dir="$3" queue_url="$4" phase="$5"
    run_wrk "$run_dir/$phase-send.txt" "$LUA" "$PORT" "$DURATION" send "$queue_url"
    log "run $run/$RUNS $system $phase send: $WRK_RPS msg/s, p50 $WRK_P50_US us, p99 $WRK_P99_US us"
    record "$run" "$system" "${phase}_send_rps" "$WRK_RPS"
    record "$run" "$system" "${phase}_send_p50_us" "$WRK_P50_US"
    record "$run" "$system" "${phase}_send_p99_us" "$WRK_P99_US"
    if (( WRK_OTHER_CPU_PERCENT > OTHER_CPU_MAX )); then OTHER_CPU_MAX=$WRK_OTHER_CPU_PERCENT; fi
    run_wrk "$run_dir/$phase-fill.txt" "$LUA" "$PORT" "$DURATION" fill "$queue_url"
  log "run $run/$RUNS $system $phase fill: $(per_second "$(( $(wrk_field requests) * 10 ))") msg/s (unmeasured)"
  run_wrk "$run_dir/$phase-consume.txt" "$LUA" "$PORT" "$DURATION" consume "$queue_url"
    local consumed empty
    consumed=$(per_second "$(wrk_field deletes)")
    empty=$(( $(wrk_field receives) - $(wrk_field messages_received) ))
    log "run $run/$RUNS $system $phase receive+delete: $consumed msg/s, p50 $WRK_P50_US us, p99 $WRK_P99_US us, empty receives $empty"
    record "$run" "$system" "${phase}_consume_mps" "$consumed"
    record "$run" "$system" "${phase}_consume_p50_us" "$WRK_P50_US"
    record "$run" "$system" "${phase}_consume_p99_us" "$WRK_P99_US"
    record "$run" "$system" "${phase}_consume_empty_receives" "$empty"
    if (( WRK_OTHER_CPU_PERCENT > OTHER_CPU_MAX )); then OTHER_CPU_MAX=$WRK_OTHER_CPU_PERCENT; fi
  }

  trap 'stop_server' EXIT
  if [[ " ${SYSTEM_LIST[*]} " == *" eddy-launcher "* ]]; then
    prime_eddy_launcher probe_list_queues "$RESULTS_DIR"
  fi
  for run in $(seq 1 "$RUNS"); do
    for system in $(rotated_systems "$run" "${SYSTEM_LIST[@]}"); do
      run_dir="$RESULTS_DIR/run$run-$system"
      mkdir -p "$run_dir"
      PORT=$(free_port)
      start_measured "$run" "$system" "$run_dir" probe_list_queues
      log "run $run/$RUNS $system: startup ${STARTUP_MS} ms, idle RSS $((IDLE_RSS_KIB / 1024)) MiB"
      queue_url=$(python3 "$BENCH_DIR/lib/sqs_client.py" create-queue --port "$PORT" --name bench)
      OTHER_CPU_MAX=0
      measure "$run" "$system" "$run_dir" "$queue_url" cold
      run_wrk "$run_dir/warmup-send.txt" "$LUA" "$PORT" "$WARMUP" send "$queue_url"
      run_wrk "$run_dir/warmup-fill.txt" "$LUA" "$PORT" "$WARMUP" fill "$queue_url"
    run_wrk "$run_dir/warmup-consume.txt" "$LUA" "$PORT" "$WARMUP" consume "$queue_url"
      measure "$run" "$system" "$run_dir" "$queue_url" warm
      wake=$(python3 "$BENCH_DIR/lib/sqs_client.py" wake-latency --port "$PORT" --samples "$WAKE_SAMPLES")
      log "run $run/$RUNS $system long-poll wake latency: $wake"
      record "$run" "$system" wake_p50_us "$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$wake")"
      record "$run" "$system" wake_max_us "$(sed -E 's/.*max_us=([0-9]+).*/\1/' <<<"$wake")"
      record "$run" "$system" other_cpu_percent "$OTHER_CPU_MAX"
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
  echo "- Per run and server: start, $IDLE_SETTLE_S s idle, create standard queue \`bench\`; *cold*: ${DURATION} s SendMessage (200-byte bodies), then ${DURATION} s SendMessageBatch (10 messages) to fill the queue (not measured), then ${DURATION} s ReceiveMessage (1 message, no wait) + DeleteMessage of each message received; then ${WARMUP} s of each as warmup; *warm*: the same two measured passes again. Receive+Delete throughput counts messages deleted per second; its latencies mix both calls. Finally long-poll wake latency: a ReceiveMessage waiting (WaitTimeSeconds 10) on an empty queue, time from issuing SendMessage on another connection to the waiting call returning the message, $WAKE_SAMPLES samples"
} >"$RESULTS_DIR/preamble-full.md"
mkdir -p "$(dirname "$DOC")"
metric_args=()
for phase in warm cold; do
  metric_args+=(
    --metric "${phase}_send_rps|SendMessage throughput, $phase|msg/s|1|higher|ratio>=1.5"
    --metric "${phase}_send_p50_us|SendMessage p50 latency, $phase|ms|1000|lower|"
    --metric "${phase}_send_p99_us|SendMessage p99 latency, $phase|ms|1000|lower|"
    --metric "${phase}_consume_mps|Receive+Delete throughput, $phase|msg/s|1|higher|ratio>=1.5"
    --metric "${phase}_consume_p50_us|Receive+Delete p50 latency, $phase|ms|1000|lower|"
    --metric "${phase}_consume_p99_us|Receive+Delete p99 latency, $phase|ms|1000|lower|"
    --metric "${phase}_consume_empty_receives|Empty receives (queue ran dry), $phase|requests|1|context|")
done
python3 "$BENCH_DIR/lib/report.py" --raw "$RAW_RESULTS" --doc "$DOC" --section sqs \
  --title "SQS: Eddy vs ElasticMQ" --preamble "$RESULTS_DIR/preamble-full.md" --baseline elasticmq \
  "${SYSTEM_ARGS[@]}" "${metric_args[@]}" \
  --metric "wake_p50_us|Long-poll wake latency p50|ms|1000|lower|value<2" \
  --metric "wake_max_us|Long-poll wake latency max|ms|1000|lower|" \
  --metric "startup_ms|Startup to first served request|ms|1|lower|value<500" \
  --metric "idle_rss_kib|Idle RSS|MiB|1024|lower|value<100" \
  --metric "loaded_rss_kib|RSS after load|MiB|1024|lower|" \
  --metric "peak_rss_kib|Peak RSS, VmHWM|MiB|1024|lower|" \
  --metric "load_average|Machine load average (1 min) at start|processes|1|context|" \
  --metric "other_cpu_percent|CPU used by other processes during measured load, worst pass|% of all CPUs|1|context|"
log "results: $RESULTS_DIR; report: $DOC"
