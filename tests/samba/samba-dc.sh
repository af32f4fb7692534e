#!/usr/bin/env bash
# Sourced by the Samba suites: checks the tools, provisions a Samba AD DC for SAMDOM.TEST into a
# temporary folder and serves it on one loopback address of its own; cleanup stops it whatever
# happens. It defines ok, bad and finish (the suite's count); the caller sets PASS, and may set
# SAMBA_DNS_BACKEND (default NONE: no DNS zones in the directory) and SAMBA_DNS_SERVE=1: Samba's
# internal DNS then answers on port 53 of IP, its forwarder FWD, another loopback address
# (nothing listens there unless the suite starts tests/samba/dns-tool.py forwarder on it): no
# query leaves loopback. samba_dnsupdate does not run, so a record a test deletes stays deleted.
#   samba_dc_start: sets REALM, DOMAIN, IP, FWD, tmp, sam, dn_base, samba_pid; finishes on failure.

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

samba_pid=""
tmp=""

samba_dc_cleanup() {
  if [ -n "$samba_pid" ] && kill -0 "$samba_pid" 2>/dev/null; then
    kill "$samba_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$samba_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$samba_pid" 2>/dev/null || true
    wait "$samba_pid" 2>/dev/null || true
  fi
  if [ -n "$tmp" ]; then
    chattr -R -i "$tmp" 2>/dev/null
    rm -rf "$tmp"
  fi
}

samba_dc_tools() {
  for tool in samba samba-tool ldbsearch ldbmodify python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      bad "Samba AD DC test: $tool is not installed (run: bash scripts/install-deps.sh)"
      finish
    fi
  done
  if [ "$(id -u)" != 0 ]; then
    bad "Samba AD DC test: must run as root (Samba serves LDAP on port 389)"
    finish
  fi
}

samba_dc_start() {
  REALM=SAMDOM.TEST
  DOMAIN=SAMDOM
  # One address of 127/8 of our own, so that nothing else on loopback port 389 is disturbed.
  IP="127.$((RANDOM % 200 + 20)).$((RANDOM % 200 + 20)).$((RANDOM % 200 + 20))"
  FWD="127.$((RANDOM % 200 + 20)).$((RANDOM % 200 + 20)).$((RANDOM % 200 + 20))"
  [ "$FWD" = "$IP" ] && FWD="${IP%.*}.$(( ${IP##*.} + 1 ))"
  tmp=$(mktemp -d /tmp/sourceprep-samba.XXXXXX)
  local dns_opts=(--option="server services=-dns")
  # Without SAMBA_DNS_SERVE the DNS server never runs: with SAMBA_INTERNAL only its zones are in
  # the directory. With it, the DC's A record is IP (provision skips loopback addresses unless
  # told), and the forwarder is FWD on loopback instead of resolv.conf's server.
  if [ "${SAMBA_DNS_SERVE:-0}" = 1 ]; then
    dns_opts=(--host-ip="$IP" --option="server services=-dnsupdate" --option="dns forwarder=$FWD")
  fi
  if ! samba-tool domain provision --realm="$REALM" --domain="$DOMAIN" --server-role=dc \
       --dns-backend="${SAMBA_DNS_BACKEND:-NONE}" --adminpass="$PASS" --targetdir="$tmp" \
       --option="interfaces=$IP/8" --option="bind interfaces only=yes" \
       "${dns_opts[@]}" >"$tmp/provision.log" 2>&1; then
    tail -n 20 "$tmp/provision.log"
    bad "samba-tool domain provision failed"
    finish
  fi
  ok "provisioned a Samba AD DC for $REALM"
  # Simple binds without TLS, for this test only (the provision option does not persist it).
  sed -i '/^\[global\]/a\	ldap server require strong auth = no' "$tmp/etc/smb.conf"
  samba -s "$tmp/etc/smb.conf" -i -M single </dev/null >"$tmp/samba.log" 2>&1 &
  samba_pid=$!
  local up=0
  for _ in $(seq 1 120); do
    if ldbsearch -H "ldap://$IP" -U "Administrator%$PASS" -b "" -s base defaultNamingContext 2>/dev/null |
       grep -q defaultNamingContext; then up=1; break; fi
    kill -0 "$samba_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ "$up" != 1 ]; then
    tail -n 30 "$tmp/samba.log"
    bad "Samba did not answer LDAP on $IP:389 within 60 s (see its log above)"
    finish
  fi
  ok "Samba serves LDAP on $IP:389"
  if [ "${SAMBA_DNS_SERVE:-0}" = 1 ]; then
    grep -q "^[[:space:]]*dns forwarder = $FWD\$" "$tmp/etc/smb.conf" ||
      { bad "smb.conf's dns forwarder is not $FWD (no query may leave loopback)"; finish; }
    up=0
    for _ in $(seq 1 120); do
      if python3 tests/samba/dns-tool.py query "$IP" "${REALM,,}" SOA 2>/dev/null | grep -q '^rcode=0'; then
        up=1; break; fi
      sleep 0.5
    done
    [ "$up" = 1 ] || { tail -n 30 "$tmp/samba.log"; bad "Samba's DNS did not answer on $IP:53 within 60 s"; finish; }
    ok "Samba's internal DNS serves $IP:53, forwarding to $FWD on loopback"
  fi
  sam="$tmp/private/sam.ldb"
  dn_base="DC=samdom,DC=test"
}

# run PASSWORD ARGS...: runs $exe under Wine with that LDAP password; sets $out and $rc.
run() {
  local pw=$1; shift
  rc=0
  out=$(SOURCEPREP_LDAP_PASSWORD="$pw" SP_WINE_TIMEOUT=120 sp_wine_run "$exe" "$@" 2>&1) || rc=$?
}
state_json() { find "$WINEPREFIX/drive_c" -maxdepth 6 -path '*SourcePrep/state.json' | head -n 1; }
# step_finding STEP CODE: prints "arg | evidence" of STEP's finding CODE (nothing when absent).
step_finding() {
  python3 - "$(state_json)" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["steps"][sys.argv[2]]["findings"]:
    if f["code"] == sys.argv[3]:
        # An arg of words is a string-table reference (\x01ID, then \x1f and its own %1): #ID:...
        print("%s | %s" % ((f.get("arg") or "").replace("\x01", "#").replace("\x1f", ":"), f.get("evidence") or ""))
PY
}

# samba_suite_wine ARCH: the suite's Wine (its own "samba" prefix) and $exe, built when missing.
samba_suite_wine() {
  arch=${1:-x64}
  # shellcheck source=scripts/wine-env.sh
  source scripts/wine-env.sh "$arch" samba || { bad "Wine ($arch) is not usable"; finish; }
  exe=build/$arch/sourceprep.exe
  [ -x "$exe" ] || make -s "$exe" || { bad "$exe did not build"; finish; }
}
