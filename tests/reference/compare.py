#!/usr/bin/env python3
"""Compare `tsq kpi --format json` with the reference implementation's output.

Usage: compare.py TSQ_JSON REF_JSON [--examples N]

For every (id, group) in either file (record types the reference covers): present in both,
values equal within 1e-9 relative (or both null), n equal, the same target (or none) and the
same verdict (or none). Prints a summary of the differences (count per id and kind, the first examples) and
exits 1 on any difference, 0 when everything agrees. Also reports (for information) ids that
tsq prints but the spec does not define, and ids the spec defines that appear in neither file.
"""

import argparse
import json
import re
import sys
from collections import defaultdict

# Record types the reference implements; tsq's figures of other types are only counted.
COVERED = ("orders", "calls", "sms", "billing", "complaints", "appeals", "hotline", "porting",
           "speedtests", "broadband_tests", "subscribers")

REL_TOL = 1e-9
ABS_TOL = 1e-12

# Known differences that are accepted for now: (id regex, reason). Keep this empty: a
# difference is either a reference bug (fix the reference) or a tsq bug (leave the test failing
# and report it). Only ever add an entry with a link to the issue that tracks it.
KNOWN = []

ORDER_NAMES = ("count", "completed", "open", "on_time", "open_overdue", "overdue", "timely_rate",
               "avg_hours", "max_hours")
ORDER_NAMES_NO_LIMIT = ("count", "completed", "open", "avg_hours", "max_hours")

# The ids of Appendix A (indicators.md), with category/channel figures under the plain id.
SPEC_IDS = set()
for _n in ("attempts", "connected", "answered", "dropped", "congested", "busy_hour_attempts",
           "connect_rate", "connect_rate_busy_hour", "drop_rate", "congestion_rate",
           "answer_rate", "avg_talk_s"):
    SPEC_IDS.add("calls." + _n)
for _n in ("messages", "delivered", "failed", "blocked", "delivery_rate", "avg_delay_min",
           "timely_rate"):
    SPEC_IDS.add("sms." + _n)
for _n in ("records", "errors", "error_rate", "amount_cny", "error_amount_cny",
           "error_amount_rate"):
    SPEC_IDS.add("billing." + _n)
for _n in ("count", "closed", "open", "on_time", "open_overdue", "overdue", "avg_hours",
           "timely_rate", "surveyed", "satisfied", "satisfaction_rate", "resolved",
           "resolution_rate", "share", "channel_missing.count"):
    SPEC_IDS.add("complaints." + _n)
for _n in ("received", "accepted", "settled", "settlement_rate", "accepted_prev_year",
           "accepted_change_yoy", "share", "accepted_share", "user_service", "network_quality",
           "billing_dispute", "accepted_change_prev", "per_million", "per_million_change_prev"):
    SPEC_IDS.add("appeals." + _n)
for _p in ("hotline.", "hotline.elderly."):
    for _n in ("human_requested", "human_answered", "human_answer_rate", "abandon_rate",
               "answered_within_15s", "answered_within_15s_rate", "avg_response_s",
               "avg_response_s.worst_month", "avg_response_s.pooled"):
        SPEC_IDS.add(_p + _n)
SPEC_IDS.update(("hotline.calls", "hotline.elderly.count"))
for _n in ("requests", "completed", "rejected", "cancelled", "pending", "completion_rate",
           "avg_hours", "on_time", "open_overdue", "timely_rate", "rejected_by_reason"):
    SPEC_IDS.add("porting." + _n)
for _n in ("tests", "bad_tests", "bad_share", "median_down_mbps", "p10_down_mbps",
           "measured_cells", "poor_cells", "poor_share", "baseline_poor_cells",
           "remediated_cells", "unverified_cells", "still_poor_cells", "remediation_rate"):
    SPEC_IDS.add("speedtests." + _n)
for _n in ("tests", "tested_lines", "compliant_lines", "compliance_rate"):
    SPEC_IDS.add("broadband_tests." + _n)
for _n in ("users", "mobile_users", "fixed_users", "broadband_users", "broadband_100m_users",
           "terminal_5g_users", "registered_5g_users", "users_share", "broadband_100m_share",
           "registration_5g_rate"):
    SPEC_IDS.add("subscribers." + _n)
ORDER_ID = re.compile(r"^orders\.(mobile|broadband|fixed|iptv)\."
                      r"(change|restore|repair|install|move)\.(%s)$" % "|".join(ORDER_NAMES))


def target_of(entry):
    """The target as the spec shapes it: {op, value}; tsq also says where it comes from
    (`basis`), which the reference does not judge."""
    t = entry.get("target")
    return None if t is None else {"op": t.get("op"), "value": t.get("value")}


def spec_defines(iid):
    return iid in SPEC_IDS or bool(ORDER_ID.match(iid))


