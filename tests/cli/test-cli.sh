#!/usr/bin/env bash
# The command line of sourceprep.exe under Wine: help, bad input, exit codes, checks, the report,
# a damaged state file kept aside, unreadable profiles; answer files, /set, /lob-plans,
# /export-answers, /report:- and the Application event log entry of each run (issue 21).
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
expect "help lists /check:all" 0 "/check:all +check every step"
expect "help lists the LDAP options" 0 "/ldapuser:USER"
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
expect "with every step done by hand the report exits 0 and says so, naming them" 0 "Ready, with steps done by hand: Backup, .*Email migration\. SourcePrep did not verify them"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ready"] and d["verdict"] == "ready_manual" and d["verdict_text"].startswith("Ready, with steps done by hand") and all(s["manual_reason"] for s in d["steps"])' "$work/ready.json" \
  && ok "the ready report records every manual reason" || bad "the ready report lost the manual reasons"
log="$(dirname "$state")/sourceprep.log"
if grep -q 'mark step=email reason="Done by the technician on site"' "$log" && grep -q 'check step=health result=failed' "$log"; then
  ok "the log has one line per action"
else bad "the log misses actions: $(tail -n 3 "$log" 2>/dev/null)"; fi
# A reason cannot forge the rest of its log line (issue 18): its quotes and backslashes are escaped.
run /demo "/root:$r" /mark:email '/reason:forged" step=backup reason="x\y'
if grep -qF 'mark step=email reason="forged\" step=backup reason=\"x\\y"' "$log"; then
  ok "a reason with quotes and a backslash is escaped in the log line"
