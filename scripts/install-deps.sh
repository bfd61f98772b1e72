#!/usr/bin/env bash
# Installs, from Debian's packages, whatever tsq needs to build and test that is not yet installed.
# Safe to run again: it asks apt only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang libclang-rt-14-dev          # libFuzzer targets
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libsimdjson-dev
  libzstd-dev zlib1g-dev libdeflate-dev libxlsxwriter-dev libssl-dev
  zstd gzip python3 python3-geojson   # python3-geojson: the findings test validates GeoJSON
  libjs-leaflet                     # the map page of `tsq cells --map-page` inlines it
  libxgboost-dev                    # the trained tier of `tsq callers`
  libsqlite3-dev                    # the store of computed periods (tsq ingest, tsq serve)
  libcpp-httplib-dev                # tsq serve
  libminizip-dev libexpat1-dev      # .xlsx input, streamed
  libcereal-dev                     # state files: the families' partial states, serialised
  libopenmpi-dev openmpi-bin        # mpirun tsq …: a run split over processes and machines
  libpq-dev                         # the same store in PostgreSQL (postgresql:// URIs)
  postgresql                        # a throwaway server for its tests (tests/pg)
)
# The dashboard embeds ECharts from npm: Debian's nodejs and npm, unless a Node.js with npm is
# already there (NodeSource's nodejs bundles npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
for arg in "$@"; do
  case "$arg" in
    --with-browser) packages+=(chromium fonts-noto-cjk poppler-utils) ;;  # PDF, browser tests
    --with-bench) packages+=(wrk time) ;;                                   # bench/ scripts
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "tsq: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The dashboard's front-end packages, as package-lock.json pins them (npm registry).
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt \
      "$web/node_modules/.package-lock.json" ]]; then
  echo "tsq: installing the dashboard's front-end packages (npm ci in web/)" >&2
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error >/dev/null
fi
