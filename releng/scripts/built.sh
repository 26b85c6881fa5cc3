# Sourced by run.sh (and by RunScriptTest): parley_built, run in the repository's root, says whether the build's
# outputs are there and newer than everything the build reads, so that run.sh builds only when needed (issue 12:
# a marker of the script's own made the first start after ./mvnw verify build everything again).
jar=server/target/parley-server.jar
product=releng/org.parley.repository/target/products/org.parley.product/linux/gtk/x86_64
# What the build reads (the scripts and docs are not among it).
inputs=(pom.xml .mvn bundles features target-platform server releng)

# Built when the build's own outputs, the server jar and the materialized product (its configuration, written at
# each build), exist and are newer than every tracked file the build reads: so a full ./mvnw verify counts, and any
# later change to a source or a pom asks for a build again.
parley_built() {
  local config="$product/configuration/config.ini" oldest newer
  [ -f "$jar" ] && [ -f "$config" ] || return 1
  oldest=$jar
  [ "$config" -ot "$jar" ] && oldest=$config
  newer=
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    local f
    while IFS= read -r -d '' f; do
      if [ "$f" -nt "$oldest" ]; then newer=$f; break; fi
    done < <(git ls-files -z -- "${inputs[@]}" ':!releng/scripts')
  else # not a git checkout (an unpacked archive): every file outside the build's target folders
    newer=$(find "${inputs[@]}" -path releng/scripts -prune -o -path '*/target' -prune -o -type f \
        -newer "$oldest" -print -quit 2>/dev/null || true)
  fi
  [ -z "$newer" ] || { echo "Changed since the last build: $newer" >&2; return 1; }
}