else bad "the reason is not escaped in the log: $(grep 'forged' "$log" | tail -n 1)"; fi
# The real exe's JSON report has each key once (issue 18: "data" was written twice per step).
python3 - "$work/ready.json" <<'PY' && ok "the exe's JSON report parses with duplicate keys refused" || bad "the exe's JSON report repeats a key"
import json, sys
def once(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate keys: %s" % sorted(dup))
    return dict(pairs)
json.load(open(sys.argv[1], encoding="utf-8"), object_pairs_hook=once)
PY

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
cp "$gpt" "$work/applied-GPT.INI"
run /demo "/root:$u" "/report:$(wroot "$work/changes.json")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); k=[c["kind"] for c in d["changes"]]; assert "file_write" in k and "file_remove" in k, k' "$work/changes.json" \
  && ok "the report lists the changes apply made" || bad "the report misses the changes"
run /demo "/root:$u" /undo /yes
expect "/undo /yes undoes the changes without asking" 0 "Undid [1-9][0-9]* changes"
if cmp -s "$inf" "$work/orig/GptTmpl.inf" && cmp -s "$script" "$work/orig/script.bat"; then
  ok "undo restored GptTmpl.inf and the logon script byte for byte"
else bad "undo did not restore the files byte for byte"; fi
# GPT.INI comes back as GPMC restores a GPO: the old file, its Version raised past the applied one.
if python3 - "$gpt" "$work/orig/GPT.INI" "$work/applied-GPT.INI" <<'PY'
import re, sys
now, orig, applied = (open(p, "rb").read() for p in sys.argv[1:4])
ver = lambda b: int(re.search(rb"Version=(\d+)", b).group(1))
assert ver(now) > ver(applied) > ver(orig), (ver(orig), ver(applied), ver(now))
assert re.sub(rb"Version=\d+", b"", now) == re.sub(rb"Version=\d+", b"", orig)
PY
then ok "undo gave GPT.INI back with its version raised past the applied one, never lowered"
else bad "GPT.INI after undo is not the old one with a raised version"; fi

# Undo checks first: a GptTmpl.inf edited after the apply is reported and left, the other changes
# are still undone, and /undo:force=N undoes that one entry anyway.
u2=$(wroot "$work/undo2")
inf2="$work/undo2/${inf#"$work/undo/"}"
script2="$work/undo2/${script#"$work/undo/"}"
run /demo "/root:$u2" /apply:policy
printf '[Registry Values]\r\n; edited in GPMC\r\n' >>"$inf2"
cp "$inf2" "$work/edited.inf"
run /demo "/root:$u2" /undo /yes
expect "undo after an outside edit exits 1 and names the edited file" 1 "Change #[0-9]+ was not undone: .*GptTmpl.inf changed since SourcePrep wrote it"
expect "undo after an outside edit tells how to force that one entry" 1 "/undo:force=[0-9]+"
cmp -s "$inf2" "$work/edited.inf" && ok "the edited GptTmpl.inf was left as it was" || bad "undo overwrote the edited GptTmpl.inf"
cmp -s "$script2" "$work/orig/script.bat" && ok "the other changes were still undone (the logon script is back)" \
  || bad "undo stopped at the edited file: the logon script is not back"
n=$(grep -oE 'Change #[0-9]+ was not undone' <<<"$out" | grep -oE '[0-9]+' | head -n1)
run /demo "/root:$u2" /undo /yes "/undo:force=$n"
expect "/undo:force=$n undoes the edited entry anyway (exit 0)" 0 "Undid 1 changes"
cmp -s "$inf2" "$work/orig/GptTmpl.inf" && ok "forced, GptTmpl.inf is back byte for byte" || bad "forced undo did not restore GptTmpl.inf"
run /demo "/root:$u2" /undo /yes /undo:force=x
expect "a bad /undo:force= exits 2 and says what it needs" 2 "needs the number of one journal entry"

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

# ---- Answer files, /set, /lob-plans, /export-answers, /report:- and the event log (issue 21) ----
ans=$(wroot tests/answers/demo.json)
a=$(wroot "$work/ans")
astate="$work/ans/C/Documents and Settings/All Users/Application Data/SourcePrep/state.json"
run /demo "/root:$a" "/answers:$ans" /check:all
expect "an answer file's inputs are applied before the checks" 1 "Answers applied from .*demo\.json: [0-9]+ inputs"
expect "with the answer file the demo's LOB plans pass, as the page's would" 1 "STEP lob result=passed manual=no gate=open"
expect "/check:all with the answer file still checks every step" 1 "Not ready: 6 of 7 steps"
python3 - "$astate" <<'PY' && ok "the state holds the answer file's inputs under the pages' keys" || bad "the state lacks the answer file's inputs"
import json, sys
s = json.load(open(sys.argv[1]))["steps"]
assert s["timesync"]["data"]["destination"] == "ESS01"
assert s["timesync"]["data"]["destination_tz"] == "Pacific Standard Time"
assert s["backup"]["data"]["folder"] == "D:\\Restore" and s["backup"]["data"]["k"] == 12
assert s["policy"]["data"]["clear_script_paths"] is True
assert len(s["health"]["data"]["acknowledged"]) == 4
assert s["email"]["data"]["target"] == "o365" and s["email"]["data"]["confirmed"]["o365.under_2000"] is True
qb = [e for e in s["lob"]["data"]["entries"] if e["id"] == "app:QuickBooks"][0]
assert qb["lob"] is True and qb["plan"]["method"] == "reinstall", qb
assert [e for e in s["lob"]["data"]["entries"] if e["id"] == "svc:QBCFMonitorService"][0]["lob"] is False
PY
# The demo prepared from the command line alone, start to report (README, "Unattended runs"): each
# line a new process. The simulated server keeps what a run changed in its root folder
# (.sim-state.json beside the drives), so the runs add up to one server.
sim_state="$work/ans/.sim-state.json"
[ ! -e "$sim_state" ] && ok "a run that only checks leaves the simulated server as it was (no saved state)" \
  || bad "a check alone saved the simulated server's state"
run /demo "/root:$a" /apply:backup
expect "the drill restores into the answer file's folder and passes (exit 0)" 0 "STEP backup result=passed"
run /demo "/root:$a" /apply:updates
expect "/apply:updates installs the demo's updates, then needs a restart (exit 1)" 1 "STEP updates result=failed"
[ -s "$sim_state" ] && ok "the changed simulated server is saved in its root folder" || bad "no $sim_state after /apply:updates"
run /demo "/root:$a" /apply:updates
expect "a second /apply:updates, in a new process, restarts the server it installed on and passes (exit 0)" 0 \
  "STEP updates result=passed manual=no gate=open"
for step in policy timesync email; do
  run /demo "/root:$a" "/apply:$step"
  expect "/apply:$step passes with the answer file's inputs (exit 0)" 0 "STEP $step result=passed manual=no gate=open"
done
run /demo "/root:$a" /mark:health "/reason:FRS journal wrap cleared by hand (D2), ticket 4711"
expect "/mark:health records the FRS journal wrap cleared by hand (exit 0)" 0 "STEP health result=failed manual=yes gate=open"
run /demo "/root:$a" /mark:backup "/reason:Fresh NTBackup of the changed server, log of today 23:00"
expect "/mark:backup records the fresh backup taken after the changes (exit 0)" 0 "STEP backup result=[a-z]+ manual=yes gate=open"
cp "$sim_state" "$work/sim-ready.json"
full=$(wroot "$work/full.json")
rc=0
out=$(WINEDEBUG=-all,fixme+all,+eventlog wine "$exe" /demo "/root:$a" /check:all "/report:$full" </dev/null 2>&1) || rc=$?
for step in updates policy timesync lob email; do
  expect "run after run, /check:all finds $step verified on the prepared server" 0 "STEP $step result=passed manual=no gate=open"
done
expect "the last run says the server is ready, naming the steps done by hand, and exits 0" 0 \
  "^Ready, with steps done by hand: Backup, Health scan\. SourcePrep did not verify them"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=[s["id"] for s in d["steps"] if s["manual"]]; assert m == ["backup", "health"], m; assert d["ready"] is True and d["verdict"] == "ready_manual", d["verdict"]' "$work/full.json" \
  && ok "its report is ready_manual, with backup and health done by hand" || bad "its report is not ready_manual with backup and health by hand"
# Wine's event log cannot be read back: ReadEventLogW is a stub there (ERROR_CALL_NOT_IMPLEMENTED)
# and ReportEventW writes nothing but its trace. The trace is what shows the entry: event 1001
# (ready with steps done by hand), information, with the verdict line and the report's path.
if grep -qiE 'ReportEventW *\([^,]*,0x0004,0x0000,0x0*3e9,' <<<"$out" &&
   grep -qE 'eventlog:ReportEventW.*Ready, with steps done by hand.*full\.json' <<<"$out"; then
  ok "the run reports event 1001 (ready with steps done by hand) with the verdict and the report's path"
else bad "no ReportEventW of event 1001 in Wine's trace: $(grep -i 'ReportEvent' <<<"$out" | head -c 400)"; fi
key='HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\SourcePrep'
if wine reg query "$key" /v EventMessageFile </dev/null 2>/dev/null | grep -qiE 'REG_EXPAND_SZ.*sourceprep\.exe' &&
   wine reg query "$key" /v TypesSupported </dev/null 2>/dev/null | grep -qiE 'REG_DWORD.*0x7'; then
  ok "the event source SourcePrep is registered with the exe as its message file"
else bad "the event source is not registered under $key"; fi

# /report:- puts the JSON report alone on standard output.
rc=0
wine "$exe" /demo "/root:$a" /check:all /report:- </dev/null >"$work/stdout.json" 2>"$work/stderr.txt" || rc=$?
/usr/bin/python3 - "$work/stdout.json" core/report.schema.json <<'PY' && ok "/report:- writes the JSON report to standard output (exit $rc)" || bad "/report:- did not write the report alone to standard output"
import json, sys, jsonschema
d = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.validate(d, json.load(open(sys.argv[2])))
assert len(d["steps"]) == 7 and d["ready"] is True and d["verdict"] == "ready_manual", d["verdict"]
PY
[ "$rc" = 0 ] && ok "/check:all /report:- on the prepared server exits 0" || bad "/check:all /report:- exited $rc on the prepared server"
grep -q '^STEP lob result=passed' "$work/stderr.txt" && ok "with /report:- the step lines go to standard error" \
  || bad "the step lines are not on standard error: $(head -c 300 "$work/stderr.txt")"

# Undo across runs: the journal is on the simulated disk, and what undo writes back is saved with
# the rest of the simulated server, so the next run sees the old server again.
changed=$(python3 tests/cli/sim-registry-diff.py resources/demo-sbs2003.json "$work/sim-ready.json" | wc -l)
[ "$changed" -gt 0 ] && ok "the prepared server's saved registry differs from the demo's in $changed values" \
  || bad "the prepared server's saved registry is the demo's: the changes were not saved"
run /demo "/root:$a" /undo /yes
expect "/undo /yes in a run of its own undoes the changes of the earlier runs (exit 0)" 0 "Undid [1-9][0-9]* changes"
left=$(python3 tests/cli/sim-registry-diff.py resources/demo-sbs2003.json "$sim_state")
[ -z "$left" ] && ok "after undo the saved registry holds every value of the demo byte for byte" \
  || bad "after undo the saved registry still differs from the demo's: $left"
run /demo "/root:$a" /check:all
for step in policy timesync email; do
  expect "the next run's /check:all sees the old server: $step needs work again" 1 "STEP $step result=failed manual=no gate=closed"
done
expect "the next run's verdict is not ready (exit 1)" 1 "^Not ready: [0-9] of 7 steps"
# A damaged saved state is never taken for a fresh server: exit 2, the file named, and kept.
cp "$sim_state" "$work/sim-good.json"
printf '{"schema": "sourceprep-sim-state/1", "registry": [' >"$sim_state"
run /demo "/root:$a" /check:policy
expect "a damaged saved state of the simulated server exits 2" 2 "The simulated server could not be started from its folder"
expect "the message names the file and what is wrong with it" 2 '\.sim-state\.json cannot be used: it is not a JSON object'
[ "$(cat "$sim_state")" = '{"schema": "sourceprep-sim-state/1", "registry": [' ] && ok "the damaged saved state is left as it was" \
  || bad "the damaged saved state was overwritten"
cp "$work/sim-good.json" "$sim_state"
run "/profile:$(wroot tests/profiles/sbs2003.json)" "/root:$a" /check:policy
expect "another profile on the demo's folder exits 2: it is another server" 2 "saved from another profile"
run /demo "/root:$a" /check:policy
expect "the good saved state, put back, opens again" 1 "STEP policy result=failed"

# Exported on one server, applied on a fresh one, exported again: the same bytes.
run /demo "/root:$(wroot "$work/exp1")" "/answers:$ans" /check:lob "/export-answers:$(wroot "$work/e1.json")"
expect "/export-answers writes the inputs as an answer file" 0 "Answer file written to"
run /demo "/root:$(wroot "$work/exp2")" "/answers:$(wroot "$work/e1.json")" "/export-answers:$(wroot "$work/e2.json")"
expect "an exported answer file is accepted on a fresh server" 1 "Answers applied from"
cmp -s "$work/e1.json" "$work/e2.json" && ok "/export-answers then /answers round trip is byte-identical" \
  || bad "the answer file changed in the round trip: $(diff "$work/e1.json" "$work/e2.json" | head -c 400)"
/usr/bin/python3 - "$work/e1.json" core/answers.schema.json <<'PY' && ok "the exported answer file validates against core/answers.schema.json" || bad "the exported answer file does not validate"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1], encoding="utf-8")), json.load(open(sys.argv[2])))
PY

