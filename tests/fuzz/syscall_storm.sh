#!/bin/bash
# syscall_storm.sh - the runtime's system-call layer under random calls
# from a guest (syscall_storm.c), over a range of seeds.
#
#   tests/fuzz/syscall_storm.sh [--calls N] WORKDIR FIRST_SEED LAST_SEED
#
# Builds the storm with $AARCH64_CC (default aarch64-linux-gnu-gcc),
# translates it with $DBT_AOT (default build/dbt-aot) and runs it once per
# seed, N calls each (default 20000), in a fresh scratch directory with
# stdin from /dev/null, within 120 s.  A seed passes when the translated
# storm exits 0 and prints its final line; a death by a signal, a hang or
# a missing line fails (rerun the seed with DBT_LOG=signal,syscall and -v
# to see the last call).  Prints the total of calls made.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
calls=20000
if [[ ${1:-} == --calls ]]; then calls=$2; shift 2; fi
work=${1:?usage: syscall_storm.sh [--calls N] WORKDIR FIRST_SEED LAST_SEED}
first=${2:?first seed}
last=${3:?last seed}
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
aot=${DBT_AOT:-$here/../../build/dbt-aot}
mkdir -p "$work"
work=$(cd "$work" && pwd)
$cc -O2 -nostdlib -static -ffreestanding -fno-stack-protector -mno-outline-atomics -Wall -Wextra \
    -o "$work/syscall_storm" "$here/syscall_storm.c" || exit 2
"$aot" "$work/syscall_storm" -o "$work/syscall_storm.x86" || exit 2

total=0 failed=0 start=$(date +%s)
for ((seed = first; seed <= last; seed++)); do
  dir=$work/run-$seed
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && timeout 120 "$work/syscall_storm.x86" "$seed" "$calls" </dev/null >out.txt 2>err.txt)
  rc=$?
  # (random writes to fd 1 may precede it on its line)
  line=$(grep -ao 'syscall_storm: seed [0-9]*: [0-9]* calls.* alarms$' "$dir/out.txt" | tail -1)
  if ((rc != 0)) || [[ -z $line ]]; then
    echo "seed $seed: FAILED (exit $rc$( ((rc > 128)) && echo ", signal $((rc - 128))"); $dir)"
    tail -c 400 "$dir/err.txt" | sed 's/^/  /'
    failed=$((failed + 1))
    continue
  fi
  n=$(sed -n 's/^syscall_storm: seed [0-9]*: \([0-9]*\) calls.*/\1/p' <<<"$line")
  total=$((total + n))
  rm -rf "$dir"
done
echo "syscall_storm: seeds $first-$last, $calls calls each: $total calls made, $failed seeds failed, $(($(date +%s) - start)) s"
((failed == 0))
