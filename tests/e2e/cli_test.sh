#!/usr/bin/env bash
# End-to-end tests of the tsq command line: what a user types and sees, including errors.
# Usage: cli_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

# --help teaches: every command is listed and explains itself.
run help 0 "$TSQ" --help
for cmd in generate validate kpi indicators; do contains help out "$cmd"; done
run kpi_help 0 "$TSQ" kpi --help
contains kpi_help out "--period"
contains kpi_help out "Examples"

# Usage errors: exit 2 with one clear line, never a stack trace.
run no_command 2 "$TSQ"
run missing_dir 2 "$TSQ" validate "$work/does-not-exist"
contains missing_dir err "does-not-exist"
mkdir -p "$work/empty"
run empty_dir 1 "$TSQ" validate "$work/empty"
contains empty_dir err "no record files found"

# A small generated province, validated and computed.
run generate 0 "$TSQ" generate --out "$work/data" --scale 0.01 --seed 7 --period 2022H2
for f in orders calls sms billing complaints appeals hotline porting speedtests broadband_tests \
  subscribers; do
  checks=$((checks + 1))
  ls "$work/data/$f".* >/dev/null 2>&1 || fail "generate: no $f file"
done
run validate 0 "$TSQ" validate "$work/data" --format json
json validate "j['rows_quarantined']" 0
json validate "j['rows_read'] == j['rows_accepted'] > 0" True

run kpi_no_period 2 "$TSQ" kpi "$work/data"
contains kpi_no_period err "which period"
run kpi_bad_period 2 "$TSQ" kpi "$work/data" --period 2022H3
contains kpi_bad_period err "is not a period"
run kpi_bad_tz 2 "$TSQ" kpi "$work/data" --period 2022H2 --tz 8
contains kpi_bad_tz err "--tz"

run kpi_json 0 "$TSQ" kpi "$work/data" --period 2022H2 --format json
json kpi_json "j['period'], j['from'], j['to'], j['as_of']" "2022H2 2022-07-01T00:00:00+08:00 2023-01-01T00:00:00+08:00 2023-01-01T00:00:00+08:00"
json kpi_json "({i['id'] for i in j['indicators'] if i['group'] == {}} >= {'calls.connect_rate', 'calls.connect_rate_busy_hour', 'calls.drop_rate', 'calls.congestion_rate', 'appeals.settlement_rate', 'hotline.human_answer_rate', 'orders.mobile.repair.timely_rate'})" True
json kpi_json "all(0 <= i['value'] <= 1 for i in j['indicators'] if i['id'].endswith('_rate') and i['value'] is not None and not i['id'].endswith('change_yoy'))" True
json kpi_json "all(i['verdict'] in (None, 'met', 'missed', 'insufficient data') for i in j['indicators'])" True

run kpi_csv 0 "$TSQ" kpi "$work/data" --period 2022H2 --format csv --id 'calls.*'
contains kpi_csv out "period,id,operator,from_operator,region,month,rat"
not_contains kpi_csv out "orders."

run kpi_table 0 "$TSQ" kpi "$work/data" --period 2022H2
contains kpi_table out "网络接通率"
run kpi_table_en 0 "$TSQ" kpi "$work/data" --period 2022H2 --lang en
contains kpi_table_en out "Network connection rate"

# --id reads only the record types those ids need: a broken orders file does not matter to calls.
mkdir -p "$work/only_calls"
cp "$work/data/calls.csv" "$work/only_calls/"
printf 'order_id,operator\n1,移动\n' >"$work/only_calls/orders.csv"
run kpi_only_calls 0 "$TSQ" kpi "$work/only_calls" --period 2022H2 --format json --id 'calls.*'
json kpi_only_calls "sorted({i['id'].split('.')[0] for i in j['indicators']})" "['calls']"
run kpi_all_needs_orders 1 "$TSQ" kpi "$work/only_calls" --period 2022H2
contains kpi_all_needs_orders err "orders.csv"

