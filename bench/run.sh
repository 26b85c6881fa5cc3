#!/usr/bin/env bash
# Parley's server against ejabberd and Prosody, side by side, on this machine.
#
#   bench/run.sh [quick|full] [parley|ejabberd|prosody|all] [SCENARIOS]
#   bench/run.sh [quick|full] nodes [one-to-one,fanout]
#
#   quick      small numbers (a few minutes per server): a smoke test that the harness works
#   full       the comparison published in docs/performance.md (about an hour)
#   SCENARIOS  comma-separated, default all: one-to-one,idle,idle-tls,fanout,history,search,reconnect,file-transfer,soak
#              (idle-tls: Parley only, idle connections with TLS on)
#   nodes      Parley alone, three ways (issue 16, item 5): one node on H2, one node on PostgreSQL, and BENCH_NODES
#              (default 3) nodes on one PostgreSQL joined by NATS, each running the 1:1 and fan-out scenarios (the
#              generator spreads its clients over the nodes, round robin); everything server-side (nodes,
#              PostgreSQL, NATS) pinned to CPU 0, the generator to CPU 1, stage timings off in all three. Each step
#              records the server's CPU time per message and per delivery (its processes and their children, from
#              /proc; PostgreSQL's share apart), the figure to compare on a shared machine; results.md has a table
#              "Cost per message". BENCH_SETUPS picks some of h2-1-node,pg-1-node,pg-3-nodes.
#
# What it does: builds Parley's server and the load generator (bench/); installs ejabberd, Prosody and
# PostgreSQL from Debian packages when missing (apt-get); starts a private PostgreSQL cluster on loopback (the
# peers' message archive, MAM); then for each server: starts it on loopback (plaintext, accounts created by
# in-band registration, rate limits off, archiving on; the one-to-one scenario runs once more with archiving off)
# pinned to CPU 0 (with its database), runs each scenario with the generator pinned to CPU 1, and stops it.
# Results: bench/results/<time>-<mode>/results.jsonl (one JSON line per measurement), results.md (the tables) and
# PNG charts (gnuplot). Environment: PARLEY_BENCH_JFR=1 records a JFR profile of Parley's server;
# PARLEY_BENCH_SERVER_ARGS adds flags to Parley's server, PARLEY_BENCH_JVM_ARGS to its JVM (e.g. -XX:+UseG1GC);
# BENCH_FANOUT_SIZES and BENCH_FANOUT_DELIVERIES replace the fan-out steps, BENCH_SOAK_SECONDS the soak's length;
# BENCH_OUT adds to an existing results directory. PARLEY_BENCH_STAGES=0 turns off Parley's per-message stage
# timings (on by default: the server's metrics-message-stages, read through its metrics-address, give each step's
# srv* columns, the server's share of the latency per step); PARLEY_BENCH_GEN_GC replaces the generator's
# collector flags (default ZGC with a fixed heap; every step records the generator's own GC pauses).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. releng/scripts/env.sh
. releng/scripts/server-jvm.sh
mode="${1:-quick}"
targets="${2:-all}"
scenarios="${3:-one-to-one,idle,idle-tls,fanout,history,search,reconnect,file-transfer,soak}"
[ "$targets" = all ] && targets="parley,ejabberd,prosody"
case "$mode" in quick|full) ;; *) echo "usage: bench/run.sh quick|full [parley|ejabberd|prosody|all|nodes] [scenarios]" >&2; exit 2 ;; esac
if [ "$targets" = nodes ]; then
  [ -n "${3:-}" ] || scenarios="one-to-one,fanout"
  case ",$scenarios," in *,idle,*|*,history,*|*,search,*|*,reconnect,*|*,file-transfer,*|*,soak,*|*,idle-tls,*)
    echo "nodes: only the one-to-one and fanout scenarios" >&2; exit 2 ;; esac
fi

# ------------------------------------------------------------------------------------------------ parameters
if [ "$mode" = quick ]; then
  pairs=20; rates="200,1000"; step_s=2; warmup_s=1; half_s=2; refine=0
  idle_chunk=250; idle_procs=2
  fanout_sizes="10,100"; fanout_deliveries="2000"; fanout_s=2
  history_total=5000; history_queries=10; history_seed=500
  search_total=5000; search_queries=60
  storm_clients=200; backlog_s=5; storm_timeout=60
  ft_mib=32
  soak_s=30; soak_idle=200
