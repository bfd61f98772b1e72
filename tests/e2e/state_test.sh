#!/usr/bin/env bash
# State files: months saved with --save-state and merged with --state give exactly the values of
# one run over the quarter (months → quarter → the quarter again, with the preceding quarter and
# the year-earlier one as states too); the report and the findings read states like data. A state
# that would count records twice (overlapping states, data with records of a state's time), one
# under other catalog limits, one that straddles the period, a damaged or cut file, one of another
# format and a file that is no state are refused with a message naming the file.
# Usage: state_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

data="$work/data"
run generate 0 "$TSQ" generate --out "$data" --scale 0.02 --seed 11 --period 2022H2 --no-progress
st="$work/states"
mkdir -p "$st"
for p in 2022-10 2022-11 2022-12 2022Q3 2021Q4; do
  run "save_$p" 0 "$TSQ" kpi "$data" -p "$p" --save-state "$st/$p.state" --no-progress
done

# A state holds every call of every number: its owner's alone.
checks=$((checks + 1))
[[ $(stat -c %a "$st/2022-11.state") == 600 ]] || fail "a state file should be mode 600"

# Indicators, findings and comparisons: the states give the direct run's values exactly.
run direct 0 "$TSQ" kpi "$data" -p 2022Q4 --format json --no-progress
months=(--state "$st/2022-10.state" --state "$st/2022-11.state" --state "$st/2022-12.state")
comparisons=(--state "$st/2022Q3.state" --state "$st/2021Q4.state")
run merged 0 "$TSQ" kpi -p 2022Q4 "${months[@]}" "${comparisons[@]}" --format json --no-progress
same_indicators() {
  checks=$((checks + 1))
  python3 - "$work/$1.out" "$work/$2.out" <<'PY' || fail "$1 and $2 differ"
import json, sys
a, b = (json.load(open(p))["indicators"] for p in sys.argv[1:])
key = lambda v: (v["id"], json.dumps(v["group"], sort_keys=True))
da, db = {key(v): v for v in a}, {key(v): v for v in b}
bad = [k for k in da.keys() | db.keys() if da.get(k) != db.get(k)]
for k in bad[:5]:
    print("differs:", k, da.get(k, {}).get("value"), db.get(k, {}).get("value"), file=sys.stderr)
sys.exit(1 if bad or len(a) < 1000 else 0)
PY
}
same_indicators direct merged
json merged "sorted({i['id'].split('.')[0] for i in j['indicators']}) == sorted({i['id'].split('.')[0] for i in json.load(open('$work/direct.out'))['indicators']})" "True"
json merged "len(j['data_quality']['files']) > 5" "True"

# Months into a quarter's state, and that state again.
run save_q4 0 "$TSQ" kpi -p 2022Q4 "${months[@]}" --save-state "$st/2022Q4.state" --no-progress
run from_q4 0 "$TSQ" kpi -p 2022Q4 --state "$st/2022Q4.state" "${comparisons[@]}" \
  --format json --no-progress
same_indicators direct from_q4
run report_states 0 "$TSQ" report -p 2022Q4 "${months[@]}" "${comparisons[@]}" --notice \
  --out "$work/notice.html" --no-progress
checks=$((checks + 1))
grep -q "百万用户申诉率" "$work/notice.html" || fail "the notice from states has no per-million rates"
run callers_direct 0 "$TSQ" callers "$data" -p 2022Q4 --no-progress
run callers_states 0 "$TSQ" callers -p 2022Q4 "${months[@]}" --no-progress
checks=$((checks + 1))
cmp -s "$work/callers_direct.out" "$work/callers_states.out" ||
  fail "callers from states differ from callers from the data"
# The store keeps each ingested period's state: stored months merge into their quarter
# (--merge-stored, without DIR) to the direct run's values, and a stored quarter is taken before
# its months.
db="$work/periods.db"
for p in 2022-10 2022-11 2022-12; do
  run "ingest_$p" 0 "$TSQ" ingest "$data" -p "$p" --store "$db" --no-reports --no-progress
  contains "ingest_$p" out "its state"
