#!/usr/bin/env bash
# Describe a training job (SageMaker's DescribeTrainingJob response).
#
#   examples/describe-job.sh NAME
#
# The server is $TRAINYARD_URL (default http://localhost:8080).
set -euo pipefail

url=${TRAINYARD_URL:-http://localhost:8080}
if [[ $# -ne 1 ]]; then
  echo "usage: $0 NAME" >&2
  exit 2
fi
name=$1

pretty() { if command -v jq >/dev/null 2>&1; then jq .; else cat; echo; fi; }

curl -sS --fail-with-body "$url/v1/training-jobs/$name" | pretty
