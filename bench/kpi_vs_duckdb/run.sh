#!/usr/bin/env bash
# Side-by-side benchmark: `tsq kpi` against DuckDB computing the same calls indicators over the
# same generated files, on N threads. See bench/README.md ("tsq kpi vs DuckDB").
#
#   bench/kpi_vs_duckdb/run.sh [--scale 100] [--threads 2] [--repeat 3]
#
# Options:
#   --scale S        generated data size (1 = about 1 M records in the period); default 100
#   --threads N      worker threads for both sides (tsq --threads, DuckDB SET threads); default 2
#   --repeat R       timed runs of each variant, the median is reported; default 3
#   --period P       default 2022H2
#   --warmup W       runs (default): run each tool once untimed first, so that both see the same
#                    warm page cache; none: no warm-up (the first timed run reads from disk)
#   --tsq PATH       use this tsq binary instead of building the release preset
#   --data DIR       use this data directory instead of generating one (development only)
#   --no-full        skip the second tsq variant (all indicators over the whole data set)
#   --no-plain       skip DuckDB's --plain variant (a faster reading valid for generated data only)
#   --no-scan        skip the scan floor (N threads reading the calls files and counting lines)
#
# Exits non-zero when any value of tsq and DuckDB differ (ids, groups, n, value within 1e-9
# relative), after printing the differences.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

scale=100
threads=2
repeat=3
period=2022H2
seed=1
warmup=runs
tsq=""
data=""
full=1
plain=1
scan=1

die() { echo "run.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --period) period=${2:?}; shift 2 ;;
    --warmup) warmup=${2:?}; shift 2 ;;
    --tsq) tsq=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --no-full) full=0; shift ;;
    --no-plain) plain=0; shift ;;
    --no-scan) scan=0; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "--repeat must be a positive integer"
[[ $warmup == runs || $warmup == none ]] || die "--warmup is runs or none"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed: apt-get install time"
command -v node >/dev/null || die "node (20 or later) is needed"

# 1. tsq, release preset.
tsq_given=$tsq
if [[ -z $tsq ]]; then
  echo "== building tsq (release preset)"
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target tsq) ||
    die "building tsq failed"
  tsq=$root/build/release/src/cli/tsq
fi
[[ -x $tsq ]] || die "$tsq: not an executable"
tsq=$(cd "$(dirname "$tsq")" && pwd)/$(basename "$tsq")

# 2. DuckDB (bench-only npm dependency, pinned by package-lock.json).
if [[ ! -d $here/node_modules/@duckdb/node-api ]]; then
  echo "== npm ci (bench/kpi_vs_duckdb)"
  (cd "$here" && npm ci --no-audit --no-fund) || die "npm ci failed"
fi

# 2b. The scan floor (bench/kpi_vs_duckdb/scan_floor.cpp), compiled here: what reading the bytes
#     and finding the line breaks costs, the least any CSV reader must do.
if [[ $scan == 1 ]]; then
  scan_bin=$root/build/bench-tools/scan_floor
  if [[ ! -x $scan_bin || $here/scan_floor.cpp -nt $scan_bin ]]; then
    mkdir -p "$(dirname "$scan_bin")"
    g++ -std=c++20 -O3 -pthread "$here/scan_floor.cpp" -o "$scan_bin" || die "building scan_floor failed"
  fi
fi

# 3. Data: generated once per scale/seed/period under build/bench-data (never committed).
if [[ -z $data ]]; then
  data=$root/build/bench-data/s${scale}-seed${seed}-${period}
  if [[ ! -f $data/.complete ]]; then
    avail_kb=$(df -Pk "$root/build" 2>/dev/null | awk 'NR == 2 { print $4 }' || echo 0)
    echo "== generating data: scale $scale, seed $seed, period $period -> $data" \
         "($(( avail_kb / 1024 / 1024 )) GiB free; scale 100 needs about 10 GB)"
    rm -rf "$data"
    mkdir -p "$data"
    "$tsq" generate --out "$data" --scale "$scale" --seed "$seed" --period "$period" --no-progress ||
      die "tsq generate failed"
    echo "tsq generate --out $data --scale $scale --seed $seed --period $period" > "$data/.complete"
  fi
fi
[[ -d $data ]] || die "$data: no such directory"
data=$(cd "$data" && pwd)

# The calls files, and a directory holding only them (symbolic links): `tsq kpi --id 'calls.*'`
# filters what it prints, not what it reads, so the like-for-like run points tsq at the calls
# files alone, as DuckDB reads them alone.
mapfile -t calls_files < <(cd "$data" && ls | grep -E '^calls(-.+)?\.csv(\.gz|\.zst)?$' | sort)
[[ ${#calls_files[@]} -gt 0 ]] || die "$data: no calls.csv or calls-*.csv[.gz|.zst]"
calls_dir=$data.calls-only
rm -rf "$calls_dir"
mkdir -p "$calls_dir"
for f in "${calls_files[@]}"; do ln -s "$data/$f" "$calls_dir/$f"; done

label=s${scale}
[[ $data == "$root/build/bench-data/s${scale}-seed${seed}-${period}" ]] || label=$(basename "$data")
res=$root/build/bench-results/kpi_vs_duckdb/${label}-t${threads}-$(date +%Y%m%dT%H%M%S)
mkdir -p "$res"

# 4. Size of the calls data: bytes on disk, bytes and rows once decompressed (no calls field
#    holds a line break, so rows = lines - 1 per file).
echo "== measuring the calls data (${#calls_files[@]} file(s))"
rows=0 disk_bytes=0 text_bytes=0
for f in "${calls_files[@]}"; do
  p=$data/$f
  disk_bytes=$(( disk_bytes + $(stat -L -c %s "$p") ))
  case "$f" in
    *.gz) read -r l c < <(gzip -dc "$p" | wc -lc) ;;
    *.zst) read -r l c < <(zstd -qdc "$p" | wc -lc) ;;
    *) read -r l c < <(wc -lc < "$p") ;;
  esac
  rows=$(( rows + l - 1 )) text_bytes=$(( text_bytes + c ))
