#!/bin/bash
# run_signals.sh - build every signals/*.c for AArch64, translate it once
# and compare each of its modes with qemu-aarch64 (compare.sh).
#
#   run_signals.sh [WORKDIR]        (default: build/e2e-signals)
#
# Each test program declares its runs in its opening comment:
#   e2e-modes: MODE...            one run per MODE (argv[1]); none: one run
#   e2e-skip: MODE (why)          a mode that is known not to work yet: it
#                                 is reported as SKIP and not run
# Environment:
#   DBT_AOT       the translator (default: build/dbt-aot)
#   AARCH64_CC    the guest compiler (default: aarch64-linux-gnu-gcc)
#   QEMU          the oracle (default: qemu-aarch64)
#   SIGNAL_TESTS  space-separated program names to run (default: all)
#   RUN_SKIPPED   1: run the e2e-skip modes too (they count like the others)
# Prints one PASS/FAIL/SKIP line per run and "N passed, N failed, N skipped"
# at the end; exits 1 if anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/e2e-signals}
export DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
export QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
compare=$here/compare.sh

mkdir -p "$work/guest" "$work/x86" || exit 2
work=$(cd "$work" && pwd)

# field FILE TAG: the words after "TAG:" on the file's comment lines.
field() {
  sed -n "s/^ *\*\{0,1\} *$2: *//p" "$1" | tr '\n' ' '
}

pass=0
failed=0
skipped=0
failures=()
for src in "$here"/signals/*.c; do
  name=$(basename "$src" .c)
  if [[ -n ${SIGNAL_TESTS:-} && " $SIGNAL_TESTS " != *" $name "* ]]; then
    continue
  fi
  guest=$work/guest/$name
  out=$work/x86/$name
  read -r -a modes <<<"$(field "$src" e2e-modes)"
  ((${#modes[@]} == 0)) && modes=("")
  declare -A skip=()
  while IFS= read -r line; do
    [[ -n $line ]] && skip[${line%% *}]=${line#* }
  done < <(sed -n 's/^ *\*\{0,1\} *e2e-skip: *//p' "$src")
  if ! "$AARCH64_CC" -O2 -static -o "$guest" "$src"; then
    echo "FAIL: $name: cannot build $src with $AARCH64_CC"
    failed=$((failed + ${#modes[@]}))
    failures+=("$name (build)")
    continue
  fi
  mode=()   # the first run translates, the others reuse it
  for m in "${modes[@]}"; do
    if [[ -n $m && -n ${skip[$m]:-} && ${RUN_SKIPPED:-0} != 1 ]]; then
      echo "SKIP: $name $m ${skip[$m]}"
      skipped=$((skipped + 1))
      continue
    fi
    args=()
    [[ -n $m ]] && args=("$m")
    "$compare" "${mode[@]}" -o "$out" "$guest" "${args[@]}"
    rc=$?
    if ((rc == 0)); then
      pass=$((pass + 1))
    else
      failed=$((failed + 1))
      failures+=("$name${m:+ $m}")
      if ((rc == 2)) && ((${#mode[@]} == 0)); then
        echo "SKIP: $name: no translation, its other modes counted as failed"
        n=$((${#modes[@]} - 1))
        failed=$((failed + n))
        break
      fi
    fi
    mode=(--no-translate)
  done
  unset skip
done

echo
if ((failed > 0)); then
  echo "failed runs:"
  printf '  %s\n' "${failures[@]}"
fi
echo "$pass passed, $failed failed, $skipped skipped"
((failed == 0))
