#!/usr/bin/env python3
# Which registry values of a sim profile a saved sim state (<root>/.sim-state.json) holds otherwise:
# one line each. Usage: sim-registry-diff.py PROFILE.json STATE.json
import json, sys, struct
prof = json.load(open(sys.argv[1], encoding="utf-8"))
state = json.load(open(sys.argv[2], encoding="utf-8"))
def enc(spec):
    (t, v), = spec.items()
    if t in ("sz", "expand_sz"): return v.encode() + b"\0"
    if t == "multi_sz": return b"".join(x.encode() + b"\0" for x in v) + b"\0"
    if t == "dword": return struct.pack("<I", v)
    if t == "qword": return struct.pack("<Q", int(v, 0) if isinstance(v, str) else v)
    if t == "binary": return bytes.fromhex(v.replace(",", " "))
# A string undo wrote back as the registry stores it (reg_set_raw) is saved as its UTF-16LE bytes,
# marked "utf16"; the profile's strings are UTF-8: compare the same text in the same encoding.
def data(v):
    b = bytes.fromhex(v["data"])
    return b.decode("utf-16-le").encode("utf-8") if v.get("utf16") else b
saved = {k["key"].lower(): {v["name"].lower(): data(v) for v in k["values"]} for k in state["registry"]}
diff = []
for key, vals in prof["registry"].items():
    for name, spec in vals.items():
        n = "" if name == "(Default)" else name
        got = saved.get(key.replace("HKEY_LOCAL_MACHINE", "HKLM").lower(), {}).get(n.lower())
        if got != enc(spec): diff.append(f"{key}\\{name}")
print("\n".join(diff))
