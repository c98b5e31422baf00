#!/bin/bash
# run.sh - run the libFuzzer targets of a fuzz build (builds nothing).
#
#   tests/fuzz/run.sh [--time SECONDS | --runs N] [--work DIR] TARGET...
#
# TARGET is fuzz_elf, fuzz_cfg or fuzz_lift (or "all"), found in
# $FUZZ_BUILD (default build-fuzz/tests/fuzz: configure with
# -DCMAKE_C_COMPILER=clang -DDBT_FUZZ=ON, build with --target fuzz).  Each
# runs on its own (one process, the machine is shared) for SECONDS
# (default 60) or N executions, from the seed corpus seeds.sh makes in
# DIR/seeds (default work dir build-fuzz/fuzz-work) plus what earlier runs
# kept in DIR/corpus-TARGET; a crash, leak, timeout (10 s per input),
# out-of-memory or sanitizer report leaves its input in
# DIR/artifacts-TARGET/ and fails the run.  Inputs that once failed are
# kept in tests/fuzz/regress/TARGET/ and run first, every time.  Prints per target the
# executions, the time and the verdict; FUZZ_FLAGS adds libFuzzer options.
# Exit 0 when every target ran clean.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
limit=(-max_total_time=60)
work=$root/build-fuzz/fuzz-work
targets=()
while (($#)); do
  case $1 in
    --time) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    --work) work=$2; shift 2 ;;
    all) targets+=(fuzz_elf fuzz_cfg fuzz_lift); shift ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || { echo "usage: run.sh [--time S | --runs N] [--work DIR] TARGET..." >&2; exit 2; }
build=${FUZZ_BUILD:-$root/build-fuzz/tests/fuzz}
mkdir -p "$work"
[[ -d $work/seeds ]] || "$here"/seeds.sh "$work"/seeds >/dev/null || { echo "run.sh: seeds.sh failed" >&2; exit 2; }

status=0
for t in "${targets[@]}"; do
  bin=$build/$t
  [[ -x $bin ]] || { echo "run.sh: $bin not built (cmake --build ... --target fuzz)" >&2; exit 2; }
  case $t in
    fuzz_lift) maxlen=512 ;;     # 128 words
    fuzz_cfg) maxlen=4096 ;;
    *) maxlen=16384 ;;
  esac
  corpus=$work/corpus-$t
  art=$work/artifacts-$t
  mkdir -p "$corpus" "$art"
  log=$work/$t.log
  start=$(date +%s)
  # the first directory gets the new inputs; the seeds and the regressions
  # are only read
  regress=()
  [[ -d $here/regress/$t ]] && regress=("$here/regress/$t")
  "$bin" "${limit[@]}" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" ${FUZZ_FLAGS:-} "$corpus" "$work/seeds/$t" "${regress[@]}" >"$log" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  nart=$(find "$art" -type f | wc -l)
  if ((rc == 0 && nart == 0)); then
    verdict=clean
  else
    verdict="FAILED (exit $rc, $nart artifacts in $art; log $log)"
    grep -m3 -E 'ERROR: |runtime error:|fuzz_lift: |fuzz_cfg: ' "$log" | sed 's/^/  /'
    status=1
  fi
  echo "$t: ${execs:-?} executions in ${secs} s, corpus $(ls "$corpus" | wc -l) inputs: $verdict"
done
exit $status
