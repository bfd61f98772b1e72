#!/usr/bin/env bash
# The demo: install what is missing, build tsq (release), generate a synthetic province and run the
# main job on it. Usage: scripts/demo.sh [--scale S] (default 1, about a million records).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1
if [[ "${1:-}" == "--scale" ]]; then scale="$2"; fi

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tsq
tsq=build/release/src/cli/tsq

rm -rf demo && mkdir -p demo
"$tsq" generate --out demo/data --scale "$scale" --seed 1 --period 2022H2 --bad
"$tsq" validate demo/data --quarantine demo/quarantine.csv
echo
echo "Data:        $(pwd)/demo/data"
echo "Quarantine:  $(pwd)/demo/quarantine.csv"