# A catalog override changes a target, per operator too.
cat >"$work/catalog.toml" <<'TOML'
[indicators."calls.drop_rate"]
target = "<= 0.000001"
TOML
run kpi_catalog 0 "$TSQ" kpi "$work/data" --period 2022H2 --format json --id calls.drop_rate \
  --catalog "$work/catalog.toml"
json kpi_catalog "[i['target']['value'] for i in j['indicators'] if i['group'] == {}]" "[1e-06]"
printf '[indicators."calls.drop_rate"]\ntarget = "about five"\n' >"$work/bad_catalog.toml"
run kpi_bad_catalog 2 "$TSQ" kpi "$work/data" --period 2022H2 --catalog "$work/bad_catalog.toml"
contains kpi_bad_catalog err "bad_catalog.toml:2: indicators.\"calls.drop_rate\".target"
# A misspelt catalog key, id or parameter is an error naming the file, line and key.
printf '# my targets\n[indicators."calls.drop_rate"]\ntraget = "<= 0.01"\n' >"$work/typo.toml"
run kpi_catalog_typo 2 "$TSQ" kpi "$work/data" --period 2022H2 --catalog "$work/typo.toml"
contains kpi_catalog_typo err "typo.toml:3: indicators.\"calls.drop_rate\".traget: unknown key"
contains kpi_catalog_typo err "did you mean target?"
printf '[params]\n"complaints.max_hour" = 48\n' >"$work/param.toml"
run kpi_catalog_param 2 "$TSQ" kpi "$work/data" --period 2022H2 --catalog "$work/param.toml"
contains kpi_catalog_param err 'param.toml:2: params."complaints.max_hour": no such parameter'
printf '[operators."移动".indicators."calls.drop_rate"]\nmin_sample = -3\n' >"$work/neg.toml"
run kpi_catalog_negative 2 "$TSQ" indicators --catalog "$work/neg.toml"
contains kpi_catalog_negative err "neg.toml:2:"
contains kpi_catalog_negative err "must be a non-negative integer"
# A catalog for an operator the data does not have: a warning, not silence.
printf '[operators."移懂".params]\n"hotline.answer_within_s" = 20\n' >"$work/op.toml"
run kpi_catalog_operator 0 "$TSQ" kpi "$work/data" --period 2022H2 --catalog "$work/op.toml" \
  --id 'hotline.*'
contains kpi_catalog_operator err 'warning: '
contains kpi_catalog_operator err 'did you mean 移动?'
# The label follows a per-operator answer limit.
printf '[operators."联通".params]\n"hotline.answer_within_s" = 20\n' >"$work/limit.toml"
run kpi_label_follows_limit 0 "$TSQ" kpi "$work/data" --period 2022H2 --catalog "$work/limit.toml" \
  --id 'hotline.answered_within_15s_rate' --all
contains kpi_label_follows_limit out "20秒人工应答率"
contains kpi_label_follows_limit out "15秒人工应答率"
contains kpi_label_follows_limit out "15/20秒人工应答率"

# --id patterns and --operator that match nothing are errors with close matches.
run kpi_id_typo 2 "$TSQ" kpi "$work/data" --period 2022H2 --id 'call.*'
contains kpi_id_typo err "--id 'call.*' matches no indicator"
contains kpi_id_typo err "calls.*"
run kpi_operator_typo 2 "$TSQ" kpi "$work/data" --period 2022H2 --operator 移懂
contains kpi_operator_typo err "did you mean 移动?"

# kpi JSON carries the data-quality accounting; --max-bad-share fails with exit status 3.
run generate_bad 0 "$TSQ" generate --out "$work/bad" --scale 0.01 --seed 7 --period 2022H2 --bad
run kpi_quality 0 "$TSQ" kpi "$work/bad" --period 2022H2 --format json
json kpi_quality "j['data_quality']['rows_read'] == j['data_quality']['rows_accepted'] + j['data_quality']['rows_quarantined']" True
json kpi_quality "j['data_quality']['rows_quarantined'] > 0 and all(f['rows_read'] == f['rows_accepted'] + f['rows_quarantined'] == f['rows_accepted'] + sum(f['quarantined_by_reason'].values()) for f in j['data_quality']['files'])" True
json kpi_quality "sorted({len(f['sha256']) for f in j['data_quality']['files']}), len(j['catalog_sha256'])" "[64] 64"
json kpi_quality "[f for f in j['data_quality']['files'] if f['path'].endswith('calls.csv')][0]['quarantined_by_reason']['column_count'] > 0" True
run kpi_max_bad 3 "$TSQ" kpi "$work/bad" --period 2022H2 --format json --out "$work/never.json" \
  --max-bad-share 0.001
