#!/usr/bin/env python3
"""Independent reference implementation of tsq's default indicators.

Written from the specification of the indicators and of the data contract only (its rules are
restated in docs/indicators.md and docs/data-contract.md), not from tsq's C++ sources, in
Python 3 with the standard library only, so that `tsq kpi --format json` can be checked against a
second reading of the spec (tests/reference/compare.py).

Covers every record type: orders, calls, sms, billing, complaints, appeals (with the per-million
rates, which also read subscribers), hotline, porting, speedtests, broadband_tests and
subscribers. Every choice the spec leaves open is marked "Reading:" below and listed in
tests/reference/README.md.

Usage:
  tsq_reference.py DATA_DIR --period 2022H2 [--as-of '2022-12-15 00:00:00'] [--tz +08:00]
                   [--from 2022-07-01 --to 2022-10-01] [--out FILE]
"""

import argparse
import datetime as dt
import glob
import gzip
import json
import math
import os
import re
import sys
from decimal import Decimal

US = 1_000_000
MIN_US = 60 * US
HOUR_US = 3600 * US
DAY_US = 24 * HOUR_US
BLANKS = " \t"  # values are trimmed of these

# --------------------------------------------------------------------------------------------
# The data contract
# --------------------------------------------------------------------------------------------

SERVICES = ("mobile", "broadband", "fixed", "iptv")
CATEGORIES = ("network", "broadband_speed", "billing", "marketing", "porting", "package_change",
              "harassment", "service_attitude", "elderly", "other")

# (column, type, required); type is "str", "ts", "month", "num", "int", "bool" or a tuple of enum
# values.
CONTRACT = {
    "orders": [
        ("order_id", "str", True), ("operator", "str", True), ("region", "str", True),
        ("county", "str", False), ("service", SERVICES, True),
        ("kind", ("change", "restore", "repair", "install", "move"), True),
        ("accepted_at", "ts", True), ("completed_at", "ts", False),
        ("channel", ("store", "hotline", "app", "web", "other"), False),
        ("customer_age", "int", False), ("area_type", ("urban", "rural"), False),
    ],
    "calls": [
        ("start_time", "ts", True), ("caller", "str", True), ("callee", "str", True),
        ("operator", "str", True), ("region", "str", True), ("cell_id", "str", False),
        ("rat", ("2G", "4G", "5G"), False),
        ("outcome", ("answered", "no_answer", "busy", "rejected", "network_fail", "congested"),
         True),
        ("duration_s", "num", False), ("dropped", "bool", False), ("caller_imei", "str", False),
    ],
    "sms": [
        ("sent_at", "ts", True), ("sender", "str", True), ("receiver", "str", True),
        ("operator", "str", True), ("region", "str", False), ("delivered_at", "ts", False),
        ("status", ("delivered", "failed", "blocked"), True),
    ],
    "billing": [
        ("record_id", "str", True), ("operator", "str", True), ("region", "str", False),
        ("service", SERVICES, True), ("charged_at", "ts", True), ("amount_cny", "num", True),
        ("error", "bool", True),
    ],
    "complaints": [
        ("complaint_id", "str", True), ("operator", "str", True), ("region", "str", False),
        ("channel", ("hotline", "app", "store", "web", "regulator", "other"), False),
        ("category", CATEGORIES, True), ("received_at", "ts", True),
        ("closed_at", "ts", False), ("resolved", "bool", False), ("satisfied", "bool", False),
        ("customer_age", "int", False),
    ],
    "appeals": [
        ("appeal_id", "str", True), ("operator", "str", True), ("category", CATEGORIES, True),
        ("received_at", "ts", True), ("accepted", "bool", True),
        ("outcome", ("settled", "not_settled", "withdrawn"), False), ("closed_at", "ts", False),
        ("region", "str", False),
    ],
    "hotline": [
        ("call_id", "str", True), ("operator", "str", True), ("arrived_at", "ts", True),
        ("human_requested_at", "ts", False), ("answered_at", "ts", False),
        ("ended_at", "ts", True), ("elderly_fast_lane", "bool", False),
        ("caller_age", "int", False),
    ],
    "porting": [
        ("request_id", "str", True), ("msisdn", "str", True), ("from_operator", "str", True),
        ("to_operator", "str", True), ("requested_at", "ts", True), ("completed_at", "ts", False),
        ("status", ("completed", "rejected", "cancelled", "pending"), True),
        ("reject_reason", "str", False),
    ],
    "speedtests": [
        ("test_id", "str", True), ("tested_at", "ts", True), ("operator", "str", True),
        ("rat", ("4G", "5G"), True), ("cell_id", "str", False), ("lat", "num", True),
        ("lon", "num", True), ("down_mbps", "num", True), ("up_mbps", "num", False),
        ("latency_ms", "num", False), ("rsrp_dbm", "num", False), ("sinr_db", "num", False),
        ("device_id", "str", False),
    ],
    "broadband_tests": [
        ("test_id", "str", True), ("line_id", "str", True), ("operator", "str", True),
        ("region", "str", False), ("tested_at", "ts", True), ("plan_down_mbps", "num", True),
        ("plan_up_mbps", "num", False), ("down_mbps", "num", True), ("up_mbps", "num", False),
    ],
    # One row per operator, region and month: the users at the end of the month (stocks).
    "subscribers": [
        ("operator", "str", True), ("region", "str", False), ("month", "month", True),
        ("mobile_users", "int", False), ("fixed_users", "int", False),
        ("broadband_users", "int", False), ("broadband_100m_users", "int", False),
        ("terminal_5g_users", "int", False), ("registered_5g_users", "int", False),
    ],
}

# The start time of each record type (the period a record belongs to) and the end-before-start
# pairs of reading detail 5.
START = {"orders": "accepted_at", "calls": "start_time", "sms": "sent_at",
         "billing": "charged_at", "complaints": "received_at", "appeals": "received_at",
         "hotline": "arrived_at", "porting": "requested_at", "speedtests": "tested_at",
         "broadband_tests": "tested_at", "subscribers": "month"}
ORDERED_PAIRS = {
    "orders": [("accepted_at", "completed_at")],
    "sms": [("sent_at", "delivered_at")],
    "complaints": [("received_at", "closed_at")],
    "appeals": [("received_at", "closed_at")],
    "hotline": [("arrived_at", "ended_at"), ("human_requested_at", "answered_at")],
    "porting": [("requested_at", "completed_at")],
}

# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                   r"(Z|[+-]\d{2}(?::?\d{2})?)?$")
# Reading: no leading "+", and the value must be finite as a double (tsq's grammar, see README).
NUM_RE = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
MAX_DOUBLE = Decimal("1.7976931348623157e308")
# An int: base 10, an optional minus sign (no leading "+"), fitting in 64 bits.
INT_RE = re.compile(r"^-?\d+$")
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
# A month: exactly YYYY-MM, the month written with two digits; local time.
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
BOOLS = {"1": True, "true": True, "y": True, "0": False, "false": False, "n": False}
EPOCH_ORD = dt.date(1970, 1, 1).toordinal()


