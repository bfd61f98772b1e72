#!/usr/bin/env python3
"""Scans files for subscriber numbers in full.

Usage: privacy_scan.py DATA_DIR[,DATA_DIR...] OUTPUT_PATH...

Collects every value of the subscriber-number columns (calls caller/callee, sms
sender/receiver, porting msisdn) of the data directories, then looks for each of
them, whole, in every output given: plain files as text, .xlsx files member by
member (unzipped), .pdf files as their text (pdftotext). Prints each hit as
"PATH: NUMBER" and the count; exit 1 when there is any hit. Headers may be
mapped: --map TYPE.COLUMN=HEADER (repeatable) names the header that holds a
number column.
"""
import csv
import json
import os
import re
import subprocess
import sys
import zipfile

NUMBER_COLUMNS = {"calls": ["caller", "callee"], "sms": ["sender", "receiver"],
                  "porting": ["msisdn"]}
MIN_LENGTH = 5  # shorter values would match anything (counts, years)


def record_type(name):
    stem = name.split(".")[0]
    return stem.split("-")[0]


def open_text(path):
    if path.endswith(".gz"):
        import gzip
        return gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="")
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout
        import io
        return io.StringIO(data.decode("utf-8", errors="replace"), newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def numbers_of(data_dirs, mapping):
    numbers = set()
    for d in data_dirs:
        for name in os.listdir(d):
            rtype = record_type(name)
            if rtype not in NUMBER_COLUMNS:
                continue
            columns = [mapping.get(f"{rtype}.{c}", c) for c in NUMBER_COLUMNS[rtype]]
            path = os.path.join(d, name)
            with open_text(path) as f:
                if ".jsonl" in name or ".ndjson" in name:
                    rows = []
                    for line in f:
                        try:
                            rows.append(json.loads(line))
                        except ValueError:
                            continue
                else:
                    rows = csv.DictReader(f)
                for row in rows:
                    if not isinstance(row, dict):
                        continue
                    for c in columns:
                        v = row.get(c)
                        if isinstance(v, (int, float)):
                            v = str(v)
                        if isinstance(v, str) and len(v.strip()) >= MIN_LENGTH:
                            numbers.add(v.strip())
    return numbers


def texts_of(path):
    """(label, text) pairs of an output file."""
    if path.endswith(".xlsx"):
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                yield f"{path}:{member}", z.read(member).decode("utf-8", errors="replace")
    elif path.endswith(".pdf"):
        text = subprocess.run(["pdftotext", "-q", path, "-"], capture_output=True,
                              check=True).stdout
        yield path, text.decode("utf-8", errors="replace")
    else:
        with open(path, "rb") as f:
            yield path, f.read().decode("utf-8", errors="replace")


def scan(numbers, paths):
    digits = {n for n in numbers if n.isdigit()}
    others = numbers - digits
    lengths = sorted({len(n) for n in digits})
    hits = []
    for path in paths:
        for label, text in texts_of(path):
            for run in re.finditer(r"\d{%d,}" % MIN_LENGTH, text):
                s = run.group()
                for L in lengths:
                    for i in range(0, len(s) - L + 1):
                        if s[i:i + L] in digits:
                            hits.append((label, s[i:i + L]))
            for n in others:
                if n in text:
                    hits.append((label, n))
    return hits


def main(argv):
    mapping = {}
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--map":
            k, v = argv[i + 1].split("=", 1)
            mapping[k] = v
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    numbers = numbers_of(args[0].split(","), mapping)
    if len(numbers) < 100:
        print(f"only {len(numbers)} subscriber numbers found in {args[0]}", file=sys.stderr)
        return 2
    hits = scan(numbers, args[1:])
    for label, n in sorted(set(hits))[:20]:
        print(f"{label}: {n}")
    print(f"{len(set(hits))} hits of {len(numbers)} subscriber numbers in {len(args) - 1} outputs")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
