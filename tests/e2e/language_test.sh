#!/usr/bin/env bash
# One language per document: tsq writes the analysis report, the notice and an operator's own
# report of a generated province in Chinese and in English (HTML, Markdown, xlsx), and
# language_scan.py finds no Latin word in the Chinese ones outside a short allow list (units,
# standards, ids, file names) and no Chinese in the English ones outside the names of places and
# the company.
# Usage: language_test.sh TSQ_BINARY REPO_ROOT
TSQ=$1
ROOT=$2
source "$ROOT/tests/e2e/lib.sh"
SCAN="python3 $ROOT/tests/e2e/language_scan.py"

run generate 0 "$TSQ" generate --out "$work/data" --scale 0.02 --seed 4 --period 2022H2 --bad \
  --no-progress
zh=()
en=()
for doc in analysis notice company; do
  case $doc in
    analysis) args=() ;;
    notice) args=(--notice) ;;
    company) args=(--operator 移动) ;;
  esac
  company_zh=()
  company_en=()
  if [[ $doc == company ]]; then
    company_zh=(--company 中国移动通信集团吉林有限公司)
    company_en=(--company "China Mobile Jilin")
  fi
  run "$doc-zh" 0 "$TSQ" report "$work/data" -p 2022H2 --province 吉林省 "${args[@]}" \
    "${company_zh[@]}" --out "$work/$doc-zh.html" --out "$work/$doc-zh.md" \
    --out "$work/$doc-zh.xlsx" --no-progress
  run "$doc-en" 0 "$TSQ" report "$work/data" -p 2022H2 --province Jilin --lang en "${args[@]}" \
    "${company_en[@]}" --out "$work/$doc-en.html" --out "$work/$doc-en.md" \
    --out "$work/$doc-en.xlsx" --no-progress
  zh+=("$work/$doc-zh.html" "$work/$doc-zh.md" "$work/$doc-zh.xlsx")
  en+=("$work/$doc-en.html" "$work/$doc-en.md" "$work/$doc-en.xlsx")
done
# The data's regions are place names: they stay as the data writes them.
regions=()
for r in $(python3 -c "
import csv
print(' '.join(sorted({r['region'] for r in csv.DictReader(open('$work/data/orders.csv', encoding='utf-8', errors='replace')) if r.get('region')})))"); do
  regions+=(--allow "$r")
done
run scan_zh 0 $SCAN zh "${zh[@]}"
run scan_en 0 $SCAN en "${regions[@]}" "${en[@]}"
# The scanner can fail: an English document is not Chinese.
run scan_control 1 $SCAN zh "$work/analysis-en.md"
finish
