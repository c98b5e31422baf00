#!/bin/bash
# run.sh - dynamically linked AArch64 programs (ordinary PIEs with
# ld-linux-aarch64.so.1, libc.so.6, libm, libstdc++ from Debian bookworm
# arm64: the packages of ../debian/packages.txt, fetched by
# tests/bench/fetch-debian.sh) translated with --sysroot and compared
# with qemu-aarch64 -L SYSROOT (compare.sh: stdout, stderr, exit status).
#
#   run.sh [WORKDIR]            (default: build/e2e-dynamic)
#
# Each dynamic/*.c is built with the cross compiler's defaults (PIE,
# dynamically linked; a " * cflags: ..." line adds options) and translated
# at each level of LEVELS (default -O0; the full run: LEVELS="-O0 -O2").
# Translated libraries are cached (WORKDIR/cache, emptied first): the first
# program translates ld.so and libc (~300,000 guest instructions), the
# others take them from the cache - checked with -v once more at the end.
# Then the cache is deleted and a translated program run again: the output
# is self-contained.
# Environment: DBT_AOT, AARCH64_CC, QEMU as in the other e2e scripts;
# LEVELS; SYSROOT to use another AArch64 root instead of fetching one.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-dynamic}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
LEVELS=${LEVELS:--O0}
compare=$root/tests/e2e/compare.sh

sysroot=${SYSROOT:-}
if [[ -z $sysroot ]]; then
  EXTRA_PACKAGES=$(grep -v '^#' "$root/tests/e2e/debian/packages.txt" | tr '\n' ' ')
  export EXTRA_PACKAGES
  sysroot=$(DBT_CACHE_DIR=${DBT_CACHE_DIR:-$root/build/debian-cache} "$root/tests/bench/fetch-debian.sh") ||
    { echo "run.sh: cannot fetch the arm64 sysroot" >&2; exit 2; }
fi
export QEMU_LD_PREFIX=$sysroot

mkdir -p "$work/guest" "$work/x86" || exit 2
work=$(cd "$work" && pwd)
export DBT_AOT_CACHE=$work/cache
rm -rf "$DBT_AOT_CACHE"
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
for src in "$here"/*.c "$here"/*.cpp; do
  name=$(basename "${src%.*}")
  read -ra cflags < <(sed -n 's/^ \* cflags: //p' "$src")
  cc=$AARCH64_CC
  [[ $src == *.cpp ]] && cc=${AARCH64_CXX:-aarch64-linux-gnu-g++}
  if ! "$cc" -O2 -o "$work/guest/$name" "$src" "${cflags[@]}" -lpthread; then
    echo "FAIL: $name: cannot build"
    failed=$((failed + 1))
    continue
  fi
  if ! file "$work/guest/$name" | grep -q "dynamically linked"; then
    echo "FAIL: $name: not dynamically linked"
    failed=$((failed + 1))
    continue
  fi
  for level in $LEVELS; do
    mkdir -p "$work/x86/$level"
    run "$name" "$level" arg
  done
done

# check NAME CONDITION...: one more counted check.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS: $name"
    pass=$((pass + 1))
  else
    echo "FAIL: $name"
    failed=$((failed + 1))
    failures+=("$name")
  fi
}
# A translation after the others reuses ld.so and libc from the cache.
"$DBT_AOT" -O0 -v --sysroot "$sysroot" "$work/guest/dyn_threads" -o "$work/x86/again" 2> "$work/again.err"
check "cache: libc not translated again" grep -q "libc.so.6: [0-9]* units from the cache" "$work/again.err"
check "cache: ld.so not translated again" grep -q "ld-linux-aarch64.so.1: [0-9]* units from the cache" "$work/again.err"
check "cache: --cache-info lists libc" bash -c '"$0" --cache-info | grep -q "/libc.so.6 "' "$DBT_AOT"
# Self-contained: no cache, no sysroot needed at run time.
rm -rf "$DBT_AOT_CACHE"
"$QEMU" -L "$sysroot" "$work/guest/dyn_libm" 1.5 > "$work/libm.want" 2>&1
first=${LEVELS%% *}
check "self-contained: runs with the cache deleted" \
  bash -c '"$0" 1.5 > "$1" 2>&1 && cmp -s "$1" "$2"' "$work/x86/$first/dyn_libm" "$work/libm.got" "$work/libm.want"

echo "$pass passed, $failed failed"
((failed == 0)) || { printf '  %s\n' "${failures[@]}"; exit 1; }
