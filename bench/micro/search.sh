#!/usr/bin/env bash
# Runs bench/micro/SearchMillion.java (search over 1,000,000 messages, issue 13: p50/p99 wall and CPU time per
# query, newest first, for a rare word, a word every message has and its prefix) against the LuceneMessageIndex in
# server/target/parley-server.jar (built if missing: rebuild it after changing the index) and keeps its output in
# bench/results/<time>-search-micro/: results.txt, results.jsonl (one JSON line per kind) and README.md.
# Usage: bench/micro/search.sh [messages]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/micro/micro.sh
# the index, on the build's disk
micro search search-micro "Search over 1,000,000 messages (issue 13)" bench/micro/SearchMillion.java bench/target/search-micro "$@"
