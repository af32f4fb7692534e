#!/usr/bin/env bash
# The command line of sourceprep.exe under Wine: help, bad input, exit codes, checks, the report,
# a damaged state file kept aside, unreadable profiles.
# Usage: tests/cli/test-cli.sh [x64|x86]: the x64 exe under 64-bit Wine (the default), or the
# x86 exe under the 32-bit Wine of the i386 root (scripts/i386-root.sh), both as Server 2003.
set -uo pipefail
cd "$(dirname "$0")/../.."
arch=${1:-x64}
# shellcheck source=scripts/wine-env.sh
source scripts/wine-env.sh "$arch" || { echo "not ok - Wine ($arch) is not usable"; echo "0 passed, 1 failed"; exit 1; }
sp_wine_prefix || exit 1
sp_wine_version win2003 || exit 1

exe=build/$arch/sourceprep.exe
bits=$([ "$arch" = x64 ] && echo 64 || echo 32)
work=$(mktemp -d /tmp/sourceprep-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }

# Runs the exe; sets $out (stdout+stderr) and $rc.
run() {
  rc=0
  out=$(wine "$exe" "$@" </dev/null 2>&1) || rc=$?
}
expect() { # expect NAME RC PATTERN
  if [ "$rc" = "$2" ] && grep -qE "$3" <<<"$out"; then ok "$1"
  else bad "$1 (exit $rc, wanted $2; output: $(printf '%s' "$out" | head -c 400))"; fi
}
wroot() { winepath -w "$1"; }

run /?
expect "help prints the usage and exits 0" 0 "Usage: sourceprep"
run -bogus
expect "an unknown option exits 2 and names it" 2 'Unknown option "-bogus"'
run /step:nosuch /check /demo
expect "an unknown step exits 2 and lists the steps" 2 'There is no step "nosuch".*backup, updates'
run /demo /step:backup
expect "a step without /check or /apply exits 2" 2 "needs either /check or /apply"

r=$(wroot "$work/demo")
run /demo "/root:$r" /step:backup /check
expect "the demo's backup is not proven by a drill yet (exit 1)" 1 "backup: Needs attention"
expect "the backup check names NTBackup on SBS 2003" 1 "NTBackup"
run /demo "/root:$r" /step:policy /check
expect "policy cleanup finds the right on SBS 2003" 1 "policy: Needs attention"
run /demo "/root:$r" /step:updates /check
expect "updates reports the service pack of the demo server" 1 "Latest service pack installed \(Service Pack 2\)"
expect "updates lists the demo server's missing security updates" 1 "Missing update: Security Update for Windows Server 2003 \(KB2509553\)"

state="$work/demo/C/Documents and Settings/All Users/Application Data/SourcePrep/state.json"
[ -f "$state" ] && ok "the state file is written under the simulated ProgramData" || bad "no state file at $state"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["steps"]["backup"]["result"]=="failed"' "$state" \
  && ok "the state records the backup result" || bad "the state does not record the backup result"

run "/profile:$(wroot tests/profiles/sbs2008.json)" "/root:$(wroot "$work/p2008")" /step:policy /check
expect "policy cleanup does not apply to SBS 2008 (exit 0)" 0 "policy: Not applicable"
run "/profile:$(wroot tests/profiles/ess2012.json)" "/root:$(wroot "$work/p2012")" /step:email /check
expect "email migration does not apply without Exchange (exit 0)" 0 "email: Not applicable"
run "/profile:$(wroot tests/profiles/sbs2011std.json)" "/root:$(wroot "$work/p2011")" /step:updates /check
expect "SBS 2011 at SP1, fully updated, passes the updates step (exit 0)" 0 "Latest service pack"

