#!/usr/bin/env bash
# The large province's whole semi-annual job on one machine, and the same job split over MPI
# ranks. See bench/README.md ("A large province's half-year").
#
#   bench/large_province/run.sh [--scale 100] [--threads 2] [--ranks 1,2,4]
#
# Options:
#   --scale S      generated data size (1 = about 1 M records in the period); default 100
#   --threads N    worker threads of the single-process job; default 2
#   --ranks LIST   rank counts for the MPI runs (each rank gets N / ranks threads, at least 1);
#                  default 1,2,4; "none" skips them
#   --calls-files K  split the calls over K files when generating (ranks split by file); default 8
#   --period P     default 2022H2
#   --tsq PATH     use this tsq binary instead of building the release preset
#   --data DIR     use this data directory instead of generating one
#
# What it times, each with /usr/bin/time -v after one untimed warm-up of the page cache:
#   job      tsq report DIR -p P --out report.html --out report.xlsx: every indicator, the poor
#            cells, broadband, the suspected callers and the report (zh) — the whole job
#   kpi      tsq kpi DIR -p P --format json (every indicator and finding's figures)
#   cells, broadband, callers: each findings command alone
#   mpi-R    mpirun -n R tsq kpi DIR -p P --format json (results compared with kpi's)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
scale=100
threads=2
ranks=1,2,4
calls_files=8
period=2022H2
seed=1
tsq=""
data=""

die() { echo "run.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --ranks) ranks=${2:?}; shift 2 ;;
    --calls-files) calls_files=${2:?}; shift 2 ;;
    --period) period=${2:?}; shift 2 ;;
    --tsq) tsq=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed: apt-get install time"

if [[ -z $tsq ]]; then
  echo "== building tsq (release preset)"
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target tsq) ||
    die "building tsq failed"
  tsq=$root/build/release/src/cli/tsq
fi
tsq=$(cd "$(dirname "$tsq")" && pwd)/$(basename "$tsq")

[[ -n $data ]] || data=$root/build/bench-data/s${scale}-seed${seed}-${period}-calls${calls_files}
if [[ ! -f $data/.complete ]]; then
  echo "== generating $data (scale $scale, $calls_files calls files)"
  rm -rf "$data"
  "$tsq" generate --out "$data" --scale "$scale" --seed "$seed" --period "$period" \
    --calls-files "$calls_files" --threads "$threads"
  date -u +%FT%TZ >"$data/.complete"
fi

out=$root/build/bench-results/large_province/s${scale}-t${threads}-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
{
  echo "tsq: $("$tsq" --version) ($tsq)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (dirty)')"
  echo "data: $data, $(du -sb "$data" | cut -f1) bytes"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/setup.txt"

# timed NAME CMD...: one run under time -v; prints wall seconds and peak RSS.
timed() {
  local name=$1
  shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" ||
    { echo "$name failed:"; tail -5 "$out/$name.err"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/$name.time")
  printf "| %s | %s | %s |\n" "$name" "$wall" "$rss" | tee -a "$out/summary.md"
}

echo "== warming the page cache"
"$tsq" validate "$data" --no-digests --threads "$threads" --no-progress >/dev/null 2>&1 || true
printf "| run | wall s | peak RSS MB |\n|---|---:|---:|\n" | tee "$out/summary.md"
common=(-p "$period" --threads "$threads" --no-progress)
timed job "$tsq" report "$data" "${common[@]}" --out "$out/report.html" --out "$out/report.xlsx"
timed kpi "$tsq" kpi "$data" "${common[@]}" --format json --out "$out/kpi.json"
timed cells "$tsq" cells "$data" "${common[@]}"
timed broadband "$tsq" broadband "$data" "${common[@]}"
timed callers "$tsq" callers "$data" "${common[@]}"

if [[ $ranks != none ]]; then
  command -v mpirun >/dev/null || die "mpirun is needed for --ranks (apt-get install openmpi-bin)"
  "$tsq" --version | grep -q "with MPI" || die "$tsq was built without MPI"
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
  IFS=, read -ra counts <<<"$ranks"
  for n in "${counts[@]}"; do
    per_rank=$((threads / n > 0 ? threads / n : 1))
    # --bind-to none: OpenMPI binds each of one or two ranks to a single core by default, which
    # would leave a rank's second thread no core of its own.
    timed "mpi-$n" mpirun --bind-to none -n "$n" "$tsq" kpi "$data" -p "$period" --threads "$per_rank" \
      --no-progress --format json --out "$out/kpi-mpi-$n.json"
    python3 - "$out/kpi.json" "$out/kpi-mpi-$n.json" <<'PY' || die "mpi-$n: results differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for j in (a, b):
    j["data_quality"].pop("seconds", None)
sys.exit(0 if a == b else 1)
PY
  done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/setup.txt"
echo "results: $out"
