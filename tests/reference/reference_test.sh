#!/usr/bin/env bash
# tsq kpi against the independent Python reference of the spec (tests/reference/README.md).
# Usage: reference_test.sh TSQ_BINARY REPO_ROOT
# For a small generated province (2022H2; the month 2022-11; 2022H2 judged at an as-of inside the
# period), for the same province with planted bad rows (--bad; the quarter 2022Q4), and for the
# hand-written edge cases of tests/reference/edge (2022Q4, 2022-11, an as-of) and edge_quoted
# (blanks inside quoted CSV values), runs `tsq kpi --format json` and tsq_reference.py and compares them with compare.py.
# Exit 0 when every case agrees, 1 on any difference, 77 (skipped) without python3.
set -uo pipefail
TSQ=$1
ROOT=$2
HERE=$ROOT/tests/reference
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0

# The two provinces are written side by side.
"$TSQ" generate --out "$tmp/bad" --scale 0.02 --seed 11 --period 2022H2 --bad \
  >"$tmp/generate_bad.log" 2>&1 &
bad_pid=$!
if ! "$TSQ" generate --out "$tmp/data" --scale 0.02 --seed 11 --period 2022H2 \
      >"$tmp/generate.log" 2>&1; then
  echo "FAIL: tsq generate"; cat "$tmp/generate.log"; wait "$bad_pid"; exit 1
fi
if ! wait "$bad_pid"; then
  echo "FAIL: tsq generate --bad"; cat "$tmp/generate_bad.log"; exit 1
fi

# run_case NAME DATA_DIR KPI_ARGS...
run_case() {
  local name=$1 data=$2
  shift 2
  cases=$((cases + 1))
  echo "== $name: kpi $* =="
  python3 "$HERE/tsq_reference.py" "$data" "$@" --out "$tmp/$name.ref.json" \
    2>"$tmp/$name.ref.err" &
  local ref_pid=$!
  if ! "$TSQ" kpi "$data" "$@" --format json --out "$tmp/$name.tsq.json" --no-progress \
        >"$tmp/$name.tsq.log" 2>&1; then
    echo "FAIL: tsq kpi exited non-zero"; cat "$tmp/$name.tsq.log"
    wait "$ref_pid"; failures=$((failures + 1)); return
  fi
  if ! wait "$ref_pid"; then
    echo "FAIL: the reference exited non-zero"; cat "$tmp/$name.ref.err"
    failures=$((failures + 1)); return
  fi
  if ! python3 "$HERE/compare.py" "$tmp/$name.tsq.json" "$tmp/$name.ref.json"; then
    failures=$((failures + 1))
  fi
}

run_case generated_2022H2 "$tmp/data" --period 2022H2
run_case generated_2022-11 "$tmp/data" --period 2022-11
run_case generated_as_of "$tmp/data" --period 2022H2 --as-of '2022-11-15 12:00:00'
run_case bad_rows_2022Q4 "$tmp/bad" --period 2022Q4
run_case edge_2022Q4 "$HERE/edge" --period 2022Q4
run_case edge_2022-11 "$HERE/edge" --period 2022-11
run_case edge_as_of "$HERE/edge" --period 2022Q4 --as-of '2022-12-15T00:00:00+08:00'
run_case quoted_values "$HERE/edge_quoted" --period 2022-11

echo "reference comparison: $((cases - failures)) of $cases cases agree"
[ "$failures" -eq 0 ]