done
run stored_months 0 "$TSQ" kpi -p 2022Q4 --store "$db" --merge-stored "${comparisons[@]}" \
  --format json --no-progress
same_indicators direct stored_months
contains stored_months err "2022Q4 merged from the states stored in $db: 2022-10, 2022-11, 2022-12"
run ingest_q4 0 "$TSQ" ingest -p 2022Q4 --store "$db" --merge-stored --no-reports --no-progress
run stored_q4 0 "$TSQ" kpi -p 2022Q4 --store "$db" --merge-stored "${comparisons[@]}" \
  --format json --no-progress
same_indicators direct stored_q4
contains stored_q4 err "states stored in $db: 2022Q4"
run stored_half 0 "$TSQ" kpi -p 2022H2 --store "$db" --merge-stored --no-progress
contains stored_half err "(the rest of the period has none stored)"
run stored_and_data 2 "$TSQ" kpi "$data" -p 2022Q4 --store "$db" --merge-stored --no-progress
contains stored_and_data err "already holds"
run merge_no_store 2 "$TSQ" kpi -p 2022Q4 --merge-stored
contains merge_no_store err "give the store with --store"
run ingest_no_state 0 "$TSQ" ingest "$data" -p 2022-09 --store "$work/bare.db" --no-state \
  --no-reports --no-progress
not_contains ingest_no_state out "its state"
run bare_store 1 "$TSQ" kpi -p 2022Q3 --store "$work/bare.db" --merge-stored --no-progress
contains bare_store err "keeps no state of a period inside 2022Q3"

# A state outside every window is left out, with a warning.
run outside 0 "$TSQ" kpi -p 2022-11 --state "$st/2022-11.state" --state "$st/2022Q3.state" \
  --no-progress
contains outside err "2022Q3.state: left out"

# Refusals.
run overlap 2 "$TSQ" kpi -p 2022Q4 --state "$st/2022Q4.state" --state "$st/2022-11.state"
contains overlap err "overlap: their records would count twice"
run data_overlap 2 "$TSQ" kpi "$data" -p 2022Q4 --state "$st/2022-11.state" --no-progress
contains data_overlap err "which $st/2022-11.state already holds"
run straddle 2 "$TSQ" kpi -p 2022-11 --state "$st/2022Q4.state"
contains straddle err "straddles the period 2022-11"
cat >"$work/limits.toml" <<'TOML'
[params]
"sms.max_hours" = 2
TOML
cat >"$work/target.toml" <<'TOML'
[indicators."calls.drop_rate"]
target = "<= 0.000001"
TOML
run other_limits 2 "$TSQ" kpi -p 2022-11 --state "$st/2022-11.state" --catalog "$work/limits.toml"
contains other_limits err "computed under other catalog limits"
run other_target 0 "$TSQ" kpi -p 2022-11 --state "$st/2022-11.state" \
  --catalog "$work/target.toml" --no-progress
cp "$st/2022-11.state" "$work/damaged.state"
printf 'XXXXXXXX' | dd of="$work/damaged.state" bs=1 seek=4000 conv=notrunc status=none
run damaged 1 "$TSQ" kpi -p 2022-11 --state "$work/damaged.state"
contains damaged err "damaged.state: damaged state file"
head -c 3000 "$st/2022-11.state" >"$work/cut.state"
run cut 1 "$TSQ" kpi -p 2022-11 --state "$work/cut.state"
contains cut err "cut.state: damaged state file (truncated)"
cp "$st/2022-11.state" "$work/format.state"
printf '\x63' | dd of="$work/format.state" bs=1 seek=8 conv=notrunc status=none
run other_format 1 "$TSQ" kpi -p 2022-11 --state "$work/format.state"
contains other_format err "a state file of format 99"
run not_state 1 "$TSQ" kpi -p 2022-11 --state "$data/calls.csv"
contains not_state err "not a tsq state file"
run no_dir 2 "$TSQ" kpi -p 2022-11
contains no_dir err "DIR is required"
not_contains damaged err "terminate"

finish
