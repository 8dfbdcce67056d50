#!/usr/bin/env bash
# What would spot capacity have saved? Submits a small workload taken from
# public case studies of training on spot capacity, each with and without spot,
# drives the clock until every job has ended, then prints the savings from
# GET /v1/cost-report: by strategy, by case, and job by job.
#
#   examples/spot-savings-demo.sh
#
# The workload (the requests in examples/jobs/, renamed and tagged):
#   rail defect detection   1 x ml.p3.2xlarge, 10 h of training, 40 GB in File mode
#                           - managed spot with checkpoints   (spot-p3-defect-detection.json)
#                           - the same on on-demand           (ondemand-p3-rail-inspection.json)
#   ImageNet ResNet-50      8 x ml.p3dn.24xlarge, 4.1 h of training, Pipe mode
#                           - managed spot with checkpoints   (spot-p3dn-x8-resnet50-imagenet.json)
#                           - managed spot, no checkpoints    (spot-p3dn-x8-resnet50-no-checkpoint.json)
#   customer churn XGBoost  1 x ml.m5.large, 30 min, on-demand (ondemand-m5-churn-xgboost.json)
# Every job gets the tags case=..., strategy=spot-checkpoint|spot-no-checkpoint|on-demand,
# variant=<case>/<strategy> and demo-run=<run id>, and a name ending in the run id.
#
# Time: with a manual clock (trainyard serve --clock manual) the script
# advances it one step at a time and prints where each job is; with the real
# clock it polls until every job has ended (start the server with
# --time-scale 3600 to run an hour of training per second). Either way, once a
# spot job on ml.p3dn.24xlarge has trained for a while, it reclaims that
# spot capacity once (POST /v1/admin/capacity/ml.p3dn.24xlarge/interrupt) to
# show what an interruption costs with and without checkpoints. The market
# may interrupt spot jobs by itself as well.
#
# Environment:
#   TRAINYARD_URL                 server (default http://localhost:8080)
#   DEMO_RUN_ID                   suffix of the job names (default: time and PID)
#   DEMO_STEP_SECONDS             manual clock: seconds per step (default 3600)
#   DEMO_POLL_SECONDS             real clock: seconds between polls (default 2)
#   DEMO_INTERRUPT_AFTER_SECONDS  reclaim once this long after submission (default 7200; 0: never)
#   DEMO_MAX_HOURS                give up waiting after this much virtual time (default 72)
#
# Needs bash and curl only. Exits non-zero, saying why, when the server is
# unreachable or refuses a request.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
url=${TRAINYARD_URL:-http://localhost:8080}
url=${url%/}
run=${DEMO_RUN_ID:-$(date +%H%M%S)-$$}
step=${DEMO_STEP_SECONDS:-3600}
poll=${DEMO_POLL_SECONDS:-2}
interrupt_after=${DEMO_INTERRUPT_AFTER_SECONDS:-7200}
interrupt_type=ml.p3dn.24xlarge
max_hours=${DEMO_MAX_HOURS:-72}

die() {
  echo "spot-savings-demo.sh: $*" >&2
  exit 1
}

[[ $run =~ ^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$ ]] || die "DEMO_RUN_ID must be letters, digits and single dashes (got '$run')"
for n in "$step" "$poll" "$interrupt_after" "$max_hours"; do
  [[ $n =~ ^[0-9]+$ ]] || die "DEMO_* settings must be whole numbers (got '$n')"
done
((step > 0)) || die "DEMO_STEP_SECONDS must be positive"
command -v curl >/dev/null || die "needs curl"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spot-savings-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- HTTP and JSON, with curl and bash only (few processes: each costs) ----------

# call METHOD PATH [JSON_BODY]: sets `resp` to the response body; dies on a
# transport error or a non-2xx status, showing the service's error. `accept`,
# when set, goes out as the Accept header.
accept='' resp=''
call() {
  local method=$1 path=$2 body=${3-} code
  local args=(-sS --max-time 30 -X "$method" -o "$tmp/body" -w '%{http_code}' -H 'Expect:')
  if [[ -n $accept ]]; then args+=(-H "Accept: $accept"); fi
  if [[ -n $body ]]; then args+=(-H 'Content-Type: application/json' --data-binary "$body"); fi
  if ! code=$(curl "${args[@]}" "$url$path" 2>"$tmp/err"); then
    IFS= read -r -d '' resp <"$tmp/err" || true
    die "$method $url$path failed: ${resp%$'\n'}"
  fi
  resp=
  if [[ -s $tmp/body ]]; then IFS= read -r -d '' resp <"$tmp/body" || true; fi
  [[ $code == 2?? ]] || die "$method $path -> HTTP $code: $resp"
}

# Requests that go out together, in order, in one curl (--next): queue
# METHOD PATH [JSON_BODY] for each, then send; send sets replies[k] (the body,
# compact JSON on one line) and dies, showing the service's error, unless
# every answer is 2xx.
queued=() queued_args=() replies=()
queue() {
  ((${#queued[@]} == 0)) || queued_args+=(--next)
  queued_args+=(-sS --max-time 30 -X "$1" -w '\n%{http_code}\n' -H 'Expect:')
  if [[ -n ${3-} ]]; then queued_args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  queued_args+=("$url$2")
  queued+=("$1 $2")
}
send() {
  local k lines=()
  if ! curl "${queued_args[@]}" >"$tmp/all" 2>"$tmp/err"; then
    IFS= read -r -d '' resp <"$tmp/err" || true
    die "${queued[0]} ... failed at $url: ${resp%$'\n'}"
  fi
  mapfile -t lines <"$tmp/all"
  replies=()
  for k in "${!queued[@]}"; do
    [[ ${lines[2 * k + 1]-} == 2?? ]] ||
      die "${queued[$k]} -> HTTP ${lines[2 * k + 1]-}: ${lines[2 * k]-}"
    replies[k]=${lines[2 * k]}
  done
  queued=() queued_args=()
}

# jget VAR JSON KEY: VAR = the first string or number value of member KEY
# (in the compact JSON the server sends), or empty. KEY is a regex.
jget() {
  local re="\"$3\":(\"([^\"]*)\"|-?[0-9][0-9.eE+-]*|true|false)"
  if [[ $2 =~ $re ]]; then
    if [[ ${BASH_REMATCH[1]} == \"* ]]; then
      printf -v "$1" '%s' "${BASH_REMATCH[2]}"
    else
      printf -v "$1" '%s' "${BASH_REMATCH[1]}"
    fi
  else
    printf -v "$1" '%s' ""
  fi
}

# whole VAR NUMBER: VAR = the integer part of a JSON number (seconds).
whole() { local x=${2%%[.eE]*}; printf -v "$1" '%s' "${x:-0}"; }

# hours VAR SECONDS: VAR = seconds as hours with one decimal.
hours() { printf -v "$1" '%d.%d' $(($2 / 3600)) $(($2 % 3600 * 10 / 3600)); }

# --- is there a server? -----------------------------------------------------------

# (Set through jget, whole, hours and look.)
mode='' t0='' t0_s=0 scale='' t1='' t1_s=0 now='' now_s=0 elapsed='' noticed=''
job_status='' job_interruptions=0 job_cell=''

if ! code=$(curl -sS --max-time 5 -o "$tmp/body" -w '%{http_code}' "$url/v1/admin/clock" 2>"$tmp/err"); then
  IFS= read -r -d '' err <"$tmp/err" || true
  die "cannot reach a trainyard server at $url: ${err%$'\n'}
  Start one, e.g.  build/bin/trainyard serve --clock manual --static-market  (or make run),
  or point TRAINYARD_URL at it."
fi
clock=
if [[ -s $tmp/body ]]; then IFS= read -r -d '' clock <"$tmp/body" || true; fi
[[ $code == 200 ]] || die "GET $url/v1/admin/clock -> HTTP $code: is this a trainyard server? $clock"
jget mode "$clock" Mode
jget t0 "$clock" Now
jget scale "$clock" TimeScale
[[ -n $mode && -n $t0 ]] || die "unexpected answer from GET $url/v1/admin/clock: $clock"
whole t0_s "$t0"

# --- the workload -------------------------------------------------------------------

# label | request file | case | strategy
workload=(
  "rail/spot-ckpt|spot-p3-defect-detection.json|rail-defect-detection|spot-checkpoint"
  "rail/on-demand|ondemand-p3-rail-inspection.json|rail-defect-detection|on-demand"
  "r50/spot-nockpt|spot-p3dn-x8-resnet50-no-checkpoint.json|imagenet-resnet50|spot-no-checkpoint"
  "r50/spot-ckpt|spot-p3dn-x8-resnet50-imagenet.json|imagenet-resnet50|spot-checkpoint"
  "churn/on-demand|ondemand-m5-churn-xgboost.json|customer-churn|on-demand"
)

# job_body FILE NAME CASE STRATEGY: sets `body` to the request with its name
# replaced and the demo's tags put in front of its own.
body=
job_body() {
  local re match tags rest
  [[ -r $1 ]] || die "cannot read $1"
  IFS= read -r -d '' body <"$1" || true
  re='"TrainingJobName"[[:space:]]*:[[:space:]]*"[^"]*"'
  [[ $body =~ $re ]] || die "no TrainingJobName in $1"
  match=${BASH_REMATCH[0]}
  body="${body%%"$match"*}\"TrainingJobName\": \"$2\"${body#*"$match"}"
  re='"Tags"[[:space:]]*:[[:space:]]*\['
  [[ $body =~ $re ]] || die "no Tags in $1"
  match=${BASH_REMATCH[0]}
  tags="{\"Key\": \"case\", \"Value\": \"$3\"}, {\"Key\": \"strategy\", \"Value\": \"$4\"},"
  tags+=" {\"Key\": \"variant\", \"Value\": \"$3/$4\"}, {\"Key\": \"demo-run\", \"Value\": \"$run\"}"
  rest=${body#*"$match"}
  [[ $rest =~ ^[[:space:]]*\] ]] || tags+=","
  body="${body%%"$match"*}\"Tags\": [$tags $rest"
}

labels=() names=() types=() strategies=() last_interruptions=() statuses=() secondaries=()
type_re='"InstanceType"[[:space:]]*:[[:space:]]*"([^"]*)"'

echo "trainyard at $url: $mode clock$([[ $mode == manual ]] || echo " x$scale"), run $run"
echo
echo "Submitting ${#workload[@]} jobs:"
for entry in "${workload[@]}"; do
  IFS='|' read -r label file case strategy <<<"$entry"
  name="demo-$run-${label//\//-}"
  job_body "$here/jobs/$file" "$name" "$case" "$strategy"
  [[ $body =~ $type_re ]] || die "no ResourceConfig.InstanceType in $file"
  type=${BASH_REMATCH[1]}
  labels+=("$label") names+=("$name") types+=("$type") strategies+=("$strategy")
  last_interruptions+=(0)
  call POST /v1/training-jobs "$body"
  printf '  %-17s %-42s %s, %s\n' "$label" "$name" "$type" "$strategy"
done
call GET /v1/admin/clock
jget t1 "$resp" Now
whole t1_s "$t1"
# The report covers the jobs created from t0 on and before the next second after
# the last one: these ones.
from=$t0
to=$((t1_s + 1))

if [[ $mode != manual ]]; then
  echo
  echo "Real clock at $scale virtual seconds per second: the workload needs about 13 hours"
  echo "of virtual time. A manual clock (--clock manual) or --time-scale 3600 makes it quick."
fi

# --- driving time ------------------------------------------------------------------

# look I NOW_SECONDS: reads docs[I]; sets job_status (TrainingJobStatus),
# job_interruptions, and job_cell: its SecondaryStatus, with the share of the
# training done while it trains.
look() {
  local d=${docs[$1]} work start pstart pct
  local re='\{"StartTime":([0-9.eE+]+),"Status":"Training"'
  local last_attempt='"ProgressAtStartSeconds":([0-9.eE+]+),"StartTime":[0-9.eE+]+\}\]'
  jget job_status "$d" TrainingJobStatus
  jget job_interruptions "$d" Interruptions
  job_interruptions=${job_interruptions:-0}
  jget job_cell "$d" SecondaryStatus
  jget work "$d" 'trainyard\.work_seconds'
  whole work "$work"
  # The open Training transition is the one without an EndTime (the server
  # sends members sorted, EndTime first); the attempt resumed from the last
  # attempt's ProgressAtStartSeconds (the one that closes the Attempts array).
  if [[ $job_cell == Training && $d =~ $re ]] && ((work > 0)); then
    whole start "${BASH_REMATCH[1]}"
    [[ $d =~ $last_attempt ]] || return 0
    whole pstart "${BASH_REMATCH[1]}"
    pct=$(((pstart + $2 - start) * 100 / work))
    ((pct <= 99)) || pct=99
    ((pct >= 0)) || pct=0
    job_cell="Training $pct%"
  fi
}

printf '\n%-8s' "time"
for label in "${labels[@]}"; do printf ' %-19s' "$label"; done
printf '\n'

reclaimed=0
((interrupt_after > 0)) || reclaimed=1
last_row=
first=1
while :; do
  # The clock (advanced by a step with a manual clock), then every job.
  if ((first)); then
    queue GET /v1/admin/clock
  elif [[ $mode == manual ]]; then
    queue POST /v1/admin/clock/advance "{\"Seconds\": $step}"
  else
    sleep "$poll"
    queue GET /v1/admin/clock
  fi
  first=0
  for i in "${!names[@]}"; do queue GET "/v1/training-jobs/${names[$i]}"; done
  send
  jget now "${replies[0]}" Now
  whole now_s "$now"
  docs=("${replies[@]:1}")

  row='' ended=0 victim='' events=()
  for i in "${!names[@]}"; do
    look "$i" "$now_s"
    case $job_status in Completed|Failed|Stopped) ended=$((ended + 1)) ;; esac
    statuses[i]=$job_status secondaries[i]=$job_cell
    printf -v cell ' %-19s' "$job_cell"
    row+=$cell
    if [[ ${strategies[$i]} == spot-* && ${types[$i]} == "$interrupt_type" && $job_cell == Training* ]]; then
      victim=${labels[$i]}
    fi
    if ((job_interruptions > last_interruptions[i])); then
      if [[ ${strategies[$i]} == spot-no-checkpoint ]]; then what="no checkpoint: training starts over"
      else what="it resumes from its last checkpoint"; fi
      if ((job_interruptions == last_interruptions[i] + 1)); then
        printf -v cell '%9s! %s: spot instances reclaimed (interruption %d), %s' "" "${labels[$i]}" \
          "$job_interruptions" "$what"
      else
        printf -v cell '%9s! %s: spot instances reclaimed %d times (%d in all), %s' "" "${labels[$i]}" \
          $((job_interruptions - last_interruptions[i])) "$job_interruptions" "$what"
      fi
      events+=("$cell")
      last_interruptions[i]=$job_interruptions
    fi
  done
  if [[ $mode == manual || $row != "$last_row" ]] || ((ended == ${#names[@]})); then
    hours elapsed $((now_s - t0_s))
    printf '%6s h%s\n' "$elapsed" "$row"
    last_row=$row
  fi
  ((${#events[@]} == 0)) || printf '%s\n' "${events[@]}"
  ((ended < ${#names[@]})) || break

  if ((!reclaimed && now_s - t0_s >= interrupt_after)) && [[ -n $victim ]]; then
    call POST "/v1/admin/capacity/$interrupt_type/interrupt" '{"Count": 1}'
    jget noticed "$resp" InstancesNoticed
    printf '%9s! the operator reclaims spot %s capacity: %s instances of %s get the 2-minute notice\n' \
      "" "$interrupt_type" "$noticed" "$victim"
    reclaimed=1
  fi
  if ((now_s - t0_s >= max_hours * 3600)); then
    echo "spot-savings-demo.sh: jobs still running after $max_hours virtual hours; reporting what they cost so far" >&2
    break
  fi
done

# --- the savings --------------------------------------------------------------------

# table TITLE GROUP_BY: GET /v1/cost-report as CSV, laid out as a table.
table() {
  accept=text/csv call GET "/v1/cost-report?GroupBy=$2&From=$from&To=$to"
  printf '\n%s\n' "$1"
  awk -F, '
    function num(name, fmt,   s) {
      s = sprintf(fmt, $(col[name]) + 0)
      if (s ~ /^-0(\.0*)?$/) s = substr(s, 2)   # no "-0.00"
      return s
    }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NF == 0 { next }
    {
      g = $1; gsub(/"/, "", g)
      n++; group[n] = g; if (length(g) > w) w = length(g)
      line[n] = sprintf("%5s %8s %10s %12s %10s %7s %7s %6s %7s %8s",
        num("Jobs", "%d"), num("InstanceHours", "%.1f"), num("ActualCost", "%.2f"),
        num("OnDemandEquivalentCost", "%.2f"), num("NetSavings", "%.2f"),
        num("NetSavingsPercent", "%.1f"), num("SavingsPercent", "%.1f"),
        num("Interruptions", "%d"), num("LostTrainingHours", "%.2f"), num("WaitingHours", "%.2f"))
    }
    END {
      if (w < 5) w = 5
      printf "  %-" w "s %5s %8s %10s %12s %10s %7s %7s %6s %7s %8s\n", "", "jobs", "inst-h", "cost $",
             "on-demand $", "saved $", "saved%", "SM%", "intr", "lost-h", "wait-h"
      for (i = 1; i <= n; i++) {
        if (group[i] == "Total") { rule = ""; for (j = 0; j < w + 87; j++) rule = rule "-"; print "  " rule }
        printf "  %-" w "s %s\n", group[i], line[i]
      }
    }' <<<"$resp"
}

echo
echo "What it cost (GET /v1/cost-report, jobs created from $from to $to):"
table "By strategy (GroupBy=Tag:strategy)" "Tag:strategy"
table "By case (GroupBy=Tag:case)" "Tag:case"
table "Job by job (GroupBy=Tag:variant)" "Tag:variant"
for i in "${!names[@]}"; do
  if [[ ${statuses[$i]} != Completed ]]; then
    printf '\n  Note: %s ended %s without finishing. Its on-demand $ is the whole job'"'"'s,\n' \
      "${labels[$i]}" "${secondaries[$i]}"
    printf '  so its saved $ counts work it never did.\n'
  fi
done
cat <<EOF

  cost \$       what the attempts cost, at the price of their market
  on-demand \$  the same job run once, uninterrupted, on on-demand capacity
  saved \$, %   on-demand \$ - cost \$: what spot saved net of the work lost to interruptions
  SM%          SageMaker's figure, (1 - BillableTimeInSeconds / TrainingTimeInSeconds) x 100
  lost-h       training hours done again after interruptions; wait-h: hours waiting for capacity

Again, as CSV:  curl -sS -H 'Accept: text/csv' '$url/v1/cost-report?GroupBy=Tag:strategy&From=$from&To=$to'
EOF