else
  pairs=100; rates="100,200,500,1000,2000,4000,8000,16000,32000,64000"; step_s=10; warmup_s=3; half_s=20; refine=1
  idle_chunk=2500; idle_procs=7
  fanout_sizes="10,100,1000"; fanout_deliveries="1000,2500,5000,10000,25000,50000,100000,200000,500000"; fanout_s=10
  history_total=1000000; history_queries=200; history_seed=1000
  search_total=1000000; search_queries=300
  storm_clients=10000; backlog_s=${BENCH_BACKLOG_SECONDS:-120}; storm_timeout=300
  ft_mib=1024
  soak_s=1800; soak_idle=2000
fi
if [ "$targets" = nodes ]; then
  # Cost per message wants many messages at one steady rate more than a search for the highest: long steps at
  # rates the slowest setup sustains on this machine (quick: 500 msg/s 1:1, 2,000 deliveries/s to groups of 10
  # and 100, 10 s steps; full: 3 rates, 30 s steps).
  if [ "$mode" = quick ]; then
    rates="500"; step_s=10; warmup_s=3; half_s=10; fanout_deliveries="2000"; fanout_s=10
  else
    rates="500,1000,2000"; step_s=30; warmup_s=5; half_s=30; fanout_deliveries="2000,5000,10000"; fanout_s=30
  fi
  pairs=20; refine=0; fanout_sizes="10,100"
fi
# Narrower runs (e.g. one before/after pair): BENCH_FANOUT_SIZES=1000 BENCH_FANOUT_DELIVERIES=1000,2500,5000
fanout_sizes="${BENCH_FANOUT_SIZES:-$fanout_sizes}"; fanout_deliveries="${BENCH_FANOUT_DELIVERIES:-$fanout_deliveries}"
soak_s="${BENCH_SOAK_SECONDS:-$soak_s}"
# The soak's load is the same for all three servers and in both modes, well under the slowest one's sustained 1:1
# rate (Prosody with its archive: under 100 msg/s in the published run): 1:1 over 10 pairs at 20 msg/s, a group of
# 20 at 2 msg/s (38 deliveries/s), the latest 100 of a conversation every second, one reconnect every 2 s.
soak_args="--pairs 10 --rate 20 --group-size 20 --group-rate 2 --history-ms 1000 --reconnect-ms 2000 --sample-seconds 5"
domain=bench.local

# ------------------------------------------------------------------------------------------------ set-up
need=()
packages="ejabberd prosody lua-dbi-postgresql erlang-p1-pgsql postgresql gnuplot-nox"
[ "$targets" = nodes ] && packages="postgresql nats-server gnuplot-nox"
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  # policy-rc.d keeps Debian from starting the packaged services: the harness starts its own instances.
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${need[@]}"
fi
for s in ejabberd prosody postgresql; do service "$s" stop >/dev/null 2>&1 || true; done

# The server's and the generator's jars are built unless both are newer than every file of their sources and of the
# modules they are built from (the files git lists there, tracked or new and not ignored; not this script): CI runs this right after
# the full build of releng/scripts/test.sh, which made them. Outside a git checkout, or with a jar missing, it builds.
# PARLEY_BENCH_MVN_ARGS=-o: offline; BENCH_NO_BUILD=1: use the jars already in server/target and bench/target as
# they are; BENCH_BUILD=1: build them whatever their age.
jars_up_to_date() {
  local jar oldest=""
  for jar in server/target/parley-server.jar bench/target/parley-bench.jar; do
    [ -f "$jar" ] || return 1
    [ -z "$oldest" ] || [ "$jar" -ot "$oldest" ] && oldest=$jar
  done
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 1
  # a file of the sources newer than the older jar (a deleted one cannot be seen: BENCH_BUILD=1 then)
  ! git ls-files -z --cached --others --exclude-standard -- pom.xml .mvn target-platform bundles/pom.xml \
      bundles/org.parley.protocol bundles/org.parley.client.core bundles/org.parley.filetransfer.core server/pom.xml \
      server/src/main bench/pom.xml bench/src |
    xargs -0 -r sh -c 'find "$@" -maxdepth 0 -newer "$0" -print 2>/dev/null' "$oldest" | grep -q .
}
if [ -n "${BENCH_NO_BUILD:-}" ]; then
  :
elif [ -z "${BENCH_BUILD:-}" ] && jars_up_to_date; then
  echo "server/target/parley-server.jar and bench/target/parley-bench.jar are newer than their sources: not built again"
else
  ./mvnw -B -q -ntp ${PARLEY_BENCH_MVN_ARGS:-} -DskipTests package -pl server,bench -am