run /demo "/root:$r" /check:all "/report:$(wroot "$work/report.json")"
expect "/check:all says which exe runs ($bits-bit, $arch)" 1 "^SourcePrep [0-9.]+, $bits-bit exe \($arch\) on Windows Small Business Server 2003"
expect "/check:all on the demo server exits 1 (steps open) and says where the report went" 1 "Report written to"
expect "/check:all prints a line per step a tool can split" 1 "STEP health result=failed manual=no gate=closed"
expect "/check:all ends with the verdict" 1 "Not ready: 7 of 7 steps"
/usr/bin/python3 - "$work/report.json" core/report.schema.json <<'PY' && ok "the JSON report validates against core/report.schema.json" || bad "the JSON report does not validate"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
PY
python3 - "$work/report.json" <<'PY' && ok "the report holds the server and the seven steps with their findings" || bad "the report is incomplete"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "sourceprep-report/1", d["schema"]
assert d["server"]["product"] == "sbs2003"
assert d["server"]["exchange"] == "Exchange Server 2003"
assert [s["id"] for s in d["steps"]] == ["backup", "updates", "policy", "health", "timesync", "lob", "email"]
assert all(s["findings"] for s in d["steps"])
assert all("title" in f for s in d["steps"] for f in s["findings"])
assert d["ready"] is False
PY

run /demo "/root:$r" "/report:$(wroot "$work/report.html")"
expect "/report alone writes the saved state without checking again" 1 "Report written to"
python3 - "$work/report.json" "$work/report.html" <<'PY' && ok "the HTML report holds every finding of the JSON report" || bad "the HTML report lost findings"
import json, sys
from html.parser import HTMLParser
class Codes(HTMLParser):
    def __init__(self):
        super().__init__(); self.codes = []; self.external = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and a.get("class") == "finding": self.codes.append(a["data-code"])
        if "src" in a or "href" in a: self.external.append(tag)
p = Codes(); p.feed(open(sys.argv[2], encoding="utf-8").read())
want = [f["code"] for s in json.load(open(sys.argv[1]))["steps"] for f in s["findings"]]
assert sorted(p.codes) == sorted(want), (p.codes, want)
assert not p.external, p.external
PY

run /demo "/root:$r" /step:health /check
expect "the health scan of the demo finds the FRS journal wrap and exits 1" 1 "FRS journal wrap: event 13568"
run /demo "/root:$r" /apply:lob
expect "a step with nothing to apply says so and exits 2" 2 "lob has nothing to apply"
run /demo "/root:$r" /mark:backup
expect "a mark without a reason is refused" 2 "needs /reason"
for step in backup updates policy health timesync lob email; do
  run /demo "/root:$r" "/mark:$step" "/reason:Done by the technician on site"
done
expect "a step marked by hand has an open gate (exit 0)" 0 "STEP email result=[a-z_]+ manual=yes gate=open"
run /demo "/root:$r" "/report:$(wroot "$work/ready.json")"
expect "with every step done the report exits 0 and says ready" 0 "Every step is done"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ready"] and all(s["manual_reason"] for s in d["steps"])' "$work/ready.json" \
  && ok "the ready report records every manual reason" || bad "the ready report lost the manual reasons"
log="$(dirname "$state")/sourceprep.log"
if grep -q 'mark step=email reason="Done by the technician on site"' "$log" && grep -q 'check step=health result=failed' "$log"; then
  ok "the log has one line per action"
else bad "the log misses actions: $(tail -n 3 "$log" 2>/dev/null)"; fi

printf '{"version": 1, "steps": {"backup": {"result": "pass' >"$state"
cp "$state" "$work/damaged.json"
run /demo "/root:$r" /check:backup
expect "a damaged state file is reported, not fatal" 1 "damaged"
aside=$(ls "$(dirname "$state")"/state.json.corrupt-* 2>/dev/null | head -n1)
if [ -n "$aside" ] && cmp -s "$aside" "$work/damaged.json"; then ok "the damaged state file is kept aside byte for byte"
else bad "the damaged state file was not kept aside"; fi

