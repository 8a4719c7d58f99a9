#!/usr/bin/env bash
# Benchmarks Eddy's Lambda and DynamoDB Streams event source mappings on this machine: write -> handler latency,
# records/s through one mapping, Python and Node.js cold starts and warm invoke overhead, and writes the medians into
# docs/benchmarks.md (section "lambda"). See docs/benchmarks.md for what is measured.
#
# Usage: bench/lambda.sh [--runs N] [--systems a,b,...] [--samples N] [--interval-ms MS] [--records N]
#                        [--cold-starts N] [--invokes N] [--jvm-opts "..."] [--doc FILE] [--report-only RESULTS_DIR]
#   --report-only rewrites the section from an earlier run's bench/results/ folder without measuring.
#   --cold-starts N: cold starts per runtime (Python, Node.js) and series (paused, back to back, bursts of 4).
#   systems: eddy-launcher, eddy-launcher-disk, eddy-memory, eddy-disk (see lib/common.sh)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

RUNS=3
SYSTEMS=eddy-launcher,eddy-launcher-disk
SAMPLES=300
WARMUP_WRITES=50
INTERVAL_MS=25
RECORDS=20000
WRITER_THREADS=4
COLD_STARTS=20
COLD_PAUSE_MS=2000
BURST_SIZE=4
BURST_SLEEP_MS=300
INVOKES=3000
JVM_OPTS="-Xmx1g"
DOC="$REPO_DIR/docs/benchmarks.md"
REPORT_ONLY=""
COMMAND_LINE="bench/lambda.sh${*:+ $*}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --interval-ms) INTERVAL_MS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --cold-starts) COLD_STARTS="$2"; shift 2 ;;
    --invokes) INVOKES="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --doc) DOC="$2"; shift 2 ;;
    --report-only) REPORT_ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
IFS=, read -r -a SYSTEM_LIST <<<"$SYSTEMS"

RESULTS_DIR="${REPORT_ONLY:-$BENCH_DIR/results/lambda-$(date -u +%Y%m%dT%H%M%SZ)}"
RAW_RESULTS="$RESULTS_DIR/raw.tsv"
CLIENT="$BENCH_DIR/lib/lambda_client.py"
HANDLERS="$BENCH_DIR/lambda/handlers"
PACKAGES="$RESULTS_DIR/packages"