fi
# BENCH_OUT: an existing results directory to add to (e.g. the peers run apart from Parley, one table for all).
out="${BENCH_OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode}"
out=$(realpath -m --relative-to="$root" "$out")
mkdir -p "$out"
results="$root/$out/results.jsonl"
work=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$work"
# The servers run a copy of the jar just built: a build in the work tree during the run (server/target) must not
# change the jar under a running server, nor give the nodes started later another build.
server_jar="$work/parley-server.jar"
cp server/target/parley-server.jar "$server_jar"
started=()   # pids this script started, stopped at exit
failures=0   # scenarios that failed: the exit status says so (a CI smoke test needs it)
failed() { echo "$1" >&2; failures=$((failures + 1)); }
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_pg
  # The servers' own logs go next to the results (a failed or odd scenario is explained there).
  for log in "$work"/*/server.log "$work"/*/console.log; do
    [ -f "$log" ] && gzip -c "$log" > "$root/$out/$(basename "$(dirname "$log")")-$(basename "$log").gz"
  done
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 20000

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 240); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.5; done; echo "port $1 never opened" >&2; return 1; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }
# the generator, pinned to CPU 1. Its collector: ZGC (pauses well under a millisecond; it grows the heap without
# stopping the application); the Serial collector the JVM picks for one CPU paused it for 30-190 ms in the fourth
# round, which every server's latency then carried. Its GC and safepoint log goes next to the results.
# A generator that crashes leaves its JVM's crash report (hs_err) next to the results, not in the working directory.
gen_gc() { echo "${PARLEY_BENCH_GEN_GC:--XX:+UseZGC} -Xlog:gc,safepoint:file=$root/$out/generator-gc-%p.log:uptime,tags -XX:ErrorFile=$root/$out/generator-hs_err-%p.log"; }
# shellcheck disable=SC2046
gen() { taskset -c 1 java $(gen_gc) -Xmx"${GEN_HEAP:-3g}" -Xss256k -jar "$root/bench/target/parley-bench.jar" --out "$results" "$@"; }
# the same in the background: exec, so that $! is the generator itself (and killing it frees its connections)
# shellcheck disable=SC2046
gen_bg() { exec taskset -c 1 java $(gen_gc) -Xmx"${GEN_HEAP:-3g}" -Xss256k -jar "$root/bench/target/parley-bench.jar" --out "$results" "$@"; }

