#!/usr/bin/env bash
# Before/after pairs: runs one generator scenario against two server jars, alternately, each on a fresh server
# pinned to CPU 0 (generator on CPU 1), so that both see the same machine; read the ratios, not the absolutes.
#
#   bench/ab.sh PAIRS BEFORE.jar AFTER.jar GENERATOR-ARGS...
#   e.g. bench/ab.sh 2 /tmp/before.jar server/target/parley-server.jar \
#          --scenario fanout --sizes 100,1000 --deliveries 5000,10000,25000 --seconds 10 --warmup 3
#
# Results: bench/results/<time>-ab/results.jsonl, each line's "variant" the jar's file name (give them different
# names), and results.md. Builds the generator (bench/) if it is missing; the jars are built by the caller.
# AB_BEFORE_JVM / AB_AFTER_JVM replace the server's JVM options for one side (e.g. two collectors, one jar copied
# under two names); AB_BEFORE_ARGS / AB_AFTER_ARGS add server flags to one side (e.g. two settings, one jar copied
# under two names: AB_BEFORE_ARGS="--file-block-kib 16"); AB_SERVER_ARGS adds server settings to both (later ones
# win, e.g. --argon2-memory-kib 19456 --argon2-iterations 2 for the server's default password hashing);
# AB_BEFORE_GEN_ARGS / AB_AFTER_GEN_ARGS add generator arguments to one side (a client-side change, one server jar
# copied under two names: AB_BEFORE_GEN_ARGS="--tls-resumption false" compares full TLS handshakes with resumed
# ones). AB_STAGES=1 turns on the server's per-message stage timings (metrics-message-stages), read into each
# step's srv* fields as in bench/run.sh. AB_BEFORE_GEN_JAR / AB_AFTER_GEN_JAR run one side with another generator
# jar (a change of the client core, which the generator is built on: the generator built before it, e.g.
# AB_BEFORE_GEN_JAR=/tmp/before-bench.jar). With
# --tls true among the generator's arguments the server runs with TLS (its default transport). The idle scenario
# needs --hold false here, e.g.
#   bench/ab.sh 3 before.jar after.jar --scenario idle --count 2000 --resumes true --hold false
# Its rows ("Logins and resumes") give the server's RSS right after the logins and after the resumes (with the
# --count connections logged in): memory pairs, e.g. AB_BEFORE_JVM/AB_AFTER_JVM for two heap policies.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. releng/scripts/env.sh >/dev/null
. releng/scripts/server-jvm.sh
pairs=$1; before=$2; after=$3; shift 3
[ "$(basename "$before")" != "$(basename "$after")" ] || { echo "the two jars need different file names" >&2; exit 2; }
[ -f bench/target/parley-bench.jar ] || ./mvnw -B -q -ntp -DskipTests package -pl bench -am
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-ab"; mkdir -p "$out"
ulimit -n 20000
run() { # jar jvm-options server-flags extra-generator-args generator-jar generator-args...
  local jar=$1 jvm=$2 flags=$3 genextra=$4 genjar=$5 dir port spid; shift 5
  dir=$(mktemp -d /tmp/parley-ab.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # shellcheck disable=SC2086
  # The generator registers its accounts: open registration, on jars that have the setting (older ones are open).
  local open=""
  java -jar "$jar" --help 2>/dev/null | grep -q -- '--registration' && open="--registration open"
  java -jar "$jar" --help 2>/dev/null | grep -q -- '--costly-request-burst' \
    && open="$open --costly-requests-per-second 1000000 --costly-request-burst 1000000"
  # The login throttle (per address and account) and the per-address cap, as bench/run.sh lifts them: the
  # generator logs thousands of accounts in from one address.
  java -jar "$jar" --help 2>/dev/null | grep -q -- '--login-checks-per-address' \
    && open="$open --login-checks-per-address 1000000 --login-max-pending-checks 1000000 \
      --login-account-free-failures 1000 --login-account-lock-failures 1000000 --login-address-free-failures 1000 \
      --login-address-lock-failures 1000000 --max-unauthenticated-per-address 1000000"
  # TLS (the server's default) when the generator is told --tls true; plaintext otherwise.
  local plain=--plaintext
  case " $* " in *" --tls true "*) plain="" ;; esac
  # AB_STAGES=1: the server times each message's stages (metrics-message-stages) and the generator reads them into
  # each step's srv* fields, as bench/run.sh does.
  local stages="" genstages=""
  if [ -n "${AB_STAGES:-}" ]; then
    local mport
    mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    stages="--metrics-address 127.0.0.1:$mport --metrics-message-stages true"
    genstages="--server-metrics http://127.0.0.1:$mport/metrics"
  fi
  taskset -c 0 java -Xmx2g $jvm ${PARLEY_BENCH_JVM_ARGS:-} -jar "$jar" $plain \
    --host 127.0.0.1 --port "$port" --data-dir "$dir" --argon2-memory-kib 256 --argon2-iterations 1 $open \
    --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 \
    $stages ${AB_SERVER_ARGS:-} $flags > "$dir/server.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.5; done
  echo "== $(basename "$jar") ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
  # shellcheck disable=SC2086
  taskset -c 1 java ${PARLEY_BENCH_GEN_GC:--XX:+UseZGC} -Xmx3g -Xss256k -jar "$genjar" --out "$root/$out/results.jsonl" \
    --target parley --port "$port" --server-pids "$spid" --variant "$(basename "$jar")" "$@" $genextra $genstages \
    || echo "failed" >&2
  kill "$spid"; wait "$spid" 2>/dev/null || true; rm -rf "$dir"
}
jvm_before="${AB_BEFORE_JVM:-${PARLEY_SERVER_JVM_OPTS[*]}}"; jvm_after="${AB_AFTER_JVM:-${PARLEY_SERVER_JVM_OPTS[*]}}"
for i in $(seq 1 "$pairs"); do
  # Alternate which goes first, so that neither always follows the other's leftovers.
  b=("$before" "$jvm_before" "${AB_BEFORE_ARGS:-}" "${AB_BEFORE_GEN_ARGS:-}" "${AB_BEFORE_GEN_JAR:-bench/target/parley-bench.jar}")
  a=("$after" "$jvm_after" "${AB_AFTER_ARGS:-}" "${AB_AFTER_GEN_ARGS:-}" "${AB_AFTER_GEN_JAR:-bench/target/parley-bench.jar}")
  if [ $((i % 2)) = 1 ]; then run "${b[@]}" "$@"; run "${a[@]}" "$@"
  else run "${a[@]}" "$@"; run "${b[@]}" "$@"; fi
done
java -cp bench/target/parley-bench.jar org.parley.bench.Report "$out" || true
echo "results: $out" >&2
