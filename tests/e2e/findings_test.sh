#!/usr/bin/env bash
# End-to-end tests of the findings: tsq cells and tsq broadband on a generated province, held to
# what the generator planted (truth.json): every planted cell's verdict and remediation status,
# every planted line's compliance, the summary counts; every Appendix A figure in tsq kpi; the
# GeoJSON valid by RFC 7946; and the errors a user can make.
# Usage: findings_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

data="$work/data"
run generate 0 "$TSQ" generate --out "$data" --scale 0.3 --seed 5 --period 2022H2 --no-progress
run cells_table 0 "$TSQ" cells "$data" --period 2022H2 --no-progress
contains cells_table out "质差小区 2022H2（整治基期 2022H1）"
contains cells_table out "基期质差小区的整治情况"
contains cells_table out "对照组"
run cells_json 0 "$TSQ" cells "$data" --period 2022H2 --format json --no-progress \
  --geojson "$work/cells.geojson" --map-page "$work/cells.html" --places "$data/places.csv"
contains cells_json err "wrote $work/cells.geojson"

# Every planted cell as truth.json says.
checks=$((checks + 1))
python3 - "$work/cells_json.out" "$data/truth.json" <<'PY' || fail "cells: planted cells"
import json, sys
cells = {(c["operator"], c["rat"], c["id"]): c for c in json.load(open(sys.argv[1]))["cells"]
         if c["kind"] == "cell"}
truth = json.load(open(sys.argv[2]))["cells"]["planted"]
bad = []
for p in truth:
    c = cells.get((p["operator"], p["rat"], p["cell_id"]))
    if c is None:
        bad.append(f"{p['cell_id']}: missing")
        continue
    now = c["now"]["verdict"] if c["now"] else "no_tests"
    got = {"poor": "poor" if c["remediation"] is None and now == "poor" else None,
           "still_poor": "still_poor" if c["remediation"] == "still_poor" else None,
           "remediated": "remediated" if c["remediation"] == "remediated" else None,
           "unverified": "unverified" if c["remediation"] == "unverified" else None,
           "not_poor": "not_poor" if now == "not_poor" and c["remediation"] is None else None,
           "not_measured": "not_measured" if now == "not_measured" else None}[p["status"]]
    if got != p["status"]:
        bad.append(f"{p['cell_id']} ({p['intent']}): truth {p['status']}, tsq now={now} "
                   f"remediation={c['remediation']}")
    if c["now"] and c["now"]["tests"] != p["period"]["tests"]:
        bad.append(f"{p['cell_id']}: {c['now']['tests']} tests, truth {p['period']['tests']}")
print(f"{len(truth)} planted cells checked")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY

# The GeoJSON: a FeatureCollection of Points, longitude first, in range, with a verdict. Debian's
# python3 has the geojson package (scripts/install-deps.sh), which validates it too.
debian_python=python3
[[ -x /usr/bin/python3 ]] && debian_python=/usr/bin/python3
checks=$((checks + 1))
"$debian_python" - "$work/cells.geojson" "$work/cells_json.out" <<'PY' || fail "cells: GeoJSON"
import json, sys
g = json.load(open(sys.argv[1]))
n = len(json.load(open(sys.argv[2]))["cells"])
assert g["type"] == "FeatureCollection", g["type"]
assert len(g["features"]) == n, (len(g["features"]), n)
for f in g["features"]:
    assert f["type"] == "Feature"
    geom = f["geometry"]
    assert geom["type"] == "Point" and len(geom["coordinates"]) == 2
    lon, lat = geom["coordinates"]
    assert 120 < lon < 132 and 40 < lat < 47, geom  # Jilin: longitude first
    assert f["properties"]["verdict"] in {"poor", "not_poor", "not_measured", "no_tests"}
