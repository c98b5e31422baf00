#!/bin/bash
# sanitize-sample.sh - the sanitizers and the fuzz targets, as CI runs them
# after the test suite (scripts/test.sh calls this last):
#
#   1. a clang build in build-fuzz/ (or $FUZZ_BUILD_DIR) with -DDBT_FUZZ=ON:
#      the tool's libraries (dbt_aot, dbt_lifter) with ASan, UBSan and
#      libFuzzer's coverage instrumentation; only the fuzz targets and the
#      unit tests are built (incremental on a second run);
#   2. the unit tests under ASan+UBSan (ctest -L unit there);
#   3. each fuzz target for SECONDS (default 60; tests/fuzz/run.sh), from
#      the seed corpus (tests/fuzz/seeds.sh) with libFuzzer's seed fixed,
#      so a run is repeatable on the same machine.
#
#   scripts/sanitize-sample.sh [SECONDS]
#
# The whole suite under ASan+UBSan (the gcc build, DBT_SANITIZE=1) and the
# long fuzz runs are their own commands (docs/testing.md).  SKIP_SANITIZE=1
# makes scripts/test.sh leave this out.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
dir=${FUZZ_BUILD_DIR:-build-fuzz}

cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DDBT_FUZZ=ON -DDBT_E2E_TESTS=OFF >/dev/null
cmake --build "$dir" -j"${JOBS:-2}" --target fuzz unit_tests
ctest --test-dir "$dir" --output-on-failure -L unit
FUZZ_BUILD=$dir/tests/fuzz FUZZ_FLAGS="-seed=1 ${FUZZ_FLAGS:-}" \
  tests/fuzz/run.sh --time "$secs" --work "$dir/fuzz-ci" all