done
all_bytes=$(find -L "$data" -maxdepth 1 -type f ! -name '.*' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')
printf 'rows\t%s\ndisk_bytes\t%s\ntext_bytes\t%s\nall_bytes\t%s\n' \
  "$rows" "$disk_bytes" "$text_bytes" "$all_bytes" > "$res/data.tsv"

# 5. The commands.
tsq_calls=("$tsq" kpi "$calls_dir" --period "$period" --id 'calls.*' --format json --threads "$threads" --no-progress)
duckdb=(node "$here/duckdb_calls.mjs" "$calls_dir" --period "$period" --threads "$threads" --quiet)
duckdb_plain=("${duckdb[@]}" --plain)
scan_floor=("${scan_bin:-}" --threads "$threads" "${calls_files[@]/#/$data/}")
tsq_all=("$tsq" kpi "$data" --period "$period" --format json --threads "$threads" --no-progress)
variants=(tsq_calls duckdb)
[[ $plain == 1 ]] && variants+=(duckdb_plain)
if [[ $scan == 1 ]]; then
  if printf '%s\n' "${calls_files[@]}" | grep -qvE '\.csv$'; then
    echo "== no scan floor: some calls files are compressed"
  else
    variants+=(scan_floor)
  fi
fi
[[ $full == 1 ]] && variants+=(tsq_all)

run_variant() {  # name rep -> $res/<name>-<rep>.{json,time,err}
  local name=$1 rep=$2
  local -n cmd=$name
  printf '%s\t%s\t%s\n' "$name" "$rep" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$res/load.tsv"
  if ! /usr/bin/time -v -o "$res/$name-$rep.time" "${cmd[@]}" > "$res/$name-$rep.json" 2> "$res/$name-$rep.err"; then
    echo "run.sh: $name failed; see $res/$name-$rep.err and .time:" >&2
    tail -5 "$res/$name-$rep.err" >&2
    exit 1
  fi
}

{
  echo "tsq: $tsq ($("$tsq" --version 2>/dev/null | head -1 || true))${tsq_given:+, given by --tsq}"
  echo "work tree: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')," \
       "$(git -C "$root" status --porcelain -- src CMakeLists.txt cmake 2>/dev/null | wc -l) uncommitted source file(s)"
  echo "duckdb: @duckdb/node-api $(node -p "require('$here/node_modules/@duckdb/node-api/package.json').version"), node $(node --version)"
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(uname -r)"
  echo "load before: $(uptime | sed 's/.*load average/load average/')"
  echo "tsq calls: $(printf '%q ' "${tsq_calls[@]}")"
  echo "duckdb:    $(printf '%q ' "${duckdb[@]}")"
  echo "duckdb --plain: $(printf '%q ' "${duckdb_plain[@]}")"
  echo "tsq all:   $(printf '%q ' "${tsq_all[@]}")"
  [[ $scan == 1 ]] && echo "scan floor: $(printf '%q ' "${scan_floor[@]}")"
} > "$res/setup.txt"
cat "$res/setup.txt"

if [[ $warmup == runs ]]; then
  # tsq over everything it will read (the whole data set with --full), then DuckDB once.
  warm=(tsq_calls duckdb)
  [[ $full == 1 ]] && warm=(tsq_all duckdb)
  echo "== warm-up, untimed: ${warm[*]} (both tools then see a warm page cache)"
  for v in "${warm[@]}"; do run_variant "$v" warmup; done
else
  echo "== no warm-up: the page cache is whatever it is (dropping it needs privileges we lack)"
fi
for ((r = 1; r <= repeat; ++r)); do
  for v in "${variants[@]}"; do
    echo "== run $r/$repeat: $v"
    run_variant "$v" "$r"
  done
done
echo "load after: $(uptime | sed 's/.*load average/load average/')" >> "$res/setup.txt"

# 6. Every value, both sides (the last timed run of each).
status=0
node "$here/compare.mjs" "$res/tsq_calls-$repeat.json" "$res/duckdb-$repeat.json" \
  --label-a tsq --label-b duckdb || status=1
if [[ $plain == 1 ]]; then
  node "$here/compare.mjs" "$res/tsq_calls-$repeat.json" "$res/duckdb_plain-$repeat.json" \
    --label-a tsq --label-b 'duckdb --plain' || status=1
fi
if [[ $full == 1 ]]; then
  node "$here/compare.mjs" "$res/tsq_all-$repeat.json" "$res/duckdb-$repeat.json" \
    --label-a 'tsq (all indicators)' --label-b duckdb || status=1
fi

# 7. The table.
node "$here/summarize.mjs" "$res" "$repeat" "$warmup" | tee "$res/summary.md"
echo "results: $res"
if [[ $status != 0 ]]; then
  echo "!!!!! MISMATCH: tsq and DuckDB disagree on some calls values (listed above) !!!!!" >&2
  exit 1
fi
