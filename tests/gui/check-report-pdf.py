#!/usr/bin/env python3
"""The printed report keeps its evidence: no word of report.pdf runs past the page's right
margin, and every evidence string of the same run's JSON report is in the PDF's text; with
MAX_PAGES, the PDF has at most that many pages.
Usage: check-report-pdf.py report.json report.pdf [MAX_PAGES]"""
import json
import re
import subprocess
import sys

MARGIN_PT = 12 / 25.4 * 72  # the report's @page margin, 12 mm left and right


def main():
    report, pdf = sys.argv[1], sys.argv[2]
    max_pages = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    over = []
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', bbox, re.S)
    for width, body in pages:
        edge = float(width) - MARGIN_PT + 1.0
        for x_max, word in re.findall(r'xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body):
            if float(x_max) > edge:
                over.append(word)
    # -layout: the characters as printed; pdftotext's default joins a line that ends in "-"
    # with the next one without the "-" (ValidPorts' "6001-" and "6002" became "60016002").
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    missing = []
    evidence = 0
    for step in json.load(open(report, encoding="utf-8"))["steps"]:
        for f in step["findings"]:
            ev = f.get("evidence") or ""
            if not ev:
                continue
            evidence += 1
            if re.sub(r"\s+", "", ev) not in flat:
                missing.append(f"{f['code']}: {ev[:80]}")
    ok = True
    if over:
        ok = False
        print(f"not ok - the printed report runs past the right margin: {len(over)} words, e.g. {over[:3]}")
    if max_pages and len(pages) > max_pages:
        ok = False
        print(f"not ok - the printed report has {len(pages)} pages, more than {max_pages}")
    if missing or not evidence:
        ok = False
        print(f"not ok - evidence missing from the printed report ({len(missing)} of {evidence}): {missing[:3]}")
    if ok:
        print(f"ok - the printed report ({len(pages)} pages) holds all {evidence} evidence strings within the page width")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
