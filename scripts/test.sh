#!/usr/bin/env bash
# The whole test suite: install what is missing, build with sanitizers, run every test (unit,
# golden, end-to-end), then build the fuzz targets with clang and run each one briefly (3 s each, a
# smoke run that keeps the suite in its time; TSQ_FUZZ_SECONDS=600 for a real search).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --with-browser
cmake --preset dev >/dev/null
cmake --build --preset dev

# The fuzz targets build at a low priority while the tests run: the end-to-end tests leave about a
# third of the two cores idle (servers starting, browsers loading), and the build takes that.
cmake --preset fuzz >/dev/null
nice -n 10 cmake --build --preset fuzz --target fuzzers >build/fuzz/build.log 2>&1 &
fuzz_build=$!
tests=0
ctest --preset dev || tests=$?
build=0
wait "$fuzz_build" || build=$?
[[ $tests -eq 0 ]] || exit "$tests"
if [[ $build -ne 0 ]]; then
  tail -n 40 build/fuzz/build.log
  echo "fuzz: the build failed (build/fuzz/build.log)"
  exit "$build"
fi

fuzz_seconds="${TSQ_FUZZ_SECONDS:-3}"
for target in build/fuzz/fuzz/*_fuzz; do
  [[ -x "$target" ]] || continue
  name=$(basename "$target")
  corpus="build/fuzz/corpus/$name"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"${name%_fuzz}"/* "$corpus"/ 2>/dev/null || true
  echo "fuzzing $name for ${fuzz_seconds}s"
  # Crash, timeout and slow-input files go under build/, not into the work tree.
  mkdir -p build/fuzz/artifacts
  "$target" -max_total_time="$fuzz_seconds" -print_final_stats=0 \
    -artifact_prefix=build/fuzz/artifacts/"$name"- "$corpus" 2>&1 | tail -n 2
done
echo "fuzz: passed"
