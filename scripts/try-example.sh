#!/bin/bash
# try-example.sh - build an example for AArch64, translate it with dbt-aot
# and run the x86-64 result.
#
#   scripts/try-example.sh [NAME [ARGS...]]      (NAME: examples/NAME.c, default hello)
#
# Uses build/dbt-aot (BUILD_DIR overrides); the binaries go to
# BUILD_DIR/try-example/.  Exits with the translated program's status.
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:-hello}
(($# > 0)) && shift
src=examples/$name.c
build=${BUILD_DIR:-build}
tool=$build/dbt-aot
dir=$build/try-example
if [[ ! -f $src ]]; then
  have=$(for f in examples/*.c; do basename "$f" .c; done | tr '\n' ' ')
  echo "try-example: no $src (have: ${have% })" >&2
  exit 2
fi
[[ -x $tool ]] || { echo "try-example: no $tool: run scripts/build.sh first" >&2; exit 2; }
mkdir -p "$dir/aarch64" "$dir/x86-64"

echo "+ aarch64-linux-gnu-gcc -O2 -static $src -o $dir/aarch64/$name" >&2
aarch64-linux-gnu-gcc -O2 -static "$src" -o "$dir/aarch64/$name"
echo "+ $tool $dir/aarch64/$name -o $dir/x86-64/$name" >&2
"$tool" "$dir/aarch64/$name" -o "$dir/x86-64/$name"
echo "+ $dir/x86-64/$name $*" >&2
exec "$dir/x86-64/$name" "$@"
