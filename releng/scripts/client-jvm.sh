# The desktop client's JVM options, sourced by the scripts that start it (releng/scripts/client.sh,
# bench/client.sh, which measures them: docs/performance.md, "Client").
# Usage: parley_client_jvm_opts HOME   (the profile's home, ~/.parley/client/PROFILE) sets PARLEY_CLIENT_JVM_OPTS.
# PARLEY_CLIENT_JVM replaces the tuning flags (e.g. PARLEY_CLIENT_JVM=" " for none, to compare).
# shellcheck disable=SC2034,SC2206
parley_client_jvm_opts() {
  local home=$1
  PARLEY_CLIENT_JVM_OPTS=(-Dosgi.requiredJavaVersion=21 ${PARLEY_CLIENT_JVM:-})
}