try:  # the geojson package (python3-geojson), when installed, validates by RFC 7946 too
    import geojson
    obj = geojson.loads(open(sys.argv[1]).read())
    assert obj.is_valid, obj.errors()
    print("geojson: valid")
except ImportError:
    print("geojson package not installed: structural checks only")
PY
checks=$((checks + 1))
grep -q "const DATA = {\"type\":\"FeatureCollection\"" "$work/cells.html" || fail "map page: no data"

run cells_csv 0 "$TSQ" cells "$data" --period 2022H2 --format csv --no-progress
checks=$((checks + 1))
[[ $(($(wc -l <"$work/cells_csv.out") - 1)) -eq $(python3 -c "import json; print(len(json.load(open('$work/cells_json.out'))['cells']))") ]] \
  || fail "cells: CSV rows differ from JSON cells"

# Every Appendix A figure is in tsq kpi, and the cell counts agree with the truth.
run kpi 0 "$TSQ" kpi "$data" --period 2022H2 --format json --no-progress
checks=$((checks + 1))
python3 - "$work/kpi.out" "$data/truth.json" <<'PY' || fail "kpi: findings figures"
import json, sys
k = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
values = {(v["id"], tuple(sorted(v["group"].items()))): v for v in k["indicators"]}
ids = ["speedtests." + x for x in ["tests", "bad_tests", "bad_share", "median_down_mbps",
       "p10_down_mbps", "measured_cells", "poor_cells", "poor_share", "baseline_poor_cells",
       "remediated_cells", "unverified_cells", "still_poor_cells", "remediation_rate"]]
ids += ["broadband_tests." + x for x in ["tests", "tested_lines", "compliant_lines",
        "compliance_rate"]]
bad = [i for i in ids if (i, ()) not in values]
for s in t["cells"]["summary"] + t["broadband"]["summary"]:
    g = tuple(sorted(s["group"].items()))
    for name, want in s.items():
        if name == "group":
            continue
        prefix = "speedtests." if name.endswith("cells") or name.startswith(("poor", "remed")) \
            else "broadband_tests."
        v = values.get((prefix + name, g))
        if v is None or (v["value"] is None) != (want is None) or \
                (want is not None and abs(v["value"] - want) > 1e-9):
            bad.append(f"{prefix + name} {dict(g)}: tsq {v and v['value']}, truth {want}")
print(f"{len(ids)} ids, {len(t['cells']['summary']) + len(t['broadband']['summary'])} groups")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY

# Broadband: every planted line as truth.json says; one line's evidence.
run broadband_json 0 "$TSQ" broadband "$data" --period 2022H2 --format json --no-progress
checks=$((checks + 1))
python3 - "$work/broadband_json.out" "$data/truth.json" <<'PY' || fail "broadband: planted lines"
import json, sys
lines = {(l["operator"], l["line_id"], l["plan_down_mbps"]): l
         for l in json.load(open(sys.argv[1]))["lines"]}
bad = []
for p in json.load(open(sys.argv[2]))["broadband"]["planted"]:
    for u in p["units"]:
        l = lines.get((p["operator"], p["line_id"], u["plan_down_mbps"]))
        if l is None or l["compliant"] != u["compliant"] or len(l["tests"]) != u["tests"]:
            bad.append(f"{p['line_id']} @ {u['plan_down_mbps']} ({p['intent']}): "
                       f"tsq {l and (l['compliant'], len(l['tests']))}, truth {u}")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
