#!/usr/bin/env python3
"""Recall and false-discovery share of the poor-cell detector (`tsq cells`) on planted cells.

For each test count N per cell and each seed it generates a province with
`tsq generate --cell-tests N` (every planted poor, still_poor, remediated and near_threshold cell
gets exactly N tests in the period, each bad with the cell's true share; decoy 5G cells 10-15 %
bad are planted too), runs `tsq cells DIR --format json` on it and compares the detector's
verdicts with truth.json:

  truly poor        planted intents poor and still_poor (true bad share 0.30-0.50)
  flagged           cells (not tiles) whose now.verdict is "poor"
  recall            |flagged and truly poor| / |truly poor|
  FDR               |flagged and not truly poor| / |flagged|   (false-discovery share)

and the flag rates of the decoys (true share 0.10-0.15), the near_threshold cells (0.25), the
remediated cells (<= 0.05) and the background cells measured (>= 20 tests; true share <= 0.13).
Counts are pooled over the seeds. "expected" is what the rule gives by the binomial law alone
for the cells' recorded true shares: the mean over the truly poor cells of P(Bin(N, p) >= k),
k being the fewest bad tests of N whose Wilson lower bound exceeds the threshold (for decoys,
near_threshold and remediated cells, the expected number flagged). It also checks that the
detector's verdict and remediation status of every planted cell, and its counts of measured and
poor cells, agree with truth.json; it exits with status 1 when they do not.

Python 3 standard library only. Example:

  bench/cells_recall.py                                   # N = 10 20 30 50 100, seeds 1-20
  bench/cells_recall.py --tsq build/release/src/cli/tsq --seeds 5 --markdown cells.md
"""

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

TRULY_POOR = ("poor", "still_poor")
# Rows of the flag-rate columns: (heading, what is counted).
GROUPS = ("truly_poor", "decoy", "near_threshold", "remediated", "background")


def wilson_lower(bad, n, z):
    if n <= 0:
        return 0.0
    p = bad / n
    z2 = z * z
    return (p + z2 / (2 * n) - z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n)


def min_bad_for_poor(n, rule):
    """The fewest bad tests of n that make a cell poor, or None (n below min_tests, or never)."""
    if n < rule["min_tests"]:
        return None
    for k in range(n + 1):
        if wilson_lower(k, n, rule["z"]) > rule["poor_share"]:
            return k
    return None


