#!/usr/bin/env bash
# Makes a delay-load import library for one system DLL from the toolchain's own import library:
# the exe then loads that DLL when a function of it is first called, not at start-up (make bench:
# each DLL loaded at start costs time and working set before the first page paints).
# Usage: delaylib.sh TRIPLET DLLNAME OUT.a   (TRIPLET x86_64-w64-mingw32 or i686-w64-mingw32)
set -euo pipefail
triplet=$1 dll=$2 out=$3
base=$(basename "$dll" .dll | tr 'A-Z' 'a-z')
lib=/usr/$triplet/lib/lib$base.a
[ -f "$lib" ] || { echo "delaylib: no $lib" >&2; exit 1; }
def=${out%.a}.def
# The import symbols (__imp_Name on x64, __imp__Name@N or __imp__Name on i686) as a .def.
{
  echo "LIBRARY $dll"
  echo "EXPORTS"
  "$triplet-nm" "$lib" | awk '$2 == "I" && $3 ~ /^__imp_/ { print $3 }' |
    sed -e 's/^__imp_//' | { if [ "$triplet" = i686-w64-mingw32 ]; then sed 's/^_//'; else cat; fi; } |
    LC_ALL=C sort -u
} >"$def"
kill_at=()
[ "$triplet" = i686-w64-mingw32 ] && kill_at=(--kill-at)
"$triplet-dlltool" --input-def "$def" --dllname "$dll" "${kill_at[@]}" --output-delaylib "$out"
