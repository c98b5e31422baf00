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
# Then --shared-libs: C++ and threads with their libraries in shared
# objects of their own, reused by the next translation.  Then the cache is
# deleted and a translated program run again: the output is
# self-contained.
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
  sysroot=$("$root/tests/e2e/sysroot.sh") || exit 2
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
# dlopen of a library the translation did not know: found at run time
# through DBT_SYSROOT (like qemu -L) and run through the JIT, recorded with
# DBT_RECORD; translated again with --recorded, it runs with no JIT compile.
dl=$work/dlopen
rm -rf "$dl" && mkdir -p "$dl/x86"
"$AARCH64_CC" -O2 -shared -fPIC -o "$dl/libplug.so" "$here/dlopen/plugin.c" &&
  "$AARCH64_CC" -O2 -o "$dl/dlopen_host" "$here/dlopen/dlopen_host.c" &&
  cp -as "$sysroot" "$dl/root" && cp "$dl/libplug.so" "$dl/root/usr/lib/aarch64-linux-gnu/" ||
  { echo "run.sh: cannot build the dlopen case" >&2; exit 2; }
"$QEMU" -L "$dl/root" "$dl/dlopen_host" > "$dl/want" 2>&1
"$DBT_AOT" -O0 --sysroot "$dl/root" "$dl/dlopen_host" -o "$dl/x86/first" 2> "$dl/aot1.err"
DBT_SYSROOT=$dl/root DBT_RECORD=$dl/recorded DBT_LOG=jit "$dl/x86/first" > "$dl/got1" 2> "$dl/log1"
check "dlopen through DBT_SYSROOT: output as under qemu" cmp -s "$dl/want" "$dl/got1"
check "dlopen through DBT_SYSROOT: the library ran through the JIT" grep -q "jit: 0x" "$dl/log1"
check "dlopen through DBT_SYSROOT: recorded" grep -qx /usr/lib/aarch64-linux-gnu/libplug.so "$dl/recorded"
"$DBT_AOT" -O0 --sysroot "$dl/root" --recorded "$dl/recorded" "$dl/dlopen_host" -o "$dl/x86/second" 2> "$dl/aot2.err"
DBT_LOG=jit "$dl/x86/second" > "$dl/got2" 2> "$dl/log2"
check "dlopen after --recorded: output as under qemu" cmp -s "$dl/want" "$dl/got2"
check "dlopen after --recorded: no JIT compile" bash -c '! grep -q "jit: 0x" "$0"' "$dl/log2"
# The library's translation is out of use once it is unmapped: new code at
# its old address runs as itself.
"$AARCH64_CC" -O2 -o "$dl/dlclose_reuse" "$here/dlopen/dlclose_reuse.c" || exit 2
"$QEMU" -L "$dl/root" "$dl/dlclose_reuse" > "$dl/reuse.want" 2>&1
"$DBT_AOT" -O0 --sysroot "$dl/root" --recorded "$dl/recorded" "$dl/dlclose_reuse" -o "$dl/x86/reuse" 2> "$dl/aot3.err"
"$dl/x86/reuse" > "$dl/reuse.got" 2>&1
check "dlclose, new code at the same address: not the old translation" cmp -s "$dl/reuse.want" "$dl/reuse.got"
# The same without dlclose: a MAP_FIXED mapping of new code over the live
# library takes its translation out of use.
"$AARCH64_CC" -O2 -o "$dl/fixed_over" "$here/dlopen/fixed_over.c" || exit 2
"$QEMU" -L "$dl/root" "$dl/fixed_over" > "$dl/fixed.want" 2>&1
"$DBT_AOT" -O0 --sysroot "$dl/root" --recorded "$dl/recorded" "$dl/fixed_over" -o "$dl/x86/fixed" 2> "$dl/aot4.err"
"$dl/x86/fixed" > "$dl/fixed.got" 2>&1
check "MAP_FIXED new code over a live library: not the old translation" cmp -s "$dl/fixed.want" "$dl/fixed.got"

# --shared-libs: the libraries in shared objects of their own, shared by
# every output translated with the same directory; the outputs are small
# and run as the embedding ones do (the libraries' units come from the
# cache filled above, so this links more than it compiles).
sl=$work/shared
rm -rf "$sl" && mkdir -p "$sl/x86"
first=${LEVELS%% *}
for name in dyn_cxx dyn_threads; do
  if DBT_AOT_FLAGS="$first --sysroot $sysroot --shared-libs $sl/libs" "$compare" -o "$sl/x86/$name" \
       "$work/guest/$name" arg; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    failures+=("$name --shared-libs")
  fi
done
"$DBT_AOT" "$first" -v --sysroot "$sysroot" --shared-libs "$sl/libs" "$work/guest/dyn_libm" -o "$sl/x86/dyn_libm" \
  2> "$sl/again.err"
check "--shared-libs: libc not translated again" grep -q "libc.so.6: translated before" "$sl/again.err"
check "--shared-libs: the output is less than a quarter of the embedding one" \
  bash -c '(( $(stat -c %s "$0") * 4 < $(stat -c %s "$1") ))' "$sl/x86/dyn_cxx" "$work/x86/$first/dyn_cxx"
"$QEMU" -L "$sysroot" "$work/guest/dyn_libm" 2.5 > "$sl/libm.want" 2>&1
DBT_LOG=jit "$sl/x86/dyn_libm" 2.5 > "$sl/libm.got" 2> "$sl/libm.jit"
DBT_LOG=jit "$work/x86/$first/dyn_libm" 2.5 > /dev/null 2> "$sl/libm.embedded.jit"
check "--shared-libs: output as under qemu, and no more JIT compiles than when embedded" \
  bash -c 'cmp -s "$0" "$1" && (( $(grep -c "jit: 0x" "$2") <= $(grep -c "jit: 0x" "$3") ))' \
  "$sl/libm.got" "$sl/libm.want" "$sl/libm.jit" "$sl/libm.embedded.jit"
check "libm's lazy-binding stub (PLT0) translated ahead of time: runs with no JIT" \
  bash -c 'DBT_JIT_LIB=/nonexistent "$0" 2.5 > "$1" 2>&1 && cmp -s "$1" "$2"' \
  "$work/x86/$first/dyn_libm" "$sl/libm.nojit" "$sl/libm.want"
mv "$sl/libs" "$sl/moved"
"$sl/x86/dyn_libm" 2.5 > /dev/null 2> "$sl/missing.err"
rc=$?
check "--shared-libs: a missing library translation is an error naming it (status 127)" \
  bash -c '(( $0 == 127 )) && grep -q "cannot load the translation of /lib/.*: $1/libs/.*\.so: cannot open" "$2"' \
  "$rc" "$sl" "$sl/missing.err"
mv "$sl/moved" "$sl/libs"

# Self-contained: no cache, no sysroot needed at run time.
rm -rf "$DBT_AOT_CACHE"
"$QEMU" -L "$sysroot" "$work/guest/dyn_libm" 1.5 > "$work/libm.want" 2>&1
first=${LEVELS%% *}
check "self-contained: runs with the cache deleted" \
  bash -c '"$0" 1.5 > "$1" 2>&1 && cmp -s "$1" "$2"' "$work/x86/$first/dyn_libm" "$work/libm.got" "$work/libm.want"

echo "$pass passed, $failed failed"
((failed == 0)) || { printf '  %s\n' "${failures[@]}"; exit 1; }
