#!/usr/bin/env bash
# Checks the Visual Studio build (wizard.sln, wizard/sourceprep.vcxproj and its .filters, build.bat)
# against the tree, and the include rules of the layers. None of the build can run here. The project
# must list exactly the product sources: every .c and .h under core/, wizard/ and pages/ except
# core/sys/posix/ (native tests only), the headers in resources/, and resources/sourceprep.rc. When a
# list is off, scripts/update-vcxproj.sh regenerates it. The include rules (DESIGN.md, Layers) are
# checked on every #include of every .c and .h under core/ and pages/; a broken one is named by
# file:line with the rule. Prints "ok - ..." / "not ok - ..." per check, then "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

sln=wizard.sln
vcxproj=wizard/sourceprep.vcxproj
filters=wizard/sourceprep.vcxproj.filters
bat=build.bat
fix="run scripts/update-vcxproj.sh"
configs="Debug|Win32 Debug|x64 Release|Win32 Release|x64"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "not ok - $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The product files in the tree, repo-relative, sorted bytewise (as scripts/update-vcxproj.sh).
list() {
  local pattern=$1; shift
  find "$@" -name "$pattern" -type f -not -path 'core/sys/posix/*' | LC_ALL=C sort
}
list '*.c' core wizard pages >"$tmp/tree.ClCompile"
list '*.h' core wizard pages resources >"$tmp/tree.ClInclude"
echo resources/sourceprep.rc >"$tmp/tree.ResourceCompile"

# items FILE KIND: the Include of every KIND item in the MSBuild file FILE, resolved against the
# file's folder (..\core\x.c in wizard/ -> core/x.c), one a line, duplicates kept, sorted.
items() {
  python3 - "$1" "$2" <<'PY'
import posixpath, sys, xml.etree.ElementTree as ET
path, kind = sys.argv[1], sys.argv[2]
ns = "{http://schemas.microsoft.com/developer/msbuild/2003}"
root = ET.parse(path).getroot()
base = posixpath.dirname(path)
out = [posixpath.normpath(posixpath.join(base, el.get("Include").replace("\\", "/")))
       for el in root.iter(ns + kind) if el.get("Include") is not None]
print("\n".join(sorted(out)) if out else "", end="\n" if out else "")
PY
}

# compare LABEL FILE KIND: FILE's KIND items against the tree, naming what is missing or extra.
compare() {
  local label=$1 file=$2 kind=$3 missing extra dups msg=""
  if ! items "$file" "$kind" >"$tmp/raw" 2>"$tmp/err"; then
    bad "$label: cannot read $file: $(tail -n 1 "$tmp/err")"
    return
  fi
  LC_ALL=C sort -u "$tmp/raw" >"$tmp/listed"
  missing=$(LC_ALL=C comm -23 "$tmp/tree.$kind" "$tmp/listed" | tr '\n' ' ')
  extra=$(LC_ALL=C comm -13 "$tmp/tree.$kind" "$tmp/listed" | tr '\n' ' ')
  dups=$(LC_ALL=C sort "$tmp/raw" | uniq -d | tr '\n' ' ')
  [ -n "$missing" ] && msg="$msg; missing (in the tree, not in $file): ${missing% }"
  [ -n "$extra" ] && msg="$msg; extra (in $file, not in the tree): ${extra% }"
  [ -n "$dups" ] && msg="$msg; listed twice: ${dups% }"
  if [ -z "$msg" ]; then
    ok "$label ($(wc -l <"$tmp/listed") listed)"
  else
    bad "$label${msg}; $fix"
  fi
}

for f in "$sln" "$vcxproj" "$filters" "$bat"; do
  [ -f "$f" ] || bad "$f exists"
done

# ---- The source lists -----------------------------------------------------------------------
if [ -f "$vcxproj" ]; then
  compare "$vcxproj compiles exactly the product .c files (ClCompile)" "$vcxproj" ClCompile
  compare "$vcxproj lists exactly the product headers (ClInclude)" "$vcxproj" ClInclude
  compare "$vcxproj compiles resources/sourceprep.rc (ResourceCompile)" "$vcxproj" ResourceCompile
