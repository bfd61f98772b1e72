#!/usr/bin/env bash
# A run split over MPI ranks gives what one process gives: under mpirun -n 1, 2 and 4
# (oversubscribed on this machine, loopback only) tsq kpi's JSON, the quarantine file, the cells
# (GeoJSON) and the suspected callers (judged on every rank, or gathered on rank 0 when a state is
# saved) are byte for byte those of a run without mpirun. A rank that cannot read its share fails
# the whole run, which writes nothing and names the file.
# Usage: mpi_test.sh TSQ_BINARY REPO_ROOT   (exit 77, skipped, without mpirun or an MPI build)
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

if ! command -v mpirun >/dev/null || ! "$TSQ" --version | grep -q "with MPI"; then
  echo "skipped: mpirun not installed or tsq built without MPI" >&2
  exit 77
fi
# Ranks talk over shared memory and loopback only; root is allowed (CI containers run as root);
# the sanitizer build's leak check is off, as MPI's own allocations outlive MPI_Finalize.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader,tcp OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
export ASAN_OPTIONS=detect_leaks=0
ranks() { mpirun -n "$1" -x ASAN_OPTIONS "${@:2}"; }

data="$work/data"
run generate 0 "$TSQ" generate --out "$data" --scale 0.03 --seed 5 --period 2022H2 --bad \
  --calls-files 4 --no-progress

outputs() {  # outputs DIR LAUNCH...: the outputs of one way of running tsq, in DIR
  local dir=$1
  shift
  mkdir -p "$dir"
  (cd "$dir" &&
    "$@" "$TSQ" kpi "$data" -p 2022H2 --format json --out kpi.json --quarantine bad.csv \
      --no-progress &&
    "$@" "$TSQ" cells "$data" -p 2022H2 --geojson cells.geojson --no-progress >cells.txt &&
    "$@" "$TSQ" callers "$data" -p 2022H2 --no-progress >callers.txt)
}
checks=$((checks + 1))
outputs "$work/one" || fail "the single process failed"
for n in 1 2 4; do
  checks=$((checks + 1))
  outputs "$work/ranks$n" ranks "$n" || fail "mpirun -n $n failed"
  for f in bad.csv cells.geojson cells.txt callers.txt; do
    checks=$((checks + 1))
    cmp -s "$work/one/$f" "$work/ranks$n/$f" || fail "mpirun -n $n: $f differs"
  done
  # The JSON: the same but for the read's wall-clock time.
  checks=$((checks + 1))
  python3 - "$work/one/kpi.json" "$work/ranks$n/kpi.json" <<'PY' || fail "mpirun -n $n: kpi.json differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for j in (a, b):
    j["data_quality"].pop("seconds", None)
sys.exit(0 if a == b and len(a["indicators"]) > 1000 else 1)
PY
done
checks=$((checks + 1))
[[ $(wc -l <"$work/one/bad.csv") -gt 10 ]] || fail "the province should have bad rows"

# Ranks judge the callers each on their own numbers; a run that saves a state gathers the calls on
# rank 0 instead (the state file holds them whole). Both give the single process's list.
checks=$((checks + 1))
(cd "$work/ranks2" && ranks 2 "$TSQ" callers "$data" -p 2022H2 --save-state callers.state \
  --no-progress >callers-saved.txt) || fail "mpirun -n 2 callers --save-state failed"
checks=$((checks + 1))
cmp -s "$work/one/callers.txt" "$work/ranks2/callers-saved.txt" ||
  fail "mpirun -n 2 callers --save-state: the list differs"
checks=$((checks + 1))
[[ $(grep -c . "$work/one/callers.txt") -gt 5 ]] || fail "the province should have listed callers"