# Refused answers: exit 2, the key named, nothing changed.
b=$(wroot "$work/bad")
bstate="$work/bad/C/Documents and Settings/All Users/Application Data/SourcePrep/state.json"
run /demo "/root:$b" /check:policy
cp "$bstate" "$work/bad-before.json"
refused() { # refused NAME JSON PATTERN
  printf '%s' "$2" >"$work/bad-answers.json"
  run /demo "/root:$b" "/answers:$(wroot "$work/bad-answers.json")" /check:all
  expect "$1 exits 2 and names the key" 2 "$3"
}
refused "an unknown key" '{"schema": "sourceprep-answers/1", "timesync": {"destinaton": "ESS01"}}' \
  'timesync\.destinaton: there is no such key'
refused "a value of the wrong type" '{"schema": "sourceprep-answers/1", "backup": {"k": "twenty"}}' \
  'backup\.k: must be a whole number from 1 to 500'
refused "a LOB plan without a method" \
  '{"schema": "sourceprep-answers/1", "timesync": {"destination": "ESS01"}, "lob": {"entries": [{"id": "app:QuickBooks", "plan": {"contact": "Intuit"}}]}}' \
  'lob\.entries\[0\]\.plan\.method: is missing'
cmp -s "$bstate" "$work/bad-before.json" && ok "a refused answer file changes nothing in the state" \
  || bad "a refused answer file changed the state"
