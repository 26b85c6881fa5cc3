#!/usr/bin/env bash
# Product-level check of Parley for the Eclipse IDE, the way a user installs it from the command line: a copy of
# the IDE-style test product (releng/org.parley.ide.sample, the Eclipse IDE workbench from Maven Central bundles,
# without Parley) gets org.parley.ide.feature and the sample third-party plug-in (org.parley.sample.feature) from
# the build's update site through the p2 director; then the
# installed IDE starts on the display, and must log no unresolved bundle (the views' extensions are registered only
# for resolved bundles) and no error. Needs a built reactor (releng/ modules) and DISPLAY. Exit status 0 = passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
product=releng/org.parley.ide.sample/target/products/org.parley.ide.sample/linux/gtk/x86_64
repo="$PWD/releng/org.parley.repository/target/repository"
[ -d "$product" ] && [ -d "$repo" ] || { echo "ide-install-test: build the reactor first (releng/)" >&2; exit 2; }
[ -n "${DISPLAY:-}" ] || { echo "ide-install-test: needs DISPLAY" >&2; exit 2; }
out="${PARLEY_IDE_TEST_DIR:-releng/org.parley.ide.sample/target/install-test}"
rm -rf "$out" && mkdir -p "$out" && cp -r "$product" "$out/ide"
ide="$out/ide"
launcher=$(ls "$ide"/plugins/org.eclipse.equinox.launcher_*.jar)
fail() { echo "ide-install-test: FAILED: $*" >&2; exit 1; }

# 1. Install, as in docs/ide.md.
java -jar "$launcher" -nosplash -consoleLog -application org.eclipse.equinox.p2.director \
  -repository "file:$repo" -installIU org.parley.ide.feature.feature.group,org.parley.sample.feature.feature.group \
  > "$out/director.log" 2>&1 \
  || { cat "$out/director.log"; fail "the director could not install org.parley.ide.feature and the sample"; }
grep -q '^Operation completed' "$out/director.log" || fail "the director did not complete ($out/director.log)"
for b in org.parley.ide org.parley.ui org.parley.chat.ui org.parley.contacts.ui org.parley.client.core \
  org.parley.sample.highlight; do
  grep -q "^$b," "$ide/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
    || fail "$b is not in the installed configuration"
done
java -jar "$launcher" -nosplash -application org.eclipse.equinox.p2.director -listInstalledRoots \
  > "$out/roots.txt" 2>&1 || true
for root in org.parley.ide.feature org.parley.sample.feature; do
  grep -q "^$root.feature.group/" "$out/roots.txt" || fail "$root is not listed as installed ($out/roots.txt)"
done

# 2. Start the installed IDE and wait for its window (titled after the workspace).
ws="$out/workspace-parley-check"
java -jar "$launcher" -nosplash -consoleLog -data "$ws" > "$out/ide.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  xwininfo -root -tree 2>/dev/null | grep -q '"workspace-parley-check' && break
  kill -0 $pid 2>/dev/null || fail "the IDE exited ($out/ide.log)"
  sleep 1
done
xwininfo -root -tree | grep -q '"workspace-parley-check' || fail "no IDE window after 120 s ($out/ide.log)"
sleep 3
xwd -root | convert xwd:- "png:$out/ide-installed.png" 2>/dev/null || true
kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
trap - EXIT
if grep -q 'not resolved\|Could not resolve module\|root constraints' "$out/ide.log" "$ws/.metadata/.log" 2>/dev/null; then
  fail "unresolved bundles in the installed IDE ($out/ide.log)"
fi
if grep -A2 '^!ENTRY [^ ]* 4 ' "$out/ide.log" 2>/dev/null | grep -qi parley; then
  fail "Parley logged errors in the installed IDE ($out/ide.log)"
fi
echo "ide-install-test: passed (director install, installed roots, the IDE starts with Parley resolved; $out)"
