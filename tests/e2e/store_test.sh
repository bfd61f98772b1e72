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
run ingest_h2 0 "$TSQ" ingest "$data" --period 2022H2 --store "$store" --no-progress
contains ingest_h2 out "stored 2022H2 in $store:"
run ingest_h1 0 "$TSQ" ingest "$data" --period 2022H1 --store "$store" --no-progress
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
run bad_store 1 "$TSQ" ingest "$data" --period 2022H2 --store "$work/no/such/dir/x.db" --no-progress
contains bad_store err "cannot open the store"
printf 'not a database, just some text that is long enough\n' >"$work/text.db"
run not_a_store 1 "$TSQ" ingest "$data" --period 2022H2 --store "$work/text.db" --no-progress
contains not_a_store err "text.db"
finish
