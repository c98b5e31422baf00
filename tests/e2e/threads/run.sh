#!/bin/bash
# run.sh - the multi-threaded test set: every tests/e2e/threads/*.c and *.cc
# is built for AArch64 (-O2 -static -pthread), run once under qemu-aarch64 (the
# oracle: stdout and exit status), translated, and the translation run
# RUNS times in a row; every run must finish within TIMEOUT seconds (a
# hang is a failure) and print exactly what qemu printed.
#
#   run.sh [WORKDIR]            (default: build/e2e-threads)
#
# Environment:
#   RUNS          runs of each translation (default 3; the full check: 100)
#   TIMEOUT       seconds per run (default 60)
#   DBT_AOT       the translator (default: build/dbt-aot)
#   AARCH64_CC    the guest C compiler (default: aarch64-linux-gnu-gcc)
#   AARCH64_CXX   the guest C++ compiler (default: aarch64-linux-gnu-g++)
#   QEMU          the oracle (default: qemu-aarch64)
#   PROGRAMS      space-separated names to run (default: all)
#   E2E_SYSROOT   build dynamically linked programs instead of -static,
#                 translate with --sysroot and run qemu with -L, both from
#                 this AArch64 root ("debian": tests/e2e/sysroot.sh's)
# A program with a NAME.expected file beside it is checked against that file
# (exit status 0) instead of qemu: qemu-aarch64 7.2 aborts on fork in a
# threaded program ("qemu_plugin_vcpu_init_hook: assertion failed"), so
# fork_threads.expected is written from what the program must print.
# litmus.expected too: what the AArch64 memory model allows is the
# oracle there, not qemu (qemu-aarch64 7.2 on this x86-64 host was seen
# to produce SB+rel+acq's forbidden outcome, 2,207 times in 20,000).
# Prints one line per program and "N passed, N failed"; exit status 1 if
# anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-threads}
DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
AARCH64_CXX=${AARCH64_CXX:-aarch64-linux-gnu-g++}
RUNS=${RUNS:-3}
QEMU_L=()
TIMEOUT=${TIMEOUT:-60}

link=(-static)
aot_flags=()
if [[ -n ${E2E_SYSROOT:-} ]]; then
  [[ $E2E_SYSROOT == debian ]] && { E2E_SYSROOT=$("$here/../sysroot.sh") || exit 2; }
  link=()
  aot_flags=(--sysroot "$E2E_SYSROOT")
  QEMU_L=(-L "$E2E_SYSROOT")
fi

mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)

# The same clean environment for the oracle and the translation.
run_clean() { env -i PATH=/usr/bin:/bin LC_ALL=C timeout -s KILL "$TIMEOUT" "$@"; }

pass=0
failed=0
for src in "$here"/*.c "$here"/*.cc; do
  name=$(basename "$src"); name=${name%.*}
  cc=$AARCH64_CC
  [[ $src == *.cc ]] && cc=$AARCH64_CXX
  if [[ -n ${PROGRAMS:-} && " $PROGRAMS " != *" $name "* ]]; then
    continue
  fi
  guest=$work/$name.arm
  out=$work/$name.x86
  if ! "$cc" -O2 "${link[@]}" -pthread -o "$guest" "$src"; then
    echo "FAIL: $name: cannot build"
    failed=$((failed + 1))
    continue
  fi
  if [[ -f $here/$name.expected ]]; then
    cp "$here/$name.expected" "$work/$name.ref"
    ref_rc=0
  else
    run_clean "$QEMU" "${QEMU_L[@]}" "$guest" > "$work/$name.ref" 2> "$work/$name.ref.err"
    ref_rc=$?
  fi
  if ! "$DBT_AOT" "${aot_flags[@]}" "$guest" -o "$out" 2> "$work/$name.aot.err"; then
    echo "FAIL: $name: translation failed:"
    sed 's/^/    /' "$work/$name.aot.err" | head -5
    failed=$((failed + 1))
    continue
  fi
  bad=0
  hangs=0
  for ((i = 1; i <= RUNS; i++)); do
    run_clean "$out" > "$work/$name.out" 2> "$work/$name.err"
    rc=$?
    if ((rc == 137)); then
      hangs=$((hangs + 1))
    fi
    if ((rc != ref_rc)) || ! cmp -s "$work/$name.ref" "$work/$name.out"; then
      bad=$((bad + 1))
      if ((bad == 1)); then
        echo "  $name run $i: exit $rc (qemu: $ref_rc)"
        diff "$work/$name.ref" "$work/$name.out" | head -6 | sed 's/^/    /'
        head -3 "$work/$name.err" | sed 's/^/    stderr: /'
      fi
    fi
  done
  if ((bad == 0)); then
    echo "PASS: $name ($RUNS runs)"
    pass=$((pass + 1))
  else
    echo "FAIL: $name: $bad of $RUNS runs differ ($hangs timed out after ${TIMEOUT}s)"
    failed=$((failed + 1))
  fi
done
echo "$pass passed, $failed failed"
((failed == 0))
