#!/usr/bin/env bash
# The health scan against a real domain controller: provisions a Samba AD DC with its internal DNS
# serving its own loopback address (its forwarder another loopback address, served by
# tests/samba/dns-tool.py: no query leaves loopback), makes the Wine prefix an SBS 2003 SP2 domain
# controller, runs sourceprep.exe /step:health /check /ldap: under Wine with the real win32
# backend and checks the AD rules on Samba's data: functional levels, FSMO owners, the DC's
# machine account, the RID pool, the zones, the DNS rules asked of Samba's DNS service (the
# locator's SRV records, the DC's A record, the DSA's CNAME, recursion; a record deleted with
# samba-tool dns delete and the forwarder stopped make them fire), the tombstone lifetime,
# the MyBusiness OUs (created, then one removed), the DDCP's delegation right; then, as an SBS 2011
# (2008 R2) DC, the batch logon right and which replication serves SYSVOL (Samba's FRS replica set, then a DFSR migration state set by
# the test). Run it inside flock /tmp/sp-samba.lock. Ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=tests/samba/samba-dc.sh
source tests/samba/samba-dc.sh
samba_dc_tools

samba_suite_wine "${1:-x64}"

PASS='Passw0rd-Health1'
SAMBA_DNS_BACKEND=SAMBA_INTERNAL
SAMBA_DNS_SERVE=1
fwd_pid=""
drive="$WINEPREFIX/dosdevices/s:"
CV='HKLM\Software\Microsoft\Windows NT\CurrentVersion'
PO='HKLM\SYSTEM\CurrentControlSet\Control\ProductOptions'
NETLOGON='HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\Parameters'

wreg() { wine reg "$@" </dev/null >/dev/null 2>&1; }
# be_dc VERSION BUILD PRODUCTNAME SUITE: Wine reports the version from the registry (no Version
# override), and ProductType LanmanNt makes it a domain controller (wProductType 2).
be_dc() {
  wreg delete 'HKCU\Software\Wine' /v Version /f
  wreg delete "$CV" /v CurrentMajorVersionNumber /f
  wreg delete "$CV" /v CurrentMinorVersionNumber /f
  wreg add "$CV" /v CurrentVersion /d "$1" /f &&
    wreg add "$CV" /v CurrentBuildNumber /d "$2" /f &&
    wreg add "$CV" /v CSDVersion /d 'Service Pack 2' /f &&
    wreg add "$CV" /v ProductName /d "$3" /f &&
    wreg add "$PO" /v ProductType /d LanmanNt /f &&
    wreg add "$PO" /v ProductSuite /t REG_MULTI_SZ /d "$4" /f &&
    wineserver -w
}
# The prefix is shared with the policy suite: its version keys are put back as they were.
saved=$(mktemp -d /tmp/sourceprep-health-reg.XXXXXX)
wreg export "$CV" "$(winepath -w "$saved/cv.reg")" /y && wreg export "$PO" "$(winepath -w "$saved/po.reg")" /y ||
  { bad "could not save the prefix's version keys"; rm -rf "$saved"; finish; }
restore_prefix() {
  wreg delete "$PO" /v ProductSuite /f
  wreg import "$(winepath -w "$saved/cv.reg")"
  wreg import "$(winepath -w "$saved/po.reg")"
  wreg delete "$NETLOGON" /v SysVol /f
  sp_wine_version win2003 >/dev/null 2>&1
  rm -rf "$saved"
}
stop_forwarder() {
  if [ -n "$fwd_pid" ]; then kill "$fwd_pid" 2>/dev/null; wait "$fwd_pid" 2>/dev/null; fi
  fwd_pid=""
}
cleanup() {
  stop_forwarder
  rm -f "$drive"
  restore_prefix
  samba_dc_cleanup
}
trap cleanup EXIT

samba_dc_start
dnsq() { python3 tests/samba/dns-tool.py query "$IP" "$@" 2>/dev/null; }
python3 tests/samba/dns-tool.py forwarder "$FWD" 2>"$tmp/forwarder.log" &
fwd_pid=$!
up=0
for _ in $(seq 1 40); do
  python3 tests/samba/dns-tool.py query "$FWD" com NS 2>/dev/null | grep -q '^NS ' && { up=1; break; }
  sleep 0.25
