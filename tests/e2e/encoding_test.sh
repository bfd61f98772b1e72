#!/usr/bin/env bash
# Operators' exports in GB18030: a generated province re-encoded as GB18030 (one file compressed,
# the calls with Chinese headers mapped) gives the same indicators as its UTF-8 original with
# --encoding gb18030 and with --encoding auto; the summary says what was detected; a byte
# GB18030 cannot decode quarantines its row (reason undecodable, with its line), not the run.
# Usage: encoding_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

utf8="$work/utf8"
gb="$work/gb18030"
run generate 0 "$TSQ" generate --out "$utf8" --scale 0.02 --seed 7 --period 2022H2 --no-progress
mkdir -p "$gb"
for f in "$utf8"/*.csv; do
  iconv -f UTF-8 -t GB18030 "$f" >"$gb/$(basename "$f")" || fail "iconv $f"
done
# The calls as an operator's system exports them: Chinese headers, in GB18030.
sed -i '1s/^start_time,caller,callee,/开始时间,主叫号码,被叫号码,/' "$utf8/calls.csv"
iconv -f UTF-8 -t GB18030 "$utf8/calls.csv" >"$gb/calls.csv"
maps=(--map calls.start_time=开始时间 --map calls.caller=主叫号码 --map calls.callee=被叫号码)
gzip "$gb/sms.csv"  # decoding comes after decompression
checks=$((checks + 1))
if iconv -f UTF-8 -t UTF-8 "$gb/orders.csv" >/dev/null 2>&1; then fail "orders.csv is still UTF-8"; fi

run kpi_utf8 0 "$TSQ" kpi "$utf8" -p 2022H2 --format json --no-progress "${maps[@]}"
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
run validate_auto_zh 0 "$TSQ" validate "$utf8" --encoding auto --lang zh "${maps[@]}"
contains validate_auto_zh out "编码: utf-8（自动识别）"

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
run bad_encoding 2 "$TSQ" kpi "$gb" -p 2022H2 --encoding latin1
contains bad_encoding err "one of utf-8, gb18030, gbk, auto"
finish
