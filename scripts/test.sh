#!/usr/bin/env bash
# make test: installs what is missing, builds, runs every suite and ends with one summary line.
# Suites: native unit tests (cmocka, ASan+UBSan), fuzz smoke runs, import tables, project files,
# the win32 backend under Wine, the command line under Wine, the policy step against a Samba AD DC
# under Wine, and the GUI walk with screenshots. The suites that start an exe run twice: the x64
# builds under the host's 64-bit Wine, the x86 (i686) builds under 32-bit Wine in an i386 root
# (scripts/i386-root.sh makes it once, cached in /var/cache/sourceprep/i386), as Server 2003.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
logs=build/test-logs
mkdir -p "$logs"

bash scripts/install-deps.sh || { echo "test: installing the dependencies failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/build-deps.sh || { echo "test: building curl and cJSON for mingw failed"; echo "0 passed, 1 failed"; exit 1; }

total_pass=0
total_fail=0
summary=()

# Runs one suite, shows its output, and adds the counts of its last "N passed, M failed" line.
# A suite that exits non-zero without failing a test counts as one failure (a crash, a build error).
suite() {
  local name=$1; shift
  local log="$logs/$name.log" rc=0 line p f t0
  t0=$(date +%s)
  echo "=== $name"
  # No suite may hang CI: a stuck one is killed and counted as failed.
  timeout --kill-after=30 "${SP_SUITE_TIMEOUT:-1500}" bash -c '"$@"' suite "$@" >"$log" 2>&1 || rc=$?
  [ "$rc" = 124 ] && echo "not ok - $name did not finish within ${SP_SUITE_TIMEOUT:-1500} s" >>"$log"
  cat "$log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  p=$(echo "$line" | sed -nE 's/^([0-9]+) passed.*/\1/p'); p=${p:-0}
  f=$(echo "$line" | sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p'); f=${f:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  summary+=("$(printf '%-11s %4d passed, %d failed  (%d s)' "$name" "$p" "$f" "$(( $(date +%s) - t0 ))")")
}

build() {
  make -s -j2 all unittests fuzzers wintests && echo "1 passed, 0 failed"
}

unit() {
  local p=0 f=0 t out
  for t in build/native/test_*; do
    [ -x "$t" ] || continue
    out=$(ASAN_OPTIONS=detect_leaks=1 "$t" 2>&1); rc=$?
    echo "$out"
    n=$(echo "$out" | sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' | tail -n1)
    m=$(echo "$out" | sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' | tail -n1)
    p=$((p + ${n:-0})); f=$((f + ${m:-0}))
    if [ "$rc" != 0 ] && [ -z "$m" ]; then f=$((f + 1)); echo "not ok - $t crashed ($rc)"; fi
  done
  echo "$p passed, $f failed"
  [ "$f" = 0 ]
}

fuzz() {
  local p=0 f=0 fz name corpus
  for fz in build/fuzz/fuzz_*; do
    [ -x "$fz" ] || continue
    name=$(basename "$fz"); name=${name#fuzz_}
    corpus=$(mktemp -d)
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$corpus/"
    if "$fz" -max_total_time="${SP_FUZZ_SECONDS:-20}" -print_final_stats=1 "$corpus" >"$logs/fuzz-$name.out" 2>&1; then
      p=$((p + 1)); echo "ok - fuzz $name: $(grep -E 'stat::number_of_executed_units' "$logs/fuzz-$name.out" | awk '{print $2}') runs"
    else
      f=$((f + 1)); echo "not ok - fuzz $name"; tail -n 30 "$logs/fuzz-$name.out"
    fi
    rm -rf "$corpus"
  done
  echo "$p passed, $f failed"
  [ "$f" = 0 ]
}

# The x86 suites need 32-bit Wine, which needs a kernel that runs 32-bit programs. Some kernels
# have that switched off (scripts/i386-root.sh exits 3 and says so): then those suites cannot run
# on this machine at all, and the summary says that for each, in words, instead of counting a
# failure of the machine as a failure of the product. Any other problem making the root fails.
x86_runnable=
x86_suite() {
  local name=$1; shift
  if [ -z "$x86_runnable" ]; then
    local rc=0
    bash scripts/i386-root.sh </dev/null >"$logs/i386-root.log" 2>&1 || rc=$?
    cat "$logs/i386-root.log"
    if [ "$rc" = 3 ]; then x86_runnable=no; else x86_runnable=yes; fi
  fi
  if [ "$x86_runnable" = no ]; then
    echo "=== $name"
    echo "NOT RUN - $name: this machine's kernel runs no 32-bit programs, so the i686 exe cannot be started here"
    summary+=("$(printf '%-11s NOT RUN: this kernel runs no 32-bit programs (i386-root.sh exit 3)' "$name")")
    return 0
  fi
  suite "$name" "$@"
}

# The GUI suite runs several walks (English, German, the page sets), each ending with its own
# counts: the suite's line is their sum.
gui() {
  local tmp rc=0
  tmp=$(mktemp)
  bash scripts/screenshots.sh "$1" >"$tmp" 2>&1 || rc=$?
  cat "$tmp"
  awk '/^[0-9]+ passed, [0-9]+ failed/ { p += $1; f += $3; n++ }
       END { printf "%d passed, %d failed\n", p, f }' "$tmp"
  rm -f "$tmp"
  return "$rc"
}

export -f build unit fuzz gui
export logs
suite build build
suite unit unit
suite fuzz fuzz
suite imports bash tests/imports/check-imports.sh
suite project bash tests/project/check-project.sh
suite win32 bash scripts/test-win32.sh x64
x86_suite win32-x86 bash scripts/test-win32.sh x86
suite timesync bash tests/env/timesync-wine.sh
suite https bash tests/env/https-suite.sh
suite cli bash tests/cli/test-cli.sh x64
x86_suite cli-x86 bash tests/cli/test-cli.sh x86
suite samba bash tests/samba/test-policy-samba.sh x64
x86_suite samba-x86 bash tests/samba/test-policy-samba.sh x86
suite samba-health bash tests/samba/test-health-samba.sh x64
suite gui gui x64
x86_suite gui-x86 gui x86

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "make test took $(( $(date +%s) - start )) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
