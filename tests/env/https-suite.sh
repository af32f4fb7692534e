#!/usr/bin/env bash
# The email step's HTTPS tests: makes the test certificates, starts the loopback HTTPS server, runs
# the libcurl code natively (OpenSSL) and under Wine (Schannel) as Windows 7 (curl's CA file) and
# Server 2003 (the test CA in the machine's root store: Schannel before 7 refuses a CA file), and
# stops everything it started, also when a test fails. Ends with "N passed, M failed".
# Under Wine the test CA is put in the machine's ROOT store in both runs: a certificate chaining to
# it is trusted by this machine but its root is not a public one (not in AuthRoot), so the email
# step must refuse it for Office 365 (issue 16).
set -uo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
server_pid=""
wine_used=0
passed=0
failed=0

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  [ "$wine_used" = 1 ] && sp_wine_stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# Adds the counts of a program's last "N passed, M failed" line (a crash counts as one failure).
count() {
  local log=$1 rc=$2 line p f
  line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  p=$(echo "$line" | sed -nE 's/^([0-9]+) passed.*/\1/p'); p=${p:-0}
  f=$(echo "$line" | sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p'); f=${f:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "https-suite: exit code $rc without a failed test"; fi
  passed=$((passed + p)); failed=$((failed + f))
}

if ! make -s --no-print-directory httptests; then
  echo "https-suite: the test programs did not build"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! bash tests/env/make-certs.sh "$work/certs"; then
  echo "https-suite: openssl could not make the test certificates"
  echo "0 passed, 1 failed"
  exit 1
fi
python3 tests/env/https_server.py "$work/certs" "$work/ports" </dev/null &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ports" ] && break
  sleep 0.1
done
if [ ! -s "$work/ports" ]; then
  echo "https-suite: the test server did not start"
  echo "0 passed, 1 failed"
  exit 1
fi
port() { awk -v n="$1" '$1 == n {print $2}' "$work/ports"; }
# A port nothing listens on: bound, read, released.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expires=$(cat "$work/certs/leaf.expires")
ports=("$(port trusted)" "$(port self)" "$(port expired)" "$(port silent)" "$closed")
echo "# server: trusted ${ports[0]}, self-signed ${ports[1]}, expired ${ports[2]}, silent ${ports[3]}, closed $closed"

echo "== native (libcurl with OpenSSL)"
rc=0
build/native/http/http_cases "$work/certs/ca.pem" "$expires" "${ports[@]}" >"$work/native.log" 2>&1 || rc=$?
cat "$work/native.log"
count "$work/native.log" "$rc"

# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh x64 https
wine_used=1
winca="Z:$(echo "$work/certs/ca.pem" | tr / '\\')"
for ver in win7 win2003; do
  echo "== Wine as $ver (libcurl with Schannel)"
  if ! sp_wine_version "$ver"; then
    failed=$((failed + 1))
    continue
  fi
  ca=$winca
  [ "$ver" = win2003 ] && ca="@$winca"
  rc=0
  SP_WINE_TIMEOUT=300 sp_wine_run build/x64/tests/http_cases.exe "$ca" "$expires" "${ports[@]}" \
    >"$work/wine.log" 2>&1 || rc=$?
  cat "$work/wine.log"
  count "$work/wine.log" "$rc"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