# One large calls file is shared by byte ranges, cut at line breaks, when no line has an odd
# number of quotes (the split size is lowered for the test); the planted bare quotes of --bad make
# the ranks read it whole instead. Either way the outputs are the single process's, bad rows at
# their lines included.
for kind in ranges whole; do
  dir="$work/onefile-$kind"
  mkdir -p "$dir/data"
  cp "$data"/*.csv "$dir/data/" && rm "$dir/data"/calls-*.csv
  {
    head -n 1 "$data/calls-0001.csv"
    for f in "$data"/calls-*.csv; do tail -n +2 "$f"; done
  } >"$dir/calls.csv"
  if [[ $kind == ranges ]]; then
    awk -F'"' 'NF % 2 == 1' "$dir/calls.csv" >"$dir/data/calls.csv"
  else
    mv "$dir/calls.csv" "$dir/data/calls.csv"
  fi
  (cd "$dir" && "$TSQ" kpi data -p 2022H2 --format json --out one.json --quarantine one-bad.csv \
    --no-progress && "$TSQ" callers data -p 2022H2 --no-progress >one-callers.txt) ||
    fail "$kind: the single process failed"
  # Three ranks cut the file unevenly; two suffice to show the whole-file fallback.
  counts=(3)
  [[ $kind == whole ]] && counts=(2)
  for n in "${counts[@]}"; do
    checks=$((checks + 1))
    (cd "$dir" && TSQ_CLUSTER_SPLIT_BYTES=100000 ranks "$n" -x TSQ_CLUSTER_SPLIT_BYTES "$TSQ" kpi \
      data -p 2022H2 --format json --out "kpi$n.json" --quarantine "bad$n.csv" --no-progress \
      2>"kpi$n.err" &&
      TSQ_CLUSTER_SPLIT_BYTES=100000 ranks "$n" -x TSQ_CLUSTER_SPLIT_BYTES "$TSQ" callers data \
        -p 2022H2 --no-progress >"callers$n.txt") || fail "$kind: mpirun -n $n failed"
    checks=$((checks + 1))
    if [[ $kind == ranges ]]; then
      grep -q "calls.csv: read in byte ranges by $n ranks" "$dir/kpi$n.err" ||
        fail "$kind: mpirun -n $n did not share calls.csv by byte ranges"
    else
      grep -q "calls.csv: read whole by one rank.*odd number of quotes" "$dir/kpi$n.err" ||
        fail "$kind: mpirun -n $n should have said why calls.csv was read whole"
    fi
    checks=$((checks + 1))
    cmp -s "$dir/one-bad.csv" "$dir/bad$n.csv" || fail "$kind: mpirun -n $n: bad rows differ"
    checks=$((checks + 1))
    cmp -s "$dir/one-callers.txt" "$dir/callers$n.txt" || fail "$kind: mpirun -n $n: callers differ"
    checks=$((checks + 1))
    python3 - "$dir/one.json" "$dir/kpi$n.json" <<'PY' || fail "$kind: mpirun -n $n: kpi.json differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for j in (a, b):
    j["data_quality"].pop("seconds", None)
    j["data_quality"].pop("quarantine_file", None)  # one-bad.csv, bad2.csv
sys.exit(0 if a == b and len(a["indicators"]) > 1000 else 1)
PY
  done
  checks=$((checks + 1))
  [[ $(wc -l <"$dir/one-bad.csv") -gt 10 ]] || fail "$kind: the calls should have bad rows"
done

# A rank that cannot read its share: the run fails on every rank and writes nothing.
broken="$work/broken"
cp -r "$data" "$broken"
head -c 5000 "$data/calls-0004.csv" | gzip >"$broken/calls-0004.csv.gz"
head -c 100 "$broken/calls-0004.csv.gz" >"$broken/cut.gz" && mv "$broken/cut.gz" "$broken/calls-0004.csv.gz"
rm "$broken/calls-0004.csv"
run failing_rank 1 ranks 4 "$TSQ" kpi "$broken" -p 2022H2 --out "$work/partial.txt" --no-progress
contains failing_rank err "calls-0004.csv.gz"
checks=$((checks + 1))
[[ ! -e "$work/partial.txt" ]] || fail "a failed distributed run wrote its output"
checks=$((checks + 1))
[[ $(grep -c "tsq: error" "$work/failing_rank.err") -eq 1 ]] || fail "the error should be told once"

finish