fi
if [ -f "$filters" ]; then
  compare "$filters lists the same .c files" "$filters" ClCompile
  compare "$filters lists the same headers" "$filters" ClInclude
  compare "$filters lists the same .rc" "$filters" ResourceCompile
  undeclared=$(python3 - "$filters" <<'PY' 2>&1
import sys, xml.etree.ElementTree as ET
ns = "{http://schemas.microsoft.com/developer/msbuild/2003}"
root = ET.parse(sys.argv[1]).getroot()
declared = {el.get("Include") for el in root.iter(ns + "Filter") if el.get("Include")}
for el in root.iter():
    f = el.find(ns + "Filter")
    if el.get("Include") and f is not None and f.text not in declared:
        print(el.get("Include") + " -> " + str(f.text))
PY
  )
  [ -z "$undeclared" ] && ok "$filters: every item's filter is declared" \
    || bad "$filters: undeclared filters: $(echo $undeclared); $fix"
fi

# MSVC writes every .obj to one folder: two sources with one name would overwrite each other.
same=$(xargs -n1 basename <"$tmp/tree.ClCompile" | LC_ALL=C sort | uniq -d | tr '\n' ' ')
[ -z "$same" ] && ok "no two product .c files share a file name (MSVC puts every .obj in one folder)" \
  || bad "product .c files share a name, their .obj files would collide under MSVC: $same"

# ---- Configurations and settings ----------------------------------------------------------
if [ -f "$vcxproj" ]; then
  while IFS= read -r line; do
    case $line in
      "ok - "*) ok "${line#ok - }" ;;
      "not ok - "*) bad "${line#not ok - }" ;;
      *) bad "$vcxproj: $line" ;;
    esac
  done < <(python3 - "$vcxproj" $configs <<'PY' 2>&1
import re, sys, xml.etree.ElementTree as ET
path, configs = sys.argv[1], sys.argv[2:]
ns = "{http://schemas.microsoft.com/developer/msbuild/2003}"
try:
    root = ET.parse(path).getroot()
except ET.ParseError as e:
    print(f"not ok - {path} is well-formed XML: {e}")
    sys.exit(0)

def applies(cond, cfg):
    """Whether an ItemDefinitionGroup/metadata Condition holds for cfg ("Debug|Win32")."""
    if not cond:
        return True
    c = cond.replace(" ", "")
    conf, plat = cfg.split("|")
    m = re.fullmatch(r"'\$\(Configuration\)\|\$\(Platform\)'=='([^']*)'", c)
    if m:
        return m.group(1).lower() == cfg.lower()
    m = re.fullmatch(r"'\$\(Configuration\)'=='([^']*)'", c)
    if m:
        return m.group(1).lower() == conf.lower()
    m = re.fullmatch(r"'\$\(Platform\)'=='([^']*)'", c)
    if m:
        return m.group(1).lower() == plat.lower()
    return False   # a condition this check does not understand counts as not applying

def effective(tool, name, cfg):
    """The value MSBuild gives tool's metadata name in cfg, following %(name) inheritance."""
    value = ""
    for idg in root.iter(ns + "ItemDefinitionGroup"):
        if not applies(idg.get("Condition"), cfg):
            continue
        for t in idg.findall(ns + tool):
            for el in t.findall(ns + name):
                if applies(el.get("Condition"), cfg):
                    value = (el.text or "").replace(f"%({name})", value)
    return [v.strip() for v in value.split(";") if v.strip()]

declared = sorted(pc.get("Include") for pc in root.iter(ns + "ProjectConfiguration"))
if declared == sorted(configs):
    print(f"ok - {path} declares the configurations {' '.join(configs)}")
else:
    print(f"not ok - {path} declares the configurations {' '.join(configs)} (it has: {' '.join(declared)})")

need = ["_WIN32_WINNT=0x0502", "WINVER=0x0502", "UNICODE", "_UNICODE", "CURL_STATICLIB"]
runtime = {"Debug": "MultiThreadedDebug", "Release": "MultiThreaded"}
for cfg in configs:
    defs = effective("ClCompile", "PreprocessorDefinitions", cfg)
    lacking = [d for d in need if d not in defs]
    if lacking:
        print(f"not ok - {cfg}: the preprocessor definitions include {' '.join(need)} (lacking: {' '.join(lacking)})")
    else:
        print(f"ok - {cfg}: the preprocessor definitions include {' '.join(need)}")
    rc = effective("ResourceCompile", "PreprocessorDefinitions", cfg)
    crt = effective("ClCompile", "RuntimeLibrary", cfg)
    want = runtime[cfg.split("|")[0]]
    problems = []
    if "_WIN32_WINNT=0x0502" not in rc:
        problems.append("the resource compiler lacks _WIN32_WINNT=0x0502")
    if crt != [want]:
        problems.append(f"RuntimeLibrary is {';'.join(crt) or 'unset'}, not {want} (static CRT)")
    if problems:
        print(f"not ok - {cfg}: " + "; ".join(problems))
    else:
        print(f"ok - {cfg}: rc has _WIN32_WINNT=0x0502, static CRT {want}")

inc = effective("ClCompile", "AdditionalIncludeDirectories", "Release|x64")
print(("ok - " if "$(SolutionDir)" in inc else "not ok - ")
      + "the compiler's include path has $(SolutionDir) (sources include \"core/...\")")
PY
  )
