#!/usr/bin/env bash
# Installs what the build and the tests need from Debian's packages; idempotent and quiet when done.
set -euo pipefail

PKGS=(
  make gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 binutils-mingw-w64-x86-64 binutils-mingw-w64-i686
  mingw-w64-tools wine wine64 xvfb xauth x11-utils imagemagick
  libcmocka-dev libcjson-dev clang libclang-rt-14-dev llvm
  dpkg-dev zip unzip python3 python3-jsonschema file ca-certificates libcurl4-openssl-dev openssl
  chromium poppler-utils
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind ldb-tools ldap-utils
)

need=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done

have_src=0
grep -rqs '^Types: *deb-src' /etc/apt/sources.list.d/ && have_src=1
if [ "$have_src" = 0 ]; then
  echo "install-deps: adding a deb-src entry for bookworm main"
  cat > /etc/apt/sources.list.d/sourceprep-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi

if [ "${#need[@]}" -gt 0 ] || [ "${need_update:-0}" = 1 ] || [ ! -d /var/lib/apt/lists ] || \
   ! ls /var/lib/apt/lists/*Sources* >/dev/null 2>&1; then
  echo "install-deps: apt-get update"
  apt-get update -qq
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "install-deps: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-deps: ok"
