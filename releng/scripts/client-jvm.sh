# The desktop client's JVM options, sourced by the scripts that start it (releng/scripts/client.sh,
# bench/client.sh, which measures them: docs/performance.md, "Client").
# Usage: parley_client_jvm_opts HOME   (the profile's home, ~/.parley/client/PROFILE) sets PARLEY_CLIENT_JVM_OPTS.
#
# A class data sharing archive per profile (HOME/parley-client.jsa): the JVM writes it when it exits after a start
# without one (or with one made by another JDK or for another product), with every class that start loaded, the
# OSGi bundles' included, already parsed and verified; the next starts map it instead of reading, parsing and
# verifying those classes again. -Xlog:cds=off keeps the JVM's notes about classes it cannot archive off the console.
# Where it lives, when it is renewed, what it cannot hold (the signed framework jar's classes): docs/decisions/
# client-start.md.
#
# -XX:TieredStopAtLevel=1 -XX:+UseSerialGC: the client compiles with C1 only and collects with one thread. At a
# start most of the CPU the JIT used went into C2 compilations; with C1 alone the client used about half the CPU
# to its sign-in window at a first start and a third less to its window for a remembered session (docs/
# performance.md, "Client", second round), at the price of slower peak code (a chat reopened in 1.4-1.6 s instead
# of 0.75-1.1 s at load 25, single starts).
#
# java.util.logging prints warnings and errors only (client-logging.properties), not the INFO lines of the OSGi
# extenders at every start. This one is always set, also with PARLEY_CLIENT_JVM.
#
# PARLEY_CLIENT_JVM replaces these flags (e.g. PARLEY_CLIENT_JVM=" " for none, to compare; @HOME@ stands for the
# profile's home).
# shellcheck disable=SC2034,SC2206
parley_client_jvm_opts() {
  local home=$1 flags
  flags="${PARLEY_CLIENT_JVM:--XX:SharedArchiveFile=@HOME@/parley-client.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
  PARLEY_CLIENT_JVM_OPTS=(-Dosgi.requiredJavaVersion=21
    "-Djava.util.logging.config.file=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/client-logging.properties")
  # The flags are split at spaces first and @HOME@ replaced in each afterwards, so that a home with a space in it
  # stays one argument.
  local -a split
  read -r -a split <<< "$flags"
  local f
  for f in "${split[@]}"; do
    PARLEY_CLIENT_JVM_OPTS+=("${f//@HOME@/$home}")
  done
}
