#!/usr/bin/env bash
# Runs bench/micro/PasswordKdf.java (the CPU time of one password check at each Argon2id cost, the server's own
# PasswordHasher) and keeps its output in bench/results/<time>-password-kdf/: results.txt, results.jsonl (one JSON
# line per cost) and README.md (when, where, the load average). Under the bench lock on a shared machine.
# Usage: bench/micro/password-kdf.sh [checks per cost] [costs]   (defaults: 30, 19456x2,256x1: the server's default
# and the benchmarks' light one)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/micro/micro.sh
micro password-kdf password-kdf "Password checks: CPU time per Argon2id check" bench/micro/PasswordKdf.java \
  bench/target/password-kdf "$@"
