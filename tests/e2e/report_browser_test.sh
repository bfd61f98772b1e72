#!/usr/bin/env bash
# End-to-end test of the report as a person sees it: tsq generates a province and writes its
# report in HTML (Chinese, English, the notice) and PDF; each page is opened in headless Chromium
# and checked for what shows: the tables and charts in the DOM, a screenshot, no script errors, no
# attempt to fetch anything, and the title in the printed PDF.
#
# Usage: report_browser_test.sh TSQ OUT_DIR
#   TSQ      the tsq binary
#   OUT_DIR  where the data, reports, DOM dumps, browser logs and screenshots are kept for review
# Exit 77 (skipped) when Chromium or pdftotext is not installed.
set -uo pipefail

TSQ=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)

browser=""
for candidate in "${TSQ_CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
  if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1; then
    browser=$(command -v "$candidate")
    break
  fi
done
if [[ -z "$browser" ]]; then
  echo "SKIP: Chromium not found; install chromium: sudo apt-get install chromium"
  exit 77
fi
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "SKIP: pdftotext not found; install it: sudo apt-get install poppler-utils"
  exit 77
fi

rm -rf "$OUT"
mkdir -p "$OUT"
profiles=$(mktemp -d "${TMPDIR:-/tmp}/tsq-report-browser.XXXXXX")

# Ends any browser helper still running from our profiles (only processes this test started),
# then removes the profiles.
cleanup() {
  local pids
  pids=$(pgrep -f -- "--user-data-dir=$profiles/" || true)
  if [[ -n "$pids" ]]; then kill $pids 2>/dev/null || true; fi
  rm -rf "$profiles"
}
trap cleanup EXIT

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  checks=$((checks + 1))
  "$@" || fail "$what"
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# browse NAME ARGS...: one headless Chromium run with its own fresh profile.
browse() {
  local name=$1
  shift
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --disable-crash-reporter --disable-breakpad \
    --user-data-dir="$profiles/$name" "$@"
}

# 1. Generate a province and write its documents: the analysis report (zh, en), the notice and
#    an operator's own report with a narrative.
check "generate" "$TSQ" generate --out "$OUT/data" --scale 0.1 --seed 1 --period 2022H2 --bad \
  --no-progress >"$OUT/generate.log"
report() { "$TSQ" report "$OUT/data" --period 2022H2 --province 吉林省 --no-progress "$@" \
  >>"$OUT/report.log" 2>&1; }
cat >"$OUT/narrative.md" <<'MD'
## 公司简介
中国移动吉林公司是中国移动在吉林省设立的全资子公司。
## 电信服务质量状况
### （一）做优做强网络质量
以用户投诉为抓手，快速发现网络问题。
MD
check "render report.html and report.pdf" report --out "$OUT/report.html" --out "$OUT/report.pdf"
check "render report_en.html" report --lang en --out "$OUT/report_en.html"
check "render notice.html and notice.pdf" report --notice --out "$OUT/notice.html" \
  --out "$OUT/notice.pdf"
check "render company.html and company.pdf" report --operator 移动 \
  --company 中国移动通信集团吉林有限公司 --narrative "$OUT/narrative.md" \
  --out "$OUT/company.html" --out "$OUT/company.pdf"

check "render the cell map and its GeoJSON" "$TSQ" cells "$OUT/data" --period 2022H2 \
  --places "$OUT/data/places.csv" --map-page "$OUT/cells.html" --geojson "$OUT/cells.geojson" \
  --no-progress >"$OUT/cells.log" 2>&1

# 2. Open each page: DOM, console and network, screenshot.
for page in report report_en notice company; do
  url="file://$OUT/$page.html"
  browse "dom-$page" --enable-logging=stderr --v=0 --dump-dom "$url" \
    >"$OUT/$page.dom.html" 2>"$OUT/$page.log"
  dom="$OUT/$page.dom.html"
  check "$page: DOM dumped" test -s "$dom"
  check "$page: tables in the DOM" has "$dom" "<table"
  check "$page: no script error" lacks "$OUT/$page.log" "Uncaught"
  check "$page: nothing fetched from the network" lacks "$OUT/$page.log" "net::ERR"
  check "$page: no failed resource" lacks "$OUT/$page.log" "Failed to load resource"
  check "$page: no external source" bash -c "! grep -qiE '(src|href)=\"?(https?:)?//' '$dom'"
  if [[ $page == report* ]]; then
    check "$page: charts in the DOM" has "$dom" "<svg"
    check "$page: traceability appendix" has "$dom" 'id="traceability"'
    check "$page: data-quality appendix" has "$dom" 'id="data-quality"'
  else
    check "$page: no internal appendix in a published document" lacks "$dom" 'id="traceability"'
  fi

  browse "shot-$page" --hide-scrollbars --window-size=1280,1800 \
    --screenshot="$OUT/$page.png" "$url" >"$OUT/$page.shot.log" 2>&1
  check "$page: screenshot written" test -s "$OUT/$page.png"
  check "$page: screenshot is a PNG" bash -c "head -c 8 '$OUT/$page.png' | od -An -tx1 | grep -q '89 50 4e 47'"
  check "$page: screenshot has content" test "$(stat -c %s "$OUT/$page.png")" -gt 50000
done

