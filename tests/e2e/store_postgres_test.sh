#!/usr/bin/env bash
# tsq ingest and tsq report with a PostgreSQL store: periods go in, the report reads 同比 from it,
# the password never shows, and a wrong password or port says what is wrong. (The store's answers
# are held to the SQLite store's by src/store/store_contract_test.cpp.) Needs
# TSQ_TEST_POSTGRES_URI: tests/pg/run_with_postgres.sh sets it.
# Usage: store_postgres_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

uri=${TSQ_TEST_POSTGRES_URI:-}
if [[ -z $uri ]]; then
  echo "skipped: TSQ_TEST_POSTGRES_URI is not set (run under tests/pg/run_with_postgres.sh)"
  exit 77
fi
# postgresql://user:password@host:port/db
password=${uri#*://*:}
password=${password%%@*}
redacted=${uri/:$password@/:***@}
port=${uri##*:}
port=${port%%/*}

data="$work/data"
run generate 0 "$TSQ" generate --out "$data" --scale 0.05 --seed 3 --period 2022H2 --no-progress
run ingest 0 "$TSQ" ingest "$data" --period 2022H2 --store "$uri" --no-progress
contains ingest out "stored 2022H2 in $redacted:"
run generate_2021 0 "$TSQ" generate --out "$work/data2021" --scale 0.05 --seed 4 --period 2021H2 \
  --no-progress
run ingest_2021 0 "$TSQ" ingest "$work/data2021" --period 2021H2 --store "$uri" --no-reports \
  --no-progress
contains ingest_2021 out "documents"
run report 0 "$TSQ" report "$data" --period 2022H2 --store "$uri" -o "$work/pg.json" --no-progress
contains report err "note: 同比 (a year earlier): 2021H2 from the store postgresql://tsq:***@"

checks=$((checks + 1))
python3 - "$work/pg.json" <<'PY' || fail "report: no 同比 from the PostgreSQL store"
import json, sys
report = json.load(open(sys.argv[1]))
ye = report["year_earlier"]
assert ye["period"] == "2021H2", ye["period"]
assert any(v["id"].startswith("calls.") for v in ye["indicators"])  # not only the data's appeals
assert any(c.get("year_earlier_delta") is not None for c in report["comparisons"])
PY

# tsq serve over the PostgreSQL store: the same answers as over SQLite.
checks=$((checks + 1))
if start_serve serve --store "$uri"; then
  for path in api/v1/periods "api/v1/periods/2022H2/indicators?id=calls.connect_rate" \
      "api/v1/indicators/calls.connect_rate/history" api/v1/periods/2022H2/reports/zh.xlsx; do
    name=$(echo "$path" | tr -c 'a-z0-9\n' _)
    checks=$((checks + 1))
    status=$(curl -s -o "$work/serve_$name.out" -w '%{http_code}' "$url$path")
    [[ $status == 200 ]] || fail "serve: GET $path over PostgreSQL: HTTP $status"
  done
  checks=$((checks + 1))
  python3 - "$work" <<'PY' || fail "serve: the PostgreSQL store's answers are wrong"
import glob, json, sys
w = sys.argv[1]
periods = json.load(open(glob.glob(f"{w}/serve_api_v1_periods.out")[0]))
assert [p["label"] for p in periods["periods"]] == ["2021H2", "2022H2"], periods
assert periods["store"].startswith("postgresql://tsq:***@"), periods["store"]
v = json.load(open(glob.glob(f"{w}/serve_*periods_2022*indicators*.out")[0]))["values"][0]
assert v["year_earlier"]["period"] == "2021H2" and v["value"] is not None, v
h = json.load(open(glob.glob(f"{w}/serve_*history.out")[0]))
assert [p["period"] for p in h["periods"]] == ["2021H2", "2022H2"], h["periods"]
assert open(glob.glob(f"{w}/serve_*xlsx.out")[0], "rb").read(2) == b"PK"
PY
fi
kill "${servers[-1]}" 2>/dev/null
wait "${servers[-1]}" 2>/dev/null

# Wrong password, nothing listening: exit 1, the database named, the password not.
wrong=${uri/:$password@/:Wr0ngPassw0rd@}
run wrong_password 1 "$TSQ" ingest "$data" --period 2022H2 --store "$wrong" --no-progress
contains wrong_password err "$redacted"
contains wrong_password err "password authentication failed"
not_contains wrong_password err "Wr0ngPassw0rd"
closed=${uri/:$port\//:1/}
run no_server 1 "$TSQ" report "$data" --period 2022H2 --store "$closed" -o "$work/x.json" \
  --no-progress
contains no_server err "postgresql://tsq:***@127.0.0.1:1/tsq: cannot connect to PostgreSQL"
contains no_server err "that the server is running"

checks=$((checks + 1))
if grep -rlF -- "$password" "$work"; then fail "the password is in the files above"; fi
finish
