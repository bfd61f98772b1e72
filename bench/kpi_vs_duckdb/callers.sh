#!/usr/bin/env bash
# Side-by-side benchmark: `tsq callers` against DuckDB computing the per-caller aggregates of the
# same calls files (duckdb_callers.mjs), on N threads; wall time, CPU and peak memory of each,
# and the aggregates of every number tsq lists checked against DuckDB's. See bench/README.md
# ("tsq callers vs DuckDB").
#
#   bench/kpi_vs_duckdb/callers.sh [--scale 10] [--threads 2] [--repeat 3] [--memory-mb 512]
#
# Options:
#   --scale S        generated data size (1 = about 1 M records in the period); default 10
#   --threads N      worker threads for both sides; default 2
#   --repeat R       timed runs of each, the median is reported; default 3
#   --memory-mb M    tsq's in-memory budget per worker before it spills (tsq --memory-mb)
#   --tsq PATH       use this tsq binary instead of building the release preset
#   --data DIR       use this data directory instead of generating one
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
scale=10 threads=2 repeat=3 period=2022H2 seed=1 tsq="" data="" memory=""
die() { echo "callers.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --memory-mb) memory=${2:?}; shift 2 ;;
    --tsq) tsq=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed: apt-get install time"
if [[ -z $tsq ]]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target tsq) ||
    die "building tsq failed"
  tsq=$root/build/release/src/cli/tsq
fi
if [[ ! -d $here/node_modules/@duckdb/node-api ]]; then
  (cd "$here" && npm ci --no-audit --no-fund) || die "npm ci failed"
fi
if [[ -z $data ]]; then
  data=$root/build/bench-data/s${scale}-seed${seed}-${period}
  if [[ ! -f $data/.complete ]]; then
    rm -rf "$data" && mkdir -p "$data"
    "$tsq" generate --out "$data" --scale "$scale" --seed "$seed" --period "$period" --no-progress ||
      die "tsq generate failed"
    echo "tsq generate --out $data --scale $scale --seed $seed --period $period" > "$data/.complete"
  fi
fi
data=$(cd "$data" && pwd)
mapfile -t calls_files < <(cd "$data" && ls | grep -E '^calls(-.+)?\.csv(\.gz|\.zst)?$' | sort)
[[ ${#calls_files[@]} -gt 0 ]] || die "$data: no calls files"
calls_dir=$data.calls-only
rm -rf "$calls_dir" && mkdir -p "$calls_dir"
for f in "${calls_files[@]}"; do ln -s "$data/$f" "$calls_dir/$f"; done
res=$root/build/bench-results/callers_vs_duckdb/$(basename "$data")-t${threads}-$(date +%Y%m%dT%H%M%S)
mkdir -p "$res"
rows=0 bytes=0
for f in "${calls_files[@]}"; do
  bytes=$(( bytes + $(stat -L -c %s "$data/$f") ))
  case "$f" in
    *.gz) l=$(gzip -dc "$data/$f" | wc -l) ;;
    *.zst) l=$(zstd -qdc "$data/$f" | wc -l) ;;
    *) l=$(wc -l < "$data/$f") ;;
  esac
  rows=$(( rows + l - 1 ))
done

tsq_cmd=("$tsq" callers "$calls_dir" --period "$period" --all --format csv --show-numbers
  --threads "$threads" --no-progress ${memory:+--memory-mb "$memory"})
duck_cmd=(node "$here/duckdb_callers.mjs" "$calls_dir" --period "$period" --threads "$threads" --quiet)
{
  echo "tsq: $tsq ($("$tsq" --version)), commit $(git -C "$root" rev-parse --short HEAD)"
  echo "duckdb: @duckdb/node-api $(node -p "require('$here/node_modules/@duckdb/node-api/package.json').version"), node $(node --version)"
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "data: $data: $rows call rows, $bytes bytes"
  echo "tsq:    $(printf '%q ' "${tsq_cmd[@]}")"
  echo "duckdb: $(printf '%q ' "${duck_cmd[@]}")"
} | tee "$res/setup.txt"
run() {  # name rep
  local -n cmd=$1
  /usr/bin/time -v -o "$res/$1-$2.time" "${cmd[@]}" > "$res/$1-$2.csv" 2> "$res/$1-$2.err" ||
    { tail -5 "$res/$1-$2.err" >&2; die "$1 failed"; }
}
echo "== warm-up (untimed): tsq, duckdb"
run tsq_cmd warmup
run duck_cmd warmup
for ((r = 1; r <= repeat; ++r)); do
  echo "== run $r/$repeat"
  run tsq_cmd "$r"
  run duck_cmd "$r"
done
python3 - "$res" "$repeat" "$rows" "$bytes" <<'PY'
import csv, re, statistics, sys
res, repeat, rows, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def stat(name):
    wall, rss, cpu = [], [], []
    for r in range(1, repeat + 1):
        t = open(f"{res}/{name}-{r}.time").read()
        m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
        wall.append(int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024)
        cpu.append(float(re.search(r"User time.*: ([\d.]+)", t).group(1)) +
                   float(re.search(r"System time.*: ([\d.]+)", t).group(1)))
    return statistics.median(wall), statistics.median(cpu), statistics.median(rss)
# Every number tsq lists: its aggregates as DuckDB computes them.
duck = {r["caller"]: r for r in csv.DictReader(open(f"{res}/duck_cmd-{repeat}.csv"))}
names = {"calls": "calls", "calls_in": "calls_in", "distinct_callees": "distinct_callees",
         "active_days": "active_days", "imeis": "imeis", "cells": "cells"}
bad, checked = [], 0
for r in csv.DictReader(open(f"{res}/tsq_cmd-{repeat}.csv")):
    d = duck.get(r["caller"])
    if d is None:
        bad.append(f"{r['caller']}: not in DuckDB's result")
        continue
    checked += 1
    for k in names:
        if int(float(r[k])) != int(d[k]):
            bad.append(f"{r['caller']} {k}: tsq {r[k]}, duckdb {d[k]}")
    back = round(float(r["callback_ratio"]) * int(d["distinct_callees"]))
    if back != int(d["callees_who_called_back"]):
        bad.append(f"{r['caller']} call-backs: tsq {back}, duckdb {d['callees_who_called_back']}")
    answer = round(float(r["answer_rate"]) * int(d["calls"]))
    if answer != int(d["answered"]):
        bad.append(f"{r['caller']} answered: tsq {answer}, duckdb {d['answered']}")
out = ["| | wall s | CPU s | peak RSS MB | calls rows/s | MB/s |", "|---|---:|---:|---:|---:|---:|"]
stats = {}
for name, label in [("tsq_cmd", "tsq callers"), ("duck_cmd", "DuckDB per-caller aggregates")]:
    w, c, m = stats[name] = stat(name)
    out.append(f"| {label} | {w:.2f} | {c:.2f} | {m:.0f} | {rows / w:,.0f} | {size / w / 1e6:.1f} |")
tw, _, tm = stats["tsq_cmd"]
dw, _, dm = stats["duck_cmd"]
out.append("")
out.append(f"{rows:,} call rows, {size / 1e6:.0f} MB; medians of {repeat} runs. DuckDB / tsq: "
           f"wall {dw / tw:.2f}x, peak memory {dm / tm:.2f}x. {checked} listed numbers checked "
           f"against DuckDB ({len(duck):,} numbers with 20+ calls): {len(bad)} differences.")
print("\n".join(out))
open(f"{res}/summary.md", "w").write("\n".join(out) + "\n")
if bad:
    print("\n".join(bad[:20]), file=sys.stderr)
    sys.exit(1)
PY
echo "results: $res"