PY
line=$(python3 -c "
import json
print(next(p['line_id'] for p in json.load(open('$data/truth.json'))['broadband']['planted']
           if p['intent'] == 'just_below'))")
run broadband_line 0 "$TSQ" broadband "$data" --period 2022H2 --line "$line" --no-progress
contains broadband_line out "线路 $line"
contains broadband_line out "未达标"
contains broadband_line out "测速时间"
run broadband_table 0 "$TSQ" broadband "$data" --period 2022H2 --lang en --no-progress
contains broadband_table out "Lines below their plan"

# Work orders: the file's errors name the line; a fix date splits before and after.
printf 'cell_id,order_id,fixed_at\nx,WO-1,yesterday\n' >"$work/bad_orders.csv"
run cells_bad_orders 2 "$TSQ" cells "$data" --period 2022H2 --work-orders "$work/bad_orders.csv" \
  --no-progress
contains cells_bad_orders err "bad_orders.csv:2: fixed_at 'yesterday'"
still=$(python3 -c "
import json
print(next(p['cell_id'] for p in json.load(open('$data/truth.json'))['cells']['planted']
           if p['status'] == 'still_poor'))")
printf 'cell_id,order_id,fixed_at\n%s,WO-7,2023-01-01\n' "$still" >"$work/orders.csv"
run cells_orders 0 "$TSQ" cells "$data" --period 2022H2 --work-orders "$work/orders.csv" \
  --format json --no-progress
# Fixed after the period ended: nothing after the fix yet, so the cell is unverified.
json cells_orders "next(c['remediation'] for c in j['cells'] if c['id'] == '$still')" unverified
json cells_orders "next(c['work_order']['order_id'] for c in j['cells'] if c['id'] == '$still')" \
  WO-7
# A fix inside the period splits the cell's before and after, not the period's own figures: the
# measured and poor cells of every period are those of the run without work orders. (Fixed in
# the period's last week, the cell's "after" has too few tests to be measured: a period figure
# taken from the split would differ.)
printf 'cell_id,order_id,fixed_at\n%s,WO-8,2022-12-24\n' "$still" >"$work/orders_mid.csv"
run kpi_orders 0 "$TSQ" kpi "$data" --period 2022H2 --id 'speedtests.*' --work-orders \
  "$work/orders_mid.csv" --format json --no-progress
run kpi_no_orders 0 "$TSQ" kpi "$data" --period 2022H2 --id 'speedtests.*' --format json \
  --no-progress
checks=$((checks + 1))
python3 - "$work/kpi_orders.out" "$work/kpi_no_orders.out" <<'PY' || fail "kpi_orders: figures"
import json, sys
def cells(path):
    j = json.load(open(path))
    out = {}
    periods = {"period": j, "previous": j.get("previous") or {},
               "year_earlier": j.get("year_earlier") or {}}
    for key, period in periods.items():
        for v in period.get("indicators", []):
            if v["id"] in ("speedtests.measured_cells", "speedtests.poor_cells"):
                out[(key, v["id"], json.dumps(v["group"], sort_keys=True))] = v["value"]
    return out
a, b = cells(sys.argv[1]), cells(sys.argv[2])
sys.exit(0 if a and a == b else 1)
PY

# Usage errors.
run cells_baseline_late 2 "$TSQ" cells "$data" --period 2022H2 --baseline 2022H2 --no-progress
contains cells_baseline_late err "must end before the period"
run cells_bad_operator 2 "$TSQ" cells "$data" --period 2022H2 --operator 移東 --no-progress
contains cells_bad_operator err "no such operator"
run cells_map_name 2 "$TSQ" cells "$data" --period 2022H2 --map-page "$work/cells.png" \
  --no-progress
contains cells_map_name err "name it *.html"
run broadband_bad_line 2 "$TSQ" broadband "$data" --period 2022H2 --line NOPE --no-progress
contains broadband_bad_line err "--line NOPE"
mkdir -p "$work/no_tests"
cp "$data/calls.csv" "$work/no_tests/"
run cells_no_tests 1 "$TSQ" cells "$work/no_tests" --period 2022H2 --no-progress
contains cells_no_tests err "no speed tests"
# A remediation baseline of another length still works.
run cells_baseline_q2 0 "$TSQ" cells "$data" --period 2022H2 --baseline 2022Q2 --format json \
  --no-progress
json cells_baseline_q2 "j['baseline']" 2022Q2

finish