# The map page draws with script: let it run, then every cell and tile is a shape coloured by
# its class, and the legend counts them.
browse "dom-cells" --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom \
  "file://$OUT/cells.html" >"$OUT/cells.dom.html" 2>"$OUT/cells.log"
dom="$OUT/cells.dom.html"
check "cells map: DOM dumped" test -s "$dom"
check "cells map: no script error" lacks "$OUT/cells.log" "Uncaught"
check "cells map: nothing fetched from the network" lacks "$OUT/cells.log" "net::ERR"
check "cells map: no failed resource" lacks "$OUT/cells.log" "Failed to load resource"
check "cells map: one shape per cell and tile" python3 - "$dom" "$OUT/cells.geojson" <<'PY'
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
features = json.load(open(sys.argv[2]))["features"]
shapes = re.findall(r'class="tsq-([a-z_]+) leaflet-interactive"', dom)
assert len(shapes) == len(features), (len(shapes), len(features))
# Colours by verdict: every poor cell is drawn as poor (or still poor), every shape has a class.
poor = sum(1 for f in features if f["properties"]["verdict"] == "poor")
drawn_poor = sum(1 for s in shapes if s in ("poor", "still_poor"))
assert poor > 0 and drawn_poor == poor, (drawn_poor, poor)
assert 'fill="#d7301f"' in dom or 'fill="#7f0000"' in dom
assert "tsq-legend" in dom and "tsq-place" in dom
PY
browse "shot-cells" --hide-scrollbars --window-size=1280,900 --virtual-time-budget=5000 \
  --screenshot="$OUT/cells.png" "file://$OUT/cells.html" >"$OUT/cells.shot.log" 2>&1
check "cells map: screenshot has content" test "$(stat -c %s "$OUT/cells.png")" -gt 50000

dom="$OUT/report.dom.html"
check "report: poor cells on a map" has "$dom" '<svg class="map"'
check "report: remediation table" has "$dom" "基期质差小区整治情况"
check "report: comparison group" has "$dom" "对照组"
check "report: broadband chapter" has "$dom" 'id="broadband"'
check "report: title" has "$dom" "吉林省2022年下半年电信服务质量分析报告"
check "report: per-operator table" has "$dom" "主要服务指标完成情况"
for op in 中国移动 中国联通 中国电信; do
  check "report: chapter of $op" has "$dom" "${op}2022年下半年服务质量状况"
done
check "report: every failure named" has "$dom" 'id="failures"'
check "report: verdict met" has "$dom" '<span class="v met">达标</span>'
check "report: verdict missed" has "$dom" '<span class="v missed">未达标</span>'
check "report: monthly trends" has "$dom" "月度趋势"
check "report: regional charts" has "$dom" "分地区情况"
check "report: the suspected callers' chapter" has "$dom" 'id="callers"'
check "report: suspected numbers masked" has "$dom" '****'

dom="$OUT/report_en.dom.html"
check "report_en: title" has "$dom" "Telecom Service Quality Analysis, 2022 H2"
check "report_en: English verdicts" has "$dom" '<span class="v missed">missed</span>'
check "report_en: no Chinese verdicts" lacks "$dom" "未达标"

dom="$OUT/notice.dom.html"
check "notice: title" has "$dom" "2022年下半年吉林省电信服务质量通告"
check "notice: appeals table" has "$dom" "受理（件）"
check "notice: settlement rate" has "$dom" "和解率"
check "notice: ranking" has "$dom" "按指标达标率由高到低"

dom="$OUT/company.dom.html"
check "company: title" has "$dom" "中国移动通信集团吉林有限公司2022年下半年电信服务质量状况报告"
check "company: narrative slot" has "$dom" "一、公司简介"
check "company: statement" has "$dom" "企业声明"

# 3. The printed PDFs: the text a reader sees, every table's header on the page, no column cut.
for doc in report notice company; do
  pdftotext -raw "$OUT/$doc.pdf" "$OUT/$doc.pdf.txt" 2>"$OUT/pdftotext.log"
  check "$doc.pdf: text extracted" test -s "$OUT/$doc.pdf.txt"
  check "$doc.pdf: every table header and nothing past the right margin" \
    python3 "$HERE/pdf_columns.py" "$OUT/$doc.html" "$OUT/$doc.pdf"
done
pdftotext -layout "$OUT/report.pdf" "$OUT/report.layout.txt"
check "pdf: title" has "$OUT/report.layout.txt" "吉林省2022年下半年电信服务质量分析报告"
check "pdf: per-operator table" has "$OUT/report.layout.txt" "主要服务指标完成情况"
check "pdf: traceability" has "$OUT/report.layout.txt" "附录三 可追溯信息"
check "pdf: page numbers" grep -qE '^ *1 / [0-9]+' "$OUT/report.layout.txt"
if command -v pdfinfo >/dev/null 2>&1; then
  pages=$(pdfinfo "$OUT/report.pdf" | awk '/^Pages:/ {print $2}')
  check "pdf: several A4 pages ($pages)" test "${pages:-0}" -ge 5
  check "pdf: A4 paper" bash -c "pdfinfo '$OUT/report.pdf' | grep -q '(A4)'"
fi

echo "$((checks - failures)) passed, $failures failed (artifacts in $OUT)"
[[ $failures -eq 0 ]]