done
[ "$up" = 1 ] && ok "the forwarder answers on $FWD:53" || { cat "$tmp/forwarder.log"; bad "the forwarder on $FWD:53 did not start"; finish; }
# LDAPS, as the policy suite binds (test-policy-samba.sh says why): SourcePrep binds with a
# password only signed and sealed or inside TLS, and Wine's wldap32 cannot sign and seal.
export LDAPTLS_CACERT="$tmp/private/tls/ca.pem" LDAPTLS_REQCERT=allow
ldap=("/ldap:$IP:636" "/ldapuser:Administrator@$REALM")
fresh() { find "$WINEPREFIX/drive_c" -maxdepth 5 -type d -name SourcePrep -exec rm -rf {} + 2>/dev/null; }
finding() { step_finding health "$1"; }
scan() { # scan LABEL: a fresh health check; exit 1 (a DC under Wine lacks Netlogon, DNS...)
  fresh
  run "$PASS" /step:health /check "${ldap[@]}"
  if [ "$rc" = 1 ] && [ -n "$(state_json)" ]; then ok "$1: the scan ran (exit 1)"; else
    bad "$1: exit $rc, output: $(printf '%s' "$out" | head -c 400)"; fi
}
# quiet RULE...: each rule ran against Samba (LDAP read) and found nothing: no finding, and no
# health.scan.<rule> saying it could not run.
quiet() {
  local r
  for r in "$@"; do
    if [ -z "$(finding "health.$r")" ] && [ -z "$(finding "health.scan.$r")" ]; then
      ok "$r: quiet on Samba's data"
    else
      bad "$r: $(finding "health.$r")$(finding "health.scan.$r")"
    fi
  done
}
fires() { # fires RULE ARG-REGEX EVIDENCE-REGEX
  local f
  f=$(finding "health.$1")
  if [ -n "$f" ] && { [ -z "$2" ] || printf '%s\n' "${f%% |*}" | grep -qE "$2"; } &&
     printf '%s\n' "$f" | grep -qE "$3"; then
    ok "$1 fires: ${f:0:160}"
  else
    bad "$1: expected arg /$2/ and evidence /$3/, got: '$f' $(finding "health.scan.$1")"
  fi
}

# ---- the Wine prefix as SBS 2003's DC, SYSVOL as S:\sysvol -----------------------------------
gpo_dir=$(find "$tmp/state/sysvol" -maxdepth 3 -type d -iname '{6AC1786C-016F-11D2-945F-00C04FB984F9}' | head -n 1)
inf="$gpo_dir/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf"
[ -d "$gpo_dir" ] || { bad "no Default Domain Controllers Policy in Samba's SYSVOL"; finish; }
rm -f "$drive"
ln -s "$tmp/state" "$drive"
wreg add "$NETLOGON" /v SysVol /t REG_SZ /d 'S:\sysvol' /f || bad "could not set the SysVol value"
be_dc 5.2 3790 'Microsoft Windows Small Business Server 2003' 'Small Business\0Small Business(Restricted)' ||
  { bad "could not make the Wine prefix a domain controller"; finish; }
