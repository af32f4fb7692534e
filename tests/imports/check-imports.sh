#!/usr/bin/env bash
# Reads the import tables of both exes: only DLLs Server 2003 ships, none of the Vista-only functions,
# and only the DLLs the first page needs loaded at start-up (the others are delay-loaded).
set -uo pipefail
cd "$(dirname "$0")/../.."

# DLLs present on a clean Windows Server 2003 SP2 (32- and 64-bit).
allowed="kernel32.dll user32.dll gdi32.dll advapi32.dll shell32.dll comctl32.dll comdlg32.dll
ole32.dll oleaut32.dll msvcrt.dll ws2_32.dll crypt32.dll secur32.dll netapi32.dll version.dll
shlwapi.dll wldap32.dll iphlpapi.dll rpcrt4.dll dnsapi.dll mpr.dll userenv.dll wtsapi32.dll
psapi.dll wintrust.dll ntdsapi.dll winhttp.dll wininet.dll activeds.dll"

# Functions that appeared in Vista or later: importing one makes the exe fail to start on 2003.
forbidden="GetTickCount64 InitializeSRWLock AcquireSRWLockExclusive AcquireSRWLockShared
InitOnceExecuteOnce InitializeConditionVariable SleepConditionVariableCS WakeConditionVariable
CreateSymbolicLinkW GetFinalPathNameByHandleW GetProductInfo inet_pton inet_ntop InetPtonW InetNtopW
BCryptGenRandom CompareStringEx LCIDToLocaleName GetLocaleInfoEx CreateEventExW CreateMutexExW
GetErrorMode SetFileInformationByHandle GetFileInformationByHandleEx TaskDialog TaskDialogIndirect
SHGetKnownFolderPath QueryFullProcessImageNameW WSAPoll CancelIoEx GetSystemTimePreciseAsFileTime
SetThreadErrorMode RegOpenKeyTransactedW CreateFileTransactedW SetDefaultDllDirectories
AddDllDirectory InterlockedCompareExchange64 CreateThreadpoolWork"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }

for arch in x64 x86; do
  exe=build/$arch/sourceprep.exe
  case $arch in x64) tc=x86_64-w64-mingw32 ;; x86) tc=i686-w64-mingw32 ;; esac
  od=$tc-objdump
  if [ ! -f "$exe" ]; then
    bad "$exe exists (build it with make all)"
    continue
  fi
  dump=$($od -p "$exe")
  loaded=$(printf '%s\n' "$dump" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
  # Delay-loaded DLLs (scripts/delaylib.sh) are not in the import directory that GNU ld writes,
  # but their names and their functions' names are in the .idata section with the others.
  idata=$(mktemp)
  $tc-objcopy -O binary --only-section=.idata "$exe" "$idata"
  names=$(strings -a -n 3 "$idata")
  rm -f "$idata"
  dlls=$( (echo "$loaded"; grep -i '\.dll$' <<<"$names" | tr 'A-Z' 'a-z') | sort -u)
  funcs=$( (printf '%s\n' "$dump" | awk '/DLL Name:/{indll=1; next} indll && NF>=3 && $1 ~ /^[0-9a-f]+$/ {print $NF}'
            grep -v '\.dll$' <<<"$names") | sort -u)
  [ -n "$loaded" ] && ok "$arch: import table read ($(echo $loaded | wc -w) DLLs loaded at start, $(echo $dlls | wc -w) in all)" || bad "$arch: no import table"
  # What the first page needs, and nothing more: the rest loads when a step first calls it.
  late=""
  for d in $loaded; do
    case " kernel32.dll user32.dll gdi32.dll advapi32.dll comctl32.dll shell32.dll msvcrt.dll " in
      *" $d "*) ;; *) late="$late $d" ;; esac
  done
  # The x86 exe keeps its normal imports (see x86_DELAY in the Makefile).
  if [ "$arch" = x86 ]; then
    ok "x86: every DLL imported at start-up (i686 delay-loading does not work with this toolchain)"
  elif [ -z "$late" ]; then ok "$arch: start-up loads only what the first page needs; delay-loaded: $(comm -13 <(echo "$loaded") <(echo "$dlls") | tr '\n' ' ')"
  else bad "$arch: loaded at start-up though no first page needs them (delay-load them, see DELAY_DLLS in the Makefile):$late"; fi
  extra=""
  for d in $dlls; do
    case " $(echo $allowed) " in *" $d "*) ;; *) extra="$extra $d" ;; esac
  done
  [ -z "$extra" ] && ok "$arch: every imported DLL ships with Server 2003" || bad "$arch: DLLs Server 2003 lacks:$extra"
  grep -qiE '^(api-ms-win-|ucrtbase|vcruntime|libwinpthread|libgcc|libstdc|libcurl|libcjson)' <<<"$dlls" \
    && bad "$arch: imports a runtime or dependency DLL: $(echo "$dlls" | grep -iE '^(api-ms|ucrt|vcrun|libw|libg|libs|libc)' | tr '\n' ' ')" \
    || ok "$arch: no api-ms-win, ucrtbase or dependency DLLs"
  hit=""
  for f in $forbidden; do
    grep -qx "$f" <<<"$funcs" && hit="$hit $f"
  done
  [ -z "$hit" ] && ok "$arch: no Vista-only functions imported" || bad "$arch: Vista-only functions imported:$hit"
  # The subsystem version must let the 2003 loader start it (5.2 or lower).
  sub=$(printf '%s\n' "$dump" | awk '/MajorSubsystemVersion/{maj=$2} /MinorSubsystemVersion/{min=$2} END{print maj"."min}')
  case "$sub" in 4.*|5.0|5.1|5.2) ok "$arch: subsystem version $sub runs on Server 2003" ;;
    *) bad "$arch: subsystem version $sub is too new for Server 2003" ;; esac
  size=$(stat -c %s "$exe")
  [ "$size" -lt 1572864 ] && ok "$arch: exe is $size bytes, under 1.5 MB" || bad "$arch: exe is $size bytes, over 1.5 MB"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
