#!/usr/bin/env bash
# Fuzzes every Jazzer fuzz test (classes named *FuzzTest, one @FuzzTest method each) in turn, each in its own JVM
# for the time its annotation gives (maxDuration, a minute), then stops. In the normal test run the same tests only
# replay their committed inputs (regression mode). A finding fails the run and leaves the input that caused it in
# the test's resource directory (…/<Class>Inputs/<method>/crash-…): commit it, it is a regression test from then on.
# Each run goes on from the corpus it found before (.cifuzz-corpus/, not committed); run this again, or with
# --rounds N, to fuzz longer (docs/testing.md). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh

rounds=1
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
  echo "fuzzing, round $round of $rounds"
  if ! JAZZER_FUZZ=1 ./mvnw -B -ntp verify -pl "$modules" -am -Dtest='*FuzzTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -DreuseForks=false -DskipITs "$@"; then
    show_findings
    exit 1
  fi
done