def family(iid):
    return iid.split(".", 1)[0]


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    items = {}
    dups = []
    for it in doc.get("indicators", []):
        key = (it["id"], tuple(sorted(it.get("group", {}).items())))
        if key in items:
            dups.append(key)
        items[key] = it
    return doc, items, dups


def fmt_group(g):
    return "{" + ", ".join("%s=%s" % kv for kv in g) + "}" if g else "{}"


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    return abs(a - b) <= max(REL_TOL * max(abs(a), abs(b)), ABS_TOL)


def known(iid):
    for pattern, _ in KNOWN:
        if re.match(pattern, iid):
            return True
    return False


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("tsq_json")
    ap.add_argument("ref_json")
    ap.add_argument("--examples", type=int, default=3)
    a = ap.parse_args(argv)

    tdoc, tsq, tdups = load(a.tsq_json)
    rdoc, ref, rdups = load(a.ref_json)

    diffs = defaultdict(list)  # (id, kind) -> [text]
    for field in ("period", "from", "to", "as_of"):
        if tdoc.get(field) != rdoc.get(field):
            diffs[("<header>", field)].append("tsq %r, reference %r"
                                              % (tdoc.get(field), rdoc.get(field)))
    for name, dups in (("tsq", tdups), ("reference", rdups)):
        for iid, g in dups:
            diffs[(iid, "duplicate in " + name)].append(fmt_group(g))

    compared = values_equal = 0
    not_covered = defaultdict(int)
    known_skipped = 0
    for key in sorted(set(tsq) | set(ref)):
        iid, g = key
        if family(iid) not in COVERED:
            not_covered[family(iid)] += 1
            continue
        if known(iid):
            known_skipped += 1
            continue
        t, r = tsq.get(key), ref.get(key)
        where = "%s %s" % (iid, fmt_group(g))
        if t is None:
            diffs[(iid, "missing in tsq")].append("%s: reference value %r n %r"
                                                 % (where, r["value"], r["n"]))
            continue
        if r is None:
            diffs[(iid, "missing in reference")].append("%s: tsq value %r n %r"
                                                       % (where, t["value"], t["n"]))
            continue
        compared += 1
        ok = True
        if not close(t.get("value"), r.get("value")):
            diffs[(iid, "value")].append("%s: tsq %r, reference %r (n tsq %r, ref %r)"
                                         % (where, t.get("value"), r.get("value"), t.get("n"),
                                            r.get("n")))
            ok = False
        if t.get("n") != r.get("n"):
            diffs[(iid, "n")].append("%s: tsq n %r, reference n %r (value %r)"
                                     % (where, t.get("n"), r.get("n"), t.get("value")))
            ok = False
        if target_of(t) != target_of(r):
            diffs[(iid, "target")].append("%s: tsq %r, reference %r"
                                          % (where, t.get("target"), r.get("target")))
            ok = False
        if t.get("verdict") != r.get("verdict"):
            diffs[(iid, "verdict")].append("%s: tsq %s, reference %s (value %r)"
                                           % (where, t["verdict"], r["verdict"], t.get("value")))
            ok = False
        values_equal += ok

    # Informational: ids outside the spec, and spec ids in neither output.
    tsq_ids = {k[0] for k in tsq}
    ref_ids = {k[0] for k in ref}
    extra = sorted(i for i in tsq_ids if not spec_defines(i))
    pairs = {m.group(1, 2) for i in tsq_ids | ref_ids for m in [ORDER_ID.match(i)] if m}
    present = {family(i) for i in tsq_ids | ref_ids}
    expected = {i for i in SPEC_IDS if family(i) in COVERED and family(i) in present}
    for service, kind in pairs:
        names = ORDER_NAMES if any(
            ("orders.%s.%s.timely_rate" % (service, kind)) in ids for ids in (tsq_ids, ref_ids)
        ) else ORDER_NAMES_NO_LIMIT
        expected.update("orders.%s.%s.%s" % (service, kind, n) for n in names)
    absent = sorted(expected - tsq_ids - ref_ids)

    ndiff = sum(len(v) for v in diffs.values())
    print("compared %d (id, group) figures present in both: %d agree, %d differ"
          % (compared, values_equal, compared - values_equal))
    if not_covered:
        print("not compared (record types the reference does not cover yet): "
              + ", ".join("%s %d" % kv for kv in sorted(not_covered.items())))
    if known_skipped:
        print("skipped as known differences: %d" % known_skipped)
    if extra:
        print("info: ids tsq prints that the spec does not define: " + ", ".join(extra))
    if absent:
        print("info: ids the spec defines that appear in neither output: " + ", ".join(absent))
    if not diffs:
        print("OK: no differences")
        return 0
    print("DIFFERENCES: %d in %d (id, kind) classes" % (ndiff, len(diffs)))
    for (iid, kind), texts in sorted(diffs.items()):
        print("  %-55s %-22s %6d" % (iid, kind, len(texts)))
        for text in texts[:a.examples]:
            print("      " + text)
    return 1


if __name__ == "__main__":
    sys.exit(main())
