#!/usr/bin/env bash
# Runs bench/micro/MessageLogOptions.java (the message log's write-path options, CPU time per message and per
# fsync) and keeps its output in bench/results/<time>-message-log/: results.txt (the table lines), results.jsonl
# (one JSON line per variant and batch size) and README.md (when, where, the load average).
# Usage: bench/micro/message-log.sh [variants] [batch sizes] [scale]   (defaults: all six, 1,10,100,1000, 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/micro/micro.sh
# on the build's disk: fsync must reach a real device (not tmpfs)
micro message-log message-log "Message-log write-path options" bench/micro/MessageLogOptions.java bench/target/message-log "$@"
