#!/usr/bin/env bash
# Load test of `tsq serve`: two generated periods are ingested into a store, the server starts on
# loopback, and wrk (a second process) walks the dashboard's API calls from many connections for
# a bounded time. Prints requests/s, latency percentiles, errors and the server's memory. See
# bench/README.md ("tsq serve under load").
#
#   bench/serve_load/run.sh [--scale 1] [--connections 64] [--seconds 30] [--wrk-threads 1]
#
# Options:
#   --scale S          generated data size per period (1 = about 1 M records); default 1
#   --connections C    concurrent client connections; default 64
#   --seconds T        how long the load runs; default 30
#   --wrk-threads N    wrk's threads (leave a core to the server on 2 cores); default 1
#   --workers W        the server's --connections (workers); default 32
#   --cache-mb M       the server's answer cache (0: every answer computed afresh); default 128
#   --store SPEC       an existing store (SQLite file or postgresql:// URI) instead of generating
#   --tsq PATH         use this tsq binary instead of building the release preset
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
scale=1 connections=64 seconds=30 wrk_threads=1 workers=32 cache=128 store="" tsq=""
die() { echo "serve_load: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale=${2:?}; shift 2 ;;
    --connections) connections=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --wrk-threads) wrk_threads=${2:?}; shift 2 ;;
    --workers) workers=${2:?}; shift 2 ;;
    --cache-mb) cache=${2:?}; shift 2 ;;
    --store) store=${2:?}; shift 2 ;;
    --tsq) tsq=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
command -v wrk >/dev/null || die "wrk is needed: scripts/install-deps.sh --with-bench"
if [[ -z $tsq ]]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target tsq) ||
    die "building tsq failed"
  tsq=$root/build/release/src/cli/tsq
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tsq-serve-load.XXXXXX")
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [[ -z $store ]]; then
  store=$work/periods.db
  echo "generating and ingesting 2021H2 and 2022H2 at scale $scale ..." >&2
  "$tsq" generate --out "$work/d21" --scale "$scale" --seed 4 --period 2021H2 --no-progress >/dev/null
  "$tsq" generate --out "$work/d22" --scale "$scale" --seed 3 --period 2022H2 --no-progress >/dev/null
  "$tsq" ingest "$work/d21" -p 2021H2 --store "$store" --no-progress >&2
  "$tsq" ingest "$work/d22" -p 2022H2 --store "$store" --no-progress >&2
fi

"$tsq" serve --store "$store" --port 0 --connections "$workers" --cache-mb "$cache" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" 2>/dev/null) && break
  sleep 0.1
done
[[ -n $url ]] || die "the server did not start: $(cat "$work/serve.err")"
rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$server/status"; }

# Warm up: each period's documents are parsed once, on first use.
wrk -t1 -c1 -d2s -s "$here/paths.lua" "$url" >/dev/null
idle=$(rss VmRSS)
echo "load: $connections connections, $wrk_threads wrk thread(s), ${seconds}s, server workers $workers, cache ${cache} MB" >&2
wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/paths.lua" "$url" \
  >"$work/wrk.out"
line=$(grep '^RESULT' "$work/wrk.out") || die "wrk printed no result: $(cat "$work/wrk.out")"
peak=$(rss VmHWM)
after=$(rss VmRSS)
non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$work/wrk.out" | grep -o '[0-9]*$' || echo 0)
eval "${line#RESULT }"
errors=$((errors_connect + errors_read + errors_write + errors_status + errors_timeout))
python3 - "$requests" "$seconds" "$p50_ms" "$p90_ms" "$p99_ms" "$max_ms" "$errors" "$non2xx" \
  "$idle" "$after" "$peak" "$store" <<'PY'
import sys
req, secs, p50, p90, p99, mx, errors, non2xx, idle, after, peak, store = sys.argv[1:]
print(f"store            {store}")
print(f"requests         {int(req):,} in {float(secs):.1f} s = {int(req) / float(secs):,.0f} requests/s")
print(f"latency          p50 {float(p50):.1f} ms, p90 {float(p90):.1f} ms, p99 {float(p99):.1f} ms, max {float(mx):.1f} ms")
print(f"errors           {errors} (socket and timeouts), non-2xx answers {non2xx}")
print(f"server memory    {idle} MB warm, {after} MB after the load, peak {peak} MB")
PY
[[ $errors -eq 0 && $non2xx -eq 0 ]] || { echo "serve_load: errors under load" >&2; cat "$work/serve.err" >&2; exit 1; }
