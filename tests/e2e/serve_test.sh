#!/usr/bin/env bash
# tsq serve: the JSON API over a store of two ingested periods answers what tsq kpi computed, with
# 同比 from the store; filters, history, findings, downloads and /metrics work; every bad request
# is a clear 4xx; a token guards the API; slow clients do not stall others; no subscriber number
# leaves the server in full, even when the period was ingested with --show-numbers.
# Loopback only. Usage: serve_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

store="$work/periods.db"
run gen22 0 "$TSQ" generate --out "$work/d22" --scale 0.05 --seed 3 --period 2022H2 --no-progress
run gen21 0 "$TSQ" generate --out "$work/d21" --scale 0.05 --seed 4 --period 2021H2 --no-progress
run ingest21 0 "$TSQ" ingest "$work/d21" -p 2021H2 --store "$store" --show-numbers --no-reports \
  --no-progress
run ingest22 0 "$TSQ" ingest "$work/d22" -p 2022H2 --store "$store" --no-progress
run kpi22 0 "$TSQ" kpi "$work/d22" -p 2022H2 --format json --no-progress
run kpi21 0 "$TSQ" kpi "$work/d21" -p 2021H2 --format json --no-progress

# start NAME ARGS...: tsq serve over this test's store.
start() {
  local name=$1
  shift
  start_serve "$name" --store "$store" "$@"
}

bodies="$work/bodies"
mkdir -p "$bodies"
# get NAME PATH STATUS [CURL ARGS...]: GETs $url$PATH, keeps the body in $work/NAME.out.
get() {
  local name=$1 path=$2 expected=$3
  shift 3
  checks=$((checks + 1))
  local status
  status=$(curl -s -g -o "$work/$name.out" -w '%{http_code}' "$@" "$url$path")
  cp "$work/$name.out" "$bodies/$name"
  [[ $status == "$expected" ]] || fail "$name: GET $path: HTTP $status, expected $expected: $(head -c 300 "$work/$name.out")"
}

start server
get periods "api/v1/periods" 200
json periods '[p["label"] for p in j["periods"]]' "['2021H2', '2022H2']"
json periods 'j["periods"][1]["year_earlier"]' "2021H2"
get period "api/v1/periods/2022H2" 200
json period 'j["operators"]' "['电信', '移动', '联通']"
json period 'len(j["regions"]) > 0 and len(j["months"]) == 6' "True"

# The values are tsq kpi's; names and 同比 are added.
get overall "api/v1/periods/2022H2/indicators" 200
get mobile "api/v1/periods/2022H2/indicators?operator=%E7%A7%BB%E5%8A%A8" 200
get regions "api/v1/periods/2022H2/indicators?operator=%E7%A7%BB%E5%8A%A8&breakdown=region&id=calls.*" 200
get en "api/v1/periods/2022H2/indicators?id=calls.connect_rate&lang=en" 200
json en 'j["values"][0]["name"]' "Network connection rate"
checks=$((checks + 1))
python3 - "$work" <<'PY' || fail "serve: the API's values differ from tsq kpi's"
import json, sys
w = sys.argv[1]
load = lambda n: json.load(open(f"{w}/{n}.out"))
kpi22, kpi21 = load("kpi22"), load("kpi21")
key = lambda v: (v["id"], json.dumps(v["group"], ensure_ascii=False))
k22 = {key(v): v for v in kpi22["indicators"]}
k21 = {key(v): v for v in kpi21["indicators"]}
for name, want_group in [("overall", {}), ("mobile", {"operator": "移动"})]:
    api = load(name)["values"]
    expected = [v for v in kpi22["indicators"] if v["group"] == want_group]
    assert len(api) == len(expected) > 50, (name, len(api), len(expected))
    for v in api:
        k = v2 = k22[key(v)]
        for f in ["value", "n", "target", "verdict", "ci"]:
            assert v[f] == v2[f], (name, v["id"], f, v[f], v2[f])
        assert v["name"] and v["unit"], v
        ye = v["year_earlier"]
        if key(v) in k21:  # 同比: the 2021H2 period as stored
            assert ye == {"period": "2021H2", "value": k21[key(v)]["value"], "n": k21[key(v)]["n"]}, (v["id"], ye)
regions = load("regions")["values"]
assert regions and all(set(v["group"]) == {"operator", "region"} and v["group"]["operator"] == "移动"
                       and v["id"].startswith("calls.") for v in regions), regions[:2]
PY

get history "api/v1/indicators/calls.connect_rate/history?operator=%E7%A7%BB%E5%8A%A8" 200
json history '[p["period"] for p in j["periods"]]' "['2021H2', '2022H2']"
json history 'len(j["months"])' "12"
get cells "api/v1/periods/2022H2/cells?format=geojson" 200
json cells 'j["type"] == "FeatureCollection" and len(j["features"]) > 0' "True"
get cells_mobile "api/v1/periods/2022H2/cells?operator=%E7%A7%BB%E5%8A%A8" 200
json cells_mobile 'len(j["cells"]) > 0 and all(c["operator"] == "移动" for c in j["cells"])' "True"
get broadband "api/v1/periods/2022H2/broadband" 200
get callers "api/v1/periods/2022H2/callers" 200
json callers 'j["suspected"] > 0 and j["numbers_shown"]' "False"
get callers_unicom "api/v1/periods/2022H2/callers?operator=%E8%81%94%E9%80%9A" 200
json callers_unicom 'len(j["list"]) > 0 and all(c["operator"] == "联通" for c in j["list"])' "True"
get callers21 "api/v1/periods/2021H2/callers" 200
json callers21 'j["numbers_shown"]' "False"
get quality "api/v1/periods/2022H2/data-quality" 200
get catalog "api/v1/catalog" 200
get openapi "api/v1/openapi.json" 200
json openapi 'j["openapi"]' "3.0.3"
get xlsx "api/v1/periods/2022H2/reports/zh.xlsx" 200
checks=$((checks + 1))
[[ $(head -c 2 "$work/xlsx.out") == PK ]] || fail "xlsx: not a workbook"
get html_en "api/v1/periods/2022H2/reports/en.html" 200
contains html_en out "<html"
if command -v chromium >/dev/null; then
  get pdf "api/v1/periods/2022H2/reports/zh.pdf" 200
  checks=$((checks + 1))
  [[ $(head -c 4 "$work/pdf.out") == %PDF ]] || fail "pdf: not a PDF"
