#!/usr/bin/env bash
# The dashboard of `tsq serve` in a browser: generates two small provinces (2021H2 and 2022H2, so
# 2022H2 has 同比 from the store), ingests them into a fresh store, starts two servers on loopback
# (one open, one with a token) and runs tests/browser/dashboard_test.mjs against them with
# playwright-core driving Debian's Chromium. Screenshots of every view are kept for review.
#
# Usage: run_browser_test.sh TSQ_BINARY REPO_ROOT
# Screenshots and logs go to ${TSQ_ARTEFACTS:-REPO_ROOT/build/artefacts}/browser/.
# TSQ_ASSETS=DIR (front-end work): the servers serve the page from DIR (web/src) instead of the
# files embedded in the binary, so the test runs edits without a rebuild.
# Exit 77 (skipped) when Chromium, node or playwright-core is not installed.
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 TSQ_BINARY REPO_ROOT" >&2
  exit 2
fi
TSQ=$1
ROOT=$2
CHROMIUM=${TSQ_CHROMIUM:-/usr/bin/chromium}

if [[ ! -x "$CHROMIUM" ]]; then
  echo "SKIP: $CHROMIUM not found; install it: sudo apt-get install chromium fonts-noto-cjk"
  exit 77
fi
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node not found; scripts/install-deps.sh installs it"
  exit 77
fi
if [[ ! -f "$ROOT/web/node_modules/playwright-core/package.json" ]]; then
  echo "SKIP: playwright-core not in web/node_modules; run scripts/install-deps.sh (npm ci --prefix web)"
  exit 77
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  # The test still runs, but the screenshots would show boxes for Chinese text.
  echo "WARNING: no Chinese font (fc-list :lang=zh is empty); install fonts-noto-cjk" >&2
fi

ART=${TSQ_ARTEFACTS:-$ROOT/build/artefacts}/browser
rm -rf "$ART"
mkdir -p "$ART"
work=$(mktemp -d "${TMPDIR:-/tmp}/tsq-browser.XXXXXX")
server_pids=()

# Stops the servers this script started (by their process ids) and removes the work directory,
# however the script ends.
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${server_pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "FAIL: $*" >&2
  exit 1
}

started=$(date +%s)
step() { echo "[$(($(date +%s) - started)) s] $*"; }

# 1. Two provinces, two periods in one store. 2021H2 goes in first: 2022H2 then reads its 同比
#    from the store.
step "generating 2022H2 (seed 3) and 2021H2 (seed 4)"
"$TSQ" generate --out "$work/d22" --scale 0.05 --seed 3 --period 2022H2 --no-progress \
  >"$ART/generate-2022H2.log" 2>&1 &
gen22=$!
"$TSQ" generate --out "$work/d21" --scale 0.05 --seed 4 --period 2021H2 --no-progress \
  >"$ART/generate-2021H2.log" 2>&1 || die "tsq generate 2021H2 (see $ART/generate-2021H2.log)"
wait "$gen22" || die "tsq generate 2022H2 (see $ART/generate-2022H2.log)"
store="$work/periods.db"
# The year before only feeds 同比 and the trend: its reports are not rendered (faster).
for p in 2021H2:d21:--no-reports 2022H2:d22:; do
  IFS=: read -r period dir flag <<<"$p"
  step "ingesting $period"
  "$TSQ" ingest "$work/$dir" --period "$period" --store "$store" --no-progress ${flag:+"$flag"} \
    >"$ART/ingest-$period.log" 2>&1 || die "tsq ingest $period (see $ART/ingest-$period.log)"
done

# start_server NAME [VAR=VALUE...]: starts tsq serve on a free loopback port and sets $url from
# the line it prints when it listens.
serve_args=(--store "$store" --port 0)
if [[ -n "${TSQ_ASSETS:-}" ]]; then serve_args+=(--assets "$TSQ_ASSETS"); fi
start_server() {
  local name=$1
  shift
  env "$@" "$TSQ" serve "${serve_args[@]}" >"$ART/serve-$name.out" 2>"$ART/serve-$name.err" &
  local pid=$!
  server_pids+=("$pid")
  url=""
  local i
  for ((i = 0; i < 300; i++)); do
    url=$(sed -n 's|^tsq serve: the dashboard is at \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' \
      "$ART/serve-$name.out")
    [[ -n "$url" ]] && return 0
    kill -0 "$pid" 2>/dev/null || die "tsq serve ($name) exited: $(cat "$ART/serve-$name.err")"
    sleep 0.1
  done
  die "tsq serve ($name) did not say where it listens within 30 s"
}

step "starting the servers"
start_server open
open_url=$url
token="browser-test-$$-$RANDOM"
start_server token "TSQ_TOKEN=$token"
token_url=$url

# 2. The browser.
step "browser test against $open_url and $token_url (token)"
node "$ROOT/tests/browser/dashboard_test.mjs" "$open_url" "$ART" "$token_url" "$token" \
  2>&1 | tee "$ART/dashboard_test.log"
status=${PIPESTATUS[0]}
step "done (exit $status); screenshots in $ART"
exit "$status"
