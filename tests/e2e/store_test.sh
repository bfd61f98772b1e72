#!/usr/bin/env bash
# tsq ingest: a generated province's periods go into an SQLite store; what is stored equals what
# tsq kpi prints; storing a period again replaces it; errors speak.
# Usage: store_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

data="$work/data"
store="$work/periods.db"
run generate 0 "$TSQ" generate --out "$data" --scale 0.05 --seed 3 --period 2022H2 --no-progress
run ingest_h2 0 "$TSQ" ingest "$data" --period 2022H2 --store "$store" --no-reports --no-progress
contains ingest_h2 out "stored 2022H2 in $store:"
run ingest_h1 0 "$TSQ" ingest "$data" --period 2022H1 --store "$store" --no-reports --no-progress
run again 0 "$TSQ" ingest "$data" --period 2022H2 --store "$store" --no-progress
contains again out "(replacing the period stored before)"
run kpi 0 "$TSQ" kpi "$data" --period 2022H2 --format json --no-progress
checks=$((checks + 1))
python3 - "$store" "$work/kpi.out" <<'PY' || fail "store: stored values differ from tsq kpi"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert [r[0] for r in db.execute("select label from periods order by period_from")] == \
    ["2022H1", "2022H2"]
kpi = json.load(open(sys.argv[2]))
stored = json.loads(db.execute("select kpi_json from periods where label = '2022H2'").fetchone()[0])
assert stored["indicators"] == kpi["indicators"], "kpi_json"
assert stored["catalog_sha256"] == kpi["catalog_sha256"]
rows = db.execute("select id, grp, value, n, verdict from indicator_values "
                  "where period = '2022H2'").fetchall()
assert len(rows) == len(kpi["indicators"]), (len(rows), len(kpi["indicators"]))
by = {(r[0], r[1]): r for r in rows}
for v in kpi["indicators"]:
    group = ",".join(f"{k}={v['group'][k]}" for k in v["group"])
    r = by.get((v["id"], group))
    assert r is not None, (v["id"], group)
    assert r[2] == v["value"] and r[3] == v["n"], (v["id"], group, r, v)
PY
# 同比 from the store: the year-earlier period is another data set, ingested before.
run generate_2021 0 "$TSQ" generate --out "$work/data2021" --scale 0.05 --seed 4 --period 2021H2 \
  --no-progress
run ingest_2021 0 "$TSQ" ingest "$work/data2021" --period 2021H2 --store "$store" --no-reports \
  --no-progress
contains ingest_2021 out "documents"
run report_plain 0 "$TSQ" report "$data" --period 2022H2 -o "$work/plain.json" --no-progress
run report_store 0 "$TSQ" report "$data" --period 2022H2 --store "$store" -o "$work/store.json" \
  --no-progress
contains report_store err "note: 同比 (a year earlier): 2021H2 from the store $store"
run kpi_2021 0 "$TSQ" kpi "$work/data2021" --period 2021H2 --format json --no-progress
checks=$((checks + 1))
python3 - "$work/plain.json" "$work/store.json" "$work/kpi_2021.out" "$store" <<'PY' \
  || fail "store: the year-earlier period read from the store differs from its own run"
import json, sqlite3, sys
plain, stored, kpi, db = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])),
                          json.load(open(sys.argv[3])), sqlite3.connect(sys.argv[4]))
key = lambda v: (v["id"], json.dumps(v["group"], ensure_ascii=False))
# The data has the year-earlier appeals and subscriber counts only (the generator writes them):
# those values win; the store fills every other value, re-judged: value, n, verdict and interval
# as its own run's.
data_ye = {key(v): v for v in plain["year_earlier"]["indicators"]
           if v["n"] > 0 or v["value"] is not None}
assert data_ye and all(k[0].startswith(("appeals.", "subscribers.")) for k in data_ye), \
    [k for k in data_ye if not k[0].startswith(("appeals.", "subscribers."))][:3]
ye = stored["year_earlier"]
assert ye["period"] == "2021H2", ye["period"]
mine = {key(v): v for v in ye["indicators"]}
theirs = {key(v): v for v in kpi["indicators"]}
assert theirs.keys() <= mine.keys(), len(theirs.keys() - mine.keys())
for k, v in theirs.items():
    assert mine[k] == data_ye.get(k, v), (k, mine[k], v)
assert any(k[0].startswith("calls.") for k in mine)
assert any(c.get("year_earlier_delta") is not None for c in stored["comparisons"])
names = [r[0] for r in db.execute("select name from documents where period = '2022H2' order by name")]
for n in ["broadband.json", "callers.json", "cells.geojson", "cells.json", "report.en.html",
          "report.en.xlsx", "report.zh.html", "report.zh.xlsx"]:
    assert n in names, (n, names)
xlsx = db.execute("select body from documents where period = '2022H2' and name = 'report.zh.xlsx'")
assert xlsx.fetchone()[0][:2] == b"PK"
PY
# The remediation baseline from the store: the same province without its 2022H1 speed tests,
# given the store that holds 2022H1, judges the same cells the same way.
mkdir -p "$work/h2only"
cp "$data"/*.csv "$work/h2only/"
awk -F, 'NR == 1 || $2 >= "2022-07-01"' "$data/speedtests.csv" >"$work/h2only/speedtests.csv"
run cells_data 0 "$TSQ" cells "$data" -p 2022H2 --format json --no-progress
run cells_nobase 0 "$TSQ" cells "$work/h2only" -p 2022H2 --format json --no-progress
run cells_store 0 "$TSQ" cells "$work/h2only" -p 2022H2 --format json --store "$store" \
  --no-progress
contains cells_store err "note: remediation baseline 2022H1: the cells as stored in $store"
checks=$((checks + 1))
python3 - "$work" <<'PY' || fail "store: the stored remediation baseline differs from the tests'"
import json, sys
w = sys.argv[1]
data, nobase, stored = (json.load(open(f"{w}/{n}.out")) for n in ("cells_data", "cells_nobase", "cells_store"))
assert data["baseline_has_tests"] and not nobase["baseline_has_tests"]
assert any(c["remediation"] for c in data["cells"]) and not any(c["remediation"] for c in nobase["cells"])
assert stored["cells"] == data["cells"], "cells"
assert stored["comparison"] == data["comparison"], (stored["comparison"], data["comparison"])
PY
run cells_signal 0 "$TSQ" cells "$work/h2only" -p 2022H2 --signal-rule --store "$store" --no-progress
contains cells_signal err "judged under another rule"
run bad_store 1 "$TSQ" ingest "$data" --period 2022H2 --store "$work/no/such/dir/x.db" --no-progress
contains bad_store err "cannot open the store"
printf 'not a database, just some text that is long enough\n' >"$work/text.db"
run not_a_store 1 "$TSQ" ingest "$data" --period 2022H2 --store "$work/text.db" --no-progress
contains not_a_store err "text.db"
finish