fi

# ---- The solution and build.bat -----------------------------------------------------------
if [ -f "$sln" ]; then
  tr -d '\r' <"$sln" >"$tmp/sln"
  guid=$(grep -o '<ProjectGuid>{[^}]*}' "$vcxproj" 2>/dev/null | sed 's/<ProjectGuid>//' | tr 'a-z' 'A-Z')
  if grep -q '^Project(' "$tmp/sln" && grep -qF "\"wizard\\sourceprep.vcxproj\", \"${guid:-none}\"" "$tmp/sln"; then
    ok "$sln references wizard\\sourceprep.vcxproj with its ProjectGuid $guid"
  else
    bad "$sln references wizard\\sourceprep.vcxproj with the ProjectGuid of $vcxproj (${guid:-none})"
  fi
  lacking=""
  for c in $configs; do
    grep -qF "		$c = $c" "$tmp/sln" || lacking="$lacking $c (solution)"
    grep -qF "$guid.$c.ActiveCfg = $c" "$tmp/sln" || lacking="$lacking $c (ActiveCfg)"
    grep -qF "$guid.$c.Build.0 = $c" "$tmp/sln" || lacking="$lacking $c (Build.0)"
  done
  [ -z "$lacking" ] && ok "$sln has the configurations $configs, each building the project" \
    || bad "$sln has the configurations $configs; lacking:$lacking"
fi

if [ -f "$bat" ]; then
  lacking=""
  for word in wizard.sln vswhere.exe VCPKG_ROOT /p:Configuration= /p:Platform= Win32; do
    grep -qiF -- "$word" "$bat" || lacking="$lacking $word"
  done
  [ -z "$lacking" ] && ok "$bat builds wizard.sln with the MSBuild vswhere finds, after checking VCPKG_ROOT" \
    || bad "$bat builds wizard.sln (vswhere, VCPKG_ROOT, /p:Configuration, /p:Platform); lacking:$lacking"
fi

# ---- Include rules ---------------------------------------------------------------------------
# Core knows no window and no Windows header (only its win32 backend does) and reaches the OS
# through core/sys/sys.h alone; pages see the frame only through their own headers; a backend
# builds on core/sys/ and core/base/ alone. An include is the project's when it names one of the
# project's folders or, in quotes, a file beside the includer. One "ok" per rule that holds, one
# "not ok" per #include that breaks one.
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) bad "${line#not ok - }" ;;
    *) bad "include rules: $line" ;;
  esac