# Undo without a window, byte for byte: the policy cleanup changes real files of the demo server.
u=$(wroot "$work/undo")
inf="$work/undo/C/WINDOWS/SYSVOL/sysvol/contoso.local/Policies/{6AC1786C-016F-11D2-945F-00C04fB984F9}/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf"
gpt="$work/undo/C/WINDOWS/SYSVOL/sysvol/contoso.local/Policies/{6AC1786C-016F-11D2-945F-00C04fB984F9}/GPT.INI"
script="$work/undo/C/WINDOWS/SYSVOL/sysvol/contoso.local/scripts/SBS_LOGIN_SCRIPT.bat"
run /demo "/root:$u" /check:policy
mkdir -p "$work/orig"
cp "$inf" "$work/orig/GptTmpl.inf" && cp "$gpt" "$work/orig/GPT.INI" && cp "$script" "$work/orig/script.bat" \
  && ok "the demo server has the policy files to clean" || bad "the demo server lacks the policy files ($inf)"
run /demo "/root:$u" /apply:policy
expect "/apply:policy cleans the demo policy and verifies it (exit 0)" 0 "STEP policy result=passed"
if ! cmp -s "$inf" "$work/orig/GptTmpl.inf" && [ ! -e "$script" ]; then ok "apply changed GptTmpl.inf and moved the script away"
else bad "apply left the policy files as they were"; fi
run /demo "/root:$u" "/report:$(wroot "$work/changes.json")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); k=[c["kind"] for c in d["changes"]]; assert "file_write" in k and "file_remove" in k, k' "$work/changes.json" \
  && ok "the report lists the changes apply made" || bad "the report misses the changes"
run /demo "/root:$u" /undo /yes
expect "/undo /yes undoes the changes without asking" 0 "Undid [1-9][0-9]* changes"
if cmp -s "$inf" "$work/orig/GptTmpl.inf" && cmp -s "$gpt" "$work/orig/GPT.INI" && cmp -s "$script" "$work/orig/script.bat"; then
  ok "undo restored GptTmpl.inf, GPT.INI and the logon script byte for byte"
else bad "undo did not restore the files byte for byte"; fi

run "/profile:$(wroot "$work/missing.json")" /step:backup /check
expect "a missing profile exits 2 with a clear message" 2 "profile could not be loaded"
printf '{"os": {"major": "five"}}' >"$work/bad.json"
run "/profile:$(wroot "$work/bad.json")" /step:backup /check
expect "a malformed profile exits 2 and names the key" 2 "os.major"
run /demo "/root:$r" /undo /yes
expect "undo with an empty journal exits 0" 0 "Undid 0 changes"

# ---- one instance a server (issue 18) -------------------------------------------------------
# The first holds the session through a slow health scan (each event log takes 5 s to read); a
# second on the same server exits 2 and names the first; one on another server is not stopped.
python3 - "$work/slow.json" <<'PY'
import json, sys
d = json.load(open("resources/demo-sbs2003.json", encoding="utf-8"))
d["event_read_ms"] = 5000
json.dump(d, open(sys.argv[1], "w", encoding="utf-8"))
PY
i=$(wroot "$work/inst")
holder="$work/inst/C/Documents and Settings/All Users/Application Data/SourcePrep/instance.txt"
wine "$exe" "/profile:$(wroot "$work/slow.json")" "/root:$i" /step:health /check </dev/null >"$work/first.out" 2>&1 &
first=$!
for _ in $(seq 1 600); do [ -s "$holder" ] && break; kill -0 "$first" 2>/dev/null || break; sleep 0.1; done
if [ -s "$holder" ]; then
  run "/profile:$(wroot "$work/slow.json")" "/root:$i" /step:backup /check
  expect "a second SourcePrep on the same server exits 2 and names the first" 2 "Another SourcePrep is already working on this server \(process [0-9]+ of "
  run /demo "/root:$(wroot "$work/other")" /step:backup /check
  expect "one on another server is not stopped" 1 "backup: Needs attention"
else
  bad "the first SourcePrep never wrote who holds the session ($holder)"
fi
wait "$first"
[ ! -e "$holder" ] && ok "the first removes its instance file when it ends" || bad "instance.txt left behind"
run "/profile:$(wroot "$work/slow.json")" "/root:$i" /step:policy /check
expect "after the first has ended, the next one runs" 1 "policy: Needs attention"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
