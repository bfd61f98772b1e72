#!/usr/bin/env python3
"""Peak memory and time of `tsq callers` per million distinct callers, in memory and spilling.

`tsq generate` plants a province's behaviour, not its size in callers (its subscriber sample is
small), so this writes plain calls files with many callers: N million numbers, each placing
--calls-per-caller calls (20 or more get judged) to random numbers over the half-year, one file
per N. It then runs `tsq callers DIR --period 2022H2 --format json --threads T --memory-mb M` under
GNU time for each N and each memory budget M and reports wall time, peak RSS, peak RSS per
million callers and what was spilled to disk.

Python 3 standard library only. Example:

  bench/callers_memory.py --tsq build/release/src/cli/tsq --callers 1,2 --memory-mb 512,64
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile


def write_calls(path, callers, per_caller, seed):
    rng = random.Random(seed)
    ops = ["移动", "联通", "电信"]
    regions = ["长春", "吉林", "四平", "延边"]
    base = 1_700_000_000  # numbers 1-3 billion apart from the callees' range
    start = 1656604800  # 2022-07-01 00:00 +08:00 as a UTC epoch second
    span = 184 * 86400
    with open(path, "w", encoding="utf-8") as f:
        f.write("start_time,caller,callee,operator,region,cell_id,rat,outcome,duration_s,dropped,"
                "caller_imei\n")
        for i in range(callers):
            caller = f"1{base + i:010d}"
            op = ops[i % 3]
            region = regions[i % 4]
            imei = f"86{i:013d}"
            for _ in range(per_caller):
                t = start + rng.randrange(span) + 8 * 3600
                day, sec = divmod(t, 86400)
                y, m, d = civil(day)
                hh, rem = divmod(sec, 3600)
                mm, ss = divmod(rem, 60)
                callee = f"1{rng.randrange(3_000_000_000, 9_000_000_000):010d}"
                answered = rng.random() < 0.7
                f.write(f"{y:04d}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d},{caller},{callee},"
                        f"{op},{region},C{i % 500},4G,"
                        f"{'answered' if answered else 'no_answer'},"
                        f"{rng.randrange(5, 300) if answered else ''},{'0' if answered else ''},"
                        f"{imei}\n")


def civil(days):  # days since 1970-01-01 -> (y, m, d), Howard Hinnant's algorithm
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tsq", default="build/release/src/cli/tsq")
    ap.add_argument("--callers", default="1,2", help="millions of callers, comma-separated")
    ap.add_argument("--calls-per-caller", type=int, default=20)
    ap.add_argument("--memory-mb", default="512,64", help="tsq --memory-mb values to try")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", help="where the calls files go (default: a temporary directory)")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="tsq-callers-memory-")
    print(f"| callers | calls | CSV MB | --memory-mb | wall s | peak RSS MB | MB per M callers "
          f"| spilled MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|")
    for millions in [float(x) for x in a.callers.split(",")]:
        n = int(millions * 1_000_000)
        d = os.path.join(work, f"c{n}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "calls.csv")
        if not os.path.exists(path):
            write_calls(path, n, a.calls_per_caller, seed=n)
        size_mb = os.path.getsize(path) / 1e6
        for budget in [int(x) for x in a.memory_mb.split(",")]:
            cmd = ["/usr/bin/time", "-v", a.tsq, "callers", d, "--period", "2022H2", "--format",
                   "json", "--threads", str(a.threads), "--memory-mb", str(budget),
                   "--no-progress"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                sys.exit(f"callers_memory: {' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
            j = json.loads(p.stdout)
            rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)[1]) / 1024
            m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
            wall = int(m[1] or 0) * 3600 + int(m[2]) * 60 + float(m[3])
            print(f"| {j['callers']:,} | {n * a.calls_per_caller:,} | {size_mb:.0f} | {budget} | "
                  f"{wall:.1f} | {rss:.0f} | {rss / millions:.0f} | "
                  f"{j['spilled_bytes'] / 1e6:.0f} |", flush=True)
    if not a.work:
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
