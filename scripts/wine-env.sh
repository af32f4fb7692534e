# Sourced by the test scripts: one cached Wine prefix, an Xvfb display, and helpers to run programs under Wine.
# shellcheck shell=bash
#
# Usage:  source scripts/wine-env.sh [ARCH [PURPOSE]]   (ARCH: x64, the default, or x86)
#         sp_xvfb_start; sp_wine_version win2003; sp_wine_run build/x64/tests/test_x.exe; sp_xvfb_stop
#
# x64 runs the host's 64-bit Wine. x86 runs 32-bit Wine in the i386 root that
# scripts/i386-root.sh makes (once, cached): its wine, wineserver, wineboot and winepath
# come first on PATH, and see the same paths as the host (/tmp, the project, the prefixes).
# The prefix is cache, not source: it lives outside the tree and is rebuilt when missing.

SP_WINE_ARCH="${1:-${SP_WINE_ARCH:-x64}}"
case "$SP_WINE_ARCH" in
x64) ;;
x86)
  if ! bash "$(dirname "${BASH_SOURCE[0]}")/i386-root.sh" </dev/null | { grep -vx 'i386-root: ok' || true; }; then
    echo "wine-env: the i386 root for 32-bit Wine could not be made (scripts/i386-root.sh)" >&2
    return 1
  fi
  case ":$PATH:" in
  *":${SOURCEPREP_CACHE:-/var/cache/sourceprep}/i386/bin:"*) ;;
  *) export PATH="${SOURCEPREP_CACHE:-/var/cache/sourceprep}/i386/bin:$PATH" ;;
  esac
  ;;
*) echo "wine-env: unknown architecture $SP_WINE_ARCH (x64 or x86)" >&2; return 1 ;;
esac
export SP_WINE_ARCH
# An optional purpose gives a script its own prefix (wineprefix-x64-PURPOSE): the Windows
# version and `wineserver -k` are prefix-wide, so scripts that may run side by side keep apart.
SP_WINE_PURPOSE="${2:-${SP_WINE_PURPOSE:-}}"
# SP_WINE_TAG (optional) keeps a whole checkout's prefixes apart from another's that runs at the
# same time on the same machine (two worktrees testing side by side): it is added to every name.
SP_WINE_PURPOSE="${SP_WINE_PURPOSE}${SP_WINE_TAG:+${SP_WINE_PURPOSE:+-}$SP_WINE_TAG}"
if [ "$SP_WINE_ARCH" = x86 ]; then
  # Under the folder the i386 root's wrappers bind at the same path inside it.
  export WINEPREFIX="${SOURCEPREP_CACHE:-/var/cache/sourceprep}/i386/prefixes/wineprefix-x86${SP_WINE_PURPOSE:+-$SP_WINE_PURPOSE}"
else
  case "${WINEPREFIX:-}" in */i386/prefixes/*) unset WINEPREFIX ;; esac # an x86 run's, inherited
  export WINEPREFIX="${WINEPREFIX:-${SOURCEPREP_CACHE:-/var/cache/sourceprep}/wineprefix-${SP_WINE_ARCH}${SP_WINE_PURPOSE:+-$SP_WINE_PURPOSE}}"
fi
# Wine stores Windows file names in the Unix locale's charset: under the C locale (CI may have
# no LANG at all) a name such as "Übersicht.txt" cannot be created. Any UTF-8 locale will do.
# The suites assert the English wizard: a host in another language (LANG=de_DE.UTF-8) would give
# Wine that UI language and SourcePrep would speak it (issue 19); only sp_german (below) asks for
# German.
case "$(locale charmap 2>/dev/null) $(locale 2>/dev/null | sed -n 's/^LC_MESSAGES="\{0,1\}\([^".]*\).*/\1/p')" in
"UTF-8 C" | "UTF-8 POSIX" | "UTF-8 en_"*) ;;
*) export LC_ALL=C.UTF-8 ;;
esac
export WINEDEBUG="${WINEDEBUG:--all}"
# No Mono or Gecko install prompts: nobody is there to answer them.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
# The host's 64-bit prefixes run the x64 programs; the i386 root's 32-bit ones the x86 programs.
if [ "$SP_WINE_ARCH" = x86 ]; then export WINEARCH=win32; else export WINEARCH=win64; fi

