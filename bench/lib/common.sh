# Shared helpers for the benchmark scripts (sourced, not run): starting and stopping one server at a
# time, startup time, RSS, wrk runs and the raw results file that lib/report.py turns into markdown.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$BENCH_JAVA_HOME/bin/java"
SERVER_PID=""
EDDY_JAR="$REPO_DIR/server/target/eddy-server.jar"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

ensure_tools() {
  [[ -x "$JAVA" ]] || die "no JDK at $BENCH_JAVA_HOME (set BENCH_JAVA_HOME)"
  command -v python3 >/dev/null || die "python3 is required"
  command -v curl >/dev/null || die "curl is required"
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# launch_server LOG_FILE WORKING_DIR COMMAND... : starts the server in the background.
# Sets SERVER_PID (the JVM itself, thanks to exec) and LAUNCH_NS (just before the fork).
launch_server() {
  local log_file="$1" working_dir="$2"
  shift 2
  LAUNCH_NS=$(date +%s%N)
  (cd "$working_dir" && exec "$@") >"$log_file" 2>&1 &
  SERVER_PID=$!
}

# wait_until_served PROBE_FUNCTION LOG_FILE : calls the probe (which returns 0 once the server answered
# a real request) in a tight loop; prints milliseconds from launch to the first successful answer.
wait_until_served() {
  local probe="$1" log_file="$2" deadline=$(( $(date +%s) + 120 ))
  until "$probe"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log_file" >&2; die "server exited during startup"; }
    (( $(date +%s) < deadline )) || { cat "$log_file" >&2; die "server not serving after 120 s"; }
    sleep 0.005
  done
  echo $(( ($(date +%s%N) - LAUNCH_NS) / 1000000 ))
}

# rss_kib PID FIELD : FIELD is VmRSS (current resident set) or VmHWM (peak resident set).
rss_kib() {
  awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || return 0
  local waited=0
  while kill -0 "$SERVER_PID" 2>/dev/null && (( waited < 150 )); do sleep 0.1; waited=$((waited + 1)); done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# aws_json_probe PORT TARGET SERVICE : 0 when the server answers an AWS JSON 1.0 call with HTTP 200. Used as
# the "first served request": a real API call, not just an open port.
aws_json_probe() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: $2" -H 'X-Amz-Date: 20250101T000000Z' \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/$3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000" \
    -d '{}' 2>/dev/null) == 200 ]]
}

# Eddy variants, shared by every benchmark:
#   eddy-memory    java $JVM_OPTS -jar server/target/eddy-server.jar --in-memory
#   eddy-disk      the same with --data-dir on a fresh directory under the run's folder
#   eddy-launcher  ./eddy --in-memory with EDDY_JAVA_OPTS=$JVM_OPTS: what a user runs, with the launcher's
#                  own JVM flags and its ahead-of-time cache (JDK 25+; a class-data archive before)
#   eddy-launcher-disk  ./eddy --data-dir on a fresh directory under the run's folder (the launcher's default
#                  is persistent)
# All with --quiet: per-request log lines would measure the terminal, not the server.
is_eddy_variant() { [[ "$1" == eddy-memory || "$1" == eddy-disk || "$1" == eddy-launcher || "$1" == eddy-launcher-disk ]]; }

eddy_label() {
  case "$1" in
    eddy-memory) echo "Eddy in-memory" ;;
    eddy-disk) echo "Eddy persistent" ;;
    eddy-launcher) echo "Eddy in-memory via ./eddy" ;;
    eddy-launcher-disk) echo "Eddy persistent via ./eddy" ;;
  esac
}

# build_eddy : builds the checked-out Eddy once per benchmark, so a stale jar is never measured.
build_eddy() {
  [[ -n "${EDDY_BUILT:-}" ]] && return
  log "building Eddy (./eddy build)"
  JAVA_HOME="$BENCH_JAVA_HOME" "$REPO_DIR/eddy" build >&2
  EDDY_BUILT=1
}

# start_eddy VARIANT PORT RUN_DIR : launches Eddy with the shared JVM flags ($JVM_OPTS).
start_eddy() {
  local variant="$1" port="$2" run_dir="$3" jvm_flags
  read -r -a jvm_flags <<<"$JVM_OPTS"
  case "$variant" in
    eddy-memory)
      launch_server "$run_dir/server.log" "$run_dir" "$JAVA" "${jvm_flags[@]}" -jar "$EDDY_JAR" \
        --port "$port" --in-memory --quiet ;;
    eddy-disk)
      mkdir -p "$run_dir/data"
      launch_server "$run_dir/server.log" "$run_dir" "$JAVA" "${jvm_flags[@]}" -jar "$EDDY_JAR" \
        --port "$port" --data-dir "$run_dir/data" --quiet ;;
    eddy-launcher)
      JAVA_HOME="$BENCH_JAVA_HOME" EDDY_JAVA_OPTS="$JVM_OPTS" \
        launch_server "$run_dir/server.log" "$run_dir" "$REPO_DIR/eddy" --port "$port" --in-memory --quiet ;;
    eddy-launcher-disk)
      mkdir -p "$run_dir/data"
      JAVA_HOME="$BENCH_JAVA_HOME" EDDY_JAVA_OPTS="$JVM_OPTS" \
        launch_server "$run_dir/server.log" "$run_dir" "$REPO_DIR/eddy" --port "$port" --data-dir "$run_dir/data" --quiet ;;
  esac
}

