#!/usr/bin/env bash
# `make bench` (after `make build`): every benchmark of issue 6, each beside
# the baseline measured in the same run, then the table of ratios and targets
# (bench/report.py). Builds nothing. Loopback only; about 3 minutes on 2 cores.
#
#   1. Google Benchmark (build/bin/trainyard_bench): engine events/s against a
#      bare std::priority_queue loop, placement with 100k waiting jobs, engine
#      memory per waiting job, SQLite creates/s with group commit against one
#      commit per create.
#   2. HTTP load with wrk: build/bin/trainyard against build/bin/baseline_server
#      (same Beast, fixed reply, no work), Describe and Create, 64 connections.
#   3. `trainyard simulate` on a generated 100k-job, 30-day trace.
#
# Outputs land in build/bench/ (micro.json, wrk-*.txt, simulate.txt,
# summary.md, summary.json). Knobs (environment):
#   BUILD_DIR=build  WRK_DURATION=10s  WRK_CONNECTIONS=64  WRK_THREADS=2
#   SIM_JOBS=100000  BENCH_FILTER=<regex for trainyard_bench>  SKIP_HTTP=1  SKIP_SIM=1
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build}
bin=$BUILD_DIR/bin
out=$BUILD_DIR/bench
WRK_DURATION=${WRK_DURATION:-10s}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
SIM_JOBS=${SIM_JOBS:-100000}
BENCH_FILTER=${BENCH_FILTER:-.}

for b in trainyard trainyard_bench baseline_server; do
  [[ -x $bin/$b ]] || { echo "bench: $bin/$b is missing; run 'make bench' (it builds first)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk, or make deps)" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/micro.json "$out"/wrk-*.txt "$out"/simulate.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trainyard-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. micro
echo "== 1. Google Benchmark: $bin/trainyard_bench (store files in $tmp)"
TRAINYARD_BENCH_DIR=$tmp "$bin/trainyard_bench" --benchmark_format=console \
  --benchmark_filter="$BENCH_FILTER" \
  --benchmark_out="$out/micro.json" --benchmark_out_format=json

# ---------------------------------------------------------------- 2. HTTP
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_ready() {  # url
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: $1 did not answer within 10 s" >&2
  return 1
}
run_wrk() {  # name url [lua-script [script args...]]
  local name=$1 url=$2; shift 2
  local script=() script_args=()
  if [[ $# -gt 0 ]]; then script=(-s "$1"); shift; fi
  if [[ $# -gt 0 ]]; then script_args=(-- "$@"); fi
  echo "-- wrk $name: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency ${script[*]} $url ${script_args[*]}"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "${script[@]}" "$url" "${script_args[@]}" \
    | tee "$out/wrk-$name.txt" | grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors' || true
}

if [[ ${SKIP_HTTP:-0} != 1 ]]; then
  echo "== 2. HTTP load: trainyard vs baseline_server, both on 127.0.0.1, $WRK_THREADS server threads each"
  # Zero capacity: creates are stored and wait in the queue, no job ever
  # starts (the manual clock never moves), so Create measures validation,
  # the engine's Submit and the durable group commit, not placement.
  cat >"$tmp/capacity.json" <<'EOF'
{"Pools": [{"InstanceType": "ml.m5.large", "OnDemandPricePerHour": 0.115, "OnDemandCapacity": 0,
            "SpotCapacity": 0, "SpotPriceRatio": 0.3, "InterruptionRatePerHour": 0.01,
            "LaunchSeconds": 120, "NetworkGbps": 10}]}
EOF
  ty_port=$(free_port)
  "$bin/trainyard" serve --listen "127.0.0.1:$ty_port" --db "$tmp/trainyard.db" --clock manual \
    --capacity "$tmp/capacity.json" --static-market --threads 2 --log-level warn \
    >"$tmp/trainyard.log" 2>&1 &
  pids+=($!)
  ty=http://127.0.0.1:$ty_port
  wait_ready "$ty/readyz" || { cat "$tmp/trainyard.log" >&2; exit 1; }

  # Seed 100 jobs; Describe reads one of them.
  for i in $(seq -w 1 100); do
    sed "s/\"bench-template\"/\"bench-seed-$i\"/" bench/create_request.json |
      curl -fsS -o /dev/null -X POST "$ty/v1/training-jobs" -H 'Content-Type: application/json' \
        --data-binary @- || { echo "bench: seeding job $i failed" >&2; exit 1; }
  done
  describe_path=/v1/training-jobs/bench-seed-050
  curl -fsS -o "$tmp/describe.json" "$ty$describe_path"
  echo "seeded 100 jobs; Describe answers $(wc -c <"$tmp/describe.json") bytes"

  # The baseline sends those very bytes, so both servers write the same reply.
  bl_port=$(free_port)
  "$bin/baseline_server" --listen "127.0.0.1:$bl_port" --threads 2 --body-file "$tmp/describe.json" \
    >"$tmp/baseline.log" 2>&1 &
  pids+=($!)
  bl=http://127.0.0.1:$bl_port
  wait_ready "$bl/" || { cat "$tmp/baseline.log" >&2; exit 1; }

  run_wrk describe-trainyard "$ty$describe_path"
  run_wrk describe-baseline "$bl$describe_path"
  run_id=$(date +%s)
  run_wrk create-trainyard "$ty/v1/training-jobs" bench/create.lua "$run_id" bench/create_request.json
  run_wrk create-baseline "$bl/v1/training-jobs" bench/create.lua "$run_id" bench/create_request.json

  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()

  # Every create answered 2xx must be on disk (wrk may also have left a few
  # in flight at the end, which the server finished: stored >= answered).
  answered=$(( $(grep -oP '\d+(?= requests in)' "$out/wrk-create-trainyard.txt" || echo 0) -
               $(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$out/wrk-create-trainyard.txt" || echo 0) ))
  if command -v sqlite3 >/dev/null; then
    stored=$(sqlite3 "$tmp/trainyard.db" 'SELECT count(*) FROM jobs')
    echo "durability: $stored jobs stored; 100 seeded + $answered creates answered 2xx" |
      tee "$out/create-durability.txt"
    (( stored >= answered + 100 )) || echo "bench: WARNING: fewer jobs stored than creates answered" >&2
  fi
fi

# ---------------------------------------------------------------- 3. simulate
if [[ ${SKIP_SIM:-0} != 1 ]]; then
  if "$bin/trainyard" simulate --help 2>/dev/null | grep -q -- --generate; then
    echo "== 3. trainyard simulate: a generated $SIM_JOBS-job, 30-day trace (seed 1)"
    "$bin/trainyard" simulate --generate "$SIM_JOBS" --seed 1 >"$tmp/w.jsonl"
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time.txt" timeout 300 \
      "$bin/trainyard" simulate --jobs "$tmp/w.jsonl" --format json >"$out/simulate-output.json" \
      2>"$tmp/simulate.err" || rc=$?
    read -r secs user sys rss <"$tmp/time.txt" || { secs=0; user=0; sys=0; rss=0; }
    echo "seconds=$secs user=$user sys=$sys jobs=$SIM_JOBS rc=$rc maxrss_kb=$rss" | tee "$out/simulate.txt"
    [[ $rc == 0 ]] || tail -5 "$tmp/simulate.err" >&2
  else
    echo "== 3. skipped: this trainyard has no 'simulate --generate'"
  fi
fi

echo "== figures (also in $out/summary.md); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/report.py "$out"