sp_wine_log() { echo "wine-env: $*" >&2; }

# Fails (returns 1) when Wine is missing, so that a caller under `set -e` stops with the hint.
sp_wine_check() {
  if ! command -v wine >/dev/null 2>&1 || ! command -v wineserver >/dev/null 2>&1; then
    echo "wine-env: Wine is not installed; run: bash scripts/install-deps.sh" >&2
    return 1
  fi
}

# Creates the prefix once; a half-made prefix (interrupted wineboot) is made again.
sp_wine_prefix() {
  sp_wine_check || return 1
  if [ -f "$WINEPREFIX/.sourceprep-ready" ] && [ -f "$WINEPREFIX/system.reg" ] &&
     grep -q ShowCrashDialog "$WINEPREFIX/user.reg" 2>/dev/null; then
    return 0
  fi
  sp_wine_log "creating $WINEPREFIX (wineboot -i)"
  rm -rf "$WINEPREFIX"
  mkdir -p "$(dirname "$WINEPREFIX")"
  if ! wineboot -i </dev/null >/dev/null 2>&1; then
    sp_wine_log "wineboot -i failed for $WINEPREFIX"
    return 1
  fi
  wineserver -w
  # A crash must end the program with a backtrace in the log, not wait on a dialog nobody sees.
  wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f </dev/null >/dev/null 2>&1
  wineserver -w
  touch "$WINEPREFIX/.sourceprep-ready"
}

# Sets the Windows version Wine reports (win2003, win2008, win2008r2, win7, win10, ...).
sp_wine_version() {
  local ver="$1"
  [ -n "$ver" ] || { sp_wine_log "sp_wine_version: no version given"; return 1; }
  sp_wine_prefix || return 1
  wine reg add 'HKCU\Software\Wine' /v Version /d "$ver" /f </dev/null >/dev/null 2>&1 || {
    sp_wine_log "could not set the Wine version to $ver"
    return 1
  }
  # The next program must start with a fresh wineserver that reads the new version.
  wineserver -w
}

# Runs a Windows program and returns its exit code (Wine passes it through, 0..255 as seen by
# the shell). Standard input is /dev/null: CI has none, and a program must never wait on it.
# With SP_WINE_TIMEOUT=SECONDS a program still running then is killed (exit code 124 or 137).
sp_wine_run() {
  sp_wine_prefix || return 1
  local rc=0
  if [ -n "${SP_WINE_TIMEOUT:-}" ]; then
    timeout -k 10 "$SP_WINE_TIMEOUT" wine "$@" </dev/null || rc=$?
  else
    wine "$@" </dev/null || rc=$?
  fi
  return "$rc"
}

# Whether Wine leaves its top-level windows to the X window manager (Y, Wine's default) or
# draws their frames itself (N). Xvfb has no window manager: there Wine waits 2 s each time a
# managed window is hidden (winex11's wait_for_withdrawn_state times out), so every closed
# confirmation box froze the wizard's UI thread for 2 s and the GUI walks saw a hung page.
sp_wine_managed() {
  wine reg add 'HKCU\Software\Wine\X11 Driver' /v Managed /d "$1" /f </dev/null >/dev/null 2>&1 || {
    sp_wine_log "could not set the X11 driver's Managed to $1"
    return 1
  }
  wineserver -w
}

SP_XVFB_PID=""
SP_XVFB_STARTED_DISPLAY=""

