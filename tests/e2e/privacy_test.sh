#!/usr/bin/env bash
# Subscriber numbers never leak: every command runs in every output format on generated provinces
# with bad rows (CSV; zstd JSON Lines; CSV with an operator's own headers, mapped), and every byte
# written — files, stdout, stderr, xlsx members, PDF text — is scanned for any input subscriber
# number in full. --show-numbers is the one way to see them, and the report says when it was used.
# Usage: privacy_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"
SCAN="python3 $ROOT/tests/e2e/privacy_scan.py"
out="$work/out"
mkdir -p "$out"

run gen_csv 0 "$TSQ" generate --out "$work/csv" --scale 0.03 --seed 5 --period 2022H2 --bad \
  --no-progress
run gen_jsonl 0 "$TSQ" generate --out "$work/jsonl" --scale 0.02 --seed 6 --period 2022H2 --bad \
  --format jsonl --compress zst --no-progress
# An operator's own headers for the number columns, read through --map.
mkdir -p "$work/mapped"
cp "$work/csv"/*.csv "$work/mapped/"
sed -i '1s/^start_time,caller,callee,/start_time,CALLING_NBR,CALLED_NBR,/' "$work/mapped/calls.csv"
sed -i '1s/^sent_at,sender,receiver,/sent_at,SRC_NBR,DST_NBR,/' "$work/mapped/sms.csv"
sed -i '1s/^request_id,msisdn,/request_id,MSISDN_NO,/' "$work/mapped/porting.csv"
maps=(--map calls.caller=CALLING_NBR --map calls.callee=CALLED_NBR --map sms.sender=SRC_NBR
  --map sms.receiver=DST_NBR --map porting.msisdn=MSISDN_NO)

{
  echo caller,label
  python3 -c "
import csv
rows = csv.DictReader(open('$work/csv/calls.csv', encoding='utf-8', errors='replace'))
for n in sorted({r['caller'] for r in rows if (r.get('caller') or '').isdigit()})[:5]: print(n + ',1')
"
} >"$work/labels.csv"

browser=$(command -v chromium || command -v chromium-browser || true)
for set in csv jsonl mapped; do
  data="$work/$set"
  extra=()
  [[ $set == mapped ]] && extra=("${maps[@]}")
  run "$set-validate" 0 "$TSQ" validate "$data" --quarantine "$out/$set-q1.csv" "${extra[@]}"
  # Masked rows are there: the quarantine file shows numbers as 138****5678.
  checks=$((checks + 1))
  grep -qE '1[0-9]{2}\*\*\*\*[0-9]{4}' "$out/$set-q1.csv" || fail "$set: no masked number in the quarantine file"
  run "$set-validate-json" 0 "$TSQ" validate "$data" --format json --lang en "${extra[@]}"
  run "$set-kpi" 0 "$TSQ" kpi "$data" -p 2022H2 --quarantine "$out/$set-q2.csv" "${extra[@]}"
  formats=(--out "$out/$set-r.html" --out "$out/$set-r.xlsx" --out "$out/$set-r.md"
    --out "$out/$set-r.json")
  [[ -n "$browser" && $set == csv ]] && formats+=(--out "$out/$set-r.pdf")
  run "$set-report" 0 "$TSQ" report "$data" -p 2022H2 --quarantine "$out/$set-q3.csv" \
    "${formats[@]}" "${extra[@]}"
  # The jsonl and mapped sets differ only in how numbers are read: the reading, the quarantine,
  # the report and the callers show it; the other outputs are the csv set's code paths.
  if [[ $set == csv ]]; then
    run "$set-kpi-all" 0 "$TSQ" kpi "$data" -p 2022H2 --all --lang en "${extra[@]}"
    run "$set-kpi-json" 0 "$TSQ" kpi "$data" -p 2022H2 --format json --out "$out/$set-kpi.json" \
      "${extra[@]}"
    run "$set-kpi-csv" 0 "$TSQ" kpi "$data" -p 2022H2 --format csv "${extra[@]}"
    run "$set-report-en" 0 "$TSQ" report "$data" -p 2022H2 --lang en --out "$out/$set-en.html" \
      "${extra[@]}"
    run "$set-notice" 0 "$TSQ" report "$data" -p 2022H2 --notice --out "$out/$set-n.html" \
      --out "$out/$set-n.xlsx" "${extra[@]}"
    run "$set-max-bad" 3 "$TSQ" kpi "$data" -p 2022H2 --max-bad-share 0.0001 "${extra[@]}"
    run "$set-cells" 0 "$TSQ" cells "$data" -p 2022H2 --all --quarantine "$out/$set-q4.csv" \
      --geojson "$out/$set-cells.geojson" --map-page "$out/$set-cells.html" "${extra[@]}"
    run "$set-cells-csv" 0 "$TSQ" cells "$data" -p 2022H2 --format csv "${extra[@]}"
    run "$set-broadband" 0 "$TSQ" broadband "$data" -p 2022H2 --all "${extra[@]}"
    run "$set-broadband-json" 0 "$TSQ" broadband "$data" -p 2022H2 --format json "${extra[@]}"
  fi
  run "$set-callers" 0 "$TSQ" callers "$data" -p 2022H2 --all "${extra[@]}"
  run "$set-callers-csv" 0 "$TSQ" callers "$data" -p 2022H2 --all --format csv "${extra[@]}"
  run "$set-callers-json" 0 "$TSQ" callers "$data" -p 2022H2 --all --format json \
    --out "$out/$set-callers.json" "${extra[@]}"
  # The evaluation lists missed numbers too: labels that call ordinary callers of the CSV set
  # positive make sure the list is not empty.
  [[ $set != csv ]] && continue
  run "$set-callers-eval" 0 "$TSQ" callers eval "$data" -p 2022H2 --labels "$work/labels.csv" \
    "${extra[@]}"
  run "$set-callers-eval-json" 0 "$TSQ" callers eval "$data" -p 2022H2 --format json \
    --labels "$work/labels.csv" "${extra[@]}"
done
run indicators 0 "$TSQ" indicators
run bad_catalog 2 "$TSQ" kpi "$work/csv" -p 2022H2 --catalog /dev/null --id 'nope.*'

# Scan every byte written: the files above, and the stdout and stderr of every run.
mapfile -t written < <(find "$out" -type f; ls "$work"/*.out "$work"/*.err)
checks=$((checks + 1))
$SCAN "$work/csv,$work/jsonl" "${written[@]}" >"$work/scan.txt" 2>&1 ||
  { fail "subscriber numbers in the outputs:"; sed 's/^/    /' "$work/scan.txt" >&2; }
checks=$((checks + 1))
$SCAN --map calls.caller=CALLING_NBR --map calls.callee=CALLED_NBR --map sms.sender=SRC_NBR \
  --map sms.receiver=DST_NBR --map porting.msisdn=MSISDN_NO "$work/mapped" "${written[@]}" \
  >"$work/scan-mapped.txt" 2>&1 ||
  { fail "mapped numbers in the outputs:"; sed 's/^/    /' "$work/scan-mapped.txt" >&2; }

# --show-numbers opts out, and says so: the scan must find them now (it can fail).
run shown 0 "$TSQ" report "$work/csv" -p 2022H2 --show-numbers --quarantine "$work/shown.csv" \
  --out "$work/shown.html"
checks=$((checks + 1))
if $SCAN "$work/csv" "$work/shown.csv" >"$work/scan-shown.txt" 2>&1; then
  fail "--show-numbers: the quarantine file has no number in full"
fi
checks=$((checks + 1))
grep -q -- "--show-numbers" "$work/shown.html" || fail "--show-numbers: the report does not say so"
run shown_validate 0 "$TSQ" validate "$work/csv" --show-numbers --quarantine "$work/shown2.csv"
contains shown_validate out "--show-numbers"

finish
