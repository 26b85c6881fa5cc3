#!/usr/bin/env bash
# Fuzzes every Jazzer fuzz test (classes named *FuzzTest, one @FuzzTest method each), each in its own JVM for
# FUZZ_SECONDS (default 60, the minute their annotations give), then stops. In the normal test run the same tests only
# replay their committed inputs (regression mode). A finding fails the run and leaves the input that caused it in
# the test's resource directory (…/<Class>Inputs/<method>/crash-…): commit it, it is a regression test from then on.
# Each run goes on from the corpus it found before (.cifuzz-corpus/, not committed); run this again, or with
# --rounds N, to fuzz longer (docs/testing.md). Extra arguments go to Maven.
#   FUZZ_SECONDS  how long each test fuzzes (libFuzzer's -max_total_time, which overrides the annotation's
#                 maxDuration: Jazzer's JUnit integration has no other way to set it from outside, see
#                 https://github.com/CodeIntelligenceTesting/jazzer/issues/951); CI uses 30
#   FUZZ_FORKS    how many tests of a module fuzz at once, each in its own JVM on one core (default 1); CI gives
#                 one per CPU, each test still fuzzing for FUZZ_SECONDS on a core of its own
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh

rounds=1
seconds=${FUZZ_SECONDS:-60}
forks=${FUZZ_FORKS:-1}
case "$seconds$forks" in *[!0-9]*|'') echo "FUZZ_SECONDS and FUZZ_FORKS are whole numbers" >&2; exit 2 ;; esac
if [ "${1:-}" = "--rounds" ]; then
  rounds=$2
  shift 2
fi
modules=bundles/org.parley.protocol.tests,server
# A finding in CI is lost with its machine: print every new input that caused one, so that the log alone
# reproduces it (base64 -d into the file named, then run the normal test run).
show_findings() {
  local f
  for f in $(find bundles/org.parley.protocol.tests/src/test/resources server/src/test/resources -name 'crash-*' \
    -newer "$stamp" 2>/dev/null); do
    echo "finding: $f (base64 follows)"
    base64 "$f"
  done
}
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
for ((round = 1; round <= rounds; round++)); do
  echo "fuzzing, round $round of $rounds: each test for $seconds s, $forks at a time"
  # jazzer.internal.arg.0 stands for libFuzzer's argv[0]; the flags after it come last on libFuzzer's command line.
  if ! JAZZER_FUZZ=1 ./mvnw -B -ntp verify -pl "$modules" -am -Dtest='*FuzzTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -DreuseForks=false -DforkCount="$forks" -DskipITs \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" "$@"; then
    show_findings
    exit 1
  fi
done