contains kpi_max_bad err "--max-bad-share"
contains kpi_max_bad err "porting.csv"
checks=$((checks + 1))
[[ ! -e "$work/never.json" ]] || fail "kpi_max_bad: wrote its output"
run kpi_max_bad_ok 0 "$TSQ" kpi "$work/bad" --period 2022H2 --max-bad-share 0.5 --id 'sms.*'
run kpi_help_exit 0 "$TSQ" kpi --help
contains kpi_help_exit out "3 --max-bad-share exceeded"

# The report in every format, and the regulator's notice.
run report 0 "$TSQ" report "$work/data" --period 2022H2 --province 吉林省 \
  --out "$work/r.html" --out "$work/r.xlsx" --out "$work/r.md" --out "$work/r.json"
for f in r.html r.xlsx r.md r.json; do
  checks=$((checks + 1))
  [[ -s "$work/$f" ]] || fail "report: $f missing or empty"
done
checks=$((checks + 1))
grep -q "主要服务指标完成情况" "$work/r.html" || fail "report: no per-operator table in r.html"
checks=$((checks + 1))
grep -q "吉林省2022年下半年" "$work/r.html" || fail "report: no title in r.html"
# What a person sees: the generated province's report opened in headless Chromium.
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -n "$browser" ]]; then
  chrome=("$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$work/chrome")
  run report_dom 0 timeout 120 "${chrome[@]}" --dump-dom "file://$work/r.html"
  contains report_dom out "主要服务指标完成情况"
  contains report_dom out "附录"
  run report_shot 0 timeout 120 "${chrome[@]}" --window-size=1280,1800 \
    --screenshot="$work/r.png" "file://$work/r.html"
  checks=$((checks + 1))
  [[ -s "$work/r.png" ]] || fail "report_shot: no screenshot"
else
  echo "chromium not installed: the report is not opened in a browser here" >&2
fi
run notice 0 "$TSQ" report "$work/data" --period 2022H2 --notice --out "$work/n.html"
checks=$((checks + 1))
grep -q "和解率" "$work/n.html" || fail "notice: no appeals settlement rate"
# The quarterly notice, as MIIT's: each operator's appeals by class, its shares of appeals and of
# users, its appeals per million users and their change on the previous quarter, as kpi has them.
run notice_q4 0 "$TSQ" report "$work/data" --period 2022Q4 --notice --out "$work/n-q4.md"
run kpi_q4 0 "$TSQ" kpi "$work/data" --period 2022Q4 --format json --id 'appeals.*' \
  --id 'subscribers.*'
checks=$((checks + 1))
python3 - "$work/n-q4.md" "$work/kpi_q4.out" <<'PY' || fail "notice_q4: the quarterly table differs from kpi"
import json, sys
md = open(sys.argv[1], encoding="utf-8").read()
kpi = json.load(open(sys.argv[2]))
names = {"移动": "中国移动", "联通": "中国联通", "电信": "中国电信"}
value = {(v["id"], json.dumps(v["group"], ensure_ascii=False)): v["value"] for v in kpi["indicators"]}
assert "基础电信企业用户申诉分类统计表" in md and "比上季度增减" in md
assert "截至2022年12月末" in md, "no user base paragraph"
table = md[md.index("基础电信企业用户申诉分类统计表"):]
for op, name in names.items():
    g = json.dumps({"operator": op}, ensure_ascii=False)
    row = next(l for l in table.splitlines() if l.startswith(f"| {name} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    want = [name] + [f"{value[(i, g)]:,.0f}" for i in ("appeals.user_service",
             "appeals.network_quality", "appeals.billing_dispute", "appeals.accepted")]
    want += [f"{value[('appeals.accepted_share', g)] * 100:.2f}%",
             f"{value[('subscribers.users_share', g)] * 100:.2f}%",
             f"{value[('appeals.per_million', g)]:.1f}",
             f"{value[('appeals.per_million_change_prev', g)] * 100:+.1f}%"]
    assert cells == want, (cells, want)
