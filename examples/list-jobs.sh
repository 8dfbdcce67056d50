#!/usr/bin/env bash
# List training jobs (SageMaker's ListTrainingJobs), one page.
#
#   examples/list-jobs.sh [PARAM=VALUE ...]
#
# Parameters, all optional (values are URL-encoded for you):
#   StatusEquals=InProgress|Completed|Failed|Stopping|Stopped
#   NameContains=TEXT
#   CreationTimeAfter=EPOCH_SECONDS   CreationTimeBefore=EPOCH_SECONDS
#   LastModifiedTimeAfter=EPOCH_SECONDS   LastModifiedTimeBefore=EPOCH_SECONDS
#   SortBy=Name|CreationTime|Status   SortOrder=Ascending|Descending
#   MaxResults=1..100 (default 10)    NextToken=TOKEN (from the previous page)
#
# Example: examples/list-jobs.sh StatusEquals=InProgress SortBy=Name MaxResults=50
#
# The server is $TRAINYARD_URL (default http://localhost:8080).
set -euo pipefail

url=${TRAINYARD_URL:-http://localhost:8080}

params=()
for p in "$@"; do
  if [[ $p != *=* ]]; then
    echo "list-jobs.sh: expected PARAM=VALUE, got '$p'" >&2
    exit 2
  fi
  params+=(--data-urlencode "$p")
done

pretty() { if command -v jq >/dev/null 2>&1; then jq .; else cat; echo; fi; }

curl -sS --fail-with-body -G "$url/v1/training-jobs" "${params[@]}" | pretty
