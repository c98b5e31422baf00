#!/bin/bash
# run_examples.sh - build every examples/*.c for AArch64, translate it and
# compare it with qemu-aarch64 (compare.sh) under a few argument sets.
#
#   run_examples.sh [WORKDIR]        (default: build/e2e-examples)
#
# Environment:
#   DBT_AOT       the translator (default: build/dbt-aot)
#   AARCH64_CC    the guest compiler (default: aarch64-linux-gnu-gcc)
#   QEMU          the oracle (default: qemu-aarch64)
#   EXAMPLES_DIR  where the sources are (default: examples/)
#   EXAMPLES      space-separated names to run (default: all)
#   E2E_SYSROOT   build dynamically linked PIEs (the cross compiler's
#                 default) instead of -static, translate with --sysroot and
#                 run qemu with -L, both from this AArch64 root ("debian":
#                 the one tests/e2e/sysroot.sh fetches); the libraries are
#                 translated once into the cache (DBT_AOT_CACHE)
# Prints one PASS/FAIL line per run and "N passed, N failed" at the end;
# exits 1 if anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/e2e-examples}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
EXAMPLES_DIR=${EXAMPLES_DIR:-$root/examples}
compare=$here/compare.sh
link=(-static)
if [[ -n ${E2E_SYSROOT:-} ]]; then
  [[ $E2E_SYSROOT == debian ]] && { E2E_SYSROOT=$("$here/sysroot.sh") || exit 2; }
  link=()
  export DBT_AOT_FLAGS="${DBT_AOT_FLAGS:-} --sysroot $E2E_SYSROOT"
  export QEMU_LD_PREFIX=$E2E_SYSROOT
fi

mkdir -p "$work/guest" "$work/x86" || exit 2
work=$(cd "$work" && pwd)

# The argument sets of each example, one per line, each a shell word list
# (evaluated with `eval set --`).  --env/--stdin lines go to compare.sh.
# Every example also runs with no arguments first.
arg_sets() {
  case "$1" in
    echo)
      echo "one 'two words' '' 'tab	and  spaces' env:DBT_EXAMPLE_UNSET"
      echo "--env DBT_EXAMPLE_VAR='hello world' --env DBT_EXTRA=42 -- a env:DBT_EXTRA env:DBT_EXAMPLE_VAR"
      echo "--env DBT_EXAMPLE_VAR= -- -x --long=option"
      ;;
    *)
      echo "first second"
      ;;
  esac
}

pass=0
failed=0
failures=()
for src in "$EXAMPLES_DIR"/*.c; do
  name=$(basename "$src" .c)
  if [[ -n ${EXAMPLES:-} && " $EXAMPLES " != *" $name "* ]]; then
    continue
  fi
  guest=$work/guest/$name
  out=$work/x86/$name
  # A " * cflags: ..." line in the source adds options (FEAT_FP16 programs).
  read -ra cflags < <(sed -n 's/^ \* cflags: //p' "$src")
  if ! "$AARCH64_CC" -O2 "${cflags[@]}" "${link[@]}" -o "$guest" "$src"; then
    echo "FAIL: $name: cannot build $src with $AARCH64_CC"
    failed=$((failed + 1))
    failures+=("$name (build)")
    continue
  fi
  # The first run translates; the others reuse the translation.
  mode=()
  sets=("")
  while IFS= read -r line; do sets+=("$line"); done < <(arg_sets "$name")
  for spec in "${sets[@]}"; do
    eval "set -- $spec"
    opts=()
    if [[ " $spec " == *" -- "* ]]; then
      while (($# > 0)) && [[ $1 != -- ]]; do opts+=("$1"); shift; done
      shift
    fi
    "$compare" "${mode[@]}" -o "$out" "${opts[@]}" "$guest" "$@"
    rc=$?
    if ((rc == 0)); then
      pass=$((pass + 1))
      mode=(--no-translate)
    else
      failed=$((failed + 1))
      failures+=("$name$( (($# > 0)) && printf ' %q' "$@")")
      # No translation: the other argument sets cannot run either.
      if ((rc == 2)) && ((${#mode[@]} == 0)); then
        n=$((${#sets[@]} - 1))
        failed=$((failed + n))
        ((n > 0)) && echo "SKIP: $name: $n more argument set(s), counted as failed"
        break
      fi
      mode=(--no-translate)
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
