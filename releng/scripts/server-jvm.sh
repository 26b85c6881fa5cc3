# The Parley server's JVM options, sourced by the scripts that start it (releng/scripts/run.sh, bench/run.sh);
# docs/operations.md gives the same line for other launchers. Why this collector and this heap target:
# docs/decisions/server-gc.md. PARLEY_SERVER_GC replaces them (e.g. "-XX:+UseG1GC -XX:MaxGCPauseMillis=10", or
# "-XX:+UseZGC" alone for the fastest 1:1 rate at several times the memory), to compare or to size a large server.
# -XX:+ExitOnOutOfMemoryError is kept whatever PARLEY_SERVER_GC says: a server out of memory is alive but cannot
# serve anyone, so it exits and its supervisor starts it again (docs/operations.md, "Start and stop").
# shellcheck disable=SC2034,SC2206
PARLEY_SERVER_JVM_OPTS=(${PARLEY_SERVER_GC:--XX:+UseZGC -XX:SoftMaxHeapSize=256m} -XX:+ExitOnOutOfMemoryError)
