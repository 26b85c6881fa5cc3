#!/usr/bin/env bash
# Starts the Parley desktop client built by the reactor (releng/org.parley.repository/target/products).
# Each profile (--profile NAME, default "default") has its own settings and workspace under ~/.parley/client,
# so two clients can run side by side on one machine. Other arguments go to the application.
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
. releng/scripts/client-jvm.sh

profile=default
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

product=releng/org.parley.repository/target/products/org.parley.product/linux/gtk/x86_64
launcher=$(ls "$product"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n1 || true)
if [ -z "$launcher" ]; then
  echo "The client is not built yet: run ./mvnw -B -DskipTests verify (or releng/scripts/run.sh)." >&2
  exit 1
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "The Parley client needs a graphical display (DISPLAY is not set)." >&2
  exit 1
fi
home="${PARLEY_HOME:-$HOME/.parley}/client/$profile"
mkdir -p "$home"
parley_client_jvm_opts "$home"
# The build's own update site, offered first in Parley > Plug-ins.
site=releng/org.parley.repository/target/repository
site_arg=()
[ -f "$site/content.jar" ] || [ -f "$site/content.xml" ] && site_arg=("-Dparley.updateSite=$(cd "$site" && pwd)")
# The product's own configuration is shared; each profile writes its own configuration and workspace (where the
# workbench keeps the window's layout and open chats from one start to the next).
# Plug-ins installed in Parley > Plug-ins go into the product itself (docs/decisions/plugins-p2.md), for every
# profile. Exit code 23 is the workbench asking for a restart (IWorkbench.restart, after installing plug-ins):
# without a native launcher nobody else restarts it, so this script starts the client again.
while true; do
  status=0
  java "${PARLEY_CLIENT_JVM_OPTS[@]}" \
    -Dosgi.sharedConfiguration.area="$(cd "$product" && pwd)/configuration" \
    -Dparley.home="$home" ${site_arg[@]+"${site_arg[@]}"} \
    -jar "$launcher" -configuration "$home/configuration" -data "$home/workspace" \
    ${args[@]+"${args[@]}"} || status=$?
  [ "$status" -eq 23 ] || exit "$status"
  echo "Parley asked to restart; starting it again." >&2
done