write_inf() { # write_inf LINES: the DDCP's GptTmpl.inf with these rights, UTF-16LE as Windows writes it
  mkdir -p "$(dirname "$inf")"
  python3 - "$inf" "$1" <<'PY'
import sys
text = ("[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
        "[Privilege Rights]\r\n" + sys.argv[2])
open(sys.argv[1], "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
PY
}
write_inf $'SeBatchLogonRight = *S-1-5-32-544\r\n'

scan "SBS 2003 DC against Samba"
[ -z "$(finding health.ad.not_dc)" ] && [ -z "$(finding health.ad.unreachable)" ] &&
  ok "the prefix is a domain controller and Samba's directory was read" ||
  bad "not a DC or AD unreadable: $(finding health.ad.not_dc)$(finding health.ad.unreachable)"
quiet ad.domain_level ad.forest_level ad.pdc_role ad.rid_role ad.infra_role ad.schema_role \
  ad.naming_role ad.dc_account ad.rid_pool dns.zone_not_ad repl.tombstone_short
has() { [ "$(ldbsearch -H "$sam" -b "$1" -s base dn 2>/dev/null | grep -c '^dn:')" = 1 ]; }
# The records as Samba's DNS serves them (the suite's own queries): the DNS rules must agree.
host=$(ldbsearch -H "$sam" -b "" -s base dnsHostName 2>/dev/null | sed -n 's/^dnsHostName: //p')
dsa=$(ldbsearch -H "$sam" -b "" -s base dsServiceName 2>/dev/null | sed -e ':a;N;$!ba;s/\n //g' | sed -n 's/^dsServiceName: //p')
guid=$(ldbsearch -H "$sam" -b "$dsa" -s base objectGUID 2>/dev/null | sed -n 's/^objectGUID: //p')
realm=${REALM,,}
served=0
for name in "_ldap._tcp.dc._msdcs.$realm" "_kerberos._tcp.$realm" "_ldap._tcp.$realm"; do
  dnsq "$name" SRV | grep -qix "SRV $host\. [0-9]*" && served=$((served + 1))
done
dnsq "$host" A | grep -qx "A $IP" && served=$((served + 1))
dnsq "$guid._msdcs.$realm" CNAME | grep -qix "CNAME $host\." && served=$((served + 1))
[ "$served" = 5 ] && ok "Samba's DNS serves the 3 SRV records, $host A $IP and $guid._msdcs CNAME" ||
  bad "Samba's DNS serves $served of the 5 records the rules ask for (host $host, DSA $guid)"
quiet dns.locator_records dns.host_record dns.dsa_cname dns.listen_address dns.recursion
# make bench (scripts/bench-health.sh): SP_SAMBA_BENCH=N times N scans of this healthy DC, the
# exe's start-up and the LDAPS bind included, prints their median and ends the suite here.
# The output goes to a file, as the demo's bench sends it to /dev/null: run's $(...) also waits
# for Wine's own services (services.exe, winedevice...), which inherit the pipe and quit about
# 2.2 s after the exe did; that wait was most of the 3.5 s (the exe: ~0.6 s from wWinMain to exit).
if [ -n "${SP_SAMBA_BENCH:-}" ]; then
  times=()
  for _ in $(seq 1 "$SP_SAMBA_BENCH"); do
    fresh
    rc=0
    t0=$(date +%s%N)
    SOURCEPREP_LDAP_PASSWORD="$PASS" SP_WINE_TIMEOUT=120 sp_wine_run "$exe" /step:health /check \
      "${ldap[@]}" >"$tmp/bench.out" 2>&1 || rc=$?
    t1=$(date +%s%N)
    [ -n "$(state_json)" ] || { bad "bench: the scan did not run (exit $rc)"; finish; }
    times+=($(((t1 - t0) / 1000000)))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n |
    awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }')
  echo "bench: health scan against Samba: median $median ms of ${#times[@]} runs (${times[*]} ms)"
  finish
fi
fires ad.mybusiness_ou '^8$' 'OU=MyBusiness,DC=samdom,DC=test'
fires ad.delegation_right '' 'SeEnableDelegationPrivilege is not defined'

# ---- the test changes the directory: each rule follows -------------------------------------
ous=("OU=MyBusiness" "OU=Computers,OU=MyBusiness" "OU=SBSComputers,OU=Computers,OU=MyBusiness"
  "OU=SBSServers,OU=Computers,OU=MyBusiness" "OU=Distribution Groups,OU=MyBusiness"
  "OU=Security Groups,OU=MyBusiness" "OU=Users,OU=MyBusiness" "OU=SBSUsers,OU=Users,OU=MyBusiness")
made=0
for ou in "${ous[@]}"; do
  printf 'dn: %s,%s\nobjectClass: organizationalUnit\n' "$ou" "$dn_base" | ldbadd -H "$sam" >/dev/null 2>&1 &&
    made=$((made + 1))
done
[ "$made" = 8 ] && ok "created the 8 MyBusiness OUs" || bad "created $made of the 8 MyBusiness OUs"
write_inf $'SeBatchLogonRight = *S-1-5-32-544\r\nSeEnableDelegationPrivilege = *S-1-5-32-544\r\n'
zone="DC=samdom.test,CN=MicrosoftDNS,DC=DomainDnsZones,$dn_base"
sdns() { samba-tool dns "$@" -U "Administrator%$PASS" >/dev/null 2>&1; }
sdns delete "$IP" "$realm" _kerberos._tcp SRV "$host 88 0 100" &&
  ok "samba-tool dns delete: _kerberos._tcp.$realm SRV" || bad "could not delete _kerberos._tcp.$realm SRV"
sdns delete "$IP" "_msdcs.$realm" "$guid" CNAME "$host" &&
  ok "samba-tool dns delete: $guid._msdcs.$realm CNAME" || bad "could not delete the DSA's CNAME"
