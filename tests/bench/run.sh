#!/bin/bash
# run.sh - speed of translated code, as ratios measured side by side.
#
#   tests/bench/run.sh [-r RUNS] [-O LEVEL] [--qemu] [--base TOOL] [--base-opts OPTS] [KERNEL...]
#
# For each kernel (tests/bench/<kernel>.c, default: all) it builds
#   guest:   aarch64-linux-gnu-gcc -O$LEVEL -static          (translated by dbt-aot)
#   native:  gcc -O$LEVEL -march=x86-64-v3                    (the same source, natively)
# checks that both print the same result, then runs them alternately RUNS
# times (default 5) and reports the median wall times and the ratio
# translated/native (and translated/qemu-aarch64 with --qemu, on the same
# arguments).  --base TOOL also translates with another dbt-aot (a frozen
# copy of an older build, say) and runs its output in the same rotation:
# the ratio base/native is then measured side by side with the other two.
# --base-opts OPTS (split at spaces) are options for the base translation,
# with the same translator when there is no --base: `--base-opts
# --bind=none strings` measures the host-library bindings (issue 15).
# Absolute times on a shared machine are noise; the ratio of runs taken
# side by side is the figure.  Exit status 0; it measures, it
# does not judge (see docs/benchmarks.md for the targets).
set -euo pipefail
cd "$(dirname "$0")"
runs=5 level=3 qemu=0 base= base_opts=
kernels=()
while (($#)); do
  case $1 in
    -r) runs=$2; shift 2 ;;
    -O) level=$2; shift 2 ;;
    --qemu) qemu=1; shift ;;
    --base) base=$(realpath "$2"); shift 2 ;;
    --base-opts) base_opts=$2; shift 2 ;;
    *) kernels+=("$1"); shift ;;
  esac
done
((${#kernels[@]})) || kernels=(calls dot histogram live_values longjmp_loop signal_storm strings)
tool=$(realpath "${DBT_AOT:-../../build/dbt-aot}")
[[ -n $base_opts && -z $base ]] && base=$tool
read -r -a bopts <<<"$base_opts"
out=${BENCH_DIR:-../../build/bench}
mkdir -p "$out"

# Arguments per kernel: sized for about a second natively.
declare -A args=([dot]="4096 300000" [histogram]="65536 36000" [longjmp_loop]="20000000 3"
                 [signal_storm]="100000 1000000000" [strings]="20000 150" [live_values]="400000000" [calls]="500000000")
declare -A qargs=([dot]="4096 3000" [histogram]="65536 360" [longjmp_loop]="200000 3"
                  [signal_storm]="1000 10000000" [strings]="20000 15" [live_values]="4000000" [calls]="5000000")

now() { date +%s.%N; }
timeit() { # CMD... -> seconds on stdout, program output to $out/last.txt
  local t0 t1
  t0=$(now)
  "$@" >"$out/last.txt"
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

printf '%-10s %10s %10s %8s' kernel native_s dbt_s dbt/nat
if [[ -n $base ]]; then printf ' %10s %9s' base_s base/nat; fi
((qemu)) && printf ' %10s %10s %9s' dbt_s* qemu_s* qemu/dbt
printf '\n'
for k in "${kernels[@]}"; do
  aarch64-linux-gnu-gcc -O"$level" -static "$k.c" -o "$out/$k.a64"
  gcc -O"$level" -march=x86-64-v3 "$k.c" -o "$out/$k.native"
  "$tool" "$out/$k.a64" -o "$out/$k.dbt"
  if [[ -n $base ]]; then "$base" "${bopts[@]}" "$out/$k.a64" -o "$out/$k.base"; fi
  read -r -a a <<<"${args[$k]}"
  "$out/$k.native" "${a[@]}" >"$out/$k.native.out"
  "$out/$k.dbt" "${a[@]}" >"$out/$k.dbt.out"
  if [[ -n $base ]]; then "$out/$k.base" "${a[@]}" >"$out/$k.base.out"; fi
  for v in dbt ${base:+base}; do
    if ! cmp -s "$out/$k.native.out" "$out/$k.$v.out"; then
      echo "$k: translated ($v) and native results differ:" >&2
      diff "$out/$k.native.out" "$out/$k.$v.out" >&2 || true
      exit 1
    fi
  done
  nat=() dbt=() bas=()
  for ((i = 0; i < runs; i++)); do
    nat+=("$(timeit "$out/$k.native" "${a[@]}")")
    dbt+=("$(timeit "$out/$k.dbt" "${a[@]}")")
    if [[ -n $base ]]; then bas+=("$(timeit "$out/$k.base" "${a[@]}")"); fi
  done
  mn=$(printf '%s\n' "${nat[@]}" | median)
  md=$(printf '%s\n' "${dbt[@]}" | median)
  printf '%-10s %10.3f %10.3f %8.2f' "$k" "$mn" "$md" "$(echo "$md / $mn" | bc -l)"
  if [[ -n $base ]]; then
    mb=$(printf '%s\n' "${bas[@]}" | median)
    printf ' %10.3f %9.2f' "$mb" "$(echo "$mb / $mn" | bc -l)"
  fi
  if ((qemu)); then
    read -r -a q <<<"${qargs[$k]}"
    qd=() qq=()
    for ((i = 0; i < runs; i++)); do
      qd+=("$(timeit "$out/$k.dbt" "${q[@]}")")
      qq+=("$(timeit qemu-aarch64 "$out/$k.a64" "${q[@]}")")
    done
    mqd=$(printf '%s\n' "${qd[@]}" | median)
    mqq=$(printf '%s\n' "${qq[@]}" | median)
    printf ' %10.3f %10.3f %9.2f' "$mqd" "$mqq" "$(echo "$mqq / $mqd" | bc -l)"
  fi
  printf '\n'
done
((qemu)) && echo "(* with the smaller qemu arguments: ${qargs[*]})"
exit 0