run /demo "/root:$b" /set:backup.k=abc /check:all
expect "a wrong /set exits 2 and names the key" 2 'backup\.k: must be a whole number'
rc=0
out=$(WINEDEBUG=-all,fixme+all,+eventlog wine "$exe" /demo "/root:$b" /set:timesync.zone=UTC /check:all </dev/null 2>&1) || rc=$?
expect "an unknown /set key exits 2 and names it" 2 'timesync\.zone: there is no such key'
grep -qiE 'ReportEventW *\([^,]*,0x0001,0x0000,0x0*3eb,' <<<"$out" && grep -qE 'eventlog:ReportEventW.*timesync\.zone' <<<"$out" \
  && ok "a run that could not run reports event 1003 with the reason" || bad "no ReportEventW of event 1003: $(grep -i 'ReportEvent' <<<"$out" | head -c 400)"

# The LOB page's CSV export read back: every field of it in the plans.
python3 - "$work/plans.csv" <<'PY'
import sys
rows = [["Application", "Publisher", "Version", "Kind", "Type", "Vendor contact", "Phone", "E-mail",
         "Migration method", "Install media", "Media size (bytes)", "Licence", "Data location", "Notes", "Plan"],
        ["QuickBooks Premier: Accountant Edition 2010", "Intuit Inc.", "20.0", "Application", "Line-of-business",
         "Jürgen \"Jo\" Müller, Support", "+49 89 1234-0", "support@example.com", "Reinstall on the Destination Server",
         "D:\\Installers\\QuickBooks 2010", "123", "LB-2011-0042", "D:\\Data\\Contoso.QBW", "Line one\r\nline two", "Complete"],
        ["Sage 50 Accounting 2012", "Sage Software, Inc.", "19.0", "Application", "Line-of-business",
         "", "", "", "Move to a hosted service", "", "", "", "", "Sage Business Cloud", "Complete"]]