done < <(python3 - <<'PY' 2>&1
import os, posixpath, re

TOP = ("core", "pages", "wizard", "resources", "tests")   # the project's own folders
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# The Windows SDK's headers (and MSVC's own CRT ones) that core/sys/win32/ or the UI use, or might.
WINDOWS = re.compile(
    r"(win[a-z0-9_]*|ws2[a-z0-9_]*|wspiapi|mswsock|iphlpapi|iptypes|icmpapi|lm[a-z0-9_]*|dsgetdc"
    r"|dsrole|ntdsapi|activeds|iads|sddl|aclapi|accctrl|ntsecapi|security|sspi|schannel"
    r"|shlobj|shellapi|shlwapi|knownfolders|commctrl|commdlg|prsht|richedit|uxtheme|dwmapi|ole2"
    r"|oleauto|olectl|objbase|objidl|oaidl|ocidl|unknwn|initguid|comdef|comutil|propidl|wuapi"
    r"|wbemidl|wbemcli|taskschd|psapi|tlhelp32|userenv|wtsapi32|dbghelp|versionhelpers|tchar|io"
    r"|direct|process|conio|crtdbg|mmsystem|ntstatus|rpc|rpcdce|rpcndr)\.h", re.I)

def under(path, *places):
    return any(path == p or path.startswith(p + "/") for p in places)

core_not_win32 = lambda f: under(f, "core") and not under(f, "core/sys/win32")
RULES = [  # (the rule, the files it is about, what it forbids of an include)
    ('core/ (outside core/sys/win32/) never includes "pages/...", "wizard/..." or "resources/..."',
     core_not_win32, lambda i: i["project"] and under(i["path"], "pages", "wizard", "resources")),
    ("core/ (outside core/sys/win32/) never includes a Windows header (<windows.h>, <winsock2.h>,"
     " <wincrypt.h>, ...)",
     core_not_win32, lambda i: not i["project"] and WINDOWS.fullmatch(i["target"])),
    ('core/ outside core/sys/ includes of core/sys/ only "core/sys/sys.h" (the seam, never a backend)',
     lambda f: under(f, "core") and not under(f, "core/sys"),
     lambda i: i["project"] and under(i["path"], "core/sys") and i["path"] != "core/sys/sys.h"),
    ('pages/ never includes "wizard/..."',
     lambda f: under(f, "pages"), lambda i: i["project"] and under(i["path"], "wizard")),
    ('a backend and the seam (core/sys/: sim/, win32/, posix/, sys.c, sys.h) include of the project'
     ' only "core/sys/..." and "core/base/..."',
     lambda f: under(f, "core/sys"), lambda i: i["project"] and not under(i["path"], "core/sys", "core/base")),
]

def includes(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, text in enumerate(fh, 1):
            m = INCLUDE.match(text)
            if not m:
                continue
            delim, target = m.group(1), m.group(2).strip()
            inc = {"line": n, "spelled": delim + target + (">" if delim == "<" else '"'),
                   "target": target, "project": False, "path": target}
            if under(posixpath.normpath(target), *TOP):
                inc.update(project=True, path=posixpath.normpath(target))
            elif delim == '"':   # relative to the including file, as the compiler looks first
                rel = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                if os.path.isfile(rel) and under(rel, *TOP):
                    inc.update(project=True, path=rel)
            yield inc

files = []
for top in ("core", "pages"):
    for root, dirs, names in os.walk(top):
        dirs.sort()
        files += [posixpath.join(root, n) for n in sorted(names) if n.endswith((".c", ".h"))]

for rule, about, forbids in RULES:
    concerned = [f for f in files if about(f)]
    broken = [(f, i) for f in concerned for i in includes(f) if forbids(i)]
    for f, i in broken:
        seen = "" if i["path"] == i["target"] or not i["project"] else f" (that is {i['path']})"
        print(f"not ok - {f}:{i['line']}: #include {i['spelled']}{seen} breaks the include rule: {rule}")
    if not broken:
        print(f"ok - include rule: {rule} ({len(concerned)} files)")
PY
)

# ---- Line endings ---------------------------------------------------------------------------
lf=""
for f in "$bat" "$sln" "$vcxproj" "$filters"; do
  [ -f "$f" ] || continue
  awk '!/\r$/ { bad = 1 } END { exit bad }' "$f" || lf="$lf $f"
done
[ -z "$lf" ] && ok "build.bat, wizard.sln and the project files have CRLF line endings" \
  || bad "files with LF-only lines (Windows tools expect CRLF):$lf"
missing_attr=""
for pat in '*.bat' '*.sln' '*.vcxproj' '*.filters'; do
  grep -qxF "$pat text eol=crlf" .gitattributes 2>/dev/null || missing_attr="$missing_attr $pat"
done
[ -z "$missing_attr" ] && ok ".gitattributes keeps CRLF for *.bat *.sln *.vcxproj *.filters" \
  || bad ".gitattributes lacks 'text eol=crlf' for:$missing_attr"

# ---- string tables -----------------------------------------------------------------
# An ID given twice in a table compiles, and one of the two texts is silently lost (IDS_HELP was).
for rc in resources/lang/*.rc; do
  dups=$(grep -oE '^[[:space:]]+(IDS_[A-Z0-9_]+|[0-9]+)[[:space:]]+"' "$rc" | awk '{print $1}' | sort | uniq -d | tr '\n' ' ')
  [ -z "$dups" ] && ok "$rc: every string ID once" || bad "$rc: string IDs given twice: $dups"
done

# ---- The languages agree (tests/project/check-lang.py) --------------------------------------------
# Every lang/*.rc has en-US.rc's string IDs, dialogs and controls, and each string its placeholders.
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) bad "${line#not ok - }" ;;
    *) bad "languages: $line" ;;
  esac
done < <(python3 tests/project/check-lang.py 2>&1)
# ... and the check sees it when they do not: a translation missing a string, with another
# placeholder, or missing a dialog's control must each fail it.
mkdir -p "$tmp/lang"
cp resources/lang/*.rc "$tmp/lang/"
cp resources/sourceprep.rc "$tmp/sourceprep.rc"
lang_mutant() {
  local what=$1 script=$2
  cp resources/lang/de-DE.rc "$tmp/lang/de-DE.rc"
  python3 - "$tmp/lang/de-DE.rc" "$script" <<'PY'
import re, sys
path, script = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
new = eval(script, {"re": re, "text": text})
assert new != text, "the mutation changed nothing"
open(path, "w", encoding="utf-8").write(new)
PY
  python3 tests/project/check-lang.py "$tmp/lang" "$tmp/sourceprep.rc" >"$tmp/lang.out" 2>&1
  local rc=$? n
  n=$(grep -c '^not ok' "$tmp/lang.out")
  if [ "$rc" = 1 ] && [ "$n" = 1 ]; then
    ok "the language check fails a translation $what ($(grep '^not ok' "$tmp/lang.out" | cut -c10-110))"
  else
    bad "the language check on a translation $what: exit $rc, $n failures (one expected): $(grep -v '^ok' "$tmp/lang.out" | head -3)"
  fi
}
lang_mutant "missing a string" 're.sub(r"(?m)^\s+IDS_WELCOME_TITLE\s+\".*\n", "", text, count=1)'
lang_mutant "with a placeholder of its own" 're.sub(r"(?m)^(\s+IDS_WELCOME_ROLE_DC\s+\".*)%1", r"\g<1>%2", text, count=1)'
lang_mutant "missing a dialog control" 're.sub(r"(?m)^\s+PUSHBUTTON\s+\"[^\"]*\", IDC_STEP_MARK,.*\n", "", text, count=1)'
lang_mutant "with a string en-US.rc lacks" 're.sub(r"(?m)^STRINGTABLE\nBEGIN\n", "STRINGTABLE\nBEGIN\n    IDS_ONLY_HERE \"x\"\n", text, count=1)'
rm -rf "$tmp/lang"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
