#!/bin/bash
# run_million.sh - the full differential runs: at least 1,000,000 random
# instructions per class (83,334 sequences of exactly 12 words), translated
# with dbt-aot's own default pipeline (--tool-O2), FP classes also comparing
# FPSR.  One log per class; the summary line of each is printed at the end.
#
#   tests/difftest/run_million.sh [-j JOBS] [--seed S] [--fpcr] [CLASS...]
#
# Defaults: every class, seed 1, 2 jobs.  --fpcr adds random FPCR (rounding
# mode, FZ, DN, AHP) to the FP/SIMD classes.  Logs: build/difftest-1M/
# (DIFFTEST_LOGDIR).  Exit status 1 if any class had a failure.
# Takes 10-25 minutes per class on a 2-core machine.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dt=${DIFFTEST:-$root/build/tests/difftest/difftest}
logdir=${DIFFTEST_LOGDIR:-$root/build/difftest-1M}
jobs=2 seed=1 extra=()
classes=()
while (($#)); do
  case $1 in
    -j) jobs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --fpcr) extra+=(--fpcr); shift ;;
    *) classes+=("$1"); shift ;;
  esac
done
((${#classes[@]})) || mapfile -t classes < <("$dt" --list | awk '{print $1}')
mkdir -p "$logdir"
rc=0
for c in "${classes[@]}"; do
  fp=()
  case $c in fp_*|simd_*) fp=(--fpsr "${extra[@]}") ;; esac
  log=$logdir/$c${extra[*]:+-fpcr}.log
  echo "== $c -> $log"
  "$dt" --class "$c" --count 83334 --seq 12 --seed "$seed" --jobs "$jobs" --tool-O2 --progress "${fp[@]}" >"$log" 2>&1 || rc=1
  tail -3 "$log"
done
exit $rc