def q(f):
    return '"' + f.replace('"', '""') + '"' if any(c in f for c in ',"\r\n') or f != f.strip() else f
open(sys.argv[1], "wb").write(b"\xef\xbb\xbf" + "".join(",".join(q(f) for f in r) + "\r\n" for r in rows).encode())
PY
c=$(wroot "$work/csv")
run /demo "/root:$c" "/lob-plans:$(wroot "$work/plans.csv")" /check:lob
expect "/lob-plans takes the inventory first and reads the page's CSV (exit 0)" 0 "LOB plans read from .*plans\.csv: 2 applications"
python3 - "$work/csv/C/Documents and Settings/All Users/Application Data/SourcePrep/state.json" <<'PY' && ok "the CSV round trip keeps every field of the plans" || bad "the CSV lost fields of the plans"
import json, sys
e = {x["id"]: x for x in json.load(open(sys.argv[1]))["steps"]["lob"]["data"]["entries"]}
qb, sage = e["app:QuickBooks"]["plan"], e["app:{0C1B8C36-3B6A-4A6B-8BC0-5A66B7C44C0E}"]["plan"]
assert qb == {"contact": "Jürgen \"Jo\" Müller, Support", "phone": "+49 89 1234-0", "email": "support@example.com",
              "method": "reinstall", "media": "D:\\Installers\\QuickBooks 2010", "licence": "LB-2011-0042",
              "data": "D:\\Data\\Contoso.QBW", "notes": "Line one\r\nline two", "media_found": True, "media_size": 123}, qb
