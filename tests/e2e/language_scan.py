#!/usr/bin/env python3
"""One language per document.

Usage: language_scan.py zh|en [--allow WORD]... FILE...

zh: a Chinese document may hold no Latin word outside a short list: units, measures and standards
(Mbps, dB, dBm, RSRP, SINR, IMEI, UTF, UTC, SHA, YD, GSM, TCH, IPTV), method and product names (Wilson, tsq, sha256sum), the ids
and digests of the definitions and traceability appendices (code cells), and file names and
paths. en: an English document may hold no Chinese character outside the names of places and
operators given with --allow (the data's regions, the province, a company name). HTML is read
without its markup and code cells, Markdown without its `code` spans, xlsx through its shared
strings. Prints what it finds; exit 1 on any.
"""
import html
import re
import sys
import zipfile

LATIN_ALLOWED = {"Mbps", "UTF", "UTC", "SHA", "YD", "GSM", "TCH", "IPTV", "Wilson", "tsq",
                 "sha256sum", "RAT", "RSRP", "SINR", "dB", "dBm", "IMEI"}
FILE_LIKE = re.compile(r"[\w.\-]*(?:/[\w.\-]+)+/?|[\w\-]+\.(?:csv|jsonl|ndjson|json|gz|zst|toml|md|html)\b")
# Indicator ids ("calls.connect_rate", "orders.*.*.count"), digests, and record ids such as a
# broadband line "KD43110000000", which appendices, the findings and the
# xlsx "all values" sheet list as they are.
CODE_LIKE = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_*]+)+\b|\b[0-9a-f]{12,64}\b|\b[A-Z]{1,4}[0-9]{6,}\b")


def text_of(path):
    if path.endswith(".xlsx"):
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/sharedStrings.xml").decode("utf-8")
        return html.unescape(re.sub(r"<[^>]+>", " ", xml))
    s = open(path, encoding="utf-8").read()
    if path.endswith(".html"):
        s = re.sub(r"<style.*?</style>", "", s, flags=re.S)
        s = re.sub(r'<(td|span|code)[^>]*class="[^"]*\bcode\b[^"]*"[^>]*>.*?</\1>', " ", s,
                   flags=re.S)
        s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    else:
        s = re.sub(r"`[^`]*`", " ", s)
        s = re.sub(r"\\([_*\[\]])", r"\1", s)  # Markdown escapes: caller\_labels.csv
    return s


def main(argv):
    lang = argv[0]
    allowed = set()
    files = []
    i = 1
    while i < len(argv):
        if argv[i] == "--allow":
            allowed.add(argv[i + 1])
            i += 2
        else:
            files.append(argv[i])
            i += 1
    found = 0
    for path in files:
        text = CODE_LIKE.sub(" ", FILE_LIKE.sub(" ", text_of(path)))
        if lang == "zh":
            words = re.findall(r"[A-Za-z][A-Za-z0-9]*[A-Za-z]", text)
            bad = sorted({w for w in words if w not in LATIN_ALLOWED})
        else:
            for name in sorted(allowed, key=len, reverse=True):
                text = text.replace(name, " ")
            bad = sorted(set(re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+", text)))
        if bad:
            found += 1
            print(f"{path}: {', '.join(bad[:30])}")
    print(f"{len(files)} documents, {found} with words of the other language")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
