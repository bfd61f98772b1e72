#!/usr/bin/env bash
# The demo: install what is missing, build tsq (release), generate a synthetic province, validate
# it and write its documents: the analysis report (HTML, xlsx, PDF), the regulator's notice and
# each operator's own report. The same province a year earlier goes into a store first, so the
# report has 同比, and both periods end in the store the dashboard (tsq serve) shows.
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
echo "== tsq ingest: the year before, for 同比"
"$tsq" generate --out demo/data-2021H2 --scale "$scale" --seed 2 --period 2021H2
"$tsq" ingest demo/data-2021H2 --period 2021H2 --store demo/tsq.db
echo "== tsq report"
"$tsq" report demo/data --period 2022H2 --province 吉林省 --places demo/data/places.csv \
  --store demo/tsq.db --out demo/report.html --out demo/report.xlsx --out demo/report.pdf
"$tsq" report demo/data --period 2022H2 --province 吉林省 --notice --store demo/tsq.db \
  --out demo/notice.html --out demo/notice.pdf
# The regulator's quarterly view: appeals per million users, by class, on the previous quarter.
"$tsq" report demo/data --period 2022Q4 --province 吉林省 --notice --out demo/notice-2022Q4.html
# Each operator's own semi-annual report. The narrative (company profile, measures taken...) is
# what an office writes: give it with --narrative FILE; without it those sections are left out.
companies=(移动:中国移动通信集团吉林有限公司 联通:中国联合网络通信有限公司吉林省分公司
  电信:中国电信股份有限公司吉林分公司)
for entry in "${companies[@]}"; do
  "$tsq" report demo/data --period 2022H2 --operator "${entry%%:*}" --company "${entry#*:}" \
    --out "demo/company-${entry%%:*}.html"
done
echo "== tsq cells, tsq broadband"
"$tsq" cells demo/data --period 2022H2 --places demo/data/places.csv \
  --map-page demo/cells.html --geojson demo/cells.geojson --format csv --out demo/cells.csv
"$tsq" broadband demo/data --period 2022H2 --format csv --out demo/broadband.csv
echo "== tsq callers"
"$tsq" callers demo/data --period 2022H2 --format csv --out demo/callers.csv
"$tsq" callers eval demo/data --period 2022H2 --labels demo/data/caller_labels.csv
echo "== tsq ingest"
"$tsq" ingest demo/data --period 2022H2 --store demo/tsq.db
echo
echo "Analysis report:   $(pwd)/demo/report.html  (also report.xlsx, report.pdf)"
echo "Regulator notice:  $(pwd)/demo/notice.html  (also notice.pdf; 2022Q4: notice-2022Q4.html)"
echo "Company reports:   $(pwd)/demo/company-移动.html, company-联通.html, company-电信.html"
echo "Poor-cell map:     $(pwd)/demo/cells.html  (also cells.geojson for QGIS, cells.csv)"
echo "Broadband lines:   $(pwd)/demo/broadband.csv"
echo "Suspected callers: $(pwd)/demo/callers.csv  (numbers masked)"
echo "Indicators:        $(pwd)/demo/kpi.json"
echo "Bad rows:          $(pwd)/demo/quarantine.csv"
echo "Dashboard:         $tsq serve --store demo/tsq.db   (then open http://127.0.0.1:8080/)"