# build_packages : the deployment packages every run uses: python.zip (latency.py, throughput.py, echo.py, cold.py
# at the root), node.zip (index.mjs) and java.zip (bench.Latency and bench.Echo compiled against the
# aws-lambda-java-core Eddy ships).
build_packages() {
  local core
  core=$(ls "$REPO_DIR"/server/target/lib/aws-lambda-java-core-*.jar 2>/dev/null | head -n 1)
  [[ -n "$core" ]] || die "no aws-lambda-java-core jar in server/target/lib"
  mkdir -p "$PACKAGES/classes"
  (cd "$HANDLERS" && python3 -m zipfile -c "$PACKAGES/python.zip" latency.py throughput.py echo.py cold.py)
  (cd "$HANDLERS" && python3 -m zipfile -c "$PACKAGES/node.zip" index.mjs)
  "$BENCH_JAVA_HOME/bin/javac" --release 21 -cp "$core" -d "$PACKAGES/classes" "$HANDLERS"/bench/*.java
  "$BENCH_JAVA_HOME/bin/jar" --create --file "$PACKAGES/java.zip" --no-manifest -C "$PACKAGES/classes" .
}

# The interpreter Eddy runs python3.12 functions with: python3.12 when it works, else python3 (see Runtimes).
python_for_functions() {
  python3.12 -c 'import sys; print(sys.executable, sys.version.split()[0])' 2>/dev/null ||
    python3 -c 'import sys; print(sys.executable, sys.version.split()[0])'
}

# The Node.js runtime the benchmark's functions name: the one matching the installed node's major version when
# Eddy has it (Eddy runs every nodejs runtime with the node on the PATH), else nodejs22.x.
node_runtime() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  case "$major" in
    18|20|22|24) echo "nodejs$major.x" ;;
    *) echo nodejs22.x ;;
  esac
}

# tree_ticks PID : CPU ticks of PID and its children, live (Python and Node.js runtimes) and reaped (retired runtimes).
tree_ticks() {
  local total child
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0)
  for child in $(pgrep -P "$1" || true); do
    total=$(( total + $(tree_ticks "$child") ))
  done
  echo "$total"
}

server_ticks() { if [[ -n "$SERVER_PID" ]]; then tree_ticks "$SERVER_PID"; else echo 0; fi; }

# run_step NAME COMMAND... : runs one measured step with its output in the run's folder, sets STEP_RESULT to its
# RESULT line, and raises OTHER_CPU_MAX to the share of all CPUs that processes other than Eddy (with its
# runtimes) and the step's own client used meanwhile.
run_step() {
  local name="$1"
  shift
  local output="$RUN_DIR/$name.txt" busy_before server_before children_before started_ns
  busy_before=$(cpu_busy_ticks); server_before=$(server_ticks); children_before=$(children_ticks)
  started_ns=$(date +%s%N)
  "$@" >"$output" 2>&1 || { cat "$output" >&2; die "step $name failed ($output)"; }
  local other_ticks elapsed_ticks other_percent
  other_ticks=$(( $(cpu_busy_ticks) - busy_before - ($(server_ticks) - server_before)
    - ($(children_ticks) - children_before) ))
  elapsed_ticks=$(( ($(date +%s%N) - started_ns) / 10000000 ))
  other_percent=$(( other_ticks > 0 ? other_ticks * 100 / (elapsed_ticks * $(nproc)) : 0 ))
  if (( other_percent > OTHER_CPU_MAX )); then OTHER_CPU_MAX=$other_percent; fi
  STEP_RESULT=$(grep '^RESULT ' "$output") || { cat "$output" >&2; die "step $name printed no RESULT line"; }
  log "run $RUN/$RUNS $SYSTEM $name: ${STEP_RESULT#RESULT } (other processes: ${other_percent}% CPU)"
}

step_field() { sed -nE "s/.* $1=([0-9.-]+).*/\\1/p" <<<"$STEP_RESULT"; }

# record_fields PREFIX FIELD... : records each field of the last step's RESULT line as metric PREFIX_FIELD.
record_fields() {
  local prefix="$1" field value
  shift
  for field in "$@"; do
    value=$(step_field "$field")
    [[ -n "$value" ]] || die "no $field in: $STEP_RESULT"
    record "$RUN" "$SYSTEM" "${prefix}_$field" "$value"
  done
}

if [[ -z "$REPORT_ONLY" ]]; then
  [[ -x "$JAVA" && -x "$BENCH_JAVA_HOME/bin/javac" ]] || die "no JDK at $BENCH_JAVA_HOME (set BENCH_JAVA_HOME)"
  command -v curl >/dev/null || die "curl is required"
  python3 -c 'import boto3' 2>/dev/null || die "python3 with boto3 is required"
  command -v node >/dev/null || die "node is required (Node.js functions)"
  prepare_systems ""
  mkdir -p "$RESULTS_DIR"
  build_packages
  machine_preamble "$COMMAND_LINE" >"$RESULTS_DIR/preamble.md"
  NODE_RUNTIME=$(node_runtime)
  {
    echo "- Python functions (runtime python3.12) run under $(python_for_functions), boto3 $(python3 -c 'import boto3; print(boto3.__version__)') for setup"
    echo "- Node.js functions (runtime $NODE_RUNTIME) run under $(command -v node) $(node --version)"
  } >>"$RESULTS_DIR/preamble.md"

  probe_health() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/_eddy/health") == 200 ]]; }

  trap 'stop_server' EXIT
  for RUN in $(seq 1 "$RUNS"); do
    for SYSTEM in $(rotated_systems "$RUN" "${SYSTEM_LIST[@]}"); do
      RUN_DIR="$RESULTS_DIR/run$RUN-$SYSTEM"
      mkdir -p "$RUN_DIR"
      PORT=$(free_port)
      OTHER_CPU_MAX=0
      wait_for_quiet_machine
      record "$RUN" "$SYSTEM" load_average "$(cut -d' ' -f1 /proc/loadavg)"
      start_eddy "$SYSTEM" "$PORT" "$RUN_DIR"
      startup_ms=$(wait_until_served probe_health "$RUN_DIR/server.log")
      log "run $RUN/$RUNS $SYSTEM: serving after ${startup_ms} ms"

      for runtime in python java; do
        run_step "latency-$runtime" python3 "$CLIENT" stream-latency --port "$PORT" --runtime "$runtime" \
          --zip "$PACKAGES/$runtime.zip" --samples "$SAMPLES" --warmup "$WARMUP_WRITES" --interval-ms "$INTERVAL_MS"
        record_fields "latency_$runtime" p50_us p90_us p99_us max_us
      done

      run_step throughput-live-100 python3 "$CLIENT" throughput --port "$PORT" --zip "$PACKAGES/python.zip" \
        --records "$RECORDS" --threads "$WRITER_THREADS" --batch-size 100 --window 0 --mode live
      record_fields live100 write_rps records_per_s lag_after_last_write_us mean_batch
      run_step throughput-live-1000 python3 "$CLIENT" throughput --port "$PORT" --zip "$PACKAGES/python.zip" \
        --records "$RECORDS" --threads "$WRITER_THREADS" --batch-size 1000 --window 1 --mode live
      record_fields live1000 write_rps records_per_s lag_after_last_write_us mean_batch
      run_step throughput-backlog-1000 python3 "$CLIENT" throughput --port "$PORT" --zip "$PACKAGES/python.zip" \
        --records "$RECORDS" --threads "$WRITER_THREADS" --batch-size 1000 --window 0 --mode backlog
      record_fields backlog1000 records_per_s mean_batch

      for runtime in python node; do
        if [[ "$runtime" == python ]]; then function_runtime=python3.12; else function_runtime=$NODE_RUNTIME; fi
        for mode in paused back-to-back burst; do
          run_step "cold-$runtime-$mode" python3 "$CLIENT" cold-start --port "$PORT" --runtime "$function_runtime" \
            --zip "$PACKAGES/$runtime.zip" --mode "$mode" --count "$COLD_STARTS" --pause-ms "$COLD_PAUSE_MS" \
            --burst "$BURST_SIZE" --burst-sleep-ms "$BURST_SLEEP_MS"
          record_fields "cold_${runtime}_${mode//-/_}" call_p50_us call_max_us init_p50_us init_max_us
        done
      done

      run_step warm-invoke python3 "$CLIENT" warm-invoke --port "$PORT" --python-zip "$PACKAGES/python.zip" \
        --java-zip "$PACKAGES/java.zip" --count "$INVOKES" --warmup $(( INVOKES / 4 ))
      record_fields http baseline_p50_us python_p50_us python_p99_us python_overhead_p50_us \
        java_p50_us java_p99_us java_overhead_p50_us

      peak_rss=$(rss_kib "$SERVER_PID" VmHWM)
      record "$RUN" "$SYSTEM" peak_rss_kib "$peak_rss"
      stop_server
      SERVER_PID=""
      rm -rf "$RUN_DIR/data"

      # In-process: Eddy's Java API, no HTTP; the program starts its own Eddy like the server above.
      read -r -a jvm_flags <<<"$JVM_OPTS"
      data_dir_arg=()
      if [[ "$SYSTEM" == *disk ]]; then
        mkdir -p "$RUN_DIR/data"
        data_dir_arg=("$RUN_DIR/data")
      fi
      run_step in-process "$JAVA" "${jvm_flags[@]}" --enable-native-access=ALL-UNNAMED \
        --sun-misc-unsafe-memory-access=allow -cp "$EDDY_JAR" "$BENCH_DIR/lambda/LambdaOverhead.java" \
        "$PACKAGES/java.zip" "$PACKAGES/python.zip" "$INVOKES" "$INVOKES" "${data_dir_arg[@]}"
      record_fields inproc java_p50_us java_p99_us python_p50_us python_p99_us
      rm -rf "$RUN_DIR/data"
      record "$RUN" "$SYSTEM" other_cpu_percent "$OTHER_CPU_MAX"
    done
  done

  # Written with the run, so --report-only describes the parameters the results were measured with.
  {
    cat "$RESULTS_DIR/preamble.md"
    contention_note "Eddy, its Python and Node.js runtimes and the clients got less CPU than the machine has: latencies (tails above all) are longer and rates lower than on a quiet machine."
    cat <<MD
- Per run and system: start Eddy, then in turn (each step creates its own functions, tables and mappings):
  - *write → handler*: a table with a NEW_IMAGE stream, a mapping (BatchSize 1, no batching window, LATEST) into a Python or Java function that logs \`LATENCY_US\` = its clock − the item's \`stamp\` (the writer's wall clock in µs just before sending PutItem); one PutItem every $INTERVAL_MS ms, $WARMUP_WRITES warmup writes, drain, then $SAMPLES measured writes; drain (\`POST /_eddy/drain\`) and read the lines with FilterLogEvents.
  - *records/s*: $RECORDS items of ~120 bytes written with BatchWriteItem (25 items) by $WRITER_THREADS client threads into one mapping's stream, a Python handler logging each batch's size and time, environments warmed first; *live*: mapping running while writing, measured from the first write to the last record handled; *backlog*: mapping disabled while writing, then enabled, measured from enabling it to the last record handled.
  - *cold start*, for a Python (python3.12) and a Node.js ($NODE_RUNTIME) function each: UpdateFunctionConfiguration (new environment variable, which retires the warm environment) then Invoke with \`LogType: Tail\`; *paused*: $COLD_STARTS times, $COLD_PAUSE_MS ms after the update (a spare pre-started interpreter is ready); *back to back*: $COLD_STARTS times, right after it; *burst*: $(( (COLD_STARTS + BURST_SIZE - 1) / BURST_SIZE )) times, $COLD_PAUSE_MS ms after the update, $BURST_SIZE events at once on $BURST_SIZE connections, each handler sleeping $BURST_SLEEP_MS ms so that each event needs its own environment. Whole call as the client sees it (for bursts less the $BURST_SLEEP_MS ms sleep), and the REPORT line's Init Duration.
  - *warm invoke*: one keep-alive \`http.client\` connection, unsigned requests; $INVOKES timed calls after $(( INVOKES / 4 )) warmup calls each of \`GET /_eddy/health\` (the HTTP round trip, baseline), Invoke of a trivial Python handler and of a trivial Java handler; overhead = invoke p50 − baseline p50.
  - *in-process*: \`bench/lambda/LambdaOverhead.java\` starts Eddy inside its own JVM (in memory, or on disk for the persistent column) and calls the Java API Eddy's event sources use, $INVOKES calls after $INVOKES warmup calls.
MD
  } >"$RESULTS_DIR/preamble-full.md"
fi

report_systems
{
  cat "$RESULTS_DIR/preamble-full.md"
  cat <<'MD'
- Nothing to compare with on this machine: the free tools that run stream mappings and functions locally
  (LocalStack, AWS SAM CLI) run functions in Docker containers, and there is no Docker here. The reference
  points are the targets and AWS itself: seed 001 quotes 100–500 ms from a table change to its processing
  on AWS.
MD
} >"$RESULTS_DIR/preamble-report.md"
mkdir -p "$(dirname "$DOC")"
python3 "$BENCH_DIR/lib/report.py" --raw "$RAW_RESULTS" --doc "$DOC" --section lambda \
  --title "Lambda: DynamoDB Streams → handler, cold starts, invoke overhead" \
  --preamble "$RESULTS_DIR/preamble-report.md" "${SYSTEM_ARGS[@]}" \
  --metric "latency_python_p50_us|Write → Python handler latency p50|ms|1000|lower|value<5" \
  --metric "latency_python_p90_us|Write → Python handler latency p90|ms|1000|lower|" \
  --metric "latency_python_p99_us|Write → Python handler latency p99|ms|1000|lower|value<25" \
  --metric "latency_python_max_us|Write → Python handler latency max|ms|1000|lower|" \
  --metric "latency_java_p50_us|Write → Java handler latency p50|ms|1000|lower|value<5" \
  --metric "latency_java_p90_us|Write → Java handler latency p90|ms|1000|lower|" \
  --metric "latency_java_p99_us|Write → Java handler latency p99|ms|1000|lower|value<25" \
  --metric "latency_java_max_us|Write → Java handler latency max|ms|1000|lower|" \
  --metric "live100_write_rps|BatchWriteItem rate while the mapping runs, BatchSize 100|items/s|1|higher|" \
  --metric "live100_records_per_s|End to end, BatchSize 100: first write → last record handled|records/s|1|higher|" \
  --metric "live100_lag_after_last_write_us|Handler behind the writers at their end, BatchSize 100|ms|1000|lower|" \
  --metric "live100_mean_batch|Records per invocation, BatchSize 100|records|1|context|" \
  --metric "live1000_write_rps|BatchWriteItem rate while the mapping runs, BatchSize 1000, window 1 s|items/s|1|higher|" \
  --metric "live1000_records_per_s|End to end, BatchSize 1000, window 1 s|records/s|1|higher|" \
  --metric "live1000_lag_after_last_write_us|Handler behind the writers at their end, BatchSize 1000, window 1 s|ms|1000|lower|" \
  --metric "live1000_mean_batch|Records per invocation, BatchSize 1000, window 1 s|records|1|context|" \
  --metric "backlog1000_records_per_s|Backlog, BatchSize 1000: enable → last record handled|records/s|1|higher|" \
  --metric "backlog1000_mean_batch|Records per invocation, backlog|records|1|context|" \
  --metric "cold_python_paused_call_p50_us|Python cold start p50, whole Invoke, ${COLD_PAUSE_MS} ms after the update|ms|1000|lower|value<150" \
  --metric "cold_python_paused_init_p50_us|Python Init Duration p50, ${COLD_PAUSE_MS} ms after the update|ms|1000|lower|value<150" \
  --metric "cold_python_back_to_back_call_p50_us|Python cold start p50, whole Invoke, right after the update|ms|1000|lower|value<150" \
  --metric "cold_python_back_to_back_init_p50_us|Python Init Duration p50, right after the update|ms|1000|lower|value<150" \
  --metric "cold_python_burst_call_p50_us|Python cold start p50, whole Invoke less the handler's ${BURST_SLEEP_MS} ms sleep, bursts of ${BURST_SIZE}|ms|1000|lower|value<150" \
  --metric "cold_python_burst_init_p50_us|Python Init Duration p50, bursts of ${BURST_SIZE}|ms|1000|lower|value<150" \
  --metric "cold_node_paused_call_p50_us|Node.js cold start p50, whole Invoke, ${COLD_PAUSE_MS} ms after the update|ms|1000|lower|value<150" \
  --metric "cold_node_paused_init_p50_us|Node.js Init Duration p50, ${COLD_PAUSE_MS} ms after the update|ms|1000|lower|value<150" \
  --metric "cold_node_back_to_back_call_p50_us|Node.js cold start p50, whole Invoke, right after the update|ms|1000|lower|value<150" \
  --metric "cold_node_back_to_back_init_p50_us|Node.js Init Duration p50, right after the update|ms|1000|lower|value<150" \
  --metric "cold_node_burst_call_p50_us|Node.js cold start p50, whole Invoke less the handler's ${BURST_SLEEP_MS} ms sleep, bursts of ${BURST_SIZE}|ms|1000|lower|value<150" \
  --metric "cold_node_burst_init_p50_us|Node.js Init Duration p50, bursts of ${BURST_SIZE}|ms|1000|lower|value<150" \
  --metric "http_baseline_p50_us|HTTP baseline: GET /_eddy/health p50|ms|1000|lower|" \
  --metric "http_python_p50_us|Warm Invoke over HTTP, Python, p50|ms|1000|lower|" \
  --metric "http_python_p99_us|Warm Invoke over HTTP, Python, p99|ms|1000|lower|" \
  --metric "http_python_overhead_p50_us|Warm Invoke overhead over HTTP, Python, p50 − baseline|ms|1000|lower|value<3" \
  --metric "http_java_p50_us|Warm Invoke over HTTP, Java, p50|ms|1000|lower|" \
  --metric "http_java_p99_us|Warm Invoke over HTTP, Java, p99|ms|1000|lower|" \
  --metric "http_java_overhead_p50_us|Warm Invoke overhead over HTTP, Java, p50 − baseline|ms|1000|lower|" \
  --metric "inproc_java_p50_us|Warm invoke in-process (Java API), Java, p50|µs|1|lower|value<500" \
  --metric "inproc_java_p99_us|Warm invoke in-process (Java API), Java, p99|µs|1|lower|" \
  --metric "inproc_python_p50_us|Warm invoke in-process (Java API), Python, p50|µs|1|lower|value<3000" \
  --metric "inproc_python_p99_us|Warm invoke in-process (Java API), Python, p99|µs|1|lower|" \
  --metric "peak_rss_kib|Eddy peak RSS, VmHWM, without its runtime processes|MiB|1024|lower|" \
  --metric "load_average|Machine load average (1 min) at start|processes|1|context|" \
  --metric "other_cpu_percent|CPU used by other processes during the measured steps, worst step|% of all CPUs|1|context|"
log "results: $RESULTS_DIR; report: $DOC"
