#!/usr/bin/env bash
# The desktop client's cold start and the opening of a long chat (issue 17), on the packaged product.
#
#   bench/client.sh [RUNS]   (default 5)
#
# What it does: builds what is missing (the product, the test-only driver bundle, the server and the load
# generator); starts a Parley server on loopback (plaintext, rate limits off) whose data directory holds one
# conversation of BENCH_CHAT_MESSAGES (100,000) messages, seeded once through the protocol by the load generator
# (bench/target/client-server-N is kept for the next run; BENCH_RESEED=1 seeds again); starts a private Xvfb;
# copies the product and adds the product-test driver (bundles/org.parley.product.driver, as the product tests do:
# docs/testing.md) to the copy's bundles.info; then RUNS times, each with a new profile (configuration, workspace,
# secure storage), starts the client as releng/scripts/client.sh does (its JVM options:
# releng/scripts/client-jvm.sh) five times in a row:
#   first    a new user's first start: the sign-in window, then sign in without "stay signed in"
#   login    the next start (the JVM's and the OSGi framework's caches are there): the sign-in window, then sign
#            in, staying signed in                                   (issue 17: sign-in window <= 3 s)
#   resume   the start after: the session is remembered, the window opens by itself, then its conversations
#   chat     the same, then opens the chat of 100,000 messages three times (closing it in between)
#                                                                    (issue 17: <= 300 ms)
# Each start is timed from outside, from the moment the script starts java: the window mapped on the X server
# (xwininfo, polled every 20 ms: "Parley" the sign-in dialog, "Parley — user@host" the workbench window) and the
# CPU time the client had used by then (user + system, from /proc: what holds on a machine others load), and from
# inside by the driver (its mark:NAME commands record the wall clock once what they follow is on screen; the chat
# open is timed from the double click to the end of the first paint of the history showing the newest message).
# Results: bench/results/<time>-client/: results.jsonl (one JSON line per start), results.md (medians per kind,
# the load average with each start), README.md (machine, commit, options), the driver's output per start.
# Environment: PARLEY_CLIENT_JVM replaces the client's tuning flags (releng/scripts/client-jvm.sh; " " for none);
# BENCH_PRODUCT a materialized product to measure instead of the build's (e.g. a copy kept from before a change);
# BENCH_NO_BUILD=1 uses what is built; BENCH_LABEL names the run in its directory (<time>-client-LABEL);
# BENCH_CLIENT_JFR=1 records a JFR profile of each start (client.jfr next to its output; not for the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. releng/scripts/env.sh
. releng/scripts/system-packages.sh
. releng/scripts/built.sh
. releng/scripts/client-jvm.sh
runs="${1:-5}"
messages="${BENCH_CHAT_MESSAGES:-100000}"
parley_need_packages "for the client bench" Xvfb:xvfb xwininfo:x11-utils \
  /usr/lib/x86_64-linux-gnu/libgtk-3.so.0:libgtk-3-0

version=0.1.0-SNAPSHOT
driver_jars=("bundles/org.parley.product.driver/target/org.parley.product.driver-$version.jar"
  "bundles/org.parley.ui.testing/target/org.parley.ui.testing-$version.jar")
bench_jar=bench/target/parley-bench.jar
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  if ! parley_built || [ ! -f "$bench_jar" ] || [ ! -f "${driver_jars[0]}" ] || [ ! -f "${driver_jars[1]}" ]; then
    ./mvnw -B -q -ntp -DskipTests verify # as releng/scripts/run.sh builds (the driver is in the reactor)
  fi
