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
timeout 900 wine build/x64/tests/guitest.exe build/x64/sourceprep.exe "$(winepath -w "$root")" \
  "$(winepath -w "$out")" </dev/null || rc=$?
# The printed report of the same walk: HTML from the wizard, PDF from headless Chromium, PNG pages.
report="$out/report.html"
timeout 120 wine build/x64/sourceprep.exe /demo "/root:$(winepath -w "$root")" \
  "/report:$(winepath -w "$report")" </dev/null >"$out/report.log" 2>&1 || true
[ -n "${SP_KEEP_ROOT:-}" ] && echo "screenshots: the walked demo server is kept in $root" || rm -rf "$root"
if [ -s "$report" ]; then
  profile=$(mktemp -d /tmp/sourceprep-chromium.XXXXXX)
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" \
    "file://$(realpath "$report")" >/dev/null 2>&1 || echo "not ok - Chromium could not print the report"
  rm -rf "$profile"
  [ -s "$out/report.pdf" ] && pdftoppm -png -r 70 "$out/report.pdf" "$out/report-page"
else
  echo "not ok - the wizard wrote no report.html"
  rc=1
fi
shopt -s nullglob
for bmp in "$out"/*.bmp; do
  convert "$bmp" "${bmp%.bmp}.png" && rm -f "$bmp"
done
pngs=("$out"/*.png)
n=${#pngs[@]}
echo "screenshots: $n pages in $out"
exit "$rc"
