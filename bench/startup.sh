#!/usr/bin/env bash
# Benchmarks startup: the time from launching a server to its first served DynamoDB request, and its idle RSS,
# for DynamoDB Local and Eddy started as a user starts it (./eddy, with its trained ahead-of-time cache on JDK
# 25+) and as a plain JVM without the launcher's flags and cache. Writes the medians into docs/benchmarks.md
# (section "startup").
#
# Usage: bench/startup.sh [--runs N] [--systems a,b,...] [--jvm-opts "..."] [--doc FILE] [--report-only RESULTS_DIR]
#   systems: dynamodb-local (-inMemory), eddy-memory, eddy-disk, eddy-launcher, eddy-launcher-disk (see lib/common.sh)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

RUNS=10
SYSTEMS=dynamodb-local,eddy-memory,eddy-launcher,eddy-launcher-disk
JVM_OPTS="-Xmx1g"
DOC="$REPO_DIR/docs/benchmarks.md"
IDLE_SETTLE_S=2
REPORT_ONLY=""
COMMAND_LINE="bench/startup.sh${*:+ $*}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --doc) DOC="$2"; shift 2 ;;
    --report-only) REPORT_ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

RESULTS_DIR="${REPORT_ONLY:-$BENCH_DIR/results/startup-$(date -u +%Y%m%dT%H%M%SZ)}"
RAW_RESULTS="$RESULTS_DIR/raw.tsv"

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
  if [[ " ${SYSTEM_LIST[*]} " == *" eddy-launcher"* ]]; then
    prime_eddy_launcher probe_list_tables "$RESULTS_DIR"
  fi
  for run in $(seq 1 "$RUNS"); do
    for system in $(rotated_systems "$run" "${SYSTEM_LIST[@]}"); do
      run_dir="$RESULTS_DIR/run$run-$system"
      mkdir -p "$run_dir"
      PORT=$(free_port)
      start_measured "$run" "$system" "$run_dir" probe_list_tables
      log "run $run/$RUNS $system: startup ${STARTUP_MS} ms, idle RSS $((IDLE_RSS_KIB / 1024)) MiB"
      stop_server
      rm -rf "$run_dir/data"
    done
  done
fi

report_systems
{
  cat "$RESULTS_DIR/preamble.md"
  echo "- Per run and server, one server at a time after the machine is quiet: launch, poll \`ListTables\` every 5 ms with curl until it answers 200 (startup), idle ${IDLE_SETTLE_S} s, read \`VmRSS\` (idle RSS), stop. *Eddy … via ./eddy* is the launcher as a user runs it (its JVM flags and, on JDK 25+, the ahead-of-time cache trained after the build); *Eddy in-memory* is \`java $JVM_OPTS -jar eddy-server.jar\` without either."
} >"$RESULTS_DIR/preamble-full.md"
mkdir -p "$(dirname "$DOC")"
python3 "$BENCH_DIR/lib/report.py" --raw "$RAW_RESULTS" --doc "$DOC" --section startup \
  --title "Startup: Eddy vs DynamoDB Local" --preamble "$RESULTS_DIR/preamble-full.md" --baseline dynamodb-local \
  "${SYSTEM_ARGS[@]}" \
  --metric "startup_ms|Startup to first served request|ms|1|lower|value<500" \
  --metric "idle_rss_kib|Idle RSS|MiB|1024|lower|value<100" \
  --metric "load_average|Machine load average (1 min) at start|processes|1|context|"
log "results: $RESULTS_DIR; report: $DOC"
