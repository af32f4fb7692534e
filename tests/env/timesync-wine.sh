#!/usr/bin/env bash
# Time sync under Wine: starts the loopback SNTP server, installs a fake w32tm.exe and a test
# W32Time service in the prefix, runs build/x64/tests/ts_wine.exe, and stops all it started.
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh x64 timesync || { echo "0 passed, 1 failed"; exit 1; }
make -s timesync-wine || { echo "timesync-wine: build failed"; echo "0 passed, 1 failed"; exit 1; }
sp_wine_version win2003 || { echo "0 passed, 1 failed"; exit 1; }

server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  wine sc stop W32Time </dev/null >/dev/null 2>&1
  wine sc delete W32Time </dev/null >/dev/null 2>&1
  rm -f "$WINEPREFIX/drive_c/windows/system32/w32tm.exe"
  sp_wine_stop
}
trap cleanup EXIT

# A free block of eight ports on loopback.
base=$(python3 -c 'import socket,random
for _ in range(50):
    b = random.randrange(20000, 60000, 8); ok = True
    for p in range(b, b + 8):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try: s.bind(("127.0.0.1", p))
        except OSError: ok = False
        s.close()
    if ok: print(b); break')
fifo=$(mktemp -u); mkfifo "$fifo"
python3 tests/env/sntp_server.py "$base:-420000" "$((base+1)):-299000:3" "$((base+2)):3000:2:0:20" \
  "$((base+3)):21600000:1" "$((base+4)):0:2:0:0:garbage" "$((base+5)):0:2:0:0:silent" \
  "$((base+6)):0:2:3" "$((base+7)):0:0" >"$fifo" 2>&1 &
server_pid=$!
read -r -t 10 line <"$fifo"; rm -f "$fifo"
[ "$line" = ready ] || { echo "timesync-wine: the SNTP server did not start: $line"; echo "0 passed, 1 failed"; exit 1; }

# A fresh state and journal: the test counts the changes it undoes.
find "$WINEPREFIX/drive_c" -maxdepth 5 -type d -name SourcePrep -path '*Data*' -exec rm -rf {} + 2>/dev/null
cp build/x64/tests/fake/w32tm.exe "$WINEPREFIX/drive_c/windows/system32/w32tm.exe"
mkdir -p "$WINEPREFIX/drive_c/sp-test"
cp build/x64/tests/fake/w32time-svc.exe "$WINEPREFIX/drive_c/sp-test/w32time-svc.exe"
wine sc delete W32Time </dev/null >/dev/null 2>&1
wine sc create W32Time binPath= 'C:\sp-test\w32time-svc.exe' </dev/null >/dev/null 2>&1
wine sc start W32Time </dev/null >/dev/null 2>&1

SP_SNTP_BASE=$base SP_EXPECT_VERSION=win2003 SP_WINE_TIMEOUT=300 sp_wine_run build/x64/tests/ts_wine.exe
