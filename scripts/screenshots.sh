#!/usr/bin/env bash
# make screenshots: drives the wizard on the demo server in Xvfb and saves a PNG of every page
# to build/screenshots/ (the GUI test takes them while it walks the pages).
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/screenshots
make -s -j2 all build/x64/tests/guitest.exe

# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh
export SP_FORCE_XVFB=1 # the same clean 1024x768 screen every time
sp_wine_prefix
sp_xvfb_start
trap 'sp_xvfb_stop' EXIT
sp_wine_version "${SP_WINE_VERSION:-win2003}"

root=$(mktemp -d /tmp/sourceprep-shots.XXXXXX)
rm -rf "$out"
mkdir -p "$out"
rc=0
wine build/x64/tests/guitest.exe build/x64/sourceprep.exe "$(winepath -w "$root")" \
  "$(winepath -w "$out")" </dev/null || rc=$?
rm -rf "$root"
shopt -s nullglob
for bmp in "$out"/*.bmp; do
  convert "$bmp" "${bmp%.bmp}.png" && rm -f "$bmp"
done
pngs=("$out"/*.png)
n=${#pngs[@]}
echo "screenshots: $n pages in $out"
exit "$rc"
