#!/usr/bin/env bash
# Follow a training job's events live, as Server-Sent Events, until it ends:
# its history first, then each transition, placement, checkpoint, spot
# interruption notice, reclaim, retry or limit as it happens.
#
#   examples/follow-job.sh NAME [LAST_EVENT_ID]
#
# LAST_EVENT_ID resumes after that event (the `id:` of the last message you
# saw). The server is $TRAINYARD_URL (default http://localhost:8080).
set -euo pipefail

url=${TRAINYARD_URL:-http://localhost:8080}
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 NAME [LAST_EVENT_ID]" >&2
  exit 2
fi
name=$1
resume=()
if [[ $# -eq 2 ]]; then resume=(-H "Last-Event-ID: $2"); fi

# -N: print each event as it arrives. The server ends the stream after the
# job's final event, so curl exits by itself.
curl -sS -N --fail-with-body "${resume[@]}" "$url/v1/training-jobs/$name/events?follow=true"