fi
product_dir="${BENCH_PRODUCT:-$product}"
[ -d "$product_dir/plugins" ] || { echo "no product in $product_dir" >&2; exit 1; }

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-client${BENCH_LABEL:+-$BENCH_LABEL}"
mkdir -p "$out"
work="$root/bench/target/client-work"
rm -rf "$work"; mkdir -p "$work"
server_pid=""; xvfb_pid=""; client_pid=""
cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && { wait "$server_pid" 2>/dev/null || true; }
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  [ -f "$work/server.log" ] && gzip -c "$work/server.log" > "$root/$out/server.log.gz"
  rm -rf "$work"
  return 0
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 240); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.5; done; echo "port $1 never opened" >&2; return 1; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
# a child that has exited is a zombie until waited for: kill -0 would still succeed
alive() { [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo X)" != Z ] && [ -e "/proc/$1" ]; }
# the CPU time a process has used so far (user + system, all its threads), in ms
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$1/stat" 2>/dev/null || echo -1; }
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

# ------------------------------------------------------------------------------------------------ the server
data="$root/bench/target/client-server-$messages"
[ -n "${BENCH_RESEED:-}" ] && rm -rf "$data"
[ -f "$data/seeded" ] || rm -rf "$data"
mkdir -p "$data"
port=$(free_port)
java -Xmx1g -jar server/target/parley-server.jar --plaintext --host 127.0.0.1 --port "$port" --data-dir "$data" \
  --argon2-memory-kib 256 --argon2-iterations 1 --registration open \
  --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 \
  --login-checks-per-address 1000000 --login-max-pending-checks 1000000 --login-account-free-failures 1000 \
  --login-account-lock-failures 1000000 --login-address-free-failures 1000 --login-address-lock-failures 1000000 \
  --max-unauthenticated-per-address 1000000 --costly-requests-per-second 1000000 --costly-request-burst 1000000 \
  > "$work/server.log" 2>&1 &
server_pid=$!
wait_port "$port"
user=cha # the load generator's history scenario: "cha" sends every message to "chb"
if [ ! -f "$data/seeded" ]; then
  echo "Seeding $messages messages into one conversation (once; kept in $data)..." >&2
  java -Xmx1g -jar "$bench_jar" --target parley --port "$port" --scenario history --phase seed --prefix c \
    --seed "$messages" --out "$work/seed.jsonl"
  touch "$data/seeded"
fi
newest="history message $((messages - 1)) with"

# ------------------------------------------------------------------------------------------------ the display
for n in $(seq 140 180); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY=":$n"
  break
done
sleep 1

# ------------------------------------------------------------------------------------------------ the product
# Variants, measured in turn within each run (so that a busy machine weighs on each alike): BENCH_VARIANTS lists
# NAME;PRODUCT;JVM-FLAGS separated by "|" (an empty PRODUCT: the one above; JVM-FLAGS: PARLEY_CLIENT_JVM for that
# variant, "default" for releng/scripts/client-jvm.sh's own), e.g. "before;/tmp/product-main; |after;;default".
IFS='|' read -r -a variants <<< "${BENCH_VARIANTS:-default;;${PARLEY_CLIENT_JVM-default}}"
declare -A variant_product variant_jvm
for v in "${variants[@]}"; do
  IFS=';' read -r vname vproduct vjvm <<< "$v"
  vproduct="${vproduct:-$product_dir}"
  [ -d "$vproduct/plugins" ] || { echo "no product in $vproduct" >&2; exit 1; }
  copy="$work/product-$vname"
  cp -a "$vproduct" "$copy"
  info="$copy/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
  [ -z "$(tail -c1 "$info")" ] || echo >> "$info"
  for jar in "${driver_jars[@]}"; do
    # a copy: a build running meanwhile (a test run) replaces the jars under target/
    mkdir -p "$work/driver"; [ -f "$work/driver/$(basename "$jar")" ] || cp "$jar" "$work/driver/"
    jar="$work/driver/$(basename "$jar")"
    name=$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Bundle-SymbolicName: \([^;]*\).*/\1/p')
    ver=$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Bundle-Version: //p')
    start=false; [ "${name%.driver}" != "$name" ] && start=true
    echo "$name,$ver,file:$jar,4,$start" >> "$info"
  done
  variant_product[$vname]=$copy
  variant_jvm[$vname]=$vjvm
done
# the variant's JVM options into PARLEY_CLIENT_JVM_OPTS: variant_opts NAME HOME
variant_opts() {
  if [ "${variant_jvm[$1]}" = default ]; then
    PARLEY_CLIENT_JVM="" parley_client_jvm_opts "$2"
  else
    PARLEY_CLIENT_JVM="${variant_jvm[$1]}" parley_client_jvm_opts "$2"
  fi
}

{
  echo "# Cold start of the client and a chat of $messages messages, issue 17 ($(date -u +%FT%TZ))"
  echo
  echo "Command: \`bench/client.sh $runs\`"
  echo "Machine: $(nproc) processors, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Git commit: $(git rev-parse --short HEAD) $(git diff --quiet -- bundles releng || echo '(modified)')"
  echo "java: $(java -version 2>&1 | head -n1)"
  for v in "${variants[@]}"; do
    IFS=';' read -r vname vproduct vjvm <<< "$v"
    variant_opts "$vname" "HOME"
    echo "Variant $vname: product ${vproduct:-$product_dir}; client JVM options: ${PARLEY_CLIENT_JVM_OPTS[*]}"
  done
} > "$out/README.md"

# A viewable window whose name matches: "Parley" exactly (the sign-in dialog) or starts with "Parley — ".
window_up() { # $1 = login|window
  local pattern='"Parley ?": \('   # xwininfo may add a space to the name; GTK's leader windows are never mapped
  [ "$1" = window ] && pattern='"Parley — '
  local id
  for id in $(xwininfo -root -tree 2>/dev/null | grep -E "$pattern" | awk '{print $1}'); do
    xwininfo -id "$id" 2>/dev/null | grep -q 'IsViewable' && return 0
  done
  return 1
}

# start VARIANT RUN KIND WINDOW COMMAND...: one start of the client, timed; appends a JSON line to results.jsonl
start() {
  local variant=$1 run=$2 kind=$3 watch=$4; shift 4
  local home="$work/home-$variant-$run" dir="$out/$variant-$run-$kind" copy=${variant_product[$variant]}
  local launcher
  launcher=$(ls "$copy"/plugins/org.eclipse.equinox.launcher_*.jar | head -n1)
  mkdir -p "$home" "$dir"
  printf '%s\n' "$@" > "$dir/commands.txt"
  variant_opts "$variant" "$home"
  local load0 t0 mapped=-1 cpu=-1 exit_ms status=0
  load0=$(loadavg)
  t0=$(now_ms)
  local jfr=()
  [ -n "${BENCH_CLIENT_JFR:-}" ] && jfr=("-XX:StartFlightRecording=filename=$dir/client.jfr,settings=profile")
  java "${PARLEY_CLIENT_JVM_OPTS[@]}" ${jfr[@]+"${jfr[@]}"} -Dosgi.sharedConfiguration.area="$copy/configuration" \
    -Dparley.home="$home" -Dparley.plaintext=true -Dparley.driver.script="$dir/commands.txt" \
    -Dparley.driver.out="$dir" -Dparley.driver.port="$port" -Dparley.driver.user="$user" \
    -Dparley.driver.password=bench-password \
    -jar "$launcher" -configuration "$home/configuration" -data "$home/workspace" -consoleLog \
    > "$dir/output.log" 2>&1 &
  client_pid=$!
  while alive "$client_pid"; do
    if window_up "$watch"; then mapped=$(( $(now_ms) - t0 )); cpu=$(cpu_ms "$client_pid"); break; fi
    [ $(( $(now_ms) - t0 )) -gt 120000 ] && break
    sleep 0.02
  done
  local deadline=$(( $(now_ms) + 120000 ))
  while alive "$client_pid" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
  if alive "$client_pid"; then
    echo "$variant $run $kind: the client did not exit; killed" >&2
    kill "$client_pid" 2>/dev/null
  fi
  wait "$client_pid" 2>/dev/null || status=$?
  exit_ms=$(( $(now_ms) - t0 ))
  client_pid=""
  local result="$dir/result.properties" marks="" key value
  local outcome
  outcome=$(sed -n "s/^result=//p" "$result" 2>/dev/null | tr -d "\\\\\"" || true)
  if [ -f "$result" ]; then
    while IFS='=' read -r key value; do
      case "$key" in
        mark.*) marks+=", \"${key#mark.}Ms\": $(( value - t0 ))" ;;
        chatOpen.*) key=${key#chatOpen.}; marks+=", \"chatOpen${key%.ms}Ms\": $value" ;;
      esac
    done < <(grep -E '^(mark|chatOpen)\.' "$result")
  fi
  printf '{"variant": "%s", "run": %d, "kind": "%s", "windowMappedMs": %d, "cpuMsAtWindow": %d%s, "exitMs": %d, "exitCode": %d, "result": "%s", "loadAvg": %s, "loadAvgEnd": %s}\n' \
    "$variant" "$run" "$kind" "$mapped" "$cpu" "$marks" "$exit_ms" "$status" "$outcome" "$load0" "$(loadavg)" \
    | tee -a "$out/results.jsonl"
  [ "$outcome" = ok ] || echo "$variant $run $kind: the driver says: $outcome (see $dir/output.log)" >&2
}

