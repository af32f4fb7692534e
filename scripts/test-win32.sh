#!/usr/bin/env bash
# Builds the Wine test programs and runs each under Wine as Windows Server 2003, 2008, 2008 R2 and 7 (Wine swaps the product types of the last two).
#
# Prints every program's output, then one final line "N passed, M failed" over all runs.
# Exits non-zero when a test failed, a program crashed (no summary line of its own), a program
# could not be built, or the exit code disagrees with the summary.
# Usage: scripts/test-win32.sh [x64|x86]: x64 (the default) under the host's 64-bit Wine; x86,
# the i686 programs, under 32-bit Wine in the i386 root (scripts/i386-root.sh), as Server 2003.
# Environment: SP_WIN_VERSIONS="win2003 win2008 win2008r2" (which versions), SP_TEST_TIMEOUT
# (seconds per program run, default 600).
set -euo pipefail

cd "$(dirname "$0")/.."
ARCH="${1:-x64}"
# Its own prefix: this script switches the Windows version, which must not surprise a
# screenshot or GUI run that shares the default prefix.
# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh "$ARCH" win32tests
sp_wine_check

# SBS 2003, the one 32-bit source, is what the i686 exe is for.
if [ "$ARCH" = x86 ]; then default_versions="win2003"; else default_versions="win2003 win2008 win2008r2 win7"; fi
read -r -a VERSIONS <<<"${SP_WIN_VERSIONS:-$default_versions}"
RUN_TIMEOUT="${SP_TEST_TIMEOUT:-600}"
OUT_DIR="build/$ARCH/tests"

passed=0
failed=0
problems=()

# ---- build --------------------------------------------------------------------------
# Each test program is its own make run, so that one that does not build (another file
# half-written) does not hide the others; a program that fails to build counts as a failure.
programs=()
for src in tests/win32/test_*.c; do
  [ -e "$src" ] || continue
  programs+=("$OUT_DIR/$(basename "${src%.c}").exe")
done
if ! make --no-print-directory "$OUT_DIR/child.exe"; then
  problems+=("child.exe did not build")
  failed=$((failed + 1))
fi
if ! make --no-print-directory "$OUT_DIR/wbadmin.exe"; then
  problems+=("wbadmin.exe (the Backup tests' stand-in) did not build")
  failed=$((failed + 1))
fi
runnable=()
for exe in "${programs[@]+"${programs[@]}"}"; do
  if make --no-print-directory "$exe"; then
    runnable+=("$exe")
  else
    problems+=("$(basename "$exe") did not build")
    failed=$((failed + 1))
  fi
done

# ---- run ----------------------------------------------------------------------------
log="$(mktemp)"
trap 'rm -f "$log"; sp_xvfb_stop' EXIT
sp_xvfb_start
sp_wine_prefix
# The Backup tests' stand-in wbadmin.exe goes where the product runs it from, the system folder:
# programs run by full path (issue 18). The copy built beside the tests stays as a planted one.
sys32="$WINEPREFIX/drive_c/windows/system32"
cp "$OUT_DIR/wbadmin.exe" "$sys32/wbadmin.exe"
trap 'rm -f "$log" "$sys32/wbadmin.exe"; sp_xvfb_stop' EXIT

for ver in "${VERSIONS[@]}"; do
  sp_wine_version "$ver"
  for exe in "${runnable[@]+"${runnable[@]}"}"; do
    name="$(basename "$exe")"
    echo "== $name ($ARCH) as $ver"
    rc=0
    SP_EXPECT_VERSION="$ver" SP_WINE_TIMEOUT="$RUN_TIMEOUT" sp_wine_run "$exe" >"$log" 2>&1 || rc=$?
    cat "$log"
    summary="$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)"
    if [ -z "$summary" ]; then
      # Crashed or hung: count what it reported, and at least one failure.
      ok=$(grep -ac '^ok - ' "$log" || true)
      notok=$(grep -ac '^not ok - ' "$log" || true)
      passed=$((passed + ok))
      failed=$((failed + (notok > 0 ? notok : 1)))
      if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        problems+=("$name ($ARCH) as $ver timed out after ${RUN_TIMEOUT}s")
        sp_wine_stop # what it left running would hold the next wineserver -w for ever
      else
        problems+=("$name ($ARCH) as $ver crashed (exit code $rc, no summary line)")
      fi
      continue
    fi
    p="${summary%% passed*}"
    f="${summary#*passed, }"
    f="${f%% failed*}"
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" = 0 ] && [ "$rc" != 0 ]; then
      failed=$((failed + 1))
      problems+=("$name ($ARCH) as $ver reported no failure but exited with $rc")
    fi
  done
done

# Leave no Wine process behind for the next script.
sp_wine_stop

for p in "${problems[@]+"${problems[@]}"}"; do
  echo "test-win32: $p"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
