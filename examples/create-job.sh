#!/usr/bin/env bash
# Create a training job from a CreateTrainingJob request file: the same JSON
# that `aws sagemaker create-training-job --cli-input-json file://...` takes.
#
#   examples/create-job.sh [JOB_FILE] [NAME]
#
#   JOB_FILE  default: examples/jobs/spot-p3-defect-detection.json
#   NAME      optional: replaces the file's TrainingJobName (job names must be
#             unique, so this lets you submit the same file more than once)
#
# The server is $TRAINYARD_URL (default http://localhost:8080).
# Prints {"TrainingJobArn": "..."}; exits non-zero, printing the service's
# error, when the job is rejected.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
url=${TRAINYARD_URL:-http://localhost:8080}
file=${1:-$here/jobs/spot-p3-defect-detection.json}
name=${2:-}

body=$(<"$file")
if [[ -n $name ]]; then
  # Plain bash, no jq: swap the value of the first "TrainingJobName" member.
  re='"TrainingJobName"[[:space:]]*:[[:space:]]*"[^"]*"'
  if [[ ! $body =~ $re ]]; then
    echo "create-job.sh: no TrainingJobName in $file" >&2
    exit 2
  fi
  match=${BASH_REMATCH[0]}
  body="${body%%"$match"*}\"TrainingJobName\": \"$name\"${body#*"$match"}"
fi

pretty() { if command -v jq >/dev/null 2>&1; then jq .; else cat; echo; fi; }

# `Expect:` stops curl from waiting for a 100-continue on larger bodies.
curl -sS --fail-with-body -X POST "$url/v1/training-jobs" \
  -H 'Content-Type: application/json' -H 'Expect:' \
  --data-binary "$body" | pretty