# Starts Xvfb on a free display when there is no display, or when SP_FORCE_XVFB=1; its screen is
# SP_XVFB_SCREEN (default 1024x768x24).
sp_xvfb_start() {
  if [ -n "${DISPLAY:-}" ] && [ "${SP_FORCE_XVFB:-0}" != 1 ]; then
    return 0
  fi
  command -v Xvfb >/dev/null 2>&1 || {
    echo "wine-env: Xvfb is not installed; run: bash scripts/install-deps.sh" >&2
    return 1
  }
  local n
  for n in $(seq 90 140); do
    # A lock file or a socket means another server has (or had) that display.
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 "${SP_XVFB_SCREEN:-1024x768x24}" -nolisten tcp </dev/null >/dev/null 2>&1 &
    SP_XVFB_PID=$!
    local i
    for i in $(seq 1 100); do
      if DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then
        export DISPLAY=":$n"
        SP_XVFB_STARTED_DISPLAY=":$n"
        sp_wine_managed N || return 1
        return 0
      fi
      kill -0 "$SP_XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    # It died (display taken after all) or never answered: try the next number.
    kill "$SP_XVFB_PID" 2>/dev/null || true
    wait "$SP_XVFB_PID" 2>/dev/null || true
    SP_XVFB_PID=""
  done
  sp_wine_log "could not start Xvfb on any display from :90 to :140"
  return 1
}

# The prefix's screen resolution in dots per inch (96, 120, 144, ...), as the Display control
# panel sets it; the next program starts with a fresh wineserver that reads it.
sp_wine_dpi() {
  sp_wine_prefix || return 1
  wine reg add 'HKCU\Control Panel\Desktop' /v LogPixels /t REG_DWORD /d "$1" /f </dev/null >/dev/null 2>&1 || {
    sp_wine_log "could not set the DPI to $1"
    return 1
  }
  wineserver -w
}

# Ends this session's Wine processes, then the Xvfb this script started (never anyone else's).
sp_wine_stop() {
  if command -v wineserver >/dev/null 2>&1 && [ -d "$WINEPREFIX" ]; then
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
  fi
}

sp_xvfb_stop() {
  sp_wine_stop
  if [ -n "$SP_XVFB_PID" ]; then
    kill "$SP_XVFB_PID" 2>/dev/null || true
    wait "$SP_XVFB_PID" 2>/dev/null || true
    SP_XVFB_PID=""
  fi
  if [ -n "$SP_XVFB_STARTED_DISPLAY" ]; then
    unset DISPLAY
    SP_XVFB_STARTED_DISPLAY=""
  fi
}

# Sourcing makes sure the prefix exists (callers may run `wine` at once) and fails, with the
# hint to install, when Wine is missing.
sp_wine_prefix || return 1

# German Windows as Wine makes it: a program started through sp_german sees the Unix locale
# de_DE.UTF-8, so Wine gives it a German user and UI language (GetUserDefaultUILanguage) and its
# own German resources (the sheet's Zurück/Weiter, message boxes' Ja/Nein). glibc must know the
# locale: when the system has not generated it, it is compiled once from glibc's sources
# (localedef, no package installed) into the cache and found through LOCPATH.
sp_german_locale() {
  if LC_ALL=de_DE.UTF-8 locale charmap 2>/dev/null | grep -qx UTF-8 &&
     [ "$(LC_ALL=de_DE.UTF-8 locale -k LC_MESSAGES 2>/dev/null | head -1)" != "" ] &&
     locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
    return 0
  fi
  local dir="${SOURCEPREP_CACHE:-/var/cache/sourceprep}/locale"
  if [ ! -f "$dir/de_DE.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ]; then
    mkdir -p "$dir"
    localedef -i de_DE -f UTF-8 "$dir/de_DE.UTF-8.tmp" >/dev/null 2>&1 ||
      [ -f "$dir/de_DE.UTF-8.tmp/LC_MESSAGES/SYS_LC_MESSAGES" ] || {
      sp_wine_log "could not compile the locale de_DE.UTF-8 (localedef -i de_DE -f UTF-8)"
      rm -rf "$dir/de_DE.UTF-8.tmp"
      return 1
    }
    rm -rf "$dir/de_DE.UTF-8"
    mv "$dir/de_DE.UTF-8.tmp" "$dir/de_DE.UTF-8"
  fi
  export SP_GERMAN_LOCPATH="$dir"
}

# Runs a command (wine ...) in German: sp_german wine prog.exe args.
sp_german() {
  sp_german_locale || return 1
  env ${SP_GERMAN_LOCPATH:+LOCPATH="$SP_GERMAN_LOCPATH"} LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 LANGUAGE=de_DE "$@"
}
