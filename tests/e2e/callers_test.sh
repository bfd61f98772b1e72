#!/usr/bin/env bash
# End-to-end tests of tsq callers on a generated province, held to what the generator planted
# (caller_labels.csv, truth.json): the planted harassers and fraudsters are listed with their
# evidence and the legitimate heavy callers are not; the features agree with truth.json; the
# evaluation, training and scoring commands; the whitelist; kpi and report; the errors a user can
# make.
# Usage: callers_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"

data="$work/data"
run generate 0 "$TSQ" generate --out "$data" --scale 0.3 --seed 5 --period 2022H2 --no-progress
labels="$data/caller_labels.csv"

run table 0 "$TSQ" callers "$data" --period 2022H2 --no-progress
contains table out "疑似骚扰诈骗号码 2022H2"
contains table out "号码已脱敏"
run json 0 "$TSQ" callers "$data" -p 2022H2 --all --format json --show-numbers --no-progress

# Every planted harasser and fraudster listed as suspected, no legitimate heavy caller, and each
# planted number's features as truth.json counts them.
checks=$((checks + 1))
python3 - "$work/json.out" "$data/truth.json" <<'PY' || fail "callers: planted numbers"
import json, sys
got = json.load(open(sys.argv[1]))
listed = {c["caller"]: c for c in got["list"]}
bad = []
for t in json.load(open(sys.argv[2]))["callers"]:
    c = listed.get(t["number"])
    suspect = t["label"] != "legitimate"
    if suspect and (c is None or not c["suspected"]):
        bad.append(f"{t['number']} ({t['kind']}) not suspected")
    if not suspect and c is not None and c["suspected"]:
        bad.append(f"{t['number']} ({t['kind']}) suspected")
    if c is None:
        continue
    f = c["features"]
    for name, want in [("calls", t["calls"]), ("active_days", t["active_days"]),
                       ("distinct_callees", t["distinct_callees"]),
                       ("imeis", len(t["imeis"])),
                       ("answer_rate", t["answer_rate"]),
                       ("short_answered_share", t["short_answered_share"]),
                       ("callback_ratio", t["callback_ratio"])]:
        if want is None:
            continue
        if abs(f[name] - want) > 1e-5 * max(1, abs(want)):
            bad.append(f"{t['number']} {name}: {f[name]} vs truth {want}")
    if c["rules"][:3] != ["volume", "fan_out", "no_call_back"] and suspect:
        bad.append(f"{t['number']}: rules {c['rules']}")
if got["suspected"] != sum(1 for c in got["list"] if c["suspected"]):
    bad.append("suspected count differs from the list")
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# Masked unless asked: no planted number in full in the default outputs.
run csv 0 "$TSQ" callers "$data" -p 2022H2 --all --format csv --no-progress
checks=$((checks + 1))
head -1 "$work/csv.out" | grep -q '^rank,caller,operator,region,score,suspected,cleared,rules,calls,' ||
  fail "csv: header"
for stream in table.out csv.out; do
  checks=$((checks + 1))
  ! grep -qFf <(tail -n +2 "$labels" | cut -d, -f1) "$work/$stream" || fail "$stream: a number in full"
done

# The evaluation: the plain planted population is found exactly.
run eval 0 "$TSQ" callers eval "$data" -p 2022H2 --labels "$labels" --format json --no-progress
json eval "j['f1']" "1.0"
json eval "j['confusion']['fp'] + j['confusion']['fn']" "0"
run eval_table 0 "$TSQ" callers eval "$data" -p 2022H2 --labels "$labels" --no-progress
contains eval_table out "PR-AUC"

# A model trained on one seed scores another seed's province.
run generate2 0 "$TSQ" generate --out "$work/data2" --scale 0.3 --seed 6 --period 2022H2 \
  --no-progress
run train 0 "$TSQ" callers train "$data" -p 2022H2 --labels "$labels" --out "$work/model.json" \
  --rounds 50 --no-progress
contains train err "positive"
run eval_model 0 "$TSQ" callers eval "$work/data2" -p 2022H2 --labels "$work/data2/caller_labels.csv" \
  --model "$work/model.json" --format json --no-progress
