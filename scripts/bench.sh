#!/usr/bin/env bash
# make bench: the DESIGN.md budgets that can be measured today, as ratios against a reference
# run in the same run (never as a timed test): start-up against a bare property sheet, the
# working set after the first page, and the size of each exe; natively, the restore drill's
# comparison against cmp on the same files, and its sampler against find on a tree of
# SP_BENCH_FILES files (default 1,000,000, made once under build/bench-tree) with its peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 benchtools

# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh x64 bench
export SP_FORCE_XVFB=1
sp_wine_prefix
sp_xvfb_start
trap 'sp_xvfb_stop' EXIT
sp_wine_version win2003

root=$(mktemp -d /tmp/sourceprep-bench.XXXXXX)
wine build/x64/bench/startbench.exe build/x64/sourceprep.exe build/x64/bench/bare_sheet.exe \
  "$(winepath -w "$root")" </dev/null
# The health scan of the demo, start-up included (the demo reads each event log in 250 ms, as
# an old server does): the budget is 2 s for all rules.
t0=$(date +%s%N)
wine build/x64/sourceprep.exe /demo "/root:$(winepath -w "$root")" /step:health /check </dev/null >/dev/null 2>&1 || true
t1=$(date +%s%N)
awk -v ns=$((t1 - t0)) 'BEGIN { ms = ns / 1e6; printf "health scan on the demo: %.0f ms with start-up, %.2f of the 2000 ms budget: %s\n", ms, ms / 2000, ms <= 2000 ? "within" : "OVER" }'
rm -rf "$root"
for arch in x64 x86; do
  size=$(stat -c %s "build/$arch/sourceprep.exe")
  awk -v a="$arch" -v s="$size" 'BEGIN { printf "exe size %s: %.2f MB (budget 1.50 MB): %s\n", a, s / 1048576, s <= 1572864 ? "within" : "OVER" }'
done

# ---- The restore drill (native) ----------------------------------------------------------
cmpdir=$(mktemp -d /tmp/sourceprep-drillbench.XXXXXX)
trap 'sp_xvfb_stop; rm -rf "$cmpdir"' EXIT
build/bench/drillbench compare "$cmpdir" "${SP_BENCH_MIB:-1024}"
rm -rf "$cmpdir"

files=${SP_BENCH_FILES:-1000000}
big=build/bench-tree/$files small=build/bench-tree/10000
mkdir -p "$big" "$small"
build/bench/drillbench tree "$small" 10000
echo "drill sample: making a tree of $files files in $big (once)..."
build/bench/drillbench tree "$big" "$files"
sync
find "$big/C/tree" -type f | wc -l >/dev/null # warm the cache for both
t0=$(date +%s.%N); n=$(find "$big/C/tree" -type f | wc -l); t1=$(date +%s.%N)
# The sampler must read each file's time (to skip files newer than the backup): find that
# reads it too is the fair second reference.
find "$big/C/tree" -type f -printf '%T@\n' | wc -l >/dev/null
t2=$(date +%s.%N); find "$big/C/tree" -type f -printf '%T@\n' | wc -l >/dev/null; t3=$(date +%s.%N)
read -r ts nb rss_big < <(build/bench/drillbench sample "$big")
read -r _ _ rss_small < <(build/bench/drillbench sample "$small")
awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v s="$ts" -v n="$n" -v nb="$nb" -v rb="$rss_big" -v rs="$rss_small" 'BEGIN {
  f = t1 - t0; ft = t3 - t2
  printf "drill sample: 20 of %d files (find saw %d): %.2f s; find %.2f s: ratio %.1f; find -printf %%T@ (reads the times too) %.2f s: ratio %.2f\n", nb, n, s, f, s / f, ft, s / ft
  printf "drill sample: peak memory %d KiB on %d files, %d KiB on 10000 files: %s\n", rb, nb, rs, (rb - rs < 2048) ? "independent of the tree (O(k))" : "GROWS with the tree"
}'
