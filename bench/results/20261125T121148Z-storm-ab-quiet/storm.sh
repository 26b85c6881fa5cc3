#!/usr/bin/env bash
# storm3.sh JAR OUT : fan-out with a 1,000-member group first (statistics as in the full run), then a 10,000 storm
set -euo pipefail
cd /work/wt/bench2; . releng/scripts/env.sh >/dev/null
jar=$1; out=$2
dir=$(mktemp -d /tmp/b2exp/srv.XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ulimit -n 20000
taskset -c 0 java -Xmx2g -XX:+UseZGC -jar "$jar" --plaintext --host 127.0.0.1 --port $port --data-dir $dir --argon2-memory-kib 256 --argon2-iterations 1 --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 > $dir/server.log 2>&1 &
spid=$!
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
g="taskset -c 1 java -Xmx2g -Xss256k -jar bench/target/parley-bench.jar --out $out --target parley --port $port --server-pids $spid --variant $(basename $jar)"
$g --scenario fanout --sizes 10,100,1000 --deliveries 1000 --seconds 2 --warmup 1 > /dev/null 2>&1 || true
$g --scenario reconnect --clients 10000 --in-flight 500 --timeout-seconds 120 2>&1 | tail -1
kill $spid; wait $spid 2>/dev/null || true; rm -rf $dir
