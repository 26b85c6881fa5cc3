#!/usr/bin/env bash
# Runs Parley on this machine: builds what is needed, then starts the server on the embedded H2 default
# (data in ./parley-data, port 7443, TLS with a self-signed certificate made on first start).
# Stop it with Ctrl+C. Extra arguments go to the server (see: java -jar server/target/parley-server.jar --help).
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh

jar=server/target/parley-server.jar
if [ ! -f "$jar" ] || [ -n "$(find bundles/org.parley.protocol/src server/src server/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  echo "Building Parley (the first build downloads its dependencies from Maven Central)..." >&2
  ./mvnw -B -q -ntp -DskipTests package -pl server -am
fi

exec java -jar "$jar" --data-dir "${PARLEY_DATA:-parley-data}" "$@"