# prepare_systems BASELINE : fetches the comparison system BASELINE (dynamodb-local, elasticmq) if $SYSTEM_LIST
# names it and builds Eddy if it names an Eddy variant; any other system is an error.
prepare_systems() {
  local system
  for system in "${SYSTEM_LIST[@]}"; do
    if [[ -n "$1" && "$system" == "$1" ]]; then
      "$BENCH_DIR/fetch.sh" "$system" >&2
    elif is_eddy_variant "$system"; then
      build_eddy
    else
      die "unknown system $system"
    fi
  done
}

# system_label SYSTEM : the name a report gives SYSTEM.
system_label() {
  case "$1" in
    dynamodb-local) echo "DynamoDB Local 3.3.1" ;;
    elasticmq) echo "ElasticMQ 1.7.1" ;;
    *) eddy_label "$1" ;;
  esac
}

# report_systems : sets SYSTEM_ARGS to report.py's --system arguments for $SYSTEM_LIST, in order.
report_systems() {
  local system
  SYSTEM_ARGS=()
  for system in "${SYSTEM_LIST[@]}"; do SYSTEM_ARGS+=(--system "$system=$(system_label "$system")"); done
}

# start_dynamodb_local PORT RUN_DIR : DynamoDB Local -inMemory with the shared JVM flags ($JVM_OPTS).
start_dynamodb_local() {
  local jvm_flags lib="$BENCH_DIR/.cache/dynamodb-local/lib"
  read -r -a jvm_flags <<<"$JVM_OPTS"
  launch_server "$2/server.log" "$2" "$JAVA" "${jvm_flags[@]}" -Djava.library.path="$lib" \
    -cp "$lib/*" software.amazon.dynamodb.services.local.main.ServerRunner -inMemory -port "$1" -disableTelemetry
}

# probe_list_tables : whether the server on $PORT answers DynamoDB's ListTables.
probe_list_tables() { aws_json_probe "$PORT" DynamoDB_20120810.ListTables dynamodb; }

# prime_eddy_launcher PROBE_FUNCTION RESULTS_DIR : on JDKs before 25 the launcher writes its class-data archive on
# the first exit after a build; one unmeasured start keeps that out of the measured runs.
# The probe reads the port from $PORT.
prime_eddy_launcher() {
  log "priming ./eddy (class-data archive)"
  mkdir -p "$2/prime-eddy-launcher"
  PORT=$(free_port)
  start_eddy eddy-launcher "$PORT" "$2/prime-eddy-launcher"
  wait_until_served "$1" "$2/prime-eddy-launcher/server.log" >/dev/null
  stop_server
}

# rotated_systems RUN SYSTEM... : the systems in the order to run them in RUN. Each run starts with the next
# system, so a neighbour's load on this shared machine does not always hit the same one.
rotated_systems() {
  local run="$1"
  shift
  local systems=("$@") index
  for index in "${!systems[@]}"; do
    echo "${systems[$(( (index + run - 1) % ${#systems[@]} ))]}"
  done
}

# The machine is shared: before a server starts, wait (bounded) until other processes leave the CPUs mostly
# idle, and while load runs, measure how much CPU other processes took (see run_wrk).
QUIET_CPU_PERCENT="${QUIET_CPU_PERCENT:-25}"
QUIET_WAIT_S="${QUIET_WAIT_S:-60}"

cpu_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU ticks of this script's finished children (cutime + cstime of the main shell: `times` would run in the
# command substitution's subshell, whose children counters start at zero).
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

wait_for_quiet_machine() {
  local deadline=$(( $(date +%s) + QUIET_WAIT_S )) before after busy_percent waiting_logged=""
  while true; do
    before=$(cpu_busy_ticks)
    sleep 2
    after=$(cpu_busy_ticks)
    busy_percent=$(( (after - before) * 100 / (2 * 100 * $(nproc)) ))
    (( busy_percent <= QUIET_CPU_PERCENT )) && return
    if (( $(date +%s) >= deadline )); then
      log "other processes still use ${busy_percent}% of the CPUs after ${QUIET_WAIT_S} s; going on"
      return
    fi
    if [[ -z "${waiting_logged:-}" ]]; then
      log "waiting up to ${QUIET_WAIT_S} s for a quieter machine: other processes use ${busy_percent}% of the CPUs"
      waiting_logged=1
    fi
  done
}