assert sage["method"] == "hosted" and sage["notes"] == "Sage Business Cloud", sage
marked = sorted(i for i, x in e.items() if x.get("lob"))
assert marked == ["app:QuickBooks", "app:{0C1B8C36-3B6A-4A6B-8BC0-5A66B7C44C0E}"], marked
PY

# /check:all goes on after a step that cannot run: this profile's SBS service pack is a string.
python3 - tests/profiles/sbs2003.json "$work/err.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["registry"]["HKLM\\SOFTWARE\\Microsoft\\SmallBusinessServer"]["ServicePackNumber"] = {"sz": "1"}
json.dump(p, open(sys.argv[2], "w"))
PY
run "/profile:$(wroot "$work/err.json")" "/root:$(wroot "$work/perr")" /check:all
expect "a step that could not run makes /check:all exit 2" 2 "STEP updates result=error"
expect "/check:all checks the steps after it" 2 "STEP email result=[a-z_]+ manual=no"
expect "/check:all still gives the verdict" 2 "Not ready: [0-9] of 7 steps"
n=$(grep -c '^STEP ' <<<"$out")
[ "$n" = 7 ] && ok "/check:all reports all seven steps when one errors" || bad "/check:all reported $n steps, not 7"

# ---- The language (issue 19): /lang, the user's UI language, codes that stay the same --------
run /lang:en-US /?
en_help=$out
expect "/lang:en-US gives the English help" 0 "Usage: sourceprep"
expect "the help lists /lang" 0 "/lang:de-DE[|]en-US +the language of the wizard"
run /lang:de-DE /?
de_help=$out
if [ "$rc" = 0 ] && [ -n "$de_help" ] && [ "$de_help" != "$en_help" ]; then
  ok "/lang:de-DE gives another help than /lang:en-US (the German string table)"
else bad "/lang:de-DE gave the English help (exit $rc): $(head -c 200 <<<"$de_help")"; fi
rc=0
out=$(sp_german wine "$exe" /? </dev/null 2>&1) || rc=$?
[ "$rc" = 0 ] && [ "$out" = "$de_help" ] && ok "a German UI language (LANG=de_DE.UTF-8 under Wine) gives the German help" \
  || bad "under LANG=de_DE.UTF-8 the help is not the German one (exit $rc): $(head -c 200 <<<"$out")"
rc=0
out=$(sp_german wine "$exe" /lang:en-US /? </dev/null 2>&1) || rc=$?
[ "$rc" = 0 ] && [ "$out" = "$en_help" ] && ok "/lang:en-US wins over a German UI language" \
  || bad "/lang:en-US under LANG=de_DE.UTF-8 is not the English help: $(head -c 200 <<<"$out")"