fi
get metrics "metrics" 200
checks=$((checks + 1))
python3 - "$work" <<'PY' || fail "metrics: the latest period's figures differ from tsq kpi's"
import json, re, sys
w = sys.argv[1]
text = open(f"{w}/metrics.out").read()
kpi = {v["id"]: v for v in json.load(open(f"{w}/kpi22.out"))["indicators"] if v["group"] == {}}
m = re.search(r'tsq_indicator_value\{period="2022H2",id="calls.connect_rate",operator=""\} (\S+)', text)
assert m and abs(float(m.group(1)) - kpi["calls.connect_rate"]["value"]) < 1e-12, m
assert 'tsq_periods_stored 2' in text
assert re.search(r'tsq_http_requests_total\{route="/api/v1/periods/\{period\}/indicators",status="200"\} \d+', text)
PY

# Every bad request is a 4xx that says what to change.
get bad_param "api/v1/periods/2022H2/indicators?operater=x" 400
contains bad_param out "did you mean operator?"
get twice "api/v1/periods/2022H2/indicators?id=a&id=b" 400
get no_period "api/v1/periods/2030H1/indicators" 404
contains no_period out "it holds 2021H2, 2022H2"
get bad_id "api/v1/indicators/calls.conect_rate/history" 404
contains bad_id out "did you mean calls.connect_rate?"
get bad_pattern "api/v1/periods/2022H2/indicators?id=nope.*" 400
get bad_breakdown "api/v1/periods/2022H2/indicators?breakdown=regon" 400
get bad_lang "api/v1/periods/2022H2/indicators?lang=fr" 400
get bad_format "api/v1/periods/2022H2/reports/zh.doc" 400
get bad_cells "api/v1/periods/2022H2/cells?format=kml" 400
get no_report "api/v1/periods/2021H2/reports/zh.html" 404
contains no_report out "ingested with --no-reports"
get no_page "nothing/here" 404
json no_page 'j["error"]["status"]' "404"
get post "api/v1/periods" 405 -X POST
get page "" 200
contains page out "<html"
get period_docs "api/v1/periods/2022H2" 200
json period_docs '"report.zh.xlsx" in j["documents"] and j["operator_names"]["移动"]["en"] != ""' "True"

# Slow clients: three connections that send half a request hold three of four workers; the
# fourth still answers, and the silent ones are dropped after --timeout.
start slow --connections 4 --timeout 2
python3 - "$url" <<'PY' || fail "slow clients stalled the server"
import socket, sys, time, urllib.request
host, port = sys.argv[1].split("//")[1].rstrip("/").split(":")
slow = []
for _ in range(3):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /api/v1/periods HTTP/1.1\r\nHost: x\r\n")  # never finished
    slow.append(s)
time.sleep(0.3)
t = time.time()
body = urllib.request.urlopen(sys.argv[1] + "api/v1/periods", timeout=10).read()
assert b"2022H2" in body and time.time() - t < 1.5, time.time() - t
# A client that hangs up in the middle of a large answer does not hurt the server.
s = socket.create_connection((host, int(port)))
s.sendall(b"GET /api/v1/periods/2022H2/reports/zh.xlsx HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(100)
s.close()
time.sleep(2.5)  # the silent ones are gone: all four workers answer at once
t = time.time()
for _ in range(4):
    urllib.request.urlopen(sys.argv[1] + "api/v1/periods", timeout=10).read()
assert time.time() - t < 2, time.time() - t
PY

# A token: the API and /metrics need it; the page's files do not.
TSQ_TOKEN=s3cret-token start guarded
get no_token "api/v1/periods" 401
get wrong_token "api/v1/periods" 401 -H "Authorization: Bearer nope"
get with_token "api/v1/periods" 200 -H "Authorization: Bearer s3cret-token"
get metrics_no_token "metrics" 401
get page_no_token "vendor/leaflet.css" 200
# Off loopback without a token, the server refuses to start (it never binds).
run open 2 "$TSQ" serve --store "$store" --bind 0.0.0.0 --port 0
contains open err "needs a token"
run no_store_dir 1 "$TSQ" serve --store "$work/no/such/dir.db" --port 0
contains no_store_dir err "cannot open the store"
run period_without_data 2 "$TSQ" serve --store "$store" --period 2022H2 --port 0
contains period_without_data err "--period goes with --data"

# SIGTERM stops a server cleanly.
start stopping
kill -TERM "${servers[-1]}"
checks=$((checks + 1))
wait "${servers[-1]}" || fail "serve: SIGTERM did not stop the server with status 0"

# No subscriber number in full in any answer, though 2021H2 was ingested with --show-numbers.
checks=$((checks + 1))
python3 "$ROOT/tests/e2e/privacy_scan.py" "$work/d21,$work/d22" "$bodies"/* >"$work/scan.txt" 2>&1 ||
  { fail "subscriber numbers in the API's answers:"; sed 's/^/    /' "$work/scan.txt" >&2; }
finish