# run_wrk OUTPUT_FILE SCRIPT PORT DURATION_S SCRIPT_ARGS... : runs wrk with WRK_THREADS/WRK_CONNECTIONS and
# sets WRK_RPS, WRK_DURATION_S, WRK_P50_US, WRK_P99_US, WRK_SOCKET_ERRORS from the script's RESULT line, and
# WRK_RESULT to the line itself (wrk_field reads script-specific fields from it), and WRK_OTHER_CPU_PERCENT to
# the share of all CPUs that processes other than the server and wrk used meanwhile.
# Any HTTP error status aborts: throughput of failing requests means nothing.
run_wrk() {
  local output="$1" script="$2" port="$3" duration="$4"
  shift 4
  local busy_before server_before children_before started_ns
  busy_before=$(cpu_busy_ticks); server_before=$(process_ticks "$SERVER_PID")
  children_before=$(children_ticks); started_ns=$(date +%s%N)
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${duration}s" --timeout 10s --latency \
    -s "$script" "http://127.0.0.1:$port/" -- "$@" >"$output" 2>&1 || { cat "$output" >&2; die "wrk failed"; }
  local other_ticks elapsed_ticks
  other_ticks=$(( $(cpu_busy_ticks) - busy_before - ($(process_ticks "$SERVER_PID") - server_before)
    - ($(children_ticks) - children_before) ))
  elapsed_ticks=$(( ($(date +%s%N) - started_ns) / 10000000 ))
  WRK_OTHER_CPU_PERCENT=$(( other_ticks > 0 ? other_ticks * 100 / (elapsed_ticks * $(nproc)) : 0 ))
  WRK_RESULT=$(grep '^RESULT ' "$output") || { cat "$output" >&2; die "wrk printed no RESULT line"; }
  local requests duration_us status_errors
  requests=$(wrk_field requests)
  duration_us=$(wrk_field duration_us)
  status_errors=$(wrk_field status_errors)
  WRK_SOCKET_ERRORS=$(wrk_field socket_errors)
  WRK_P50_US=$(wrk_field p50_us)
  WRK_P99_US=$(wrk_field p99_us)
  (( status_errors == 0 )) || { cat "$output" >&2; die "$status_errors requests answered with an HTTP error ($output)"; }
  (( requests > 0 )) || die "no request completed ($output)"
  WRK_DURATION_S=$(python3 -c "print($duration_us / 1e6)")
  WRK_RPS=$(per_second "$requests")
}

wrk_field() { sed -E "s/.* $1=([0-9]+).*/\\1/" <<<"$WRK_RESULT"; }

# per_second COUNT : COUNT divided by the last wrk run's duration.
per_second() { python3 -c "print(round($1 / $WRK_DURATION_S, 1))"; }

# record RUN SYSTEM METRIC VALUE : appends to RAW_RESULTS (TSV read by lib/report.py).
record() {
  printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW_RESULTS"
}

# start_measured RUN SYSTEM RUN_DIR PROBE : once the machine is quiet, starts SYSTEM on $PORT with the script's
# start_system, waits until PROBE is served, lets it idle IDLE_SETTLE_S seconds, and records the load average,
# startup time and idle RSS (also left in STARTUP_MS and IDLE_RSS_KIB).
start_measured() {
  local run="$1" system="$2" run_dir="$3" probe="$4"
  wait_for_quiet_machine
  record "$run" "$system" load_average "$(cut -d' ' -f1 /proc/loadavg)"
  start_system "$system" "$PORT" "$run_dir"
  STARTUP_MS=$(wait_until_served "$probe" "$run_dir/server.log")
  sleep "$IDLE_SETTLE_S"
  IDLE_RSS_KIB=$(rss_kib "$SERVER_PID" VmRSS)
  record "$run" "$system" startup_ms "$STARTUP_MS"
  record "$run" "$system" idle_rss_kib "$IDLE_RSS_KIB"
}

# contention_note [CONSEQUENCE] : a markdown line when other processes took more than QUIET_CPU_PERCENT of the
# CPUs during some measured load (metric other_cpu_percent in RAW_RESULTS), nothing otherwise. CONSEQUENCE says
# what that means for the numbers; the default suits benchmarks that compare servers by ratios.
contention_note() {
  local consequence="${1:-every server got less CPU than the machine has: absolute numbers are lower and startup times longer than on a quiet machine; the ratios, measured under the same conditions, are the meaningful part.}"
  awk -F'\t' -v quiet="$QUIET_CPU_PERCENT" -v consequence="$consequence" '$3 == "other_cpu_percent" && $4 > worst { worst = $4 }
    END { if (worst > quiet) printf "- **Disturbed measurement:** other processes on this shared machine used up to %d%% of all CPUs during the measured load (see the last row), so %s\n", worst, consequence }' \
    "$RAW_RESULTS"
}

# machine_preamble COMMAND_LINE : markdown describing when, how and where the benchmark ran (and the wrk load,
# for benchmarks that set WRK_THREADS).
machine_preamble() {
  local eddy_commit
  eddy_commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  cat <<MD
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit \`$eddy_commit\`
- Command: \`$1\`
- Machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name: +//p')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)
- JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ +java\.runtime\.version = //p') ($BENCH_JAVA_HOME), same JVM flags for every server: \`$JVM_OPTS\`
MD
  [[ -z "${WRK_THREADS:-}" ]] || cat <<MD
- Load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $WRK_THREADS threads, $WRK_CONNECTIONS connections, closed loop (each connection sends its next request when the previous answer arrived); load generator and server share the machine's CPUs
MD
}