class BadValue(Exception):
    pass


def parse_offset(text):
    """'+08:00', '+0800', '+08', 'Z' -> offset in microseconds."""
    if text == "Z":
        return 0
    m = re.match(r"^([+-])(\d{2})(?::?(\d{2}))?$", text)
    if not m:
        raise BadValue("offset")
    hh, mm = int(m.group(2)), int(m.group(3) or 0)
    if hh > 23 or mm > 59:
        raise BadValue("offset")
    sign = -1 if m.group(1) == "-" else 1
    return sign * (hh * HOUR_US + mm * MIN_US)


_ORDINALS = {}


def parse_ts(text, tz_us):
    """A timestamp -> UTC microseconds since the epoch (int)."""
    m = TS_RE.match(text)
    if not m:
        raise BadValue("timestamp")
    y, mo, d, h, mi, s, frac, off = m.groups()
    ordinal = _ORDINALS.get((y, mo, d))
    if ordinal is None:
        try:
            ordinal = dt.date(int(y), int(mo), int(d)).toordinal() - EPOCH_ORD
        except ValueError:
            raise BadValue("date")
        _ORDINALS[(y, mo, d)] = ordinal
    h, mi, s = int(h), int(mi), int(s)
    if h > 23 or mi > 59 or s > 59:
        raise BadValue("time")
    micro = int((frac + "000000")[:6]) if frac else 0
    offset = parse_offset(off) if off else tz_us
    return ordinal * DAY_US + h * HOUR_US + mi * MIN_US + s * US + micro - offset