# ------------------------------------------------------------------------------------------------ PostgreSQL
pg_dir="$work/pg"; pg_port=$(free_port); pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
start_pg() {
  mkdir -p "$pg_dir"; chown postgres "$pg_dir"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
  # Pinned to CPU 0 with the server under test: the database is part of the peers' cost, as H2 is of Parley's.
  taskset -c 0 runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
  psql() { command psql -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
  psql -c "CREATE ROLE bench LOGIN PASSWORD 'bench'"
}
pg_pid() { head -1 "$pg_dir/data/postmaster.pid"; }
stop_pg() { [ -f "$pg_dir/data/postmaster.pid" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; }
fresh_db() { # fresh_db NAME [schema.sql]
  # WITH (FORCE): a server stopped just before may still have a session open for a moment (seen with Prosody's
  # second run, archiving off), and a plain DROP then fails.
  command psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER bench"
  [ -n "${2:-}" ] && command psql -h 127.0.0.1 -p "$pg_port" -U bench -d "$1" -q -v ON_ERROR_STOP=1 -f "$2" >/dev/null
  return 0
}
start_pg

# ------------------------------------------------------------------------------------------------ the servers
# Each start_* sets: port, server_pid (the process whose memory is measured), pids (CPU is summed over these and
# their descendants), gc_cmd (a forced garbage collection, or empty).
start_parley() { # start_parley on|tls   (archive is always on; tls: the server's default transport)
  local dir="$work/parley"; rm -rf "$dir"; mkdir -p "$dir"
  port=$(free_port)
  local jfr=() plain=--plaintext
  [ "$1" = tls ] && plain=""
  local stages=()
  server_metrics=""
  if [ "${PARLEY_BENCH_STAGES:-1}" != 0 ]; then
    local mport; mport=$(free_port)
    stages=(--metrics-address "127.0.0.1:$mport" --metrics-message-stages true)
    server_metrics="http://127.0.0.1:$mport/metrics"
  fi
  [ -n "${PARLEY_BENCH_JFR:-}" ] && jfr=("-XX:StartFlightRecording=filename=$root/$out/parley-$1.jfr,settings=profile")
  # Light Argon2 (the generator provisions thousands of accounts, all from 127.0.0.1, so registration is open);
  # rate limits and the per-address login limits off; idle timeout off.
  # shellcheck disable=SC2086
  # The server's production JVM options (releng/scripts/server-jvm.sh: the collector), then the bench's; the
  # safepoint log gives the soak its GC pauses.
  taskset -c 0 java -Xmx2g "${PARLEY_SERVER_JVM_OPTS[@]}" ${PARLEY_BENCH_JVM_ARGS:-} "${jfr[@]}" \
    -Xlog:gc,safepoint:file="$dir/gc.log":uptime,tags -jar "$server_jar" $plain --host 127.0.0.1 \
    --port "$port" --data-dir "$dir" --argon2-memory-kib 256 --argon2-iterations 1 --registration open \
    --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 \
    --login-checks-per-address 1000000 --login-max-pending-checks 1000000 --login-account-free-failures 1000 \
    --login-account-lock-failures 1000000 --login-address-free-failures 1000 --login-address-lock-failures 1000000 \
    --max-unauthenticated-per-address 1000000 --costly-requests-per-second 1000000 --costly-request-burst 1000000 "${stages[@]}" \
    ${PARLEY_BENCH_SERVER_ARGS:-} > "$dir/server.log" 2>&1 &
  server_pid=$!; started+=("$server_pid"); pids="$server_pid"
  gc_cmd="jcmd $server_pid GC.run"
  wait_port "$port"
}
stop_parley() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

# The "nodes" comparison (issue 16, item 5). start_nodes COUNT h2|postgresql: COUNT Parley nodes (more than one:
# on PostgreSQL, joined by a NATS server started here), with the same flags as start_parley, stage timings off;
# sets ports (comma-separated), port (the first), server_pid (the first node), pids (the nodes, and PostgreSQL and
# NATS when used: their CPU is part of the cost).
nats_pid=""
start_nats() {
  local dir="$work/nats"; mkdir -p "$dir"
  nats_port=$(free_port)
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir/password"; chmod 600 "$dir/password"
  printf 'listen: 127.0.0.1:%s\nmax_payload: 4MB\nauthorization { user: parley, password: "%s" }\n' \
    "$nats_port" "$(cat "$dir/password")" > "$dir/nats.conf"
  taskset -c 0 nats-server -c "$dir/nats.conf" > "$dir/nats.log" 2>&1 &
  nats_pid=$!; started+=("$nats_pid")
  wait_port "$nats_port"
}
stop_nats() { [ -n "$nats_pid" ] && { kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; }; nats_pid=""; }
node_pids=()
start_nodes() { # start_nodes COUNT h2|postgresql
  local count=$1 storage=$2 i dir p
  local store=()
  if [ "$storage" = postgresql ]; then
    fresh_db parley
    store=(--storage postgresql --postgresql-url "jdbc:postgresql://127.0.0.1:$pg_port/parley" --postgresql-user bench
           --postgresql-pool-size 16)
  fi
  [ "$count" -gt 1 ] && start_nats
  node_pids=(); ports=""; server_metrics=""
  for i in $(seq 1 "$count"); do
    dir="$work/node$i"; rm -rf "$dir"; mkdir -p "$dir"
    p=$(free_port)
    local cluster=()
    [ "$count" -gt 1 ] && cluster=(--cluster nats --node-id "node$i" --cluster-url "nats://127.0.0.1:$nats_port"
                                   --cluster-user parley --cluster-password-file "$work/nats/password")
    # shellcheck disable=SC2086
    taskset -c 0 java -Xmx1g "${PARLEY_SERVER_JVM_OPTS[@]}" ${PARLEY_BENCH_JVM_ARGS:-} \
      -Xlog:gc:file="$dir/gc.log":uptime,tags -jar "$server_jar" --plaintext --host 127.0.0.1 \
      --port "$p" --data-dir "$dir" --argon2-memory-kib 256 --argon2-iterations 1 --registration open \
      --requests-per-second 1000000 --request-burst 1000000 --idle-timeout-seconds 86400 \
      --login-checks-per-address 1000000 --login-max-pending-checks 1000000 --login-account-free-failures 1000 \
      --login-account-lock-failures 1000000 --login-address-free-failures 1000 --login-address-lock-failures 1000000 \
      --max-unauthenticated-per-address 1000000 --costly-requests-per-second 1000000 --costly-request-burst 1000000 \
      "${store[@]}" "${cluster[@]}" ${PARLEY_BENCH_SERVER_ARGS:-} > "$dir/server.log" 2>&1 &
    node_pids+=("$!"); started+=("$!")
    ports="${ports:+$ports,}$p"
    wait_port "$p"
  done
  port=${ports%%,*}; server_pid=${node_pids[0]}
  pids=$(IFS=,; echo "${node_pids[*]}")
  db_pids=""
  [ "$storage" = postgresql ] && { pids="$pids,$(pg_pid)"; db_pids=$(pg_pid); }
  [ -n "$nats_pid" ] && pids="$pids,$nats_pid"
  gc_cmd=""
  [ "$count" -gt 1 ] && sleep 3   # the nodes hear each other's HELLO before the clients come
  return 0
}
stop_nodes() {
  local p
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  node_pids=(); ports=""; db_pids=""
  stop_nats
}

start_ejabberd() { # start_ejabberd on|off   (message archive)
  local dir="$work/ejabberd"; rm -rf "$dir"; mkdir -p "$dir/spool" "$dir/logs" "$dir/upload"
  port=$(free_port); http_port=$(free_port)
  fresh_db ejabberd /usr/share/ejabberd/sql/pg.sql
  local mam="" muc_mam=false
  if [ "$1" = on ]; then mam="  mod_mam: {default: always, db_type: sql}"; muc_mam=true; fi
  cat > "$dir/ejabberd.yml" <<EOF
hosts: ["$domain"]
loglevel: warning
default_db: sql
sql_type: pgsql
sql_server: "127.0.0.1"
sql_port: $pg_port
sql_database: ejabberd
sql_username: bench
sql_password: bench
auth_method: sql
registration_timeout: infinity
listen:
  - {port: $port, ip: "127.0.0.1", module: ejabberd_c2s, starttls_required: false, max_stanza_size: 262144,
     backlog: 1024}
  - {port: $http_port, ip: "127.0.0.1", module: ejabberd_http, request_handlers: {"/upload": mod_http_upload}}
acl: {}
access_rules:
  register: {allow: all}
  local: {allow: all}
shaper_rules:
  max_user_offline_messages: 100000
modules:
  mod_register: {ip_access: all, access: register}
  mod_roster: {}
  mod_disco: {}
  mod_ping: {}
  mod_offline: {access_max_user_messages: max_user_offline_messages}
$mam
  mod_http_upload: {put_url: "http://127.0.0.1:$http_port/upload", docroot: "$dir/upload", max_size: infinity,
                    thumbnail: false, host: "upload.$domain"}
  mod_muc: {access: all, access_create: all, access_persistent: all, max_users: 5000, max_user_conferences: 100,
            history_size: 0, default_room_options: {mam: $muc_mam, max_users: 5000}}
EOF
  # The path in ejabberdctl.cfg wins over --config, so the harness writes its own ctl config too.
  cat > "$dir/ejabberdctl.cfg" <<EOF
ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"
EJABBERD_CONFIG_PATH=$dir/ejabberd.yml
EJABBERD_PID_PATH=$dir/ejabberd.pid
ERL_MAX_PORTS=65536
ERLANG_NODE=ejabberd-bench@localhost
EOF
  chown -R ejabberd "$dir"
  # ejabberdctl would su to the ejabberd user, which resets the open-files limit to 1024: run it as that user,
  # raising the limit inside its own shell.
  taskset -c 0 runuser -u ejabberd -- bash -c "ulimit -n 20000; cd $dir/spool; export HOME=$dir/spool; exec ejabberdctl \
    --config-dir $dir --ctl-config $dir/ejabberdctl.cfg --spool $dir/spool --logs $dir/logs foreground" \
    > "$dir/console.log" 2>&1 &
  started+=("$!")
  wait_port "$port"
  server_pid=$(pgrep -u ejabberd -f "beam.smp.*ejabberd-bench" | head -1)
  pids="$server_pid,$(pg_pid)"
  gc_cmd="runuser -u ejabberd -- env HOME=$dir/spool erl -sname gc$$ -hidden -noinput -eval \
'N = list_to_atom(\"ejabberd-bench@localhost\"), P = rpc:call(N, erlang, processes, []), \
ok = rpc:call(N, lists, foreach, [fun erlang:garbage_collect/1, P]), init:stop().'"
}
stop_ejabberd() {
  runuser -u ejabberd -- env HOME="$work/ejabberd/spool" ejabberdctl --config-dir "$work/ejabberd" \
    --ctl-config "$work/ejabberd/ejabberdctl.cfg" stop >/dev/null 2>&1 || kill "$server_pid"
  for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
}

start_prosody() { # start_prosody on|off
  local dir="$work/prosody"; rm -rf "$dir"; mkdir -p "$dir/data"
  port=$(free_port); http_port=$(free_port)
  fresh_db prosody
  local mam="" muc_mam=""
  if [ "$1" = on ]; then mam='"mam";'; muc_mam='modules_enabled = { "muc_mam" }'; fi
  cat > "$dir/prosody.cfg.lua" <<EOF
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
log = { warn = "$dir/prosody.log" }
network_backend = "epoll"
interfaces = { "127.0.0.1" }
c2s_ports = { $port }
http_ports = { $http_port }
http_interfaces = { "127.0.0.1" }
https_ports = { }
http_external_url = "http://127.0.0.1:$http_port/"
http_default_host = "upload.$domain" -- the slot URLs name 127.0.0.1, which is no Prosody host
-- XEP-0363 (mod_http_file_share): files up to 2 GiB. http_max_content_size stays at its default (10 MiB) on
-- purpose: Prosody 0.12 streams a body into mod_http_file_share's file only when it is larger than that limit, and
-- buffers smaller ones in memory (raised to 2 GiB, a 64 MiB PUT stalled after 1 MB).
http_file_share_size_limit = 2147483648
http_file_share_daily_quota = 107374182400
modules_enabled = { "roster"; "saslauth"; "disco"; "register"; "ping"; "posix"; "offline"; $mam }
modules_disabled = { "s2s"; "limits" }
allow_registration = true
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "sql"
sql = { driver = "PostgreSQL", database = "prosody", username = "bench", password = "bench", host = "127.0.0.1", port = $pg_port }
archive_expires_after = "never"
default_archive_policy = true
max_archive_query_results = 1000
VirtualHost "$domain"
Component "conference.$domain" "muc"
  muc_room_locking = false
  max_history_messages = 0
  muc_room_default_history_length = 0
  $muc_mam
Component "upload.$domain" "http_file_share"
EOF
  chown -R prosody "$dir"
  taskset -c 0 runuser -u prosody -- bash -c "ulimit -n 20000; exec prosody --config $dir/prosody.cfg.lua -F" \
    > "$dir/console.log" 2>&1 &
  server_pid=$!; started+=("$server_pid")
  wait_port "$port"
  server_pid=$(pgrep -u prosody -f "prosody --config $dir" | head -1)
  pids="$server_pid,$(pg_pid)"
  gc_cmd=""
}
stop_prosody() { kill "$server_pid" 2>/dev/null || true; for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done; }

target_args() {
  echo "--target $1 --port $port --domain $domain --server-pids $pids --local-addresses 8 --backlog-seconds $backlog_s"
  [ "$1" = parley ] && [ -n "${server_metrics:-}" ] && echo "--server-metrics $server_metrics"
  [ "$1" = parley ] && [ -n "${ports:-}" ] && echo "--ports $ports"
  [ "$1" = parley ] && [ -n "${db_pids:-}" ] && echo "--db-pids $db_pids"
  return 0
}

# ------------------------------------------------------------------------------------------------ scenarios
run_one_to_one() { # target variant
  gen $(target_args "$1") --variant "$2" --scenario one-to-one --pairs "$pairs" --rates "$rates" \
    --seconds "$step_s" --warmup "$warmup_s" --half-seconds "$half_s" --refine "$refine" || failed "one-to-one failed on $1"
  # Evidence that the peers really archived (two rows per 1:1 message: the sender's and the receiver's archive).
  local table=""
  [ "$1" = ejabberd ] && table=archive
  [ "$1" = prosody ] && table=prosodyarchive
  if [ -n "$table" ]; then
    local rows
    rows=$(command psql -h 127.0.0.1 -p "$pg_port" -U bench -d "$1" -tAc "SELECT count(*) FROM $table" 2>/dev/null || echo 0)
    printf '{"target":"%s","variant":"%s","scenario":"archive-check","archivedRows":%s,"loadavg1":%s}\n' \
      "$1" "$2" "${rows:-0}" "$(loadavg)" >> "$results"
  fi
}

run_idle() { # target [variant: mam-on, or tls for Parley with TLS]
  local procs=() n=0 rss gc_rss variant="${2:-mam-on}" tls=() resumes=()
  [ "$variant" = tls ] && tls=(--tls true)
  # Parley: each process's connections also drop and come back with their session tokens (the resume rate).
  [ "$1" = parley ] && resumes=(--resumes true)
  printf '{"target":"%s","variant":"%s","scenario":"idle","connections":0,"rssKiB":%s,"loadavg1":%s}\n' \
    "$1" "$variant" "$(rss_kib "$server_pid")" "$(loadavg)" >> "$results"
  for i in $(seq 1 "$idle_procs"); do
    local log="$work/idle-$1-$i.log"
    # stdout too: a JVM that crashes prints its report's first lines there (the report itself: gen_gc).
    GEN_HEAP=768m gen_bg $(target_args "$1") --variant "$variant" --scenario idle --count "$idle_chunk" \
      --prefix "i$i$RANDOM" "${tls[@]}" "${resumes[@]}" > "$log" 2>&1 &
    procs+=("$!"); started+=("$!")
    for _ in $(seq 1 1200); do grep -q READY "$log" && break; kill -0 "${procs[-1]}" 2>/dev/null || break; sleep 0.5; done
    if ! grep -q READY "$log"; then
      # Not a failure of the harness: this is how far the server (or the machine) went. Recorded as such, with how
      # the generator ended: its exit status (128 + the signal's number when a signal ended it, e.g. 137: SIGKILL,
      # the kernel's OOM killer among others; 134: SIGABRT, a JVM crash, whose report is then in the results
      # directory), or still running after the wait; its log is kept next to the results.
      local status=running
      if ! kill -0 "${procs[-1]}" 2>/dev/null; then
        status=0; wait "${procs[-1]}" || status=$?
      fi
      echo "idle: $1 stopped at $n connections (generator $i: exit status $status)" >&2; tail -5 "$log" >&2
      cp "$log" "$root/$out/idle-$1-$variant-$i.log"
      printf '{"target":"%s","variant":"%s","scenario":"idle-limit","connections":%d,"generator":%d,"exitStatus":"%s","loadavg1":%s}\n' \
        "$1" "$variant" "$n" "$i" "$status" "$(loadavg)" >> "$results"
      break
    fi
    n=$((n + idle_chunk))
    sleep 3
    rss=$(rss_kib "$server_pid")
    gc_rss=null
    if [ -n "$gc_cmd" ]; then eval "$gc_cmd" >/dev/null 2>&1 || true; sleep 2; gc_rss=$(rss_kib "$server_pid"); fi
    printf '{"target":"%s","variant":"%s","scenario":"idle","connections":%d,"rssKiB":%s,"rssAfterGcKiB":%s,"loadavg1":%s}\n' \
      "$1" "$variant" "$n" "$rss" "$gc_rss" "$(loadavg)" >> "$results"
  done
  for p in "${procs[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  sleep 2
}

run_fanout() { # target [variant]
  gen $(target_args "$1") --variant "${2:-mam-on}" --scenario fanout --sizes "$fanout_sizes" --deliveries "$fanout_deliveries" \
    --seconds "$fanout_s" --warmup "$warmup_s" || failed "fanout failed on $1"
}

run_history() { # target
  local prefix="h$RANDOM" seed=$history_seed a
  [ "$1" = parley ] && seed=$history_total   # Parley: every message through its protocol
  gen $(target_args "$1") --variant mam-on --scenario history --phase seed --prefix "$prefix" --seed "$seed" \
    || { failed "history seeding failed on $1"; return 0; }
  a="${prefix}ha"
  local n=$((history_total - seed))
  if [ "$n" -gt 0 ] && [ "$1" = ejabberd ]; then
    # Copies of a row ejabberd wrote itself, with older (distinct) timestamps.
    command psql -h 127.0.0.1 -p "$pg_port" -U bench -d ejabberd -q -v ON_ERROR_STOP=1 -c "
      INSERT INTO archive (username, timestamp, peer, bare_peer, xml, txt, kind, nick, created_at)
      SELECT r.username, r.timestamp - g, r.peer, r.bare_peer, r.xml, r.txt, r.kind, r.nick, r.created_at
      FROM (SELECT * FROM archive WHERE username = '$a' ORDER BY timestamp LIMIT 1) r, generate_series(1, $n) g;
      ANALYZE archive;"
  elif [ "$n" -gt 0 ] && [ "$1" = prosody ]; then
    command psql -h 127.0.0.1 -p "$pg_port" -U bench -d prosody -q -v ON_ERROR_STOP=1 -c "
      INSERT INTO prosodyarchive (host, \"user\", store, key, \"when\", \"with\", type, value)
      SELECT r.host, r.\"user\", r.store, r.key || '-' || g, r.\"when\", r.\"with\", r.type, r.value
      FROM (SELECT * FROM prosodyarchive WHERE \"user\" = '$a' AND store = 'archive' ORDER BY sort_id LIMIT 1) r,
           generate_series(1, $n) g;
      ANALYZE prosodyarchive;"
  fi
  gen $(target_args "$1") --variant mam-on --scenario history --phase query --prefix "$prefix" \
    --total "$history_total" --queries "$history_queries" || failed "history failed on $1"
}

run_search() { # target (Parley only: the peers offer no message search here)
  [ "$1" = parley ] || return 0
  local prefix="s$RANDOM"
  gen $(target_args "$1") --variant mam-on --scenario history --phase seed --prefix "$prefix" --seed "$search_total" \
    || { failed "search seeding failed on $1"; return 0; }
  gen $(target_args "$1") --variant mam-on --scenario search --prefix "$prefix" --total "$search_total" \
    --queries "$search_queries" || failed "search failed on $1"
}

run_reconnect() { # target
  local status=0
  gen $(target_args "$1") --variant mam-on --scenario reconnect --clients "$storm_clients" --in-flight 500 \
    --timeout-seconds "$storm_timeout" || status=$?
  # 3: messages lost or doubled. A failure of the harness or of Parley's promise; for a peer (XMPP without stream
  # management promises no delivery across a dropped connection) a finding that the results record.
  if [ "$status" = 3 ] && [ "$1" != parley ]; then echo "reconnect: $1 lost or doubled messages (recorded)" >&2
  elif [ "$status" != 0 ]; then failed "reconnect failed on $1"; fi
}

run_file_transfer() { # target
  # The baseline: a plain TCP copy through one process pinned to the server's CPU (LoopbackSink).
  local sink_port sink_pid sink_dir="$work/sink"
  mkdir -p "$sink_dir"; sink_port=$(free_port)
  taskset -c 0 java -Xmx256m -cp "$root/bench/target/parley-bench.jar" org.parley.bench.LoopbackSink "$sink_port" \
    "$sink_dir" 256 2> "$sink_dir/log" &
  sink_pid=$!; started+=("$sink_pid")
  wait_port "$sink_port"
  gen $(target_args "$1") --variant mam-on --scenario file-transfer --mib "$ft_mib" --dir "$work" \
    --sink-port "$sink_port" || failed "file-transfer failed on $1"
  kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; rm -rf "$sink_dir"
}

run_soak() { # target
  local gc=()
  [ "$1" = parley ] && gc=(--gc-log "$work/parley/gc.log")
  # shellcheck disable=SC2086
  gen $(target_args "$1") --variant mam-on --scenario soak --seconds "$soak_s" --idle "$soak_idle" $soak_args \
    "${gc[@]}" || failed "soak failed on $1"
}

has() { [[ ",$scenarios," == *",$1,"* ]]; }

if [ "$targets" = nodes ]; then
  nodes=${BENCH_NODES:-3}
  # BENCH_SETUPS: some of h2-1-node, pg-1-node, pg-N-nodes (comma-separated; default all three)
  for setup in "1 h2 h2-1-node" "1 postgresql pg-1-node" "$nodes postgresql pg-$nodes-nodes"; do
    read -r count storage variant <<< "$setup"
    [[ ",${BENCH_SETUPS:-h2-1-node,pg-1-node,pg-$nodes-nodes}," == *",$variant,"* ]] || continue
    echo "== parley, $variant ($(date -u +%H:%M:%S), load $(loadavg))" >&2
    start_nodes "$count" "$storage"
    has one-to-one && run_one_to_one parley "$variant"
    has fanout && run_fanout parley "$variant"
    stop_nodes
  done
  targets=""
fi

for target in ${targets//,/ }; do
  echo "== $target ($(date -u +%H:%M:%S), load $(loadavg))" >&2
  "start_$target" on
  # Idle first, on the freshly started server: memory per connection is measured before any other scenario has
  # grown the process (ZGC keeps heap it grew for the 1:1 steps, and the connections' objects would land in it).
  has idle && run_idle "$target"
  has one-to-one && run_one_to_one "$target" mam-on
  has fanout && run_fanout "$target"
  has history && run_history "$target"
  has search && run_search "$target"
  has reconnect && run_reconnect "$target"
  has file-transfer && run_file_transfer "$target"
  has soak && run_soak "$target"
  "stop_$target"
  if has idle-tls && [ "$target" = parley ]; then # the issue's second memory target: Parley with TLS on
    start_parley tls
    run_idle parley tls
    stop_parley
  fi
  if has one-to-one && [ "$target" != parley ]; then
    "start_$target" off
    run_one_to_one "$target" mam-off
    "stop_$target"
  fi
done

java -cp bench/target/parley-bench.jar org.parley.bench.Report "$out" || failed "report failed"
echo "results: $out" >&2
if [ "$failures" -gt 0 ]; then echo "$failures scenario(s) failed" >&2; exit 1; fi
