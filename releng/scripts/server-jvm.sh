# The Parley server's JVM options, sourced by the scripts that start it (releng/scripts/run.sh, bench/run.sh);
# docs/operations.md gives the same line for other launchers. Why this collector: docs/decisions/server-gc.md.
# PARLEY_SERVER_GC replaces the collector flags (e.g. "-XX:+UseG1GC -XX:MaxGCPauseMillis=10"), to compare.
# shellcheck disable=SC2034,SC2206
PARLEY_SERVER_JVM_OPTS=(${PARLEY_SERVER_GC:--XX:+UseZGC})