def binomial_tail(n, p, k):
    """P(Bin(n, p) >= k)."""
    if k is None:
        return 0.0
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def measure(tsq, n, seed, args, workdir):
    """One province: generate, detect, compare. Returns the counts of this run."""
    data = os.path.join(workdir, f"n{n}-seed{seed}")
    run([tsq, "generate", "--out", data, "--scale", str(args.scale), "--seed", str(seed),
         "--period", args.period, "--cell-tests", str(n), "--no-progress"])
    out = json.loads(run([tsq, "cells", data, "-p", args.period, "--format", "json",
                          "--no-progress"]))
    with open(os.path.join(data, "truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    shutil.rmtree(data)

    rule = out["rule"]
    assert truth["cells"]["cell_tests"] == n
    k = min_bad_for_poor(n, rule)
    planted = {(c["operator"], c["rat"], c["cell_id"]): c for c in truth["cells"]["planted"]}
    detected = {}
    tiles_flagged = 0
    for c in out["cells"]:
        verdict = c["now"]["verdict"] if c["now"] else "no_tests"
        if c["kind"] != "cell":
            tiles_flagged += verdict == "poor"
            continue
        detected[(c["operator"], c["rat"], c["id"])] = c

    counts = {g: [0, 0] for g in GROUPS}  # group -> [cells, flagged]
    expected = {g: 0.0 for g in GROUPS}
    flagged_total = 0
    false_by_group = {}
    disagreements = []
    for key, c in detected.items():
        now = c["now"]
        flagged = now is not None and now["verdict"] == "poor"
        flagged_total += flagged
        p = planted.get(key)
        if p is None:
            if now is not None and now["tests"] >= rule["min_tests"]:
                counts["background"][0] += 1
                counts["background"][1] += flagged
            if flagged:
                false_by_group["background"] = false_by_group.get("background", 0) + 1
            continue
        intent = p["intent"]
        group = "truly_poor" if intent in TRULY_POOR else intent
        if flagged and group != "truly_poor":
            false_by_group[intent] = false_by_group.get(intent, 0) + 1
        if group in counts:
            counts[group][0] += 1
            counts[group][1] += flagged
            if p["true_bad_share"] is not None:
                expected[group] += binomial_tail(n, p["true_bad_share"], k)
        # The detector against truth.json: the verdict, and the remediation status.
        want_remediation = p["status"] if p["status"] in (
            "remediated", "still_poor", "unverified") else None
        if flagged != p["period"]["poor"] or c["remediation"] != want_remediation:
            disagreements.append(
                f"seed {seed} N {n} {'/'.join(key)} ({intent}): detector {now and now['verdict']}"
                f" {c['remediation']}, truth period.poor {p['period']['poor']} status {p['status']}")
    for key, p in planted.items():
        if key not in detected and p["period"]["tests"] > 0:
            disagreements.append(f"seed {seed} N {n} {'/'.join(key)}: not in tsq cells")
    # Background cells are not listed in truth.json, but its totals count them.
    total = next(s for s in truth["cells"]["summary"] if not s["group"])
    measured = sum(1 for c in detected.values()
                   if c["now"] is not None and c["now"]["tests"] >= rule["min_tests"])
    if (flagged_total, measured) != (total["poor_cells"], total["measured_cells"]):
        disagreements.append(
            f"seed {seed} N {n}: tsq cells flags {flagged_total} of {measured} measured cells, "
            f"truth.json {total['poor_cells']} of {total['measured_cells']}")
    return {"counts": counts, "expected": expected, "flagged": flagged_total,
            "false_by_group": false_by_group, "tiles_flagged": tiles_flagged,
            "disagreements": disagreements, "min_bad": k, "rule": rule}


def share(num, den):
    return num / den if den else None


def fmt_share(v, digits=2):
    return "—" if v is None else f"{v:.{digits}f}"


def fmt_rate(flagged, cells, expected=None, digits=3):
    text = f"{fmt_share(share(flagged, cells), digits)} ({flagged}/{cells}"
    return text + ("" if expected is None else f"; exp. {expected:.1f}") + ")"


def parse_seeds(text):
    if "-" in text:
        lo, hi = text.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    if "," in text:
        return [int(s) for s in text.split(",")]
    return list(range(1, int(text) + 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tsq", default="build/release/src/cli/tsq", help="the tsq binary")
    ap.add_argument("--n", default="10,20,30,50,100",
                    help="test counts per cell, comma-separated (default: 10,20,30,50,100)")
    ap.add_argument("--seeds", default="20",
                    help="seeds: a count (20 = seeds 1-20, the default), a range 3-7 or a list")
    ap.add_argument("--scale", type=float, default=1.0, help="generator scale (default 1)")
    ap.add_argument("--period", default="2022H2")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--tmp", help="where to generate (default: the system's temporary directory)")
    args = ap.parse_args()

    tsq = shutil.which(args.tsq) or args.tsq
    if not os.access(tsq, os.X_OK):
        sys.exit(f"{args.tsq}: no such executable (build the release preset, or pass --tsq)")
    ns = [int(s) for s in args.n.split(",")]
    seeds = parse_seeds(args.seeds)
    version = run([tsq, "--version"]).strip()

    started = time.monotonic()
    rows = []
    disagreements = []
    with tempfile.TemporaryDirectory(prefix="tsq-cells-recall-", dir=args.tmp) as workdir:
        for n in ns:
            total = {g: [0, 0] for g in GROUPS}
            expected = {g: 0.0 for g in GROUPS}
            flagged = 0
            false_by_group = {}
            tiles_flagged = 0
            for seed in seeds:
                r = measure(tsq, n, seed, args, workdir)
                for g in GROUPS:
                    total[g][0] += r["counts"][g][0]
                    total[g][1] += r["counts"][g][1]
                    expected[g] += r["expected"][g]
                flagged += r["flagged"]
                for g, v in r["false_by_group"].items():
                    false_by_group[g] = false_by_group.get(g, 0) + v
                tiles_flagged += r["tiles_flagged"]
                disagreements += r["disagreements"]
                print(f"  N={n} seed={seed}: truly poor {r['counts']['truly_poor'][0]}, "
                      f"found {r['counts']['truly_poor'][1]}, flagged {r['flagged']}",
                      file=sys.stderr)
            tp = total["truly_poor"]
            rows.append({"n": n, "min_bad": r["min_bad"], "total": total, "expected": expected,
                         "flagged": flagged, "false": flagged - tp[1],
                         "false_by_group": false_by_group, "tiles_flagged": tiles_flagged,
                         "recall": share(tp[1], tp[0]), "fdr": share(flagged - tp[1], flagged)})
    seconds = time.monotonic() - started
    rule = r["rule"]

    header = ["N", "poor if bad ≥", "truly poor", "flagged", "recall", "expected recall",
              "FDR", "false (by intent)", "decoys flagged", "near_threshold flagged",
              "remediated flagged", "background flagged (measured)"]
    table = []
    for row in rows:
        t, e = row["total"], row["expected"]
        fb = ", ".join(f"{g} {v}" for g, v in sorted(row["false_by_group"].items())) or "—"
        table.append([
            str(row["n"]),
            "—" if row["min_bad"] is None else f"{row['min_bad']} of {row['n']}",
            str(t["truly_poor"][0]), str(row["flagged"]), fmt_share(row["recall"], 3),
            fmt_share(share(e["truly_poor"], t["truly_poor"][0]), 3),
            fmt_share(row["fdr"], 3), fb,
            fmt_rate(t["decoy"][1], t["decoy"][0], e["decoy"]),
            fmt_rate(t["near_threshold"][1], t["near_threshold"][0], e["near_threshold"]),
            fmt_rate(t["remediated"][1], t["remediated"][0], e["remediated"]),
            fmt_rate(t["background"][1], t["background"][0], digits=4),
        ])

    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for r in table:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    print(f"\n{len(seeds)} seeds ({args.scale:g} scale, {args.period}) per N, {version}, "
          f"{seconds:.0f} s")
    if any(row["tiles_flagged"] for row in rows):
        print("tiles flagged: " + ", ".join(f"N={row['n']} {row['tiles_flagged']}"
                                            for row in rows))
    if disagreements:
        print(f"\n{len(disagreements)} disagreements between tsq cells and truth.json:")
        for d in disagreements[:50]:
            print("  " + d)
    else:
        print("tsq cells agrees with truth.json: every planted cell's verdict and remediation "
              "status, and the numbers of measured and poor cells")

    if args.markdown:
        cpus = os.cpu_count()
        model = ""
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("model name"):
                        model = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
        lines = [
            f"{datetime.date.today().isoformat()}, {version}, {platform.system()} "
            f"{platform.machine()}, {cpus} CPUs{' (' + model + ')' if model else ''}; "
            f"`bench/cells_recall.py --n {args.n} --seeds {args.seeds} --scale {args.scale:g} "
            f"--period {args.period}` ({seconds:.0f} s). Seeds {seeds[0]}–{seeds[-1]}"
            f" pooled; rule: ≥ {rule['min_tests']} tests, one-sided Wilson lower bound "
            f"(z = {rule['z']:.3f}) above {rule['poor_share']:g}.",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---:" if i != 7 else "---" for i in range(len(header))) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in table]
        lines.append("")
        if disagreements:
            lines.append(f"{len(disagreements)} disagreements between `tsq cells` and "
                         "truth.json (first ones):")
            lines += [f"- {d}" for d in disagreements[:20]]
        else:
            lines.append("In every run `tsq cells` agreed with truth.json: every planted cell's "
                         "verdict and remediation status, and the numbers of measured and poor "
                         "cells.")
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
