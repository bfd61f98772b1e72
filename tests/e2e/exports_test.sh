#!/usr/bin/env bash
# Operators' exports in GB18030: a generated province re-encoded as GB18030 with Chinese headers
# (one file compressed) gives the same indicators as its UTF-8 original with --preset zh and
# --encoding gb18030 or --encoding auto; the summary says what was detected; a byte
# GB18030 cannot decode quarantines its row (reason undecodable, with its line), not the run.
# Excel workbooks (.xlsx, first sheet; dates as date cells, sparse rows) read as the same records,
# and so do the sheets of one workbook named for the province, a sheet per record type.
# Usage: exports_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

utf8="$work/utf8"
gb="$work/gb18030"
run generate 0 "$TSQ" generate --out "$utf8" --scale 0.02 --seed 7 --period 2022H2 --no-progress
# The province as operators' systems export it: every header in Chinese (the first name preset
# zh lists for it), in GB18030; one file compressed, as decoding comes after decompression; and
# values as exports write them: calls' start times as 2022/7/1 8:05:03, orders' acceptance as
# 20220701080503, complaints' receipt as Excel serials, durations and bill amounts with
# thousands separators.
mkdir -p "$gb"
python3 - "$utf8" "$gb" "$ROOT/src/model/presets/zh.toml" <<'PY'
import csv, datetime, os, sys, tomllib
src, dst, preset_path = sys.argv[1:]
local = lambda v: datetime.datetime.fromisoformat(v).replace(tzinfo=None)
def slash(v):
    t = local(v)
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02}:{t.second:02}"
def excel(v):
    return repr((local(v) - datetime.datetime(1899, 12, 30)).total_seconds() / 86400)
def thousands(v):
    whole, _, frac = v.partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")
FORMS = {"calls": {"start_time": slash, "duration_s": thousands}, "orders": {"accepted_at": lambda v: local(v).strftime("%Y%m%d%H%M%S")},
         "complaints": {"received_at": excel}, "billing": {"amount_cny": thousands}}
