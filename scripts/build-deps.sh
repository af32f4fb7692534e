#!/usr/bin/env bash
# Builds static libcurl (Schannel, HTTP/HTTPS only) and cJSON for the mingw-w64
# targets from Debian's source packages, for a Windows Server 2003 baseline, into
# a cache outside the tree:
#   ${SOURCEPREP_CACHE:-/var/cache/sourceprep}/deps/<key>/<triplet>/{include,lib}
#   .../deps/<key>/LIBS        last line: the link flags the project must use
#   .../deps/current -> <key>
# A cache entry is complete when <key>/<triplet>/.complete exists for both
# triplets; then the script only prints "build-deps: cached <key>".
# Needs root (apt); reads nothing from stdin.
set -euo pipefail
umask 022

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
TRIPLETS=(x86_64-w64-mingw32 i686-w64-mingw32)
CACHE_ROOT=${SOURCEPREP_CACHE:-/var/cache/sourceprep}
DEPS=$CACHE_ROOT/deps
JOBS=2
WINVER_FLAGS=(-D_WIN32_WINNT=0x0502 -DWINVER=0x0502)
# DLLs present on Windows Server 2003 that the smoke program may import.
ALLOWED_DLLS="KERNEL32.dll msvcrt.dll ADVAPI32.dll CRYPT32.dll WS2_32.dll SECUR32.dll USER32.dll"
# System libraries tried for the link; only those whose DLL ends up imported are kept.
CANDIDATE_SYSLIBS="ws2_32 crypt32 secur32 advapi32 bcrypt"
# Functions that Server 2003 lacks (Vista or later) which a curl/CRT build could
# pick up; matched against libcurl.a's undefined symbols and the smoke exe's imports.
FORBIDDEN_RE='BCrypt[A-Za-z]*|inet_pton|inet_ntop|InetPton[AW]?|InetNtop[AW]?|if_nametoindex|if_indextoname|WSAPoll|GetAddrInfoEx[AW]?|FreeAddrInfoEx[AW]?|GetTickCount64|InitializeSRWLock|(Acquire|Release|TryAcquire)SRWLock(Exclusive|Shared)|InitializeConditionVariable|SleepConditionVariable(CS|SRW)|Wake(All)?ConditionVariable|InitOnce[A-Za-z]*|CreateSymbolicLink[AW]|GetFileInformationByHandleEx|SetFileInformationByHandle|GetFinalPathNameByHandle[AW]|CancelIoEx|QueryFullProcessImageName[AW]|(Get|Set)ThreadErrorMode|GetErrorMode|Create(Event|Mutex|Semaphore)Ex[AW]|InitializeCriticalSectionEx|LocaleNameToLCID|LCIDToLocaleName|GetSystemTimePreciseAsFileTime|IdnToAscii|IdnToUnicode'
# Only checked in the exe's imports: names that mingw-w64's libmsvcrt.a supplies
# statically (fine in libcurl.a) but that must not be imported from msvcrt.dll.
FORBIDDEN_EXE_RE="$FORBIDDEN_RE|__acrt_iob_func|__stdio_common_[a-z]*"

say() { echo "build-deps: $*"; }
FAIL_MSG=""
die() { FAIL_MSG=$*; echo "build-deps: ERROR: $*" >&2; exit 1; }

# --- packages (idempotent; silent when everything is there) -----------------
bash "$SCRIPT_DIR/install-deps.sh" </dev/null 2>&1 | { grep -vx 'install-deps: ok' || true; } ||
  die "scripts/install-deps.sh failed"

# --- cache key from Debian's source package versions -------------------------
src_version() { # highest version of source package $1 that apt knows
  local v best=""
  for v in $(apt-cache showsrc --only-source "$1" 2>/dev/null | awk '/^Version:/ {print $2}'); do
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
  done
  [ -n "$best" ] || die "apt-cache showsrc $1 found nothing (no deb-src entry for bookworm main, or no apt-get update?)"
  printf '%s\n' "$best"
}
sanitize() { printf '%s' "$1" | sed 's/[^A-Za-z0-9.-]/./g'; }

CURL_V=$(src_version curl)
CJSON_V=$(src_version cjson)
KEY="curl-$(sanitize "$CURL_V")_cjson-$(sanitize "$CJSON_V")"
DEST=$DEPS/$KEY

mkdir -p "$DEPS"
exec 9>"$DEPS/.lock"
flock 9 # one build at a time; a waiting run then finds the cache complete

update_current() { # atomic replacement of the "current" symlink
  ln -sfn "$KEY" "$DEPS/.current.$$"
  mv -Tf "$DEPS/.current.$$" "$DEPS/current"
}