for run in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    vname=${v%%;*}
    start "$vname" "$run" first login awaitLogin mark:login signIn:once mark:window close
    start "$vname" "$run" login login awaitLogin mark:login signIn:stay mark:window close
    start "$vname" "$run" resume window awaitWindow mark:window awaitConversations mark:conversations close
    start "$vname" "$run" chat window awaitWindow closeChats "openChatTimed:$newest" closeChats \
      "openChatTimed:$newest" closeChats "openChatTimed:$newest" close
  done
done
rm -rf "$work"/home-*

# ------------------------------------------------------------------------------------------------ the summary
python3 - "$out" <<'EOF'
import json, sys, statistics
out = sys.argv[1]
rows = [json.loads(l) for l in open(out + "/results.jsonl")]
variants = list(dict.fromkeys(r["variant"] for r in rows))
def med(variant, kind, key):
    v = [r[key] for r in rows if r["variant"] == variant and r["kind"] == kind and key in r and r[key] >= 0]
    return (f"{statistics.median(v):.0f}" if v else "-"), v
lines = ["| variant | start | what | median ms | all (ms) |", "| --- | --- | --- | --- | --- |"]
for kind, key, what in [
        ("first", "windowMappedMs", "sign-in window mapped (first start of a new profile)"),
        ("first", "cpuMsAtWindow", "CPU time of the client by then"),
        ("first", "loginMs", "sign-in dialog shown (driver)"),
        ("login", "windowMappedMs", "sign-in window mapped (a later start)"),
        ("login", "cpuMsAtWindow", "CPU time of the client by then"),
        ("login", "loginMs", "sign-in dialog shown (driver)"),
        ("login", "windowMs", "signed in: the window shown (driver; includes the sign-in)"),
        ("resume", "windowMappedMs", "remembered session: the window mapped"),
        ("resume", "cpuMsAtWindow", "CPU time of the client by then"),
        ("resume", "windowMs", "the window shown (driver)"),
        ("resume", "conversationsMs", "its conversations listed (driver)"),
        ("chat", "chatOpen1Ms", "chat of many messages: first open in this start, newest page painted"),
        ("chat", "chatOpen2Ms", "the same chat opened again"),
        ("chat", "chatOpen3Ms", "and again")]:
    for variant in variants:
        m, v = med(variant, kind, key)
        lines.append(f"| {variant} | {kind} | {what} | {m} | {', '.join(str(x) for x in v)} |")
loads = [r["loadAvg"] for r in rows]
lines.append("")
lines.append(f"Load average (1 min) at the starts: {min(loads)}–{max(loads)}; failed starts: "
             + str(sum(1 for r in rows if r["result"] != "ok")))
open(out + "/results.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/README.md"
echo "results in $out"
