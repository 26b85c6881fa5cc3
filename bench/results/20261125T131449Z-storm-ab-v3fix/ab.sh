#!/usr/bin/env bash
# Alternating A/B: main's jar (V1 schema) vs this branch's (fixed V3), after the fan-out scenario.
out=/tmp/v3ab/ab/results.jsonl; mkdir -p /tmp/v3ab/ab
for pair in 1 2; do
  for v in v1 v3fix; do
    echo "$(date -u +%T) pair $pair $v load $(cut -d' ' -f1-3 /proc/loadavg)"
    /tmp/v3ab/storm.sh /tmp/v3ab/jars/server-$v.jar $out
  done
done
echo "$(date -u +%T) done"