is_complete() {
  local t
  for t in "${TRIPLETS[@]}"; do [ -f "$DEST/$t/.complete" ] || return 1; done
  [ -f "$DEST/LIBS" ]
}

if is_complete; then
  update_current
  say "cached $KEY"
  exit 0
fi

# --- cold build ---------------------------------------------------------------
START=$SECONDS
# Leftovers of interrupted or failed runs for this cache (we hold its lock). A
# failed run keeps its work dir for inspection until the next cold build.
rm -rf "$DEPS"/.stage-* "$DEPS"/.old-*
if [ -f "$DEPS/.failed-work" ]; then
  old_work=$(cat "$DEPS/.failed-work")
  case $old_work in */sourceprep-deps.??????) rm -rf "$old_work" ;; esac
  rm -f "$DEPS/.failed-work"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sourceprep-deps.XXXXXX")
STAGE=$(mktemp -d "$DEPS/.stage-$KEY.XXXXXX") # same filesystem as $DEST: the final mv is a rename
LOG=$WORK/build.log
: >"$LOG"
SUCCESS=0

on_exit() {
  local rc=$?
  if [ "$SUCCESS" != 1 ]; then
    rm -rf "$STAGE"
    if [ -s "$LOG" ]; then
      echo "build-deps: ---- last 40 lines of $LOG ----" >&2
      tail -n 40 "$LOG" >&2
      echo "build-deps: ---- (work dir kept until the next build: $WORK) ----" >&2
    fi
    printf '%s\n' "$WORK" >"$DEPS/.failed-work"
    [ -z "$FAIL_MSG" ] || echo "build-deps: FAILED: $FAIL_MSG" >&2
    [ "$rc" != 0 ] || rc=1
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run() { # run a command with its output in the log only
  printf '+ %s\n' "$*" >>"$LOG"
  "$@" </dev/null >>"$LOG" 2>&1
}

say "building $KEY (log: $LOG)"

# --- sources ---------------------------------------------------------------
mkdir -p "$WORK/src"
(cd "$WORK/src" && run apt-get source --only-source "curl=$CURL_V" "cjson=$CJSON_V") ||
  die "apt-get source curl=$CURL_V cjson=$CJSON_V failed"
upstream() { local v=${1#*:}; printf '%s\n' "${v%-*}"; }
CURL_SRC=$WORK/src/curl-$(upstream "$CURL_V")
CJSON_SRC=$WORK/src/cjson-$(upstream "$CJSON_V")
[ -x "$CURL_SRC/configure" ] || die "no $CURL_SRC/configure after apt-get source"
[ -f "$CJSON_SRC/cJSON.c" ] || die "no $CJSON_SRC/cJSON.c after apt-get source"

# dpkg-source applies the whole series, including the last two patches that
# Debian's rules use only for the libcurl-gnutls / libcurl-nss flavours. Undo them.
for p in 99_nss.patch 90_gnutls.patch; do
  f=$CURL_SRC/debian/patches/$p
  [ -f "$f" ] || continue
  if patch -d "$CURL_SRC" -p1 -R -s -f --dry-run -i "$f" >>"$LOG" 2>&1; then
    run patch -d "$CURL_SRC" -p1 -R -s -f -i "$f" || die "could not reverse $p"
  fi
done
say "sources: curl $CURL_V, cjson $CJSON_V"

# --- curl configure options --------------------------------------------------
WANTED_OPTS=(
  --with-schannel --without-openssl --without-gnutls --without-mbedtls --without-wolfssl
  --without-bearssl --without-rustls --without-nss --without-hyper
  --without-libssh2 --without-libssh --without-wolfssh --without-libpsl --without-libgsasl
  --without-zlib --without-brotli --without-zstd --without-nghttp2 --without-ngtcp2
  --without-nghttp3 --without-quiche --without-msh3 --without-librtmp --without-libidn2
  --without-winidn --without-gssapi --without-ca-bundle --without-ca-path
  --disable-ldap --disable-ldaps --enable-static --disable-shared
  --disable-threaded-resolver --disable-ares
  --disable-ftp --disable-file --disable-dict --disable-telnet --disable-tftp --disable-rtsp
  --disable-pop3 --disable-imap --disable-smtp --disable-gopher --disable-smb --disable-mqtt
  --disable-manual --disable-docs --disable-ntlm-wb --disable-websockets
)
CONF_HELP=$("$CURL_SRC/configure" --help)
CONF_OPTS=()
dropped=()
for o in "${WANTED_OPTS[@]}"; do
  case $o in
    --with-*|--without-*) name=${o#--with-}; name=${name#--without-}; re="--with(out)?-$name" ;;
    --enable-*|--disable-*) name=${o#--enable-}; name=${name#--disable-}; re="--(en|dis)able-$name" ;;
  esac
  if grep -qE -- "^ +$re([ =[]|$)" <<<"$CONF_HELP"; then CONF_OPTS+=("$o"); else dropped+=("$o"); fi
done
echo "configure options not known to this curl (left out): ${dropped[*]:-none}" >>"$LOG"

# Where configure would otherwise detect a Vista+ function, curl's own
# curl_disallow_* switches keep it out (its curl_cv_func_* are not cache variables).
# With _WIN32_WINNT=0x0502 mingw's headers hide them anyway; this is belt and braces.
# BCryptGenRandom has no switch: lib/rand.c uses it only when _WIN32_WINNT >= 0x600.
DISALLOW_ENV=(curl_disallow_inet_pton=yes curl_disallow_inet_ntop=yes curl_disallow_if_nametoindex=yes)

forbidden_in() { # $1 regex; stdin: symbol names; prints the matching ones (i686 decoration allowed)
  grep -E "^(__imp_)?_?($1)(@[0-9]+)?\$" | sort -u || true
}

dll_imports() { # $1 triplet, $2 exe: imported DLL names
  "$1-objdump" -p "$2" | awk '/DLL Name:/ {print $3}'
}
func_imports() { # $1 triplet, $2 exe: imported function names
  "$1-objdump" -p "$2" | awk '
    /^\tDLL Name:/ {indll=1; next}
    indll && /^[ \t]*$/ {indll=0}
    indll && NF >= 3 && $1 ~ /^[0-9a-fA-F]+$/ && $2 ~ /^[0-9]+$/ {print $3}'
}

SMOKE_C=$WORK/smoke.c
cat >"$SMOKE_C" <<'EOF'
#include <stdio.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>

int main(int argc, char **argv)
{
    cJSON *j = cJSON_Parse("{\"ok\":true}");
    CURL *h;
    int rc = 0;

    printf("%s\n", curl_version());
    if (!j || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok")))
        rc = 1;
    cJSON_Delete(j);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    h = curl_easy_init();
    if (!h)
        return 3;
    /* Link the whole transfer path (HTTP, Schannel, resolver) but only run it on request. */
    if (argc > 1) {
        curl_easy_setopt(h, CURLOPT_URL, argv[1]);
        rc = curl_easy_perform(h) == CURLE_OK ? rc : 4;
    }
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return rc;
}
EOF

declare -A NEEDED=()

for t in "${TRIPLETS[@]}"; do
  command -v "$t-gcc" >/dev/null || die "$t-gcc not found (install-deps.sh should have installed it)"
  out=$STAGE/$t
  mkdir -p "$out/include/cjson" "$out/lib"

  # curl: out-of-tree build of lib/ only
  b=$WORK/build-curl-$t
  mkdir -p "$b"
  say "$t: curl configure + make (a few minutes)"
  (cd "$b" && run env "${DISALLOW_ENV[@]}" "$CURL_SRC/configure" --host="$t" --prefix=/usr/local \
      CPPFLAGS="${WINVER_FLAGS[*]}" CFLAGS="-O2" "${CONF_OPTS[@]}") || die "$t: curl configure failed"
  run make -C "$b/lib" -j"$JOBS" || die "$t: curl build failed"
  run make -C "$b/include" install DESTDIR="$WORK/inst-$t" || die "$t: curl header install failed"
  cp -a "$WORK/inst-$t/usr/local/include/curl" "$out/include/"
  install -m 644 "$b/lib/.libs/libcurl.a" "$out/lib/libcurl.a"

  bad=$("$t-nm" -u "$out/lib/libcurl.a" 2>>"$LOG" | awk 'NF {print $NF}' | forbidden_in "$FORBIDDEN_RE") ||
    die "$t: $t-nm failed on libcurl.a"
  [ -z "$bad" ] || die "$t: libcurl.a references functions Windows Server 2003 lacks: ${bad//$'\n'/ }
(is _WIN32_WINNT=0x0502 in CPPFLAGS? e.g. lib/rand.c uses BCryptGenRandom when it is >= 0x600)"

  # cJSON: one file; CJSON_HIDE_SYMBOLS keeps its functions out of the exe's export table
  c=$WORK/build-cjson-$t
  mkdir -p "$c"
  run "$t-gcc" -O2 "${WINVER_FLAGS[@]}" -DCJSON_HIDE_SYMBOLS -c "$CJSON_SRC/cJSON.c" -o "$c/cJSON.o" ||
    die "$t: cJSON compile failed"
  run "$t-ar" rcs "$out/lib/libcjson.a" "$c/cJSON.o" || die "$t: ar libcjson.a failed"
  install -m 644 "$CJSON_SRC/cJSON.h" "$out/include/cjson/cJSON.h"

  # smoke link with all candidate system libraries; keep those whose DLL is imported
  s=$WORK/smoke-$t
  mkdir -p "$s"
  cand=()
  for l in $CANDIDATE_SYSLIBS; do cand+=("-l$l"); done
  run "$t-gcc" -O2 "${WINVER_FLAGS[@]}" -DCURL_STATICLIB -I"$out/include" "$SMOKE_C" -o "$s/probe.exe" \
      -static -L"$out/lib" -lcurl -lcjson "${cand[@]}" || die "$t: smoke program does not link"
  dll_imports "$t" "$s/probe.exe" >"$s/probe.dlls"
  for l in $CANDIDATE_SYSLIBS; do
    if grep -qix "$l.dll" "$s/probe.dlls"; then NEEDED[$l]=1; fi
  done
done

SYSLIBS=""
for l in $CANDIDATE_SYSLIBS; do
  [ -z "${NEEDED[$l]:-}" ] || SYSLIBS="$SYSLIBS -l$l"
done
LINK_FLAGS="-lcurl -lcjson$SYSLIBS"
echo "link flags derived from the imports: $LINK_FLAGS" >>"$LOG"

# --- final smoke link with exactly those flags, import checks --------------------
for t in "${TRIPLETS[@]}"; do
  out=$STAGE/$t
  s=$WORK/smoke-$t
  # shellcheck disable=SC2086 # LINK_FLAGS is a list of flags
  run "$t-gcc" -O2 "${WINVER_FLAGS[@]}" -DCURL_STATICLIB -I"$out/include" "$SMOKE_C" -o "$s/smoke.exe" \
      -static -L"$out/lib" $LINK_FLAGS || die "$t: smoke program does not link with: $LINK_FLAGS"
  mapfile -t dlls < <(dll_imports "$t" "$s/smoke.exe")
  {
    echo "$t smoke.exe imports:"
    "$t-objdump" -p "$s/smoke.exe" | sed -n '/^The Import Tables/,/^The Export Tables\|^PE File Base Relocations/p'
  } >>"$LOG"
  unexpected=()
  for d in "${dlls[@]}"; do
    ok=0
    for a in $ALLOWED_DLLS; do [ "${d,,}" = "${a,,}" ] && ok=1; done
    [ "$ok" = 1 ] || unexpected+=("$d")
  done
  [ "${#unexpected[@]}" = 0 ] ||
    die "$t: smoke.exe imports DLLs outside the Server 2003 set: ${unexpected[*]} (all imports: ${dlls[*]})"
  bad=$(func_imports "$t" "$s/smoke.exe" | forbidden_in "$FORBIDDEN_EXE_RE") || die "$t: $t-objdump failed on smoke.exe"
  [ -z "$bad" ] || die "$t: smoke.exe imports functions Windows Server 2003 lacks: ${bad//$'\n'/ }"
  if grep -q '^There is an export table' <<<"$("$t-objdump" -p "$s/smoke.exe")"; then
    die "$t: smoke.exe has an export table (cJSON built without CJSON_HIDE_SYMBOLS?)"
  fi
  say "$t: ok, smoke.exe imports: ${dlls[*]}"

  printf 'curl %s\ncjson %s\n' "$CURL_V" "$CJSON_V" >"$out/VERSIONS"
done

cat >"$STAGE/LIBS" <<EOF
# Static libcurl (Schannel; HTTP and HTTPS only) and cJSON for Windows Server 2003 and later.
# curl $CURL_V, cjson $CJSON_V (Debian bookworm source packages); triplets: ${TRIPLETS[*]}
# Compile with: -DCURL_STATICLIB -I<this dir>/<triplet>/include   (#include <curl/curl.h>, <cjson/cJSON.h>)
# Link with: -static -L<this dir>/<triplet>/lib and the flags on the last line.
$LINK_FLAGS
EOF

# --- move into place: the stage becomes <key> in one rename -------------------
for t in "${TRIPLETS[@]}"; do touch "$STAGE/$t/.complete"; done
cp "$LOG" "$STAGE/build.log"
chmod 755 "$STAGE"
if [ -e "$DEST" ] || [ -L "$DEST" ]; then
  mv -T "$DEST" "$DEPS/.old-$KEY.$$" # an incomplete leftover
fi
mv -T "$STAGE" "$DEST"
rm -rf "$DEPS/.old-$KEY.$$"
update_current
SUCCESS=1
say "installed $DEST ($(( SECONDS - START )) s); link flags: $LINK_FLAGS"
