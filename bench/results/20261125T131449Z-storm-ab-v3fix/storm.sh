#!/usr/bin/env bash
# storm.sh JAR OUT [KEEPDIR] : fan-out (10,100,1000) first (skewed statistics as in the full run), then a 10,000-client storm.
# Adapted from bench/results/20261125T111243Z-storm-ab/storm3.sh. EXTRA_JAVA adds server JVM flags (e.g. JFR).
set -euo pipefail
cd /work/wt/v3ab; . releng/scripts/env.sh >/dev/null
jar=$1; out=$2; keep=${3:-}
mkdir -p /tmp/v3ab/srv
dir=$(mktemp -d /tmp/v3ab/srv/srv.XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ulimit -n 20000
taskset -c 0 java -Xmx2g -XX:+UseZGC ${EXTRA_JAVA:-} -jar "$jar" --plaintext --host 127.0.0.1 --port $port --data-dir $dir --argon2-memory-kib 256 --argon2-iterations 1 --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 > $dir/server.log 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
g="taskset -c 1 java -Xmx2g -Xss256k -jar /tmp/v3ab/jars/parley-bench.jar --out $out --target parley --port $port --server-pids $spid --variant $(basename $jar)"
$g --scenario fanout --sizes 10,100,1000 --deliveries 1000 --seconds 2 --warmup 1 > /dev/null 2>&1 || true
$g --scenario reconnect --clients 10000 --in-flight 500 --timeout-seconds 180 2>&1 | tail -3 || true
if [ -n "${JFR_OUT:-}" ]; then jcmd $spid JFR.dump filename="$JFR_OUT" >/dev/null || true; fi
kill $spid; wait $spid 2>/dev/null || true
if [ -n "$keep" ]; then echo "kept $dir"; else rm -rf $dir; fi