stop_forwarder
[ -z "$(dnsq "_kerberos._tcp.$realm" SRV | grep '^SRV')" ] && [ -z "$(dnsq "$guid._msdcs.$realm" CNAME | grep '^CNAME')" ] &&
  ok "Samba's DNS no longer serves them" || bad "Samba's DNS still serves a deleted record"
ldbmodify -H "$sam" >/dev/null 2>&1 <<LDIF && ok "tombstoneLifetime set to 60" || bad "could not set tombstoneLifetime"
dn: CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,$dn_base
changetype: modify
replace: tombstoneLifetime
tombstoneLifetime: 60
LDIF

scan "after the changes"
quiet ad.mybusiness_ou ad.delegation_right dns.zone_not_ad
fires dns.locator_records '^1$' "_kerberos._tcp.$realm SRV: (NXDOMAIN|no SRV record).*DC=_kerberos._tcp,$zone"
fires dns.dsa_cname "^$guid._msdcs.$realm\$" "answers (NXDOMAIN|no CNAME record).*$guid._msdcs.$realm"
fires dns.recursion '' "$IP:53 answers [A-Z]+.*forwarders or root hints did not answer"
quiet dns.host_record dns.listen_address
fires repl.tombstone_short '^60$' 'tombstoneLifetime'

ldbdel -H "$sam" "OU=SBSServers,OU=Computers,OU=MyBusiness,$dn_base" >/dev/null 2>&1 &&
  ok "removed OU=SBSServers" || bad "could not remove OU=SBSServers"
scan "after removing an OU"
fires ad.mybusiness_ou '^1$' 'OU=SBSServers,OU=Computers,OU=MyBusiness'

# ---- as an SBS 2011 (2008 R2) DC: the batch right, which replication serves SYSVOL ----------
be_dc 6.1 7601 'Windows Small Business Server 2011 Standard' 'Small Business\0Small Business(Restricted)' ||
  { bad "could not make the prefix an SBS 2011 DC"; finish; }
gs="CN=DFSR-GlobalSettings,CN=System,$dn_base"
set_flags() { # set_flags N: dfsrmig's global state in msDFSR-Flags (0 Start, 48 Eliminated)
  if ldbsearch -H "$sam" -b "$gs" -s base msDFSR-Flags 2>/dev/null | grep -q '^msDFSR-Flags:'; then
    printf 'dn: %s\nchangetype: modify\nreplace: msDFSR-Flags\nmsDFSR-Flags: %s\n' "$gs" "$1"
  else
    printf 'dn: %s\nchangetype: modify\nadd: msDFSR-Flags\nmsDFSR-Flags: %s\n' "$gs" "$1"
  fi | ldbmodify -H "$sam" >/dev/null 2>&1
}
if has "$gs" && has "CN=Domain System Volume,$gs"; then
  scan "SBS 2011 DC, Samba's SYSVOL as provisioned (a DFSR replication group)"
  quiet frs.sysvol_frs svc.ntfrs frs.dfsr_migrating ad.batch_right
  fires svc.dfsr '^#7305$' 'DFSR: ERROR_SERVICE_DOES_NOT_EXIST'
  set_flags 0 && ok "msDFSR-Flags set to 0 (Start: FRS serves SYSVOL)" || bad "could not set msDFSR-Flags 0"
  # SBS 2011's preparation asks for the batch logon right: taken from Administrators here.
  write_inf $'SeBatchLogonRight = *S-1-5-32-551\r\nSeEnableDelegationPrivilege = *S-1-5-32-544\r\n'
  scan "SBS 2011 DC, migration state Start"
  fires ad.batch_right '' 'SeBatchLogonRight = \*S-1-5-32-551'
  quiet ad.delegation_right
  fires frs.sysvol_frs '' 'msDFSR-Flags of CN=DFSR-GlobalSettings = 0 \(Start\)'
  fires svc.ntfrs '^#7305$' 'NtFrs: ERROR_SERVICE_DOES_NOT_EXIST'
  quiet svc.dfsr
  set_flags 48 && ok "msDFSR-Flags set to 48 (Eliminated)" || bad "could not set msDFSR-Flags 48"
  scan "SBS 2011 DC, migration state Eliminated"
  quiet frs.sysvol_frs svc.ntfrs frs.dfsr_migrating
  fires svc.dfsr '^#7305$' 'DFSR: ERROR_SERVICE_DOES_NOT_EXIST'
else
  bad "Samba's provision has no DFSR-GlobalSettings with the Domain System Volume group (not the data this test was written for)"
fi
finish
