#!/bin/bash
# startup.sh - start-up cost of a translated static program against native
# (issue 14: static hello within 1.25x of native).
#
#   tests/bench/startup.sh [-n BATCHES] [--base TOOL]
#
# examples/hello.c is built with aarch64-linux-gnu-gcc -O2 -static and
# translated by $DBT_AOT (default build/dbt-aot; with --base TOOL also by
# another, frozen dbt-aot), and natively with gcc -O2 -static.  The outputs
# must print the same bytes.  Then the programs take turns: one batch is 50
# runs of one program (stdout to /dev/null), timed as a whole (wall clock,
# date +%s%N); BATCHES batches per program (default 20).  The table gives
# the median milliseconds per run and the ratio to native, and the minor
# page faults of one run (/usr/bin/time %R).  Wall clock, not CPU time:
# start-up is mostly the kernel's (exec, mmap, page faults) and the host
# ld.so's work, which CPU time of a short process measures badly.
# Outputs go to $BENCH_DIR (default build/bench/startup).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
batches=20 base=''
while (($#)); do
  case $1 in
    -n) batches=$2; shift 2 ;;
    --base) base=$(realpath "$2"); shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: tests/bench/startup.sh [-n BATCHES] [--base TOOL]" >&2; exit 2 ;;
  esac
done
tool=$(realpath "${DBT_AOT:-$root/build/dbt-aot}")
out=${BENCH_DIR:-$root/build/bench/startup}
mkdir -p "$out"
aarch64-linux-gnu-gcc -O2 -static "$root/examples/hello.c" -o "$out/hello.a64"
gcc -O2 -static "$root/examples/hello.c" -o "$out/hello.native"
"$tool" "$out/hello.a64" -o "$out/hello.dbt"
sides=(native dbt)
if [[ -n $base ]]; then
  "$base" "$out/hello.a64" -o "$out/hello.base"
  sides+=(base)
fi
"$out/hello.native" >"$out/native.out"
for s in "${sides[@]}"; do
  "$out/hello.$s" >"$out/$s.out"
  cmp -s "$out/native.out" "$out/$s.out" || { echo "startup.sh: hello.$s prints other bytes than native" >&2; exit 1; }
done

batch() { # PROGRAM -> milliseconds per run
  local t0 t1
  t0=$(date +%s%N)
  for ((k = 0; k < 50; k++)); do "$1" >/dev/null; done
  t1=$(date +%s%N)
  echo "scale=4; ($t1 - $t0) / 50 / 1000000" | bc
}
declare -A t=()
for ((i = 0; i < batches; i++)); do
  for s in "${sides[@]}"; do t[$s]+="$(batch "$out/hello.$s") "; done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mn=$(median <<<"${t[native]}")
printf '%-8s %8s %8s %12s\n' program ms/run ratio page-faults
for s in "${sides[@]}"; do
  m=$(median <<<"${t[$s]}")
  pf=$(/usr/bin/time -f '%R' "$out/hello.$s" 2>&1 >/dev/null | tail -1)
  printf '%-8s %8.3f %8.2f %12s\n' "$s" "$m" "$(echo "$m / $mn" | bc -l)" "$pf"
done
