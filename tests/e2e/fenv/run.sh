#!/bin/bash
# run.sh - the <fenv.h> end-to-end tests: build every fenv/*.c for AArch64
# (static, with libm) at two optimization levels (or those of its
# " * levels:" line), translate it and compare it with qemu-aarch64
# (../compare.sh).
#
#   tests/e2e/fenv/run.sh [WORKDIR]        (default: build/e2e-fenv)
#
# The programs set FPCR (rounding mode, FZ, DN) through fesetround and
# fesetenv and read FPSR through fetestexcept, so the translated code must
# honour FPCR and keep FPSR as AArch64 does (lifter/a64_fp_util.h,
# include/fpenv.h).  fenv_half.c does the same for _Float16
# arithmetic built for FEAT_FP16 (runtime/fp16.c).
#
# Environment (as run_examples.sh):
#   DBT_AOT       the translator (default: build/dbt-aot)
#   AARCH64_CC    the guest compiler (default: aarch64-linux-gnu-gcc)
#   QEMU          the oracle (default: qemu-aarch64)
#   FENV_TESTS    space-separated program names to run (default: all)
#   E2E_SYSROOT   dynamically linked programs (libm.so, libc.so from this
#                 AArch64 root, "debian": tests/e2e/sysroot.sh's) instead
#                 of -static
# Prints one PASS/FAIL line per program and level and "N passed, N failed"
# at the end; exits 1 if anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-fenv}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
compare=$here/../compare.sh

link=(-static)
if [[ -n ${E2E_SYSROOT:-} ]]; then
  [[ $E2E_SYSROOT == debian ]] && { E2E_SYSROOT=$("$here/../sysroot.sh") || exit 2; }
  link=()
  export DBT_AOT_FLAGS="${DBT_AOT_FLAGS:-} --sysroot $E2E_SYSROOT"
  export QEMU_LD_PREFIX=$E2E_SYSROOT
fi

mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)

# -O0 keeps every operation where the source has it; -O2 lets GCC schedule
# and combine (FMADD, FCSEL, inlined fenv functions).
levels=(-O0 -O2)

pass=0
failed=0
failures=()
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  if [[ -n ${FENV_TESTS:-} && " $FENV_TESTS " != *" $name "* ]]; then
    continue
  fi
  # A " * levels: ..." line in the source replaces the levels (fenv_half.c:
  # one level, each translation of a static libm program costs ~1 CPU-minute).
  read -ra src_levels < <(sed -n 's/^ \* levels: //p' "$src")
  ((${#src_levels[@]})) || src_levels=("${levels[@]}")
  # A " * cflags: ..." line adds options (fenv_half.c: FEAT_FP16).
  read -ra cflags < <(sed -n 's/^ \* cflags: //p' "$src")
  for level in "${src_levels[@]}"; do
    dir=$work/${level#-}
    mkdir -p "$dir/guest" "$dir/x86" || exit 2
    guest=$dir/guest/$name
    if ! "$AARCH64_CC" "$level" "${cflags[@]}" "${link[@]}" -o "$guest" "$src" -lm; then
      echo "FAIL: $name $level: cannot build $src with $AARCH64_CC"
      failed=$((failed + 1))
      failures+=("$name $level (build)")
      continue
    fi
    if "$compare" -o "$dir/x86/$name" "$guest"; then
      pass=$((pass + 1))
    else
      failed=$((failed + 1))
      failures+=("$name $level")
    fi
  done
done

echo
if ((failed > 0)); then
  echo "failed runs:"
  printf '  %s\n' "${failures[@]}"
fi
echo "$pass passed, $failed failed"
((failed == 0))
