#!/bin/bash
# test.sh - run the test suite of an existing build (scripts/build.sh first).
#
#   scripts/test.sh [EXTRA CTEST OPTIONS...]     e.g. -L unit, -LE e2e, -R elf
#
# Tests build/, or build-asan/ with DBT_SANITIZE=1; BUILD_DIR overrides.
# The default run (no options) then runs scripts/sanitize-sample.sh: the
# unit tests under ASan+UBSan and each fuzz target for a minute, in a
# clang build of their own (SKIP_SANITIZE=1: not).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${DBT_SANITIZE:-0} == 1 ]]; then
  dir=${BUILD_DIR:-build-asan}
else
  dir=${BUILD_DIR:-build}
fi
ctest --test-dir "$dir" --output-on-failure -j2 "$@"
if (($# == 0)) && [[ ${DBT_SANITIZE:-0} != 1 && ${SKIP_SANITIZE:-0} != 1 ]]; then
  ./scripts/sanitize-sample.sh
fi
