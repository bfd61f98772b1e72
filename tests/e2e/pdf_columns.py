#!/usr/bin/env python3
"""Checks that a printed report lost no column.

Usage: pdf_columns.py REPORT.html REPORT.pdf

Every table header of the HTML must appear in the PDF's text (pdftotext -raw, white space
ignored, since a narrow column wraps its header), and no word may end past a page's right margin
(a table wider than the page is cut there). Exit 1 with the findings otherwise.
"""
import html
import re
import subprocess
import sys

MARGIN_PT = 20  # the printed pages keep 13 mm (37 pt) or more on the right


def main(html_path, pdf_path):
    page = open(html_path, encoding="utf-8").read()
    headers = {html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
               for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)}
    headers.discard("")
    raw = subprocess.run(["pdftotext", "-raw", pdf_path, "-"], capture_output=True,
                         check=True).stdout.decode("utf-8", "replace")
    text = re.sub(r"\s+", "", raw)
    problems = [f"header not in the PDF: {h}" for h in sorted(headers)
                if re.sub(r"\s+", "", h) not in text]
    bbox = subprocess.run(["pdftotext", "-bbox", pdf_path, "-"], capture_output=True,
                          check=True).stdout.decode("utf-8", "replace")
    for number, (width, body) in enumerate(
            re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', bbox, flags=re.S),
            start=1):
        limit = float(width) - MARGIN_PT
        for x_max, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" '
                                      r'yMax="[\d.]+">(.*?)</word>', body):
            if float(x_max) > limit:
                problems.append(f"page {number}: '{html.unescape(word)}' ends at {x_max} pt, "
                                f"past {limit:.0f} pt")
    for p in problems[:20]:
        print(p)
    print(f"{len(headers)} headers, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
