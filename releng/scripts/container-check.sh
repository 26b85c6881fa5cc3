#!/usr/bin/env bash
# Builds releng/deploy/Dockerfile with podman and runs the image for real: health check, a connection over the
# published port, non-root, data kept across a new container on the same volume, a clean stop on SIGTERM.
# A manual check (docs/testing.md, "The container image (by hand)"): too slow and privileged for CI (root,
# podman, minutes of building). Prints PASS/FAIL per check; the exit code is 0 only when every check passed.
#
#   sudo releng/scripts/container-check.sh            # build the local base images if missing, the image, check
#   PARLEY_REBUILD_BASE=1 ... container-check.sh      # rebuild the local base images too
#   PARLEY_SKIP_BUILD=1 ... container-check.sh        # check the image built last time
#
# Base images: where Docker Hub is reachable, set PARLEY_PULL_BASE=1 to pull the Dockerfile's real FROM images.
# Otherwise (machines that reach only Debian's mirrors and Maven Central) this script makes local stand-ins with
# the same names: Debian bookworm from debootstrap (minbase, plus ca-certificates, curl and tzdata) with a JDK 25
# from this machine (JAVA25_HOME, default: the first /usr/lib/jvm/*25*) under /opt/java/openjdk, and for the JRE
# image a jlink'ed runtime of that JDK; as eclipse-temurin's images, JAVA_HOME and PATH are set. The Dockerfile
# itself is built unchanged (docs/operations.md, "Run as a service": "Why the check builds local base images").
#
# Needs: root, podman (Debian: podman, and runc where crun cannot run: cgroup v1/hybrid machines), debootstrap
# (for the local base), a JDK 21+ (to send the Register request; the admin command line is the image's jar).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${PARLEY_CONTAINER_WORK:-/var/tmp/parley-container-check}
IMAGE=${PARLEY_IMAGE:-localhost/parley-server:check}
MIRROR=${PARLEY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
EXTRA_CA_DIR=${PARLEY_EXTRA_CA_DIR:-/usr/local/share/ca-certificates}
PORT=${PARLEY_CHECK_PORT:-17443}
NAME=parley-container-check
VOLUME=parley-container-check-data
ADMIN=root
STOP_GRACE=10 # Docker's and podman's default
mkdir -p "$WORK"

# --- podman's settings for this run (not the machine's): a sandbox without CAP_SYS_RESOURCE cannot raise
# the open-files and process limits podman sets by default, and crun refuses cgroup v1/hybrid hierarchies.
RUNTIME=${PARLEY_OCI_RUNTIME:-}
if [ -z "$RUNTIME" ]; then
  if [ -d /sys/fs/cgroup/unified ] && command -v runc >/dev/null; then RUNTIME=runc; else RUNTIME=crun; fi
fi
NOFILE=$(ulimit -Hn); [ "$NOFILE" = unlimited ] && NOFILE=1048576
cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=16384:16384"]
[engine]
runtime = "$RUNTIME"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"

RESULTS=()
FAILED=0
pass() { RESULTS+=("PASS  $1"); echo "PASS  $1"; }
fail() { RESULTS+=("FAIL  $1"); echo "FAIL  $1"; FAILED=1; }
summary() { # $1 = the script's exit code
  local rc=$1
  [ "$rc" = 0 ] || [ "$FAILED" = 1 ] || RESULTS+=("FAIL  stopped by an unexpected error (exit code $rc)")
  [ "$rc" = 0 ] || FAILED=1
  echo
  echo "== container check: $IMAGE (podman $(podman --version | awk '{print $3}'), runtime $RUNTIME)"
  printf '%s\n' "${RESULTS[@]}"
  [ "$FAILED" = 0 ] && echo "ALL PASSED" || echo "SOME CHECKS FAILED (work files: $WORK)"
}
trap 'summary $?' EXIT

java25_home() {
  local d
  for d in ${JAVA25_HOME:-} /usr/lib/jvm/*25* /opt/java/openjdk; do
    [ -x "$d/bin/jlink" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25' && { echo "$d"; return 0; }
  done
  return 1
}

# --- 1. Base images with the Dockerfile's FROM names --------------------------------------------------------
mapfile -t BASES < <(sed -n 's/^FROM \([^ ]*\).*/\1/p' "$ROOT/releng/deploy/Dockerfile")
local_name() { case "$1" in */*) echo "$1" ;; *) echo "docker.io/library/$1" ;; esac; }
DEBIAN_BUILT=
build_base() { # $1 = image name, e.g. eclipse-temurin:25-jdk
  local name jdk dir
  name=$(local_name "$1")
  jdk=$(java25_home) || { echo "no JDK 25 on this machine for the local base $1 (set JAVA25_HOME)" >&2; return 1; }
  if ! podman image exists localhost/parley-debian:bookworm || { [ -n "${PARLEY_REBUILD_BASE:-}" ] && [ -z "$DEBIAN_BUILT" ]; }; then
    DEBIAN_BUILT=1 # once per run, for both base images
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase --include=ca-certificates,curl,tzdata bookworm "$WORK/rootfs" "$MIRROR" \
      > "$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; return 1; }
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | podman import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - localhost/parley-debian:bookworm \
      > "$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; return 1; }
    rm -rf "$WORK/rootfs"
  fi
  dir="$WORK/base-${1//[:\/]/-}"
  rm -rf "$dir" && mkdir -p "$dir"
  case "$1" in
    *-jre*)
      "$jdk/bin/jlink" --output "$dir/java" --strip-debug --no-man-pages --no-header-files \
        --add-modules "java.se,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.jcmd,\
jdk.localedata,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,\
jdk.security.jgss,jdk.unsupported,jdk.zipfs" ;;
    *) cp -aL "$jdk" "$dir/java" ;; # -L: the trust store (lib/security/cacerts) is often a link into /etc
  esac
  # The CA certificates this machine adds to Debian's (e.g. of a TLS-intercepting egress proxy: the build
  # stage's downloads from Maven Central pass through it); the JDK's trust store above is this machine's too.
  mkdir -p "$dir/ca"
  cp "$EXTRA_CA_DIR"/*.crt "$dir/ca/" 2>/dev/null || true
  cat > "$dir/Containerfile" <<'EOF'
FROM localhost/parley-debian:bookworm
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY java /opt/java/openjdk
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null && java -version
EOF
  podman build --pull=never -t "$name" "$dir" > "$WORK/base.log" 2>&1 || { tail -20 "$WORK/base.log" >&2; return 1; }
  rm -rf "$dir"
}
for base in "${BASES[@]}"; do
  [ "$base" = build ] && continue
  if [ -n "${PARLEY_PULL_BASE:-}" ]; then
    podman pull "$(local_name "$base")" >/dev/null && pass "base $base pulled" || fail "base $base pulled"
  elif podman image exists "$(local_name "$base")" && [ -z "${PARLEY_REBUILD_BASE:-}" ]; then
    pass "base $base (local, built earlier)"
  elif build_base "$base"; then
    pass "base $base built locally (debootstrap bookworm + $(java25_home))"
  else
    fail "base $base built locally"; exit 1
  fi
done

# --- 2. The image, from the unchanged Dockerfile ------------------------------------------------------------
if [ -z "${PARLEY_SKIP_BUILD:-}" ]; then
  start=$(date +%s)
  # --format docker: the OCI image format has no HEALTHCHECK (podman drops it with a warning).
  # As docs/operations.md says to build it (podman reads Dockerfile.dockerignore next to the Dockerfile).
  if podman build --format docker --pull=never -f "$ROOT/releng/deploy/Dockerfile" -t "$IMAGE" "$ROOT" \
      > "$WORK/build.log" 2>&1; then
    pass "image built ($(( $(date +%s) - start )) s; log $WORK/build.log)"
  else
    tail -30 "$WORK/build.log"; fail "image built (log $WORK/build.log)"; exit 1
  fi
fi

# --- 3. What the image says about itself -----------------------------------------------------------------------
inspect() { podman image inspect "$IMAGE" --format "$1"; }
user=$(inspect '{{.Config.User}}')
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] && pass "image user is '$user'" || fail "image user is non-root (got '$user')"
inspect '{{json .Config.Volumes}}' | grep -q '"/var/lib/parley"' && pass "volume /var/lib/parley declared" \
  || fail "volume /var/lib/parley declared"
health=$(inspect '{{json .Config.Healthcheck}}')
echo "$health" | grep -q 'health/ready' && pass "health check in the image" || fail "health check in the image (got $health)"

# --- 4. Run it with a volume, wait until healthy ----------------------------------------------------------------
podman rm -f "$NAME" >/dev/null 2>&1 || true
podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
podman volume create "$VOLUME" >/dev/null
cleanup() { [ -n "${PARLEY_KEEP:-}" ] || { podman rm -f "$NAME" >/dev/null 2>&1; podman volume rm -f "$VOLUME" >/dev/null 2>&1; }; }
trap 'rc=$?; cleanup; summary $rc' EXIT
# podman's complaints that it cannot schedule the health check without systemd go to podman.log.
run() { podman run -d --name "$NAME" -p "127.0.0.1:$PORT:7443" -v "$VOLUME:/var/lib/parley" "$IMAGE" \
  >/dev/null 2>>"$WORK/podman.log"; }
stop() { podman stop -t "$STOP_GRACE" "$NAME" >/dev/null 2>>"$WORK/podman.log"; }
# Podman runs a HEALTHCHECK on a systemd timer; without systemd (this script's machines) it is run here, as
# Docker would run it, until healthy or the image's start period is over.
await_healthy() {
  local i
  for i in $(seq 1 150); do
    if podman healthcheck run "$NAME" >/dev/null 2>&1; then return 0; fi
    [ "$(podman inspect "$NAME" --format '{{.State.Running}}')" = true ] || return 1
    sleep 2
  done
  return 1
}
fingerprint() { podman logs "$NAME" 2>&1 | sed -n 's/.*certificate SHA-256 \([0-9A-Fa-f:]*\).*/\1/p' | tail -n1; }
run
if await_healthy; then pass "healthy ($(podman inspect "$NAME" --format '{{.State.Health.Status}}'))"; else
  podman logs "$NAME" | tail -30; fail "healthy"; exit 1; fi
FP=$(fingerprint)
[ -n "$FP" ] && pass "certificate fingerprint printed: $FP" || fail "certificate fingerprint printed"

uid=$(podman exec "$NAME" sh -c 'awk "/^Uid:/{print \$2}" /proc/1/status')
cmd=$(podman exec "$NAME" sh -c 'tr "\0" " " < /proc/1/cmdline')
[ "$uid" != 0 ] && pass "server process (pid 1: ${cmd%% -XX*} …) runs as uid $uid ($(podman exec "$NAME" id -un))" \
  || fail "server runs as non-root (uid $uid)"
owner=$(podman exec "$NAME" stat -c '%U %a' /var/lib/parley)
[ "$owner" = "parley 700" ] && pass "data directory /var/lib/parley: owner parley, mode 700" \
  || fail "data directory owner/mode (got $owner)"

# --- 5. Connect over the published port: Register the first account, then the admin command line -------------
podman cp "$NAME:/opt/parley/parley-server.jar" "$WORK/parley-server.jar"
JDK=$(java25_home || true)
[ -n "$JDK" ] || JDK=$(. "$ROOT/releng/scripts/env.sh" >/dev/null && echo "$JAVA_HOME")
export PARLEY_ADMIN_PASSWORD="container-check-$(date +%s)-$RANDOM"
if "$JDK/bin/java" -cp "$WORK/parley-server.jar" "$ROOT/releng/scripts/ContainerRegister.java" \
    127.0.0.1 "$PORT" "$FP" "$ADMIN" > "$WORK/register.log" 2>&1; then
  pass "registered the first account '$ADMIN' over 127.0.0.1:$PORT (Hello, Register; TLS pinned)"
else
  cat "$WORK/register.log"; fail "register over the published port"
fi
admin() { "$JDK/bin/java" -jar "$WORK/parley-server.jar" admin --host 127.0.0.1 --port "$PORT" --user "$ADMIN" \
  --fingerprint "$FP" "$@"; }
if admin --json status > "$WORK/status.json" 2>&1; then
  pass "admin status over the published port: $(tr -d '\n' < "$WORK/status.json" | cut -c1-160)"
else
  cat "$WORK/status.json"; fail "admin status over the published port"
fi
PARLEY_NEW_PASSWORD='Correct horse battery 42' admin users create alice > "$WORK/create.log" 2>&1 \
  && pass "admin users create alice" || { cat "$WORK/create.log"; fail "admin users create alice"; }

# The documented way from inside the container (operations.md, "Run as a service"): the admin command line
# and an online backup onto the volume, as the server's user.
if podman exec -e PARLEY_ADMIN_PASSWORD "$NAME" java -jar /opt/parley/parley-server.jar admin --user "$ADMIN" \
    --fingerprint "$FP" status > "$WORK/exec-status.log" 2>&1; then
  pass "admin status inside the container (podman exec): $(head -n1 "$WORK/exec-status.log")"
else
  cat "$WORK/exec-status.log"; fail "admin status inside the container (podman exec)"
fi
if podman exec "$NAME" java -jar /opt/parley/parley-server.jar backup --to /var/lib/parley/backup.zip \
    --data-dir /var/lib/parley --metrics-address 127.0.0.1:9464 > "$WORK/backup.log" 2>&1 \
    && size=$(podman exec "$NAME" stat -c %s /var/lib/parley/backup.zip); then
  pass "online backup inside the container: /var/lib/parley/backup.zip, $size bytes"
else
  cat "$WORK/backup.log"; fail "online backup inside the container"
fi

# --- 6. A clean stop: SIGTERM, the server's shutdown, exit within the grace time ------------------------------
start=$(date +%s)
stop
took=$(( $(date +%s) - start ))
code=$(podman inspect "$NAME" --format '{{.State.ExitCode}}')
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal; 137 would be SIGKILL after the
# grace time.
if [ "$code" = 143 ] || [ "$code" = 0 ]; then
  pass "podman stop: exited on SIGTERM in ${took} s (exit code $code, grace ${STOP_GRACE} s)"
else
  fail "podman stop: exit code $code after ${took} s (137 = killed after the grace time)"
fi
podman logs "$NAME" > "$WORK/first-run.log" 2>&1
grep -q 'msg="Parley server stopped"' "$WORK/first-run.log" \
  && pass "the server's shutdown ran (log: Parley server stopped)" || fail "the server's shutdown ran (no 'Parley server stopped' in $WORK/first-run.log)"

# --- 7. The data survives: a new container on the same volume ---------------------------------------------
podman rm "$NAME" >/dev/null 2>>"$WORK/podman.log"
run
if await_healthy; then pass "new container on the same volume healthy"; else fail "new container healthy"; exit 1; fi
FP2=$(fingerprint)
[ "$FP2" = "$FP" ] && pass "same certificate after the restart (kept on the volume)" \
  || fail "same certificate after the restart ($FP2 vs $FP)"
if admin --json users list > "$WORK/users.json" 2>&1 && grep -q '"alice"' "$WORK/users.json"; then
  pass "after the restart: '$ADMIN' signs in with its password and alice is still there"
else
  cat "$WORK/users.json"; fail "data kept across containers"
fi
if podman logs "$NAME" 2>&1 | grep -q 'First start'; then fail "no 'First start' hint on the second start"; else
  pass "no 'First start' hint on the second start (the database is the volume's)"; fi
stop
[ "$FAILED" = 0 ]