run /lang:fr-FR /?
expect "/lang takes only the languages SourcePrep has (exit 2)" 2 "/lang takes de-DE or en-US"
run /lang:de-DE /frobnicate
expect "a mistake on the command line is said in the language of /lang:de-DE" 2 'Unbekannte Option „/frobnicate“'
run /demo "/root:$(wroot "$work/lang-console")" /lang:de-DE /check:backup
grep -q 'Sicherungen gelesen aus: .*Protokollen von NTBackup.*Ereignisprotokoll „Application“' <<<"$out" &&
  ! grep -q "NTBackup's logs" <<<"$out" && ok "a finding's words on the console follow /lang:de-DE (where the backups were read)" ||
  bad "the console's backup.source line is not German (exit $rc): $(grep -m1 -i 'NTBackup' <<<"$out" | head -c 200)"
# The JSON report and the log are for tools: the same codes in both languages; only the words
# beside them (name, title, recommendation, verdict_text) follow /lang.
for l in en-US de-DE; do
  lr=$(wroot "$work/lang-$l")
  run /demo "/root:$lr" "/lang:$l" /check:all "/report:$(wroot "$work/lang-$l.json")"
  wine "$exe" /demo "/root:$lr" "/lang:$l" "/report:$(wroot "$work/lang-$l.html")" </dev/null >/dev/null 2>&1
done
python3 - "$work/lang-en-US.json" "$work/lang-de-DE.json" <<'PY' && ok "the JSON report has the same codes and results in German and English; only its words differ" || bad "the JSON report differs between the languages beyond its words"
import json, sys
WORDS = {"name", "title", "recommendation", "verdict_text"}
def codes(v):
    if isinstance(v, dict):
        # the times of the two runs differ: "generated", "checked_at", "inventoried_at"
        return {k: codes(x) for k, x in v.items() if k not in WORDS and k != "generated" and not k.endswith("_at")}
    if isinstance(v, list):
        return [codes(x) for x in v]
    return v
def words(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k in WORDS and isinstance(x, str): out.append(x)
            else: words(x, out)
    elif isinstance(v, list):
        for x in v: words(x, out)
    return out
en, de = (json.load(open(p)) for p in sys.argv[1:3])
assert codes(en) == codes(de), "codes differ"
assert en["steps"][0]["findings"] and all(f["code"] for s in de["steps"] for f in s["findings"])
assert words(en, []) != words(de, []), "the German report has the English words"
PY
python3 - "$work/lang-de-DE.json" <<'PY' && ok "the German report says where the backups were read in German, not in the code's English" || bad "the German report's backup.source title is not German"
import json, sys
t = [f["title"] for s in json.load(open(sys.argv[1]))["steps"] for f in s["findings"] if f["code"] == "backup.source"]
assert t and all(x.startswith("Sicherungen gelesen aus: ") and "event log" not in x and "NTBackup's" not in x for x in t), t
PY
strip_log() { sed -E 's/^[^ ]+ //' "$1"; }
en_log="$work/lang-en-US/C/Documents and Settings/All Users/Application Data/SourcePrep/sourceprep.log"
de_log="$work/lang-de-DE/C/Documents and Settings/All Users/Application Data/SourcePrep/sourceprep.log"
if [ -s "$en_log" ] && diff <(strip_log "$en_log" | sed "s/lang-en-US/lang-XX/g") <(strip_log "$de_log" | sed "s/lang-de-DE/lang-XX/g") >"$work/lang-log.diff"; then
  ok "the log of the same runs is the same in German and English (after the time)"
else bad "the log differs between the languages: $(head -c 300 "$work/lang-log.diff")"; fi
grep -q '<html lang="de">' "$work/lang-de-DE.html" && grep -q '<html lang="en">' "$work/lang-en-US.html" \
  && ok "the printed report says its language (<html lang>)" || bad "the printed report's <html lang> does not follow /lang"
en_title=$(grep -o '<title>[^:<]*' "$work/lang-en-US.html" | head -1)
de_title=$(grep -o '<title>[^:<]*' "$work/lang-de-DE.html" | head -1)
[ -n "$de_title" ] && [ "$de_title" != "$en_title" ] && ok "the printed report is written in the chosen language ($de_title)" \
  || bad "the German printed report has the English title ($de_title)"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
