#!/bin/bash
# build.sh - configure and build dbt-aot with CMake and Ninja.
#
#   scripts/build.sh [EXTRA CMAKE CONFIGURE OPTIONS...]
#
# Builds in build/, or with DBT_SANITIZE=1 an ASan+UBSan build in build-asan/
# (-DDBT_SANITIZE=ON).  BUILD_DIR overrides the directory, JOBS the
# parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

opts=(-G Ninja)
if [[ ${DBT_SANITIZE:-0} == 1 ]]; then
  dir=${BUILD_DIR:-build-asan}
  opts+=(-DDBT_SANITIZE=ON)
else
  dir=${BUILD_DIR:-build}
fi
cmake -S . -B "$dir" "${opts[@]}" "$@"
cmake --build "$dir" -j"${JOBS:-2}"
