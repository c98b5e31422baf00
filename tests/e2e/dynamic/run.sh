#!/bin/bash
# run.sh - dynamically linked AArch64 programs (ordinary PIEs with
# ld-linux-aarch64.so.1 and libc.so.6 from Debian bookworm arm64, fetched
# by tests/bench/fetch-debian.sh) translated with --sysroot and compared
# with qemu-aarch64 -L SYSROOT (compare.sh: stdout, stderr, exit status).
#
#   run.sh [WORKDIR]            (default: build/e2e-dynamic)
#
# Each dynamic/*.c is built with the cross compiler's defaults (PIE,
# dynamically linked; a " * cflags: ..." line adds options) and translated
# at -O0, except dyn_libc, which is also translated at the default level:
# the interpreter and the libraries are translated with the program every
# time (there is no translation cache yet), ~300,000 guest instructions.
# Environment: DBT_AOT, AARCH64_CC, QEMU as in the other e2e scripts;
# SYSROOT to use another AArch64 root instead of fetching one.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-dynamic}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
compare=$root/tests/e2e/compare.sh

sysroot=${SYSROOT:-}
if [[ -z $sysroot ]]; then
  sysroot=$("$root/tests/bench/fetch-debian.sh") || { echo "run.sh: cannot fetch the arm64 sysroot" >&2; exit 2; }
fi
export QEMU_LD_PREFIX=$sysroot

mkdir -p "$work/guest" "$work/x86" || exit 2
pass=0
failed=0
failures=()
# run NAME LEVEL ARGS...: translate guest/NAME at LEVEL and compare.
run() {
  local name=$1 level=$2
  shift 2
  if DBT_AOT_FLAGS="$level --sysroot $sysroot" "$compare" -o "$work/x86/$level/$name" \
       "$work/guest/$name" "$@"; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    failures+=("$name $level")
  fi
}
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  read -ra cflags < <(sed -n 's/^ \* cflags: //p' "$src")
  if ! "$AARCH64_CC" -O2 -o "$work/guest/$name" "$src" "${cflags[@]}" -lpthread; then
    echo "FAIL: $name: cannot build"
    failed=$((failed + 1))
    continue
  fi
  if ! file "$work/guest/$name" | grep -q "dynamically linked"; then
    echo "FAIL: $name: not dynamically linked"
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$work/x86/-O0" "$work/x86/-O2"
  run "$name" -O0 arg
done
run dyn_libc -O2 arg

echo "$pass passed, $failed failed"
((failed == 0)) || { printf '  %s\n' "${failures[@]}"; exit 1; }