PY
run report_bad_ext 2 "$TSQ" report "$work/data" --period 2022H2 --out "$work/r.doc"
contains report_bad_ext err "r.doc"
checks=$((checks + 1))
[[ ! -e "$work/r.doc" ]] || fail "report_bad_ext: wrote r.doc"

# Every missed verdict of kpi is named in the analysis report (its JSON lists them all).
run report_failures 0 "$TSQ" report "$work/bad" --period 2022H2 --out "$work/failures.json"
run kpi_failures 0 "$TSQ" kpi "$work/bad" --period 2022H2 --format json
checks=$((checks + 1))
python3 - "$work/kpi_failures.out" "$work/failures.json" <<'PY' || fail "report_failures: kpi's missed verdicts and the report's failures differ"
import json, sys
kpi = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
key = lambda v: (v["id"], json.dumps(v["group"], sort_keys=True, ensure_ascii=False))
missed = {key(v) for v in kpi["indicators"] if v["verdict"] == "missed"}
named = {key(v) for v in report["failures"]}
assert missed and missed == named, (len(missed), len(named), list(missed ^ named)[:5])
PY
# The documents a user can ask for, and what cannot go together.
run report_company 0 "$TSQ" report "$work/bad" --period 2022H2 --operator 移动 \
  --company 中国移动通信集团吉林有限公司 --out "$work/company.md"
checks=$((checks + 1))
grep -q "企业声明：本报告内容客观、真实、准确。" "$work/company.md" || fail "report_company: no statement"
run report_company_typo 2 "$TSQ" report "$work/bad" --period 2022H2 --operator 移懂 \
  --out "$work/never.md"
contains report_company_typo err "did you mean 移动?"
run report_two_documents 2 "$TSQ" report "$work/bad" --period 2022H2 --notice --operator 移动 \
  --out "$work/never.md"
printf '## 公司简介\nx\n' >"$work/narrative.md"
run report_narrative_alone 2 "$TSQ" report "$work/bad" --period 2022H2 \
  --narrative "$work/narrative.md" --out "$work/never.md"
printf '## 公司简绍\nx\n' >"$work/bad_narrative.md"
run report_bad_narrative 2 "$TSQ" report "$work/bad" --period 2022H2 --operator 移动 \
  --narrative "$work/bad_narrative.md" --out "$work/never.md"
contains report_bad_narrative err "bad_narrative.md:1:"
checks=$((checks + 1))
[[ ! -e "$work/never.md" ]] || fail "report: wrote a document after a usage error"

run indicators 0 "$TSQ" indicators --format json
json indicators "len(j['indicators']) > 20" True

# Fatal file problems: one message naming the file (and column), exit 1, no output left behind.
mkdir -p "$work/fatal"
printf 'start_time,caller,callee,operator,region,outcome\n2022-07-01 08:00:00,1,2,移动,长春,answered\n' \
  >"$work/fatal/calls.csv"
sed -i 's/,region,/,area,/' "$work/fatal/calls.csv"
run missing_column 1 "$TSQ" validate "$work/fatal" --quarantine "$work/fatal-q.csv"
contains missing_column err "calls.csv"
contains missing_column err "region"
checks=$((checks + 1))
[[ ! -e "$work/fatal-q.csv" ]] || fail "missing_column: quarantine file left behind"
# ...and the mapping flag reads an operator's own header.
run mapped 0 "$TSQ" validate "$work/fatal" --map calls.region=area --format json
json mapped "j['rows_accepted']" 1

mkdir -p "$work/trunc"
head -c 2000 "$work/data/calls.csv" | gzip -c | head -c 300 >"$work/trunc/calls.csv.gz"
run truncated 1 "$TSQ" validate "$work/trunc"
contains truncated err "calls.csv.gz"

finish
