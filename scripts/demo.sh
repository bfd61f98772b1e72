#!/usr/bin/env bash
# The demo: install what is missing, build tsq (release), generate a synthetic province, validate
# it and write the semi-annual report (HTML, xlsx, PDF) and the regulator's notice.
# Usage: scripts/demo.sh [--scale S]   (default 1: about a million records)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1
if [[ "${1:-}" == "--scale" ]]; then scale="$2"; fi

scripts/install-deps.sh --with-browser
cmake --preset release >/dev/null
cmake --build --preset release --target tsq
tsq=build/release/src/cli/tsq

rm -rf demo && mkdir -p demo
echo "== tsq generate"
"$tsq" generate --out demo/data --scale "$scale" --seed 1 --period 2022H2 --bad
echo "== tsq validate"
"$tsq" validate demo/data --quarantine demo/quarantine.csv
echo "== tsq kpi"
"$tsq" kpi demo/data --period 2022H2 --id 'calls.*' --id 'hotline.*'
"$tsq" kpi demo/data --period 2022H2 --format json --out demo/kpi.json
echo "== tsq report"
"$tsq" report demo/data --period 2022H2 --province 吉林省 \
  --out demo/report.html --out demo/report.xlsx --out demo/report.pdf
"$tsq" report demo/data --period 2022H2 --province 吉林省 --notice --out demo/notice.html
echo
echo "Report:      $(pwd)/demo/report.html  (also report.xlsx, report.pdf)"
echo "Notice:      $(pwd)/demo/notice.html"
echo "Indicators:  $(pwd)/demo/kpi.json"
echo "Bad rows:    $(pwd)/demo/quarantine.csv"