def parse_value(text, kind, tz_us):
    if kind == "str":
        return text
    if kind == "ts":
        return parse_ts(text, tz_us)
    if kind == "month":  # the instant the month begins, local time
        m = MONTH_RE.match(text)
        if not m:
            # Or that instant written out, as a workbook's date cell of the month reads:
            # YYYY-MM-01, or a timestamp that is local midnight on the 1st.
            t = parse_ts(text + " 00:00:00" if len(text) == 10 else text, tz_us)
            local = t + tz_us
            if local % DAY_US != 0 or dt.date.fromordinal(local // DAY_US + EPOCH_ORD).day != 1:
                raise BadValue("month")
            return t
        try:
            first = dt.date(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise BadValue("month")
        return (first.toordinal() - EPOCH_ORD) * DAY_US - tz_us
    if kind == "num":
        if not NUM_RE.match(text):
            raise BadValue("number")
        value = Decimal(text)
        if abs(value) > MAX_DOUBLE:
            raise BadValue("number")
        return value
    if kind == "int":
        if not INT_RE.match(text):
            raise BadValue("int")
        value = int(text)
        if not INT_MIN <= value <= INT_MAX:
            raise BadValue("int")
        return value
    if kind == "bool":
        b = BOOLS.get(text.lower())
        if b is None:
            raise BadValue("bool")
        return b
    if text not in kind:  # enum, case-sensitive
        raise BadValue("enum")
    return text


class Clock:
    """Local calendar of the data set."""

    def __init__(self, tz_us):
        self.tz = tz_us

    def local_date(self, utc_us):
        return dt.date.fromordinal(EPOCH_ORD + (utc_us + self.tz) // DAY_US)

    def month(self, utc_us):
        d = self.local_date(utc_us)
        return "%04d-%02d" % (d.year, d.month)

    def day_hour(self, utc_us):
        local = utc_us + self.tz
        return local // DAY_US, (local % DAY_US) // HOUR_US

    def utc_of_date(self, date):
        return (date.toordinal() - EPOCH_ORD) * DAY_US - self.tz

    def iso(self, utc_us):
        local = utc_us + self.tz
        d = dt.date.fromordinal(EPOCH_ORD + local // DAY_US)
        rem = local % DAY_US
        h, rem = divmod(rem, HOUR_US)
        mi, rem = divmod(rem, MIN_US)
        s, micro = divmod(rem, US)
        off = abs(self.tz) // MIN_US
        text = "%04d-%02d-%02dT%02d:%02d:%02d" % (d.year, d.month, d.day, h, mi, s)
        if micro:
            text += ".%06d" % micro
        return text + "%s%02d:%02d" % ("-" if self.tz < 0 else "+", off // 60, off % 60)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def type_files(data_dir, rtype):
    names = []
    for pattern in (rtype + ".*", rtype + "-*"):
        names += glob.glob(os.path.join(data_dir, pattern))
    out = []
    for path in sorted(set(names)):
        base = os.path.basename(path)
        stem = base[:-3] if base.endswith(".gz") else base
        if stem.endswith(".zst"):
            raise SystemExit("tsq_reference: %s: .zst is not supported (stdlib only)" % path)
        if not (stem.endswith(".csv") or stem.endswith(".jsonl") or stem.endswith(".ndjson")):
            continue
        core = stem.rsplit(".", 1)[0]
        if core == rtype or core.startswith(rtype + "-"):
            out.append(path)
    return out


def open_text(path):
    raw = open(path, "rb").read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    # surrogateescape keeps invalid UTF-8 visible so that such rows can be rejected.
    text = raw.decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


BAD_UTF8 = re.compile("[\udc80-\udcff]")


def has_bad_utf8(fields):
    return any(BAD_UTF8.search(f) for f in fields)


def bind(rtype, fields_by_name, tz_us):
    """A row as {column: value or None}, or None when the row is bad.

    Reading: every value is trimmed, quoted or not (reading detail 2 makes no exception), so a
    quoted value of blanks is missing. tsq keeps blanks inside quotes: see README."""
    rec = {}
    for col, kind, required in CONTRACT[rtype]:
        text = fields_by_name.get(col)
        text = text.strip(BLANKS) if text is not None else ""
        if text == "":
            if required:
                return None
            rec[col] = None
            continue
        try:
            rec[col] = parse_value(text, kind, tz_us)
        except BadValue:
            return None
    for a, b in ORDERED_PAIRS.get(rtype, ()):
        if rec[a] is not None and rec[b] is not None and rec[b] < rec[a]:
            return None
    return rec


MAX_RECORD = 1 << 20


def parse_quoted_record(lines, i, ncols):
    """Parses the record starting at physical line i (0-based) that holds a quote.

    Returns (fields, next_line) or (None, i + 1) for bad quoting. A record that spans lines is
    accepted only if it is well-formed, has the header's column count and is at most 1 MiB;
    otherwise just its first line is bad and reading resumes on the next line (tsq's documented
    "one stray quote costs one line", docs/reader.md; the spec only says such rows are bad).
    """
    fields = []
    j = i
    s = lines[j]
    if s.endswith("\r"):
        s = s[:-1]
    p = 0
    size = 0
    while True:
        while p < len(s) and s[p] in BLANKS:
            p += 1
        if p < len(s) and s[p] == '"':
            p += 1
            buf = []
            while True:
                q = s.find('"', p)
                if q < 0:  # the line ends inside the quotes: the break belongs to the field
                    buf.append(s[p:])
                    size += len(lines[j]) + 1
                    j += 1
                    if j >= len(lines) or size > MAX_RECORD:
                        return None, i + 1
                    buf.append("\n")
                    s = lines[j]
                    if s.endswith("\r"):
                        s = s[:-1]
                    p = 0
                    continue
                if q + 1 < len(s) and s[q + 1] == '"':
                    buf.append(s[p:q + 1])
                    p = q + 2
                    continue
                buf.append(s[p:q])
                p = q + 1
                break
            while p < len(s) and s[p] in BLANKS:
                p += 1
            fields.append("".join(buf))
            if p >= len(s):
                break
            if s[p] != ",":
                return None, i + 1  # text after a closing quote
            p += 1
        else:
            comma = s.find(",", p)
            value = s[p:] if comma < 0 else s[p:comma]
            if '"' in value:
                return None, i + 1  # a quote inside an unquoted field
            fields.append(value)
            if comma < 0:
                break
            p = comma + 1
    if j > i and ncols is not None and len(fields) != ncols:
        return None, i + 1
    return fields, j + 1


def csv_records(text, ncols):
    """(line number, fields or None when the quoting is bad) per record; blank lines skipped.

    Lines are split on LF (a CR before it is dropped); a record's number is its first line.
    ncols() gives the header's column count once known."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        s = lines[i]
        if '"' not in s:
            if s.endswith("\r"):
                s = s[:-1]
            i += 1
            if s.strip(BLANKS) == "":
                continue  # a blank line is not a row
            yield i, s.split(",")
            continue
        fields, nxt = parse_quoted_record(lines, i, ncols())
        yield i + 1, fields
        i = nxt


class JsonObject(list):
    """A JSON object as its (key, value) pairs, so that a key given twice can be seen."""


def no_constant(name):
    raise ValueError(name)  # NaN, Infinity: not JSON


def json_fields(line, columns):
    """A JSON Lines line as {column: text}, or None when the line is bad.

    Numbers keep their digits as written, booleans become "true"/"false", null is missing. A
    contract column given twice, or as an object or array, makes the line bad (data contract,
    bad_json); other keys are ignored."""
    try:
        obj = json.loads(line, object_pairs_hook=JsonObject, parse_float=str, parse_int=str,
                         parse_constant=no_constant)
    except ValueError:
        return None
    if not isinstance(obj, JsonObject):
        return None
    fields = {}
    seen = set()
    for k, v in obj:
        if k not in columns:
            continue
        if k in seen or isinstance(v, list):
            return None
        seen.add(k)
        if v is None:
            continue
        if isinstance(v, bool):
            v = "true" if v else "false"
        fields[k] = v
    return fields


def read_type(data_dir, rtype, tz_us, stats):
    records = []
    columns = {col for col, _, _ in CONTRACT[rtype]}
    for path in type_files(data_dir, rtype):
        text = open_text(path)
        check_utf8 = BAD_UTF8.search(text) is not None  # rows to check only if any is bad
        read = bad = 0
        bad_lines = []
        base = os.path.basename(path)
        if ".jsonl" in base or ".ndjson" in base:
            for number, line in enumerate(text.split("\n"), 1):
                if line.strip(BLANKS + "\r") == "":
                    continue
                read += 1
                # invalid UTF-8 anywhere in the line, unknown keys included, makes it bad
                fields = None if check_utf8 and BAD_UTF8.search(line) else json_fields(
                    line, columns)
                if fields is None:
                    bad += 1
                    bad_lines.append((base, number))
                    continue
                rec = bind(rtype, fields, tz_us)
                if rec is None:
                    bad += 1
                    bad_lines.append((base, number))
                else:
                    records.append(rec)
        else:
            header = None
            for line, fields in csv_records(text, lambda: len(header) if header else None):
                if header is None:
                    if fields is None:
                        raise SystemExit("tsq_reference: %s: bad header" % path)
                    header = [h.strip(BLANKS) for h in fields]
                    for col, _, required in CONTRACT[rtype]:
                        if required and col not in header:
                            raise SystemExit("tsq_reference: %s: the header lacks the required "
                                             "column %s" % (path, col))
                    continue
                read += 1
                if fields is None or len(fields) != len(header) or (
                        check_utf8 and has_bad_utf8(fields)):
                    bad += 1
                    bad_lines.append((base, line))
                    continue
                rec = bind(rtype, dict(zip(header, fields)), tz_us)
                if rec is None:
                    bad += 1
                    bad_lines.append((base, line))
                else:
                    records.append(rec)
        stats.append({"file": base, "read": read, "quarantined": bad,
                      "quarantined_lines": [n for _, n in bad_lines]})
    return records


# --------------------------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------------------------

DIM_ORDER = ("operator", "from_operator", "region", "rat", "month", "plan", "category",
             "channel", "reject_reason")


class Out:
    def __init__(self):
        self.items = []

    def emit(self, iid, group, value, n, target=None):
        g = {k: group[k] for k in DIM_ORDER if k in group}
        item = {"id": iid, "group": g, "value": value, "n": n, "target": None, "verdict": None}
        if target is not None:
            op, tv = target
            item["target"] = {"op": op, "value": tv}
            if value is None or n < 1:  # minimum sample: default 1
                verdict = "insufficient data"
            else:
                ok = value >= tv if op == ">=" else value <= tv
                verdict = "met" if ok else "missed"
            item["verdict"] = verdict
        self.items.append(item)


def ratio(num, den):
    return None if den == 0 else num / den


def mean_us(total_us, count, unit_us):
    return None if count == 0 else total_us / count / unit_us


def group_by(records, dims):
    """Records per group key; a record missing any dimension is left out of this breakdown."""
    groups = {}
    for r in records:
        key = []
        for d in dims:
            v = r["_" + d] if ("_" + d) in r else r.get(d)
            if v is None:
                break
            key.append(v)
        else:
            groups.setdefault(tuple(key), []).append(r)
    return groups


def breakdowns(out, records, dim_sets, figures):
    """Calls figures(group_dict, records) for every group of every breakdown."""
    for dims in dim_sets:
        for key, recs in sorted(group_by(records, dims).items()):
            figures(dict(zip(dims, key)), recs)


STD_DIMS = [(), ("operator",), ("region",), ("month",), ("operator", "region"),
            ("operator", "month")]

# --------------------------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------------------------

# (avg limit h, max limit h) per service/kind; the targets are timely_rate >= 0.99 and
# avg_hours <= the avg limit.
ORDER_LIMITS = {
    ("mobile", "change"): (1, 24), ("mobile", "restore"): (1, 24),
    ("mobile", "repair"): (24, 48),
    ("broadband", "install"): (24, 72), ("broadband", "repair"): (24, 48),
    ("broadband", "change"): (12, 24), ("broadband", "move"): (24, 72),
    ("fixed", "install"): (72, 168), ("fixed", "move"): (72, 168),
    ("fixed", "repair"): (24, 48),
    ("fixed", "change"): (1, 24), ("fixed", "restore"): (1, 24),
}


def time_limited(recs, start, end, is_open, is_completed, limit_us, as_of):
    """The counters shared by orders, complaints and porting.

    Reading: an item that starts after an as-of inside the period still belongs to the period;
    open, its age is negative and it is not overdue."""
    completed = [r for r in recs if is_completed(r)]
    open_ = [r for r in recs if is_open(r)]
    durations = [r[end] - r[start] for r in completed]
    res = {"completed": len(completed), "open": len(open_), "durations": durations}
    if limit_us is not None:
        res["on_time"] = sum(1 for d in durations if d <= limit_us)
        res["open_overdue"] = sum(1 for r in open_ if as_of - r[start] > limit_us)
    return res


def family_orders(out, records, ctx):
    pairs = sorted({(r["service"], r["kind"]) for r in records})
    for service, kind in pairs:
        prefix = "orders.%s.%s." % (service, kind)
        # Reading: a pair without limits gets count, completed, open, avg_hours and max_hours.
        limits = ORDER_LIMITS.get((service, kind))
        subset = [r for r in records if r["service"] == service and r["kind"] == kind]

        def figures(g, recs, prefix=prefix, limits=limits):
            count = len(recs)
            t = time_limited(recs, "accepted_at", "completed_at",
                             lambda r: r["completed_at"] is None,
                             lambda r: r["completed_at"] is not None,
                             limits[1] * HOUR_US if limits else None, ctx["as_of"])
            completed, open_ = t["completed"], t["open"]
            out.emit(prefix + "count", g, count, count)
            out.emit(prefix + "completed", g, completed, count)
            out.emit(prefix + "open", g, open_, count)
            if limits:
                on_time, ood = t["on_time"], t["open_overdue"]
                out.emit(prefix + "on_time", g, on_time, completed)
                out.emit(prefix + "open_overdue", g, ood, open_)
                out.emit(prefix + "overdue", g, completed - on_time + ood, count)
                out.emit(prefix + "timely_rate", g, ratio(on_time, completed + ood),
                         completed + ood, (">=", 0.99))
            durs = t["durations"]
            out.emit(prefix + "avg_hours", g, mean_us(sum(durs), len(durs), HOUR_US), completed,
                     ("<=", limits[0]) if limits else None)
            out.emit(prefix + "max_hours", g, max(durs) / HOUR_US if durs else None, completed)

        breakdowns(out, subset, STD_DIMS, figures)


CONNECTED = {"answered", "no_answer", "busy", "rejected"}


def family_calls(out, records, ctx):
    clock = ctx["clock"]
    for r in records:
        r["_day"], r["_hour"] = clock.day_hour(r["start_time"])
        r["_connected"] = r["outcome"] in CONNECTED

    def figures(g, recs):
        attempts = len(recs)
        connected = sum(1 for r in recs if r["_connected"])
        answered_recs = [r for r in recs if r["outcome"] == "answered"]
        answered = len(answered_recs)
        dropped = sum(1 for r in answered_recs if r["dropped"])
        congested = sum(1 for r in recs if r["outcome"] == "congested")
        talk = [r["duration_s"] for r in answered_recs if r["duration_s"] is not None]
        # Busy hour: per day, the clock hour with the most attempts; a tie to the earliest hour.
        per_day = {}
        for r in recs:
            hours = per_day.setdefault(r["_day"], {})
            cell = hours.setdefault(r["_hour"], [0, 0])
            cell[0] += 1
            cell[1] += r["_connected"]
        bh_att = bh_conn = 0
        for hours in per_day.values():
            best = min(hours, key=lambda h: (-hours[h][0], h))
            bh_att += hours[best][0]
            bh_conn += hours[best][1]
        out.emit("calls.attempts", g, attempts, attempts)
        out.emit("calls.connected", g, connected, attempts)
        out.emit("calls.answered", g, answered, attempts)
        out.emit("calls.dropped", g, dropped, answered)
        out.emit("calls.congested", g, congested, attempts)
        out.emit("calls.busy_hour_attempts", g, bh_att, attempts)
        out.emit("calls.connect_rate", g, ratio(connected, attempts), attempts, (">=", 0.90))
        out.emit("calls.connect_rate_busy_hour", g, ratio(bh_conn, bh_att), bh_att,
                 (">=", 0.90))
        out.emit("calls.drop_rate", g, ratio(dropped, answered), answered, ("<=", 0.05))
        out.emit("calls.congestion_rate", g, ratio(congested, attempts), attempts, ("<=", 0.02))
        out.emit("calls.answer_rate", g, ratio(answered, attempts), attempts)
        out.emit("calls.avg_talk_s", g, float(sum(talk) / len(talk)) if talk else None,
                 len(talk))

    dims = STD_DIMS[:4] + [("rat",)] + STD_DIMS[4:5] + [("operator", "rat")] + STD_DIMS[5:]
    breakdowns(out, records, dims, figures)


def family_sms(out, records, ctx):
    def figures(g, recs):
        messages = len(recs)
        delivered_recs = [r for r in recs if r["status"] == "delivered"]
        delivered = len(delivered_recs)
        failed = sum(1 for r in recs if r["status"] == "failed")
        blocked = sum(1 for r in recs if r["status"] == "blocked")
        delays = [r["delivered_at"] - r["sent_at"] for r in delivered_recs
                  if r["delivered_at"] is not None]
        # Reading: status delivered without delivered_at stays in the timely_rate denominator
        # and is not on time.
        within = sum(1 for d in delays if d <= 24 * HOUR_US)
        out.emit("sms.messages", g, messages, messages)
        out.emit("sms.delivered", g, delivered, messages)
        out.emit("sms.failed", g, failed, messages)
        out.emit("sms.blocked", g, blocked, messages)
        out.emit("sms.delivery_rate", g, ratio(delivered, messages - blocked),
                 messages - blocked)
        out.emit("sms.avg_delay_min", g, mean_us(sum(delays), len(delays), MIN_US), len(delays),
                 ("<=", 10))
        out.emit("sms.timely_rate", g, ratio(within, delivered), delivered, (">=", 0.99))

    breakdowns(out, records, STD_DIMS, figures)


def family_billing(out, records, ctx):
    def figures(g, recs):
        n = len(recs)
        err = [r for r in recs if r["error"]]
        amount = sum((r["amount_cny"] for r in recs), Decimal(0))
        err_amount = sum((r["amount_cny"] for r in err), Decimal(0))
        out.emit("billing.records", g, n, n)
        out.emit("billing.errors", g, len(err), n)
        out.emit("billing.error_rate", g, ratio(len(err), n), n, ("<=", 1e-4))
        out.emit("billing.amount_cny", g, float(amount), n)
        # Reading: n of error_amount_cny is the group's records (see README).
        out.emit("billing.error_amount_cny", g, float(err_amount), n)
        # Reading: amounts (refunds too) summed as given; no rate when they sum to 0.
        out.emit("billing.error_amount_rate", g,
                 None if amount == 0 else float(err_amount / amount), n)

    breakdowns(out, records, STD_DIMS, figures)


def family_complaints(out, records, ctx):
    limit = 360 * HOUR_US

    def figures(g, recs):
        count = len(recs)
        t = time_limited(recs, "received_at", "closed_at", lambda r: r["closed_at"] is None,
                         lambda r: r["closed_at"] is not None, limit, ctx["as_of"])
        closed, open_, on_time, ood = t["completed"], t["open"], t["on_time"], t["open_overdue"]
        durs = t["durations"]
        surveyed = [r for r in recs if r["satisfied"] is not None]
        satisfied = sum(1 for r in surveyed if r["satisfied"])
        resolved = sum(1 for r in recs if r["closed_at"] is not None and r["resolved"])
        out.emit("complaints.count", g, count, count)
        out.emit("complaints.closed", g, closed, count)
        out.emit("complaints.open", g, open_, count)
        out.emit("complaints.on_time", g, on_time, closed)
        out.emit("complaints.open_overdue", g, ood, open_)
        out.emit("complaints.overdue", g, closed - on_time + ood, count)
        out.emit("complaints.avg_hours", g, mean_us(sum(durs), len(durs), HOUR_US), closed)
        out.emit("complaints.timely_rate", g, ratio(on_time, closed + ood), closed + ood,
                 (">=", 0.99))
        out.emit("complaints.surveyed", g, len(surveyed), count)
        out.emit("complaints.satisfied", g, satisfied, len(surveyed))
        out.emit("complaints.satisfaction_rate", g, ratio(satisfied, len(surveyed)),
                 len(surveyed))
        out.emit("complaints.resolved", g, resolved, closed)
        out.emit("complaints.resolution_rate", g, ratio(resolved, closed), closed)
        for dim in ("category", "channel"):
            per = {}
            for r in recs:
                if r[dim] is not None:
                    per[r[dim]] = per.get(r[dim], 0) + 1
            for value, c in sorted(per.items()):
                sub = dict(g)
                sub[dim] = value
                out.emit("complaints.count", sub, c, c)
                out.emit("complaints.share", sub, ratio(c, count), count)
        # Reading: "printed where there is one" = only in groups with such a complaint.
        missing = sum(1 for r in recs if r["channel"] is None)
        if missing:
            out.emit("complaints.channel_missing.count", g, missing, count)

    breakdowns(out, records, STD_DIMS, figures)


# The regulator's three classes of appeals, by category; every other category is user service.
APPEAL_CLASSES = {"network": "network_quality", "broadband_speed": "network_quality",
                  "billing": "billing_dispute", "package_change": "billing_dispute"}


def family_appeals(out, records, all_records, ctx):
    clock = ctx["clock"]
    dims = [(), ("operator",), ("month",), ("operator", "month")]

    # The previous period (环比): the period of the same length just before.
    b_from, b_to = ctx["baseline"]
    before = [r for r in all_records if b_from <= r["received_at"] < b_to]

    # The same period one year earlier, and each month's same month one year earlier.
    def year_earlier(date):
        try:
            return date.replace(year=date.year - 1)
        except ValueError:  # 29 February
            return date.replace(year=date.year - 1, day=28)

    prev_from = clock.utc_of_date(year_earlier(ctx["from_date"]))
    prev_to = clock.utc_of_date(year_earlier(ctx["to_date"]))
    prev_period = [r for r in all_records if prev_from <= r["received_at"] < prev_to]

    def prev_month_records(month):
        y, m = int(month[:4]), int(month[5:])
        a = clock.utc_of_date(dt.date(y - 1, m, 1))
        b = clock.utc_of_date(dt.date(y if m == 12 else y - 1, 1 if m == 12 else m + 1, 1))
        return [r for r in all_records if a <= r["received_at"] < b]

    prev_month_cache = {}

    def counts(recs):
        received = len(recs)
        accepted = [r for r in recs if r["accepted"]]
        settled = sum(1 for r in accepted if r["outcome"] == "settled")
        return received, len(accepted), settled

    # accepted of all operators, per month and over the period, for accepted_share
    all_accepted = {None: counts(records)[1]}
    for month, recs in group_by(records, ("month",)).items():
        all_accepted[month[0]] = counts(recs)[1]

    def figures(g, recs):
        received, accepted, settled = counts(recs)
        out.emit("appeals.received", g, received, received)
        out.emit("appeals.accepted", g, accepted, received)
        out.emit("appeals.settled", g, settled, accepted)
        out.emit("appeals.settlement_rate", g, ratio(settled, accepted), accepted)
        classes = {"user_service": 0, "network_quality": 0, "billing_dispute": 0}
        for r in recs:
            if r["accepted"]:
                classes[APPEAL_CLASSES.get(r["category"], "user_service")] += 1
        for name, c in classes.items():
            out.emit("appeals." + name, g, c, accepted)
        # On the previous period: not for month groups, and only when the previous period holds
        # accepted appeals of the group.
        if "month" not in g:
            prev = [r for r in before if g.get("operator", r["operator"]) == r["operator"]]
            p_accepted = counts(prev)[1]
            if p_accepted > 0:
                out.emit("appeals.accepted_change_prev", g, (accepted - p_accepted) / p_accepted,
                         p_accepted)
        # year over year
        if "month" in g:
            if g["month"] not in prev_month_cache:
                prev_month_cache[g["month"]] = prev_month_records(g["month"])
            earlier = prev_month_cache[g["month"]]
        else:
            earlier = prev_period
        # Reading: printed when the whole data (any operator) holds an appeal received in that
        # earlier period or month; for a month key, the whole calendar month a year earlier.
        if earlier:
            if "operator" in g:
                earlier = [r for r in earlier if r["operator"] == g["operator"]]
            p_received, p_accepted, _ = counts(earlier)
            out.emit("appeals.accepted_prev_year", g, p_accepted, p_received)
            out.emit("appeals.accepted_change_yoy", g,
                     None if p_accepted == 0 else (accepted - p_accepted) / p_accepted,
                     p_accepted)
        if "operator" in g:
            total = all_accepted[g.get("month")]
            out.emit("appeals.accepted_share", g, ratio(accepted, total), total)
        per = {}
        for r in recs:
            per.setdefault(r["category"], []).append(r)
        for cat, crecs in sorted(per.items()):
            sub = dict(g)
            sub["category"] = cat
            c_received, c_accepted, c_settled = counts(crecs)
            out.emit("appeals.received", sub, c_received, c_received)
            out.emit("appeals.accepted", sub, c_accepted, c_received)
            out.emit("appeals.settled", sub, c_settled, c_accepted)
            out.emit("appeals.share", sub, ratio(c_accepted, accepted), accepted)

    breakdowns(out, records, dims, figures)


def family_hotline(out, records, ctx):
    within = 15 * US
    dims = [(), ("operator",), ("month",), ("operator", "month")]

    def rates_e(g, elderly, calls):
        # elderly.count has n = the group's calls; the rest as for all calls, over elderly ones
        requested = [r for r in elderly if r["human_requested_at"] is not None]
        out.emit("hotline.elderly.count", g, len(elderly), calls)
        answered = [r for r in requested if r["answered_at"] is not None]
        waits = [r["answered_at"] - r["human_requested_at"] for r in answered]
        w15 = sum(1 for w in waits if w <= within)
        nreq, nans = len(requested), len(answered)
        p = "hotline.elderly."
        out.emit(p + "human_requested", g, nreq, nreq)
        out.emit(p + "human_answered", g, nans, nreq)
        out.emit(p + "human_answer_rate", g, ratio(nans, nreq), nreq, (">=", 0.85))
        out.emit(p + "abandon_rate", g, ratio(nreq - nans, nreq), nreq)
        out.emit(p + "answered_within_15s", g, w15, nreq)
        out.emit(p + "answered_within_15s_rate", g, ratio(w15, nreq), nreq)
        avg_monthly(p + "avg_response_s", g, answered, waits)

    def avg_monthly(avg_id, g, answered, waits):
        nans = len(answered)
        if "month" in g:
            out.emit(avg_id, g, mean_us(sum(waits), nans, US), nans, ("<=", 30))
            return
        per_month = {}
        for r, w in zip(answered, waits):
            acc = per_month.setdefault(r["month"], [0, 0])
            acc[0] += w
            acc[1] += 1
        # Reading: months without an answered call are not candidates; a tie goes to the
        # earliest month, whose answered calls are the n.
        worst = None
        for month in sorted(per_month):
            total, cnt = per_month[month]
            avg = total / cnt / US
            if worst is None or avg > worst[0]:
                worst = (avg, cnt)
        out.emit(avg_id + ".worst_month", g, worst[0] if worst else None,
                 worst[1] if worst else 0, ("<=", 30))
        out.emit(avg_id + ".pooled", g, mean_us(sum(waits), nans, US), nans)

    def figures_all(g, recs):
        calls = len(recs)
        requested = [r for r in recs if r["human_requested_at"] is not None]
        answered = [r for r in requested if r["answered_at"] is not None]
        waits = [r["answered_at"] - r["human_requested_at"] for r in answered]
        w15 = sum(1 for w in waits if w <= within)
        nreq, nans = len(requested), len(answered)
        p = "hotline."
        out.emit(p + "calls", g, calls, calls)
        # Reading: "Over calls with human_requested_at": n of human_requested is itself.
        out.emit(p + "human_requested", g, nreq, nreq)
        out.emit(p + "human_answered", g, nans, nreq)
        out.emit(p + "human_answer_rate", g, ratio(nans, nreq), nreq, (">=", 0.85))
        out.emit(p + "abandon_rate", g, ratio(nreq - nans, nreq), nreq)
        out.emit(p + "answered_within_15s", g, w15, nreq)
        out.emit(p + "answered_within_15s_rate", g, ratio(w15, nreq), nreq)
        avg_monthly(p + "avg_response_s", g, answered, waits)
        rates_e(g, [r for r in recs if r["elderly_fast_lane"]], calls)

    breakdowns(out, records, dims, figures_all)


def family_porting(out, records, ctx):
    limit = 24 * HOUR_US
    dims = [(), ("from_operator",), ("month",), ("from_operator", "month")]

    # Reading: timeliness over status completed with completed_at (+ pending overdue); rejected
    # and cancelled are outside it even with a completed_at; reasons count on rejected only.
    def figures(g, recs):
        requests = len(recs)
        by = {s: [r for r in recs if r["status"] == s]
              for s in ("completed", "rejected", "cancelled", "pending")}
        done = [r for r in by["completed"] if r["completed_at"] is not None]
        durs = [r["completed_at"] - r["requested_at"] for r in done]
        on_time = sum(1 for d in durs if d <= limit)
        ood = sum(1 for r in by["pending"] if ctx["as_of"] - r["requested_at"] > limit)
        nc, nr = len(by["completed"]), len(by["rejected"])
        out.emit("porting.requests", g, requests, requests)
        out.emit("porting.completed", g, nc, requests)
        out.emit("porting.rejected", g, nr, requests)
        out.emit("porting.cancelled", g, len(by["cancelled"]), requests)
        out.emit("porting.pending", g, len(by["pending"]), requests)
        out.emit("porting.completion_rate", g, ratio(nc, nc + nr), nc + nr)
        out.emit("porting.avg_hours", g, mean_us(sum(durs), len(durs), HOUR_US), len(durs))
        out.emit("porting.on_time", g, on_time, len(durs))
        out.emit("porting.open_overdue", g, ood, len(by["pending"]))
        out.emit("porting.timely_rate", g, ratio(on_time, len(durs) + ood), len(durs) + ood)

    breakdowns(out, records, dims, figures)

    # A rejection without a reason counts under the blank reason "", so the reason groups add
    # up to porting.rejected (docs/indicators.md, porting).
    rejected = [dict(r, reject_reason=r.get("reject_reason") or "")
                for r in records if r["status"] == "rejected"]
    for rdims in (("reject_reason",), ("from_operator", "reject_reason")):
        for key, recs in sorted(group_by(rejected, rdims).items()):
            out.emit("porting.rejected_by_reason", dict(zip(rdims, key)), len(recs), len(recs))


# Speed tests: bad below these rates (Mbit/s, strictly); a cell is measured with at least
# MIN_TESTS tests and poor when the one-sided 95 % Wilson lower bound of its bad share is above
# POOR_SHARE (strictly).
BAD_DOWN_MBPS = {"5G": 100.0, "4G": 10.0}
MIN_TESTS = 20
POOR_SHARE = 0.20
Z_ONE_SIDED = 1.6448536269514722


def percentile_inc(values, p):
    """Excel's PERCENTILE.INC of sorted values: rank p * (n - 1), linear between the two
    closest ranks."""
    if not values:
        return None
    rank = p * (len(values) - 1)
    lo = math.floor(rank)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (rank - lo) * (values[hi] - values[lo])


def wilson_lower(successes, n, z):
    p = successes / n
    z2 = z * z
    return ((p + z2 / (2 * n) - z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)))
            / (1 + z2 / n))


def cell_poor(tests, bad):
    return tests >= MIN_TESTS and wilson_lower(bad, tests, Z_ONE_SIDED) > POOR_SHARE


def family_speedtests(out, records, all_records, ctx):
    for r in all_records:
        r["_down"] = float(r["down_mbps"])
        r["_bad"] = r["_down"] < BAD_DOWN_MBPS[r["rat"]]

    def test_figures(g, recs):
        tests = len(recs)
        bad = sum(1 for r in recs if r["_bad"])
        downs = sorted(r["_down"] for r in recs)
        out.emit("speedtests.tests", g, tests, tests)
        out.emit("speedtests.bad_tests", g, bad, tests)
        out.emit("speedtests.bad_share", g, ratio(bad, tests), tests)
        out.emit("speedtests.median_down_mbps", g, percentile_inc(downs, 0.5), tests)
        out.emit("speedtests.p10_down_mbps", g, percentile_inc(downs, 0.1), tests)

    breakdowns(out, records, [(), ("operator",), ("rat",), ("month",), ("operator", "rat"),
                              ("operator", "month"), ("operator", "rat", "month")],
               test_figures)

    # Cells: operator x rat x cell_id. Reading: a test without cell_id counts in the test
    # figures above but in no cell (the spec's tiles are shown on the map, not counted).
    def cells_of(recs):
        cells = {}
        for r in recs:
            if r["cell_id"] is None:
                continue
            c = cells.setdefault((r["operator"], r["rat"], r["cell_id"]), [0, 0])
            c[0] += 1
            c[1] += r["_bad"]
        return cells

    current = cells_of(records)
    b_from, b_to = ctx["baseline"]
    baseline_recs = [r for r in all_records if b_from <= r["tested_at"] < b_to]
    baseline_poor = [k for k, (t, b) in cells_of(baseline_recs).items() if cell_poor(t, b)]
    cell_recs = [{"operator": k[0], "rat": k[1], "tests": t, "bad": b}
                 for k, (t, b) in current.items()]

    def cell_figures(g, cells):
        measured = [c for c in cells if c["tests"] >= MIN_TESTS]
        poor = sum(1 for c in measured if cell_poor(c["tests"], c["bad"]))
        out.emit("speedtests.measured_cells", g, len(measured), len(cells))
        out.emit("speedtests.poor_cells", g, poor, len(measured))
        out.emit("speedtests.poor_share", g, ratio(poor, len(measured)), len(measured))
        # Reading: printed when the baseline period holds any speed test (any operator), in the
        # groups that have cells with tests now; a baseline-poor cell without tests now counts
        # (unverified) in every such group it belongs to.
        if not baseline_recs:
            return
        mine = [k for k in baseline_poor
                if g.get("operator", k[0]) == k[0] and g.get("rat", k[1]) == k[1]]
        remediated = unverified = still_poor = 0
        for k in mine:
            tests, bad = current.get(k, (0, 0))
            if tests < MIN_TESTS:
                unverified += 1
            elif cell_poor(tests, bad):
                still_poor += 1
            else:
                remediated += 1
        base = len(mine)
        out.emit("speedtests.baseline_poor_cells", g, base, base)
        out.emit("speedtests.remediated_cells", g, remediated, base)
        out.emit("speedtests.unverified_cells", g, unverified, base)
        out.emit("speedtests.still_poor_cells", g, still_poor, base)
        out.emit("speedtests.remediation_rate", g, ratio(remediated, base), base, (">=", 0.70))

    breakdowns(out, cell_recs, [(), ("operator",), ("rat",), ("operator", "rat")], cell_figures)


def plan_label(plan):
    """A plan's rate without trailing zeros: 100 -> "100", 12.50 -> "12.5"."""
    return format(plan.normalize(), "f")


def family_broadband(out, records, ctx):
    # Test order: by tested_at (stable), so that a unit's mean is summed in time order.
    records = sorted(records, key=lambda r: r["tested_at"])
    min_ratio = 0.9

    def judge(recs, plan):
        total = 0.0
        for r in recs:  # a plain running sum, left to right
            total += float(r["down_mbps"])
        # A relative tolerance of 1e-12, so that a mean of exactly 90 % complies whatever the
        # binary rounding of 0.9 × plan (0.9 × 13 = 11.700000000000001).
        return total / len(recs) >= min_ratio * float(plan) * (1 - 1e-12)

    units = {}
    for r in records:
        units.setdefault((r["operator"], r["line_id"], r["plan_down_mbps"]), []).append(r)
    unit_recs, month_recs = [], []
    for (operator, _, plan), recs in units.items():
        # Reading: the most frequent non-empty region of the unit's tests; a tie goes to the
        # smallest name (string order); a unit whose tests name none has no region.
        counts = {}
        for r in recs:
            if r["region"] is not None:
                counts[r["region"]] = counts.get(r["region"], 0) + 1
        region = min(counts, key=lambda x: (-counts[x], x)) if counts else None
        label = plan_label(plan)
        unit_recs.append({"operator": operator, "region": region, "plan": label,
                          "tests": len(recs), "compliant": judge(recs, plan)})
        # Reading: a month judges the unit on that month's tests alone.
        per_month = {}
        for r in recs:
            per_month.setdefault(r["month"], []).append(r)
        for month, mrecs in per_month.items():
            month_recs.append({"operator": operator, "month": month, "tests": len(mrecs),
                               "compliant": judge(mrecs, plan)})

    def figures(g, group_units):
        tests = sum(u["tests"] for u in group_units)
        lines = len(group_units)
        compliant = sum(1 for u in group_units if u["compliant"])
        out.emit("broadband_tests.tests", g, tests, tests)
        out.emit("broadband_tests.tested_lines", g, lines, lines)
        out.emit("broadband_tests.compliant_lines", g, compliant, lines)
        out.emit("broadband_tests.compliance_rate", g, ratio(compliant, lines), lines,
                 (">=", 0.95))

    breakdowns(out, unit_recs, [(), ("operator",), ("region",), ("plan",),
                                ("operator", "region"), ("operator", "plan")], figures)
    breakdowns(out, month_recs, [("month",), ("operator", "month")], figures)


SUBSCRIBER_COUNTS = ("mobile_users", "fixed_users", "broadband_users", "broadband_100m_users",
                     "terminal_5g_users", "registered_5g_users")
SUBSCRIBER_DIMS = [(), ("operator",), ("region",), ("operator", "region"), ("month",),
                   ("operator", "month")]


def subscriber_figures(subs, appeals, window):
    """The user base and the accepted appeals of each group for one period [from, to).

    Counts are stocks: a group without month takes, of each operator and region (empty region
    included), the rows of its own latest month in the period that has a count; a month group
    its own month's rows. Appeals are
    flows: every appeal received in the period (or in the group's month) counts. A negative or
    empty count is unknown. Returns ({group key: figures}, whether the period has appeals,
    whether some appeal of the period names its region)."""
    lo, hi = window
    rows = [r for r in subs if lo <= r["month_start"] < hi]
    apps = [r for r in appeals if lo <= r["received_at"] < hi]

    def given(r, col):
        return r[col] is not None and r[col] >= 0

    counted = [r for r in rows if any(given(r, c) for c in SUBSCRIBER_COUNTS)]
    latest = {}
    for r in counted:
        k = (r["operator"], r["region"])
        latest[k] = max(latest.get(k, r["month"]), r["month"])
    at_latest = [r for r in counted if r["month"] == latest[(r["operator"], r["region"])]]
    figures = {}
    for dims in SUBSCRIBER_DIMS:
        stock_rows = counted if "month" in dims else at_latest
        accepted = {}
        for key, recs in group_by(apps, dims).items():
            accepted[key] = sum(1 for r in recs if r["accepted"])
        for key, recs in group_by(stock_rows, dims).items():
            f = {"accepted": accepted.get(key, 0)}
            for c in SUBSCRIBER_COUNTS:
                vals = [r[c] for r in recs if given(r, c)]
                f[c] = sum(vals) if vals else None
            f["users"] = (None if f["mobile_users"] is None and f["fixed_users"] is None
                          else (f["mobile_users"] or 0) + (f["fixed_users"] or 0))
            for share, whole, part in (("broadband_100m_share", "broadband_users",
                                        "broadband_100m_users"),
                                       ("registration_5g_rate", "terminal_5g_users",
                                        "registered_5g_users")):
                both = [r for r in recs if given(r, whole) and given(r, part)]
                f[share] = (sum(r[part] for r in both), sum(r[whole] for r in both))
            figures[(dims, key)] = f
    return figures, bool(apps), any(r["region"] is not None for r in apps)


def family_subscribers(out, subs, appeals, ctx):
    # Reading: the previous period (环比) of the changes is the one the remediation baseline uses:
    # the previous half, quarter, month or year, or for --from/--to the same number of days.
    for r in subs:
        r["month_start"] = r.pop("_start")
    now, now_appeals, now_by_region = subscriber_figures(subs, appeals, ctx["window"])
    before, before_appeals, before_by_region = subscriber_figures(subs, appeals,
                                                                  ctx["baseline"])

    def per_million(f, dims, has_appeals, by_region):
        # Reading: "printed only when the data has both appeals and users for the group" = the
        # period holds any appeal (of any operator) and the group has users (> 0) at the period's
        # end, so a group with users but no appeal gets 0 with n 0; a region group only when
        # some appeal of the period names its region.
        if f is None or not has_appeals or not f["users"]:
            return None
        if "region" in dims and not by_region:
            return None
        return f["accepted"] * 1e6 / f["users"]

    for (dims, key), f in sorted(now.items()):
        g = dict(zip(dims, key))
        if f["users"] is not None:
            out.emit("subscribers.users", g, f["users"], f["users"])
        for c in SUBSCRIBER_COUNTS:
            if f[c] is not None:
                out.emit("subscribers." + c, g, f[c], f[c])
        for share in ("broadband_100m_share", "registration_5g_rate"):
            part, whole = f[share]
            if whole > 0:
                out.emit("subscribers." + share, g, part / whole, whole)
        if "operator" in dims and f["users"] is not None:
            pdims = tuple(d for d in dims if d != "operator")
            parent = now.get((pdims, tuple(g[d] for d in pdims)))
            if parent is not None and parent["users"]:
                out.emit("subscribers.users_share", g, f["users"] / parent["users"],
                         parent["users"])
        rate = per_million(f, dims, now_appeals, now_by_region)
        if rate is None:
            continue
        out.emit("appeals.per_million", g, rate, f["accepted"])
        if "month" in dims:
            continue
        prev = before.get((dims, key))
        prev_rate = per_million(prev, dims, before_appeals, before_by_region)
        if prev_rate:
            out.emit("appeals.per_million_change_prev", g, (rate - prev_rate) / prev_rate,
                     prev["accepted"])


# --------------------------------------------------------------------------------------------
# Periods and the run
# --------------------------------------------------------------------------------------------

def parse_period(text):
    """'2022H2', '2022Q4', '2022-11', '2022' -> (from_date, to_date)."""
    m = re.match(r"^(\d{4})H([12])$", text)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return dt.date(y, 1 if h == 1 else 7, 1), dt.date(y if h == 1 else y + 1,
                                                         7 if h == 1 else 1, 1)
    m = re.match(r"^(\d{4})Q([1-4])$", text)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
        return start, end
    m = re.match(r"^(\d{4})-(\d{2})$", text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return dt.date(y, mo, 1), dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
    m = re.match(r"^(\d{4})$", text)
    if m:
        y = int(m.group(1))
        return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
    raise SystemExit("tsq_reference: unknown period %r" % text)


def add_months(date, months):
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def preceding_period(period, from_date, to_date):
    """The preceding period of the same length (the remediation baseline): the previous half,
    quarter, month or year; for a custom range the same number of days just before it."""
    if period is None:
        return from_date - (to_date - from_date), from_date
    months = (to_date.year - from_date.year) * 12 + to_date.month - from_date.month
    return add_months(from_date, -months), from_date


def parse_as_of(text, tz_us):
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        text += " 00:00:00"
    try:
        return parse_ts(text, tz_us)
    except BadValue:
        raise SystemExit("tsq_reference: bad --as-of %r" % text)


def run(data_dir, period, as_of_text=None, tz_text="+08:00", from_text=None, to_text=None):
    if not os.path.isdir(data_dir):
        raise SystemExit("tsq_reference: %s is not a directory" % data_dir)
    tz_us = parse_offset(tz_text)
    clock = Clock(tz_us)
    if period:
        from_date, to_date = parse_period(period)
        base_from, base_to = preceding_period(period, from_date, to_date)
    else:
        from_date = dt.date.fromisoformat(from_text)
        to_date = dt.date.fromisoformat(to_text)
        # the label names the last day (--to is exclusive), as tsq prints it
        period = "%s..%s" % (from_date.isoformat(), (to_date - dt.timedelta(days=1)).isoformat())
        base_from, base_to = preceding_period(None, from_date, to_date)
    t_from, t_to = clock.utc_of_date(from_date), clock.utc_of_date(to_date)
    as_of = parse_as_of(as_of_text, tz_us) if as_of_text else t_to
    ctx = {"clock": clock, "as_of": as_of, "from_date": from_date, "to_date": to_date,
           "window": (t_from, t_to),
           "baseline": (clock.utc_of_date(base_from), clock.utc_of_date(base_to))}

    out = Out()
    stats = []
    families = [("orders", family_orders), ("calls", family_calls), ("sms", family_sms),
                ("billing", family_billing), ("complaints", family_complaints),
                ("appeals", None), ("hotline", family_hotline), ("porting", family_porting),
                ("speedtests", None), ("broadband_tests", family_broadband),
                ("subscribers", None)]
    all_appeals = []
    for rtype, fn in families:
        all_records = read_type(data_dir, rtype, tz_us, stats)
        start = START[rtype]
        for r in all_records:
            r["_start"] = r[start]
            r["month"] = clock.month(r[start])
        records = [r for r in all_records if t_from <= r["_start"] < t_to]
        if rtype == "appeals":
            all_appeals = all_records
            family_appeals(out, records, all_records, ctx)
        elif rtype == "subscribers":
            family_subscribers(out, all_records, all_appeals, ctx)
        elif rtype == "speedtests":
            family_speedtests(out, records, all_records, ctx)
        else:
            fn(out, records, ctx)

    return {"period": period, "from": clock.iso(t_from), "to": clock.iso(t_to),
            "as_of": clock.iso(as_of), "indicators": out.items, "_files": stats}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir")
    ap.add_argument("-p", "--period")
    ap.add_argument("--from", dest="from_date")
    ap.add_argument("--to", dest="to_date")
    ap.add_argument("--as-of")
    ap.add_argument("--tz", default="+08:00")
    ap.add_argument("-o", "--out")
    a = ap.parse_args(argv)
    if not a.period and not (a.from_date and a.to_date):
        ap.error("give --period or --from and --to")
    result = run(a.data_dir, a.period, a.as_of, a.tz, a.from_date, a.to_date)
    text = json.dumps(result, ensure_ascii=False)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