preset = tomllib.load(open(preset_path, "rb"))
for name in sorted(os.listdir(src)):
    rtype = name.split(".")[0]
    if not name.endswith(".csv") or rtype not in preset:
        continue
    rows = list(csv.reader(open(os.path.join(src, name), encoding="utf-8-sig", newline="")))
    header = rows[0]
    for column, form in FORMS.get(rtype, {}).items():
        c = header.index(column)
        for row in rows[1:]:
            if row[c]:
                row[c] = form(row[c])
    rows[0] = [preset[rtype].get(h, [h])[0] for h in header]
    with open(os.path.join(dst, name), "w", encoding="gb18030", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
PY
cat >"$work/forms.toml" <<'TOML'
[calls.forms]
start_time = "slash"
[orders.forms]
accepted_at = "compact"
TOML
maps=(--preset zh --mapping "$work/forms.toml" --form complaints.received_at=excel
  --form billing.amount_cny=thousands --form calls.duration_s=thousands)
checks=$((checks + 1))
grep -qE '"[0-9],[0-9]{3}"' "$gb/calls.csv" || fail "no duration with a thousands separator"
gzip "$gb/sms.csv"
checks=$((checks + 1))
if iconv -f UTF-8 -t UTF-8 "$gb/orders.csv" >/dev/null 2>&1; then fail "orders.csv is still UTF-8"; fi

run kpi_utf8 0 "$TSQ" kpi "$utf8" -p 2022H2 --format json --no-progress
run kpi_gb 0 "$TSQ" kpi "$gb" -p 2022H2 --format json --encoding gb18030 --no-progress "${maps[@]}"
run kpi_auto 0 "$TSQ" kpi "$gb" -p 2022H2 --format json --encoding auto --no-progress "${maps[@]}"
checks=$((checks + 1))
python3 - "$work" <<'PY' || fail "the GB18030 province's indicators differ from the UTF-8 one's"
import json, sys
w = sys.argv[1]
utf8, gb, auto = (json.load(open(f"{w}/{n}.out")) for n in ("kpi_utf8", "kpi_gb", "kpi_auto"))
assert len(utf8["indicators"]) > 1000
assert gb["indicators"] == utf8["indicators"], "gb18030"
assert auto["indicators"] == utf8["indicators"], "auto"
files = {f["path"].split("/")[-1]: f for f in auto["data_quality"]["files"]}
assert files["calls.csv"]["encoding"] == "gb18030" and files["calls.csv"]["encoding_detected"]
assert files["sms.csv.gz"]["encoding"] == "gb18030"
assert all(f["rows_quarantined"] == 0 for f in auto["data_quality"]["files"]), "quarantined"
PY

run validate_auto 0 "$TSQ" validate "$gb" --encoding auto --lang en "${maps[@]}"
contains validate_auto out "encoding: gb18030 (detected)"
run validate_auto_zh 0 "$TSQ" validate "$utf8" --encoding auto --lang zh
contains validate_auto_zh out "编码: utf-8（自动识别）"

# The calls and the orders as Excel workbooks, the orders with Chinese headers: same indicators.
xl="$work/xlsx"
mkdir -p "$xl"
cp "$utf8"/*.csv "$xl/"
python3 "$ROOT/tests/e2e/csv_to_xlsx.py" "$utf8/calls.csv" "$xl/calls.xlsx" --dates start_time \
  --numbers duration_s,dropped || fail "csv_to_xlsx calls"
sed '1s/^order_id,operator,region,county,service,kind,accepted_at,completed_at,/工单号,运营商,地市,区县,业务类型,工单类型,受理时间,办结时间,/' \
  "$utf8/orders.csv" >"$work/orders-zh.csv"
python3 "$ROOT/tests/e2e/csv_to_xlsx.py" "$work/orders-zh.csv" "$xl/orders.xlsx" \
  --dates 受理时间,办结时间 --numbers customer_age || fail "csv_to_xlsx orders"
rm "$xl/calls.csv" "$xl/orders.csv"
run kpi_xlsx 0 "$TSQ" kpi "$xl" -p 2022H2 --format json --preset zh --encoding auto --no-progress
checks=$((checks + 1))
python3 - "$work" <<'PY' || fail "the workbooks' indicators differ from the CSV files'"
import json, sys
w = sys.argv[1]
utf8, xl = (json.load(open(f"{w}/{n}.out")) for n in ("kpi_utf8", "kpi_xlsx"))
assert xl["indicators"] == utf8["indicators"]
files = {f["path"].split("/")[-1]: f for f in xl["data_quality"]["files"]}
assert files["calls.xlsx"]["rows_read"] > 10000 and files["calls.xlsx"]["rows_quarantined"] == 0
assert files["orders.xlsx"]["rows_quarantined"] == 0
PY
mkdir -p "$work/bad"
printf 'not a workbook\n' >"$work/bad/calls.xlsx"
run not_xlsx 1 "$TSQ" validate "$work/bad"
contains not_xlsx err "calls.xlsx: not a zip archive"

# One workbook for the province, a sheet per record type: the calls and the orders (the tab in
# another case) after a 说明 notes sheet. The same indicators again; the notes sheet is not read,
# with a warning; inputs are named with their sheets, and the digest is the workbook's.
book="$work/book"
mkdir -p "$book"
cp "$utf8"/*.csv "$book/"
python3 "$ROOT/tests/e2e/csv_to_xlsx.py" "$book/province.xlsx" --sheet calls="$utf8/calls.csv" \
  --sheet Orders="$utf8/orders.csv" --dates start_time,accepted_at,completed_at \
  --numbers duration_s,dropped,customer_age || fail "csv_to_xlsx province"
rm "$book/calls.csv" "$book/orders.csv"
run kpi_book 0 "$TSQ" kpi "$book" -p 2022H2 --format json --no-progress
contains kpi_book err "province.xlsx: sheet 说明 is named by no record type, so it is not read"
checks=$((checks + 1))
python3 - "$work" "$book/province.xlsx" <<'PY' || fail "the workbook's sheets read differently from the CSV files"
import hashlib, json, sys
w, path = sys.argv[1:]
utf8, book = (json.load(open(f"{w}/{n}.out")) for n in ("kpi_utf8", "kpi_book"))
assert book["indicators"] == utf8["indicators"]
files = {(f["path"].split("/")[-1], f["sheet"]): f for f in book["data_quality"]["files"]}
calls, orders = files[("province.xlsx", "calls")], files[("province.xlsx", "Orders")]
assert calls["type"] == "calls" and orders["type"] == "orders"
assert calls["rows_read"] > 10000 and calls["rows_quarantined"] == 0
assert orders["rows_read"] > 100 and orders["rows_quarantined"] == 0
digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
assert calls["sha256"] == orders["sha256"] == digest
assert files[("sms.csv", None)]["rows_read"] > 0
PY
run validate_book 0 "$TSQ" validate "$book" --lang en
contains validate_book out "province.xlsx[calls]"
contains validate_book out "province.xlsx[Orders]"
contains validate_book err "tsq: warning: $book/province.xlsx: sheet 说明"
# A bad row in a sheet is quarantined under the workbook and sheet, at its Excel row.
mkdir -p "$work/book-bad"
python3 - "$utf8/calls.csv" "$work/calls-bad.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
bad = list(rows[1])
bad[rows[0].index("start_time")] = "not a time"
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    csv.writer(out, lineterminator="\n").writerows(rows[:50] + [bad])  # the bad row is row 51
PY
python3 "$ROOT/tests/e2e/csv_to_xlsx.py" "$work/book-bad/吉林.xlsx" \
  --sheet " Calls "="$work/calls-bad.csv" || fail "csv_to_xlsx calls-bad"
run book_bad 0 "$TSQ" validate "$work/book-bad" --quarantine "$work/book-q.csv"
checks=$((checks + 1))
grep -qF "$work/book-bad/吉林.xlsx[ Calls ],51,start_time,bad_timestamp," "$work/book-q.csv" ||
  fail "book_bad: no quarantined row at 吉林.xlsx[ Calls ] row 51: $(cat "$work/book-q.csv")"
# A workbook with no sheet named by a record type is an error naming it, its sheets and the types.
mkdir -p "$work/book-none"
python3 "$ROOT/tests/e2e/csv_to_xlsx.py" "$work/book-none/province.xlsx" \
  --sheet call="$work/calls-bad.csv" || fail "csv_to_xlsx book-none"
run book_none 1 "$TSQ" validate "$work/book-none"
contains book_none err "province.xlsx: none of its sheets (说明, call) is named by a record type (orders, calls,"
contains book_none err "sheet 'call': did you mean calls?"

# A byte GB18030 cannot decode: that row is quarantined with its line; the others are read.
lines=$(wc -l <"$gb/orders.csv")
python3 - "$gb/orders.csv" <<'PY'
import sys
path = sys.argv[1]
last = open(path, "rb").read().rstrip(b"\n").split(b"\n")[-1]
fields = last.split(b",")
fields[0] = b"X" + fields[0]
fields[1] = b"\xff\xfe"  # the operator: bytes that are no GB18030 character
open(path, "ab").write(b",".join(fields) + b"\n")
PY
run undecodable 0 "$TSQ" validate "$gb" --encoding gb18030 --quarantine "$work/q.csv" \
  "${maps[@]}"
checks=$((checks + 1))
grep -q "orders.csv,$((lines + 1)),,undecodable" "$work/q.csv" ||
  fail "undecodable: no quarantined row at line $((lines + 1)): $(grep undecodable "$work/q.csv")"
run no_preset 1 "$TSQ" kpi "$gb" -p 2022H2 --encoding auto
contains no_preset err "--map"
run bad_preset 2 "$TSQ" kpi "$gb" -p 2022H2 --preset huawei
contains bad_preset err "no such preset (presets: zh"
run presets 0 "$TSQ" presets zh
contains presets out "主叫号码"
# What 'tsq presets zh' prints is a mapping file a user can start from: it reads the same.
cp "$work/presets.out" "$work/my-mapping.toml"
cat "$work/forms.toml" >>"$work/my-mapping.toml"
run kpi_own_mapping 0 "$TSQ" kpi "$gb" -p 2022H2 --format json --encoding auto --no-progress \
  --mapping "$work/my-mapping.toml" --form complaints.received_at=excel \
  --form billing.amount_cny=thousands --form calls.duration_s=thousands
checks=$((checks + 1))
python3 -c "import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); assert a['indicators']==b['indicators']" \
  "$work/kpi_utf8.out" "$work/kpi_own_mapping.out" || fail "the printed preset as a mapping file reads differently"
run bad_form 2 "$TSQ" kpi "$gb" -p 2022H2 --form calls.caller=slash
contains bad_form err "calls.caller is not a timestamp column"
run bad_encoding 2 "$TSQ" kpi "$gb" -p 2022H2 --encoding latin1
contains bad_encoding err "one of utf-8, gb18030, gbk, auto"
finish
