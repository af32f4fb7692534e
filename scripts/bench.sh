#!/usr/bin/env bash
# make bench: the DESIGN.md budgets that can be measured today, as ratios against a reference
# run in the same run (never as a timed test): start-up against a bare property sheet, the
# working set after the first page, and the size of each exe.
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
rm -rf "$root"
for arch in x64 x86; do
  size=$(stat -c %s "build/$arch/sourceprep.exe")
  awk -v a="$arch" -v s="$size" 'BEGIN { printf "exe size %s: %.2f MB (budget 1.50 MB): %s\n", a, s / 1048576, s <= 1572864 ? "within" : "OVER" }'
done
