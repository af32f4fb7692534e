#!/usr/bin/env bash
# Makes (once) the i386 Debian root in which 32-bit Wine runs the i686 exe, and the wrappers
# that run wine, wineserver, wineboot and winepath inside it:
#   ${SOURCEPREP_CACHE:-/var/cache/sourceprep}/i386/root   debootstrap --arch=i386 bookworm + wine32
#   ${SOURCEPREP_CACHE:-/var/cache/sourceprep}/i386/bin    the wrappers; put first on PATH
#
# 32-bit Wine cannot be installed beside the host's 64-bit Wine (TOOLCHAIN.md), so it lives in a
# root of its own; the host's packages are never touched. A root is complete when
# root/.sourceprep-ready exists; a half-made one (interrupted debootstrap or apt) is removed
# and made again. Each wrapper call runs in a private mount namespace (unshare -m) that binds
# /proc, /dev, /tmp, the cache and the current project folder at the same paths inside the
# root, so paths, the X display's socket and Wine prefixes mean the same on both sides, and
# nothing stays mounted on the host afterwards.
# Needs root. Reads nothing from stdin. Prints "i386-root: ok" when ready; exits 3 when the kernel
# runs no 32-bit programs at all.
set -euo pipefail
umask 022

CACHE=${SOURCEPREP_CACHE:-/var/cache/sourceprep}
BASE=$CACHE/i386
ROOT=$BASE/root
BIN=$BASE/bin
SUITE=bookworm
MIRROR=${SP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Bumped when what goes into the root changes, so that an older root is made again.
STAMP="wine wine32 v1"

say() { echo "i386-root: $*"; }
die() { echo "i386-root: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount namespaces)"
mkdir -p "$BASE"
exec 8>"$BASE/.lock"
flock 8 # one maker at a time; a waiting run then finds the root ready

write_wrappers() {
  mkdir -p "$BIN.new"
  cat >"$BIN.new/sp-i386-exec" <<'WRAP'
#!/usr/bin/env bash
# Runs a command of the i386 root (written by scripts/i386-root.sh): private mounts, same paths.
set -euo pipefail
ROOT=@ROOT@
CACHE=@CACHE@
cmd=$(basename "$0")
[ "$cmd" = sp-i386-exec ] && { cmd=$1; shift; }
here=$(pwd -P)
exec unshare --mount --propagation private /bin/bash -c '
  set -e
  root=$1 cache=$2 here=$3 cmd=$4; shift 4
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount --rbind /tmp "$root/tmp"
  for d in "$cache/i386/prefixes" "$here"; do
    [ -d "$d" ] || continue
    case "$d" in "$root"|"$root"/*) continue ;; esac
    mkdir -p "$root$d"
    mount --bind "$d" "$root$d"
  done
  exec chroot "$root" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
    /bin/sh -c "cd \"\$0\" 2>/dev/null || cd /; exec \"\$@\"" "$here" "$cmd" "$@"
' sp-i386 "$ROOT" "$CACHE" "$here" "$cmd" "$@"
WRAP
  sed -i "s|@ROOT@|$ROOT|; s|@CACHE@|$CACHE|" "$BIN.new/sp-i386-exec"
  chmod 755 "$BIN.new/sp-i386-exec"
  for c in wine wineserver wineboot winepath; do
    ln -s sp-i386-exec "$BIN.new/$c"
  done
  rm -rf "$BIN"
  mv "$BIN.new" "$BIN"
  mkdir -p "$BASE/prefixes"
}

# Some kernels have 32-bit emulation built in but switched off at boot (dmesg: "32-bit emulation
# disabled. You can reenable with ia32_emulation=on"): every i386 program, Wine's included, then
# fails with "Exec format error", and nothing here can change the kernel's command line. (qemu-i386
# through binfmt_misc was tried on such a kernel: debootstrap and apt ran, in 23 minutes, but
# 32-bit Wine's wineboot hung waiting on wineserver, so that is no way out.) Exit 3 says so, before
# any work, so that make test reports the x86 suites as not runnable on this machine.
ia32_runs() { # a 91-byte static i386 ELF that only calls exit(0)
  local t rc
  t=$(mktemp /tmp/sp-ia32.XXXXXX)
  printf '\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00\x01\x00\x00\x00\x54\x80\x04\x08\x34\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x34\x00\x20\x00\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x80\x04\x08\x00\x80\x04\x08\x5b\x00\x00\x00\x5b\x00\x00\x00\x05\x00\x00\x00\x00\x10\x00\x00\x31\xdb\x31\xc0\x40\xcd\x80' >"$t"
  chmod 755 "$t"
  "$t" 2>/dev/null
  rc=$?
  rm -f "$t"
  return $rc
}
if ! ia32_runs; then
  echo "i386-root: this kernel does not run 32-bit programs (32-bit emulation is off: ia32_emulation=off" \
       "or a kernel without it), so 32-bit Wine and the i686 exe cannot run on this machine" >&2
  exit 3
fi

if [ -f "$ROOT/.sourceprep-ready" ] && [ "$(cat "$ROOT/.sourceprep-ready")" = "$STAMP" ] &&
   [ -x "$ROOT/usr/lib/wine/wine" ]; then
  [ -x "$BIN/sp-i386-exec" ] || write_wrappers
  say ok
  exit 0
fi

command -v debootstrap >/dev/null 2>&1 || {
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
    die "apt-get install debootstrap failed"
}

if [ -e "$ROOT" ]; then
  say "removing the half-made root $ROOT"
  # Nothing of ours stays mounted (private namespaces), but a crashed older run may have left mounts.
  for m in $(awk -v r="$ROOT" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$ROOT"
fi

log=$(mktemp /tmp/sourceprep-i386.XXXXXX.log)
say "debootstrap --arch=i386 --variant=minbase $SUITE (about 2 minutes; log: $log)"
start=$(date +%s)
debootstrap --arch=i386 --variant=minbase "$SUITE" "$ROOT.tmp" "$MIRROR" >"$log" 2>&1 ||
  { tail -n 20 "$log" >&2; rm -rf --one-file-system "$ROOT.tmp"; die "debootstrap failed (log: $log)"; }
mv "$ROOT.tmp" "$ROOT"

# The host's binary apt sources (not its deb-src entries) and name resolution.
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  grep -q '^Types: *deb *$' "$f" && cp "$f" "$ROOT/etc/apt/sources.list.d/"
done
[ -n "$(ls "$ROOT/etc/apt/sources.list.d/" 2>/dev/null)" ] && : >"$ROOT/etc/apt/sources.list"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

say "apt-get install wine wine32 in the root (about 2 minutes)"
unshare --mount --propagation private /bin/bash -c '
  set -e
  root=$1
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive /bin/sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends wine wine32 && apt-get clean"
' sp-i386 "$ROOT" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "installing wine32 in the root failed (log: $log)"; }
[ -x "$ROOT/usr/lib/wine/wine" ] || die "the root has no /usr/lib/wine/wine after the install (log: $log)"

write_wrappers
echo "$STAMP" >"$ROOT/.sourceprep-ready"
rm -f "$log"
say "made $ROOT in $(( $(date +%s) - start )) s"
say ok