json eval_model "j['recall']" "1.0"
run model_list 0 "$TSQ" callers "$work/data2" -p 2022H2 --model "$work/model.json" --no-progress
contains model_list out "评分：模型 model.json"

# A whitelisted number is listed as cleared, never suspected, and leaves the kpi count.
first=$(python3 -c "
import json; print(next(c['caller'] for c in json.load(open('$work/json.out'))['list'] if c['suspected']))")
printf 'number\n%s\n' "$first" >"$work/cleared.txt"
run whitelist 0 "$TSQ" callers "$data" -p 2022H2 --all --format json --show-numbers \
  --whitelist "$work/cleared.txt" --no-progress
json whitelist "[c['cleared'] and not c['suspected'] for c in j['list'] if c['caller'] == '$first']" "[True]"
run kpi 0 "$TSQ" kpi "$data" -p 2022H2 --id 'callers.*' --format json --no-progress
run kpi_cleared 0 "$TSQ" kpi "$data" -p 2022H2 --id 'callers.*' --format json \
  --whitelist "$work/cleared.txt" --no-progress
checks=$((checks + 1))
python3 - "$work/kpi.out" "$work/kpi_cleared.out" "$work/json.out" <<'PY' || fail "kpi counts"
import json, sys
def total(path):
    return next(v["value"] for v in json.load(open(path))["indicators"]
                if v["id"] == "callers.suspected_numbers" and not v["group"])
listed = json.load(open(sys.argv[3]))["suspected"]
assert total(sys.argv[1]) == listed, (total(sys.argv[1]), listed)
assert total(sys.argv[2]) == listed - 1
PY

# The report's chapter, masked.
run report 0 "$TSQ" report "$data" -p 2022H2 --out "$work/r.md" --no-progress
contains report out "r.md"
checks=$((checks + 1))
grep -q "疑似号码及证据" "$work/r.md" || fail "report: no callers chapter"
checks=$((checks + 1))
! grep -qFf <(tail -n +2 "$labels" | cut -d, -f1) "$work/r.md" || fail "report: a number in full"

# Errors a user can make.
run no_dir 2 "$TSQ" callers -p 2022H2
run bad_operator 2 "$TSQ" callers "$data" -p 2022H2 --operator 移 --no-progress
contains bad_operator err "did you mean 移动?"
printf 'caller,label\n13800000001,maybe\n' >"$work/bad-labels.csv"
run bad_labels 2 "$TSQ" callers eval "$data" -p 2022H2 --labels "$work/bad-labels.csv" --no-progress
contains bad_labels err "bad-labels.csv:2: label 'maybe'"
printf 'caller,label\n13800000001,1\n13800000001,0\n' >"$work/twice.csv"
run twice 2 "$TSQ" callers eval "$data" -p 2022H2 --labels "$work/twice.csv" --no-progress
contains twice err "labelled twice"
echo '{"format": "something"}' >"$work/bad-model.json"
run bad_model 2 "$TSQ" callers "$data" -p 2022H2 --model "$work/bad-model.json" --no-progress
contains bad_model err "not a caller model"
printf 'abc\n' >"$work/bad-whitelist.txt"
run bad_whitelist 2 "$TSQ" callers "$data" -p 2022H2 --whitelist "$work/bad-whitelist.txt" \
  --no-progress
contains bad_whitelist err "bad-whitelist.txt:1: 'abc' is not a phone number"
run eval_csv 2 "$TSQ" callers eval "$data" -p 2022H2 --labels "$labels" --format csv
run bad_k 2 "$TSQ" callers eval "$data" -p 2022H2 --labels "$labels" --k 10,x --no-progress
# Spilling to disk gives the same list.
run spilled 0 "$TSQ" callers "$data" -p 2022H2 --all --format json --show-numbers --memory-mb 1 \
  --spill-dir "$work" --no-progress
json spilled "j['spilled_bytes'] > 0" "True"
checks=$((checks + 1))
python3 -c "
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
sys.exit(a['list'] != b['list'] or a['suspected'] != b['suspected'])
" "$work/json.out" "$work/spilled.out" || fail "spilled: the list differs"
finish
