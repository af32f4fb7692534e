#!/usr/bin/env python3
"""The languages of the wizard agree: every resources/lang/*.rc has the same string IDs, the same
dialogs with the same controls, and each string the same FormatMessage placeholders (%1, %2!d!)
as en-US.rc, the reference; each file says its own LANGUAGE and resources/sourceprep.rc includes
it. Prints TAP-like "ok"/"not ok" lines; exits 1 when something differs.

Usage: check-lang.py [LANGDIR [SOURCEPREP_RC]]  (defaults: resources/lang, resources/sourceprep.rc)
"""
import os
import re
import sys
from collections import Counter

# The LANGUAGE statement each file must carry, by file name.
LANGUAGES = {
    "en-US.rc": ("LANG_ENGLISH", "SUBLANG_ENGLISH_US"),
    "de-DE.rc": ("LANG_GERMAN", "SUBLANG_GERMAN"),
}
REFERENCE = "en-US.rc"

STRING_RE = re.compile(r'^\s+(IDS_[A-Z0-9_]+|[0-9]+)\s+"((?:[^"]|"")*)"\s*$')
PLACEHOLDER_RE = re.compile(r"%([1-9][0-9]?)(![^!]*!)?")
DIALOG_RE = re.compile(r"^([A-Z_][A-Z0-9_]*|[0-9]+)\s+DIALOGEX?\b")
# Statements of a dialog's body whose first argument (after an optional "text",) is the ID.
WITH_TEXT = {"LTEXT", "RTEXT", "CTEXT", "PUSHBUTTON", "DEFPUSHBUTTON", "GROUPBOX", "AUTOCHECKBOX",
             "CHECKBOX", "AUTORADIOBUTTON", "RADIOBUTTON", "AUTO3STATE", "STATE3", "CONTROL", "ICON"}
NO_TEXT = {"EDITTEXT", "COMBOBOX", "LISTBOX", "SCROLLBAR"}


def parse(path):
    """(language, {string id: text}, {dialog: Counter of (kind, control id)}, problems)."""
    strings, dialogs, problems = {}, {}, []
    language = None
    in_table = False
    dialog = None
    in_body = False
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        code = line.split("//", 1)[0] if not line.lstrip().startswith('"') else line
        words = code.split()
        if not words:
            continue
        m = re.match(r"^LANGUAGE\s+(\w+)\s*,\s*(\w+)", code)
        if m:
            if language is not None:
                problems.append(f"{path}:{n}: a second LANGUAGE statement")
            language = (m.group(1), m.group(2))
            continue
        if words[0] == "STRINGTABLE":
            in_table = True
            continue
        m = DIALOG_RE.match(code)
        if m:
            dialog = m.group(1)
            if dialog in dialogs:
                problems.append(f"{path}:{n}: dialog {dialog} given twice")
            dialogs[dialog] = Counter()
            in_body = False
            continue
        if words[0] == "BEGIN":
            if dialog:
                in_body = True
            continue
        if words[0] == "END":
            in_table = False
            dialog = None
            in_body = False
            continue
        if in_table:
            m = STRING_RE.match(line)
            if not m:
                problems.append(f"{path}:{n}: a string-table line this check cannot read: {line.strip()[:60]}")
                continue
            if m.group(1) in strings:
                problems.append(f"{path}:{n}: string {m.group(1)} given twice")
            strings[m.group(1)] = m.group(2)
            continue
        if dialog and in_body:
            kind = words[0]
            rest = code.strip()[len(kind):].strip()
            if kind in WITH_TEXT:
                m = re.match(r'^"(?:[^"]|"")*"\s*,\s*([^,\s]+)', rest)
            elif kind in NO_TEXT:
                m = re.match(r"^([^,\s]+)", rest)
            else:
                m = None
            if not m:
                problems.append(f"{path}:{n}: a dialog line this check cannot read: {line.strip()[:60]}")
                continue
            dialogs[dialog][(kind, m.group(1))] += 1
    return language, strings, dialogs, problems


def placeholders(text):
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text.replace("%%", "")))


def main():
    langdir = sys.argv[1] if len(sys.argv) > 1 else "resources/lang"
    main_rc = sys.argv[2] if len(sys.argv) > 2 else "resources/sourceprep.rc"
    failed = 0

    def ok(cond, what, detail=""):
        nonlocal failed
        if cond:
            print(f"ok - {what}")
        else:
            failed += 1
            print(f"not ok - {what}{': ' + detail if detail else ''}")

    files = sorted(f for f in os.listdir(langdir) if f.endswith(".rc"))
    ok(REFERENCE in files and len(files) >= 2, f"{langdir} holds {REFERENCE} and a translation", " ".join(files))
    with open(main_rc, encoding="utf-8") as f:
        included = re.findall(r'^#include\s+"lang/([^"]+)"', f.read(), re.M)
    for name in files:
        ok(name in included, f"{main_rc} includes lang/{name}")
        ok(name in LANGUAGES, f"lang/{name} is a language the check knows (LANGUAGES in {sys.argv[0]})")
    parsed = {name: parse(os.path.join(langdir, name)) for name in files}
    if REFERENCE not in parsed:
        return 1
    _, ref_strings, ref_dialogs, _ = parsed[REFERENCE]
    for name in files:
        language, strings, dialogs, problems = parsed[name]
        ok(not problems, f"lang/{name} reads cleanly", "; ".join(problems[:5]))
        if name in LANGUAGES:
            ok(language == LANGUAGES[name], f"lang/{name} says LANGUAGE {', '.join(LANGUAGES[name])}", str(language))
        if name == REFERENCE:
            ok(len(strings) > 100 and len(dialogs) > 5,
               f"lang/{name}: {len(strings)} strings and {len(dialogs)} dialogs read")
            continue
        only_ref = sorted(set(ref_strings) - set(strings))
        only_this = sorted(set(strings) - set(ref_strings))
        ok(not only_ref, f"lang/{name} has every string of {REFERENCE}", "missing " + " ".join(only_ref[:20]))
        ok(not only_this, f"lang/{name} has no string {REFERENCE} lacks", "extra " + " ".join(only_this[:20]))
        differ = [i for i in sorted(set(strings) & set(ref_strings))
                  if placeholders(strings[i]) != placeholders(ref_strings[i])]
        ok(not differ, f"lang/{name}: every string has the placeholders of {REFERENCE}",
           "; ".join(f"{i} has {placeholders(strings[i])}, {REFERENCE} {placeholders(ref_strings[i])}"
                     for i in differ[:10]))
        only_ref = sorted(set(ref_dialogs) - set(dialogs))
        only_this = sorted(set(dialogs) - set(ref_dialogs))
        ok(not only_ref and not only_this, f"lang/{name} has the dialogs of {REFERENCE}",
           f"missing {only_ref}, extra {only_this}")
        for d in sorted(set(dialogs) & set(ref_dialogs)):
            missing = ref_dialogs[d] - dialogs[d]
            extra = dialogs[d] - ref_dialogs[d]
            ok(not missing and not extra, f"lang/{name}: {d} has the controls of {REFERENCE}",
               f"missing {sorted(missing.elements())}, extra {sorted(extra.elements())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
