# Shared helpers for the benchmark scripts (sourced, not run): starting and stopping one server at a
# time, startup time, RSS, wrk runs and the raw results file that lib/report.py turns into markdown.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_JAVA_HOME="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$BENCH_JAVA_HOME/bin/java"
SERVER_PID=""

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

# run_wrk OUTPUT_FILE SCRIPT PORT DURATION_S SCRIPT_ARGS... : runs wrk with WRK_THREADS/WRK_CONNECTIONS and
# sets WRK_RPS, WRK_P50_US, WRK_P99_US, WRK_SOCKET_ERRORS from the script's RESULT line.
# Any HTTP error status aborts: throughput of failing requests means nothing.
run_wrk() {
  local output="$1" script="$2" port="$3" duration="$4"
  shift 4
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${duration}s" --timeout 10s --latency \
    -s "$script" "http://127.0.0.1:$port/" -- "$@" >"$output" 2>&1 || { cat "$output" >&2; die "wrk failed"; }
  local result
  result=$(grep '^RESULT ' "$output") || { cat "$output" >&2; die "wrk printed no RESULT line"; }
  local requests duration_us status_errors
  requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$result")
  duration_us=$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<<"$result")
  status_errors=$(sed -E 's/.* status_errors=([0-9]+).*/\1/' <<<"$result")
  WRK_SOCKET_ERRORS=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$result")
  WRK_P50_US=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$result")
  WRK_P99_US=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$result")
  (( status_errors == 0 )) || { cat "$output" >&2; die "$status_errors requests answered with an HTTP error ($output)"; }
  (( requests > 0 )) || die "no request completed ($output)"
  WRK_RPS=$(python3 -c "print(round($requests / ($duration_us / 1e6), 1))")
}

# record RUN SYSTEM METRIC VALUE : appends to RAW_RESULTS (TSV read by lib/report.py).
record() {
  printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW_RESULTS"
}

# machine_preamble COMMAND_LINE : markdown describing when, how and where the benchmark ran.
machine_preamble() {
  local eddy_commit
  eddy_commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  cat <<MD
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); Eddy commit \`$eddy_commit\`
- Command: \`$1\`
- Machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name: +//p')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)
- JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ +java\.runtime\.version = //p') ($BENCH_JAVA_HOME), same JVM flags for every server: \`$JVM_OPTS\`
- Load: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $WRK_THREADS threads, $WRK_CONNECTIONS connections, closed loop (each connection sends its next request when the previous answer arrived); load generator and server share the machine's CPUs
MD
}
