# The Parley server's JVM options, sourced by the scripts that start it (releng/scripts/run.sh, bench/run.sh);
# the Docker image, the systemd unit and docs/operations.md give the same line (DockerfileIT checks they agree).
# Why this collector and this heap target: docs/decisions/server-gc.md. PARLEY_SERVER_GC replaces them (e.g.
# "-XX:+UseG1GC -XX:MaxGCPauseMillis=10", or "-XX:+UseZGC" alone for the fastest 1:1 rate at several times the
# memory), to compare or to size a large server. PARLEY_SERVER_MEMORY replaces the options that keep the process
# small whatever the collector (set it empty for the JVM's defaults): compact object headers (8-byte headers, JDK
# 25) and a trim of the C heap every 10 s (-XX:TrimNativeHeapInterval: glibc keeps what the JIT and the collector
# freed, tens of MiB after a burst of logins, unless asked to give it back; docs/performance.md, "Fifth round,
# part 6"). -XX:+ExitOnOutOfMemoryError is kept whatever these say: a server out of memory is alive but cannot
# serve anyone, so it exits and its supervisor starts it again (docs/operations.md, "Start and stop").
# shellcheck disable=SC2034,SC2206
PARLEY_SERVER_JVM_OPTS=(${PARLEY_SERVER_GC:--XX:+UseZGC -Xms64m -XX:SoftMaxHeapSize=160m}
  ${PARLEY_SERVER_MEMORY--XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=10000} -XX:+ExitOnOutOfMemoryError)
