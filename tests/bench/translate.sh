#!/bin/bash
# translate.sh - speed of the translation step itself: CPU time per guest
# instruction, peak memory and output size, on real programs.
#
#   tests/bench/translate.sh [-O LEVEL] [--base TOOL] [--profiled] [--keep] [PROGRAM...]
#
# Programs (default: all, in this order):
#   hello           examples/hello.c, aarch64-linux-gnu-gcc -O2 -static
#   hello-stripped  the same binary through aarch64-linux-gnu-strip
#   sqlite          programs/sqlite_driver.c over Debian's arm64 libsqlite3.a
#   busybox         bin/busybox of Debian's arm64 busybox-static, as shipped
#                   (run as `busybox echo hi`)
#   python          programs/python_driver.c over Debian's arm64
#                   libpython3.11.a (run with PYTHONHOME=SYSROOT/usr)
#   NAME=PATH       any existing AArch64 ELF, translated but not run
# The Debian packages come from fetch-debian.sh (into $DBT_CACHE_DIR).
# Each guest is built into $BENCH_DIR and run under qemu-aarch64 first, whose
# stdout is the expected output.  Then each program is translated, one at a
# time under `nice -n 5`, by $DBT_AOT and with --base TOOL also by another
# dbt-aot (a frozen copy of an older build: dbt-aot, libdbt_runtime.a,
# libdbt_jit.so and x86_64-output.ld in one directory), the two taking turns
# to go first from one program to the next.  Each translation is measured by
# /usr/bin/time: CPU seconds (user + sys), wall seconds and peak RSS.  The
# guest instruction count is the translator's own: the "N instructions" of
# its -v summary line, or "guest_instructions" of its --time-report=FILE
# JSON when its --help offers that option.  Each output is then run once with
# the arguments it had under qemu, and its stdout compared with qemu's: the
# check column says ok, MISMATCH (stdout or exit status differ; the
# difference goes to stderr), TIMEOUT (600 s) or - (NAME=PATH, not run).
# -O LEVEL is passed to both translators (default: their own default).
# --profiled adds a row "NAME+profile" per program: the translated output
# (of $DBT_AOT) run once more with DBT_PROFILE=NAME.prof, then NAME
# translated again with --profile=NAME.prof (only the functions that run are
# compiled with the full pipeline; docs/architecture.md "Tiers"), measured
# and checked the same way.
# Translated outputs are deleted after the check unless --keep; the logs
# (NAME.VARIANT.log, .time, .out, .err) stay.  The table goes to stdout and,
# as TSV, to $BENCH_DIR/translate.tsv.  CPU time on these shared 2-core
# machines moves with the other tenants: compare tool and base from one run.
#
# Environment:
#   DBT_AOT         the translator measured (default: build/dbt-aot)
#   BENCH_DIR       guests, logs and the TSV (default: build/bench/translate)
#   DBT_CACHE_DIR   passed to fetch-debian.sh (default: build/bench-cache)
# Exit status: 0 all built and translated (a MISMATCH is reported, not
# fatal), 1 a guest failed to build or to run under qemu, or a translation
# failed, 2 usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
all_programs=(hello hello-stripped sqlite busybox python)
run_timeout=600

usage() {
  echo "usage: tests/bench/translate.sh [-O LEVEL] [--base TOOL] [--profiled] [--keep] [PROGRAM...]" >&2
  echo "programs: ${all_programs[*]} NAME=PATH" >&2
  exit 2
}
say() { echo "translate.sh: $*" >&2; }

level='' base='' keep=0 profiled=0
programs=()
declare -A path=() # NAME=PATH programs
while (($#)); do
  case $1 in
    -O) (($# >= 2)) || usage; level=$2; shift 2 ;;
    -O?*) level=${1#-O}; shift ;;
    --base) (($# >= 2)) || usage; base=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --profiled) profiled=1; shift ;;
    -h | --help) usage ;;
    -*) usage ;;
    *=*)
      name=${1%%=*}
      [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { say "bad program name '$name'"; exit 2; }
      [[ -f ${1#*=} ]] || { say "$name: no file ${1#*=}"; exit 2; }
      path[$name]=$(realpath "${1#*=}")
      programs+=("$name"); shift ;;
    *)
      [[ " ${all_programs[*]} " == *" $1 "* ]] || { say "unknown program '$1'"; usage; }
      programs+=("$1"); shift ;;
  esac
done
((${#programs[@]})) || programs=("${all_programs[@]}")

tool=$(realpath "${DBT_AOT:-$root/build/dbt-aot}")
[[ -x $tool ]] || { say "no translator at $tool"; exit 2; }
if [[ -n $base ]]; then
  base=$(realpath "$base")
  [[ -x $base ]] || { say "no base translator at $base"; exit 2; }
fi
out=${BENCH_DIR:-$root/build/bench/translate}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tsv=$out/translate.tsv

# --- The guests --------------------------------------------------------------

sysroot=
for p in "${programs[@]}"; do
  case $p in
    sqlite | busybox | python)
      sysroot=$("$here/fetch-debian.sh") || { say "fetch-debian.sh failed"; exit 1; }
      break ;;
  esac
done
libdir=$sysroot/usr/lib/aarch64-linux-gnu

declare -A guest=() failed=()
# build NAME CMD... - run a build command, its output to NAME.build.log.
build() {
  local name=$1
  shift
  if ! "$@" >>"$out/$name.build.log" 2>&1; then
    say "$name: build failed:"
    tail -n 20 "$out/$name.build.log" >&2
    failed[$name]=build
    return 1
  fi
}
for p in "${programs[@]}"; do
  rm -f "$out/$p.build.log"
  case $p in
    hello | hello-stripped)
      build "$p" aarch64-linux-gnu-gcc -O2 -static "$root/examples/hello.c" -o "$out/hello.a64" || continue
      guest[$p]=$out/hello.a64
      if [[ $p == hello-stripped ]]; then
        build "$p" aarch64-linux-gnu-strip "$out/hello.a64" -o "$out/hello-stripped.a64" || continue
        guest[$p]=$out/hello-stripped.a64
      fi ;;
    sqlite)
      # -idirafter: the cross compiler's own libc headers come first.
      build "$p" aarch64-linux-gnu-gcc -O2 -static -idirafter "$sysroot/usr/include" \
        "$here/programs/sqlite_driver.c" -o "$out/sqlite.a64" \
        "$libdir/libsqlite3.a" -lm -lpthread -ldl || continue
      guest[$p]=$out/sqlite.a64 ;;
    busybox)
      guest[$p]=$sysroot/bin/busybox ;;
    python)
      build "$p" aarch64-linux-gnu-gcc -O2 -static -I"$sysroot/usr/include/python3.11" \
        -idirafter "$sysroot/usr/include" "$here/programs/python_driver.c" -o "$out/python.a64" \
        "$libdir/libpython3.11.a" "$libdir/libexpat.a" "$libdir/libz.a" \
        -lm -lpthread -ldl -lutil || continue
      guest[$p]=$out/python.a64 ;;
    *)
      guest[$p]=${path[$p]} ;;
  esac
done

# guest_args NAME - the arguments (array args) and environment (array envs)
# the program runs with, under qemu and translated alike.
guest_args() {
  args=() envs=()
  case $1 in
    busybox) args=(echo hi) ;;
    python) envs=(PYTHONHOME="$sysroot/usr") ;;
  esac
}

# The expected output: each guest under qemu-aarch64.
for p in "${programs[@]}"; do
  [[ -n ${guest[$p]:-} && -z ${path[$p]:-} ]] || continue
  guest_args "$p"
  rc=0
  env "${envs[@]}" timeout "$run_timeout" qemu-aarch64 "${guest[$p]}" "${args[@]}" \
    >"$out/$p.qemu.out" 2>"$out/$p.qemu.err" || rc=$?
  echo "$rc" >"$out/$p.qemu.status"
  expect_ok=1
  if [[ $p == busybox ]]; then
    [[ $(<"$out/$p.qemu.out") == hi ]] || expect_ok=0
  else
    [[ -s $out/$p.qemu.out ]] || expect_ok=0
  fi
  if ((rc != 0 || !expect_ok)); then
    say "$p: the guest does not run under qemu-aarch64 (exit status $rc):"
    head -c 2000 "$out/$p.qemu.err" >&2
    failed[$p]=qemu
  fi
done

# --- Translating -------------------------------------------------------------

# Results of the last measure call.
r_insns='' r_cpu='' r_wall='' r_rss='' r_size='' r_check=''

# measure NAME VARIANT TRANSLATOR [OPTION...] - translate NAME's guest (with
# the extra options), time it, run the output and compare it with qemu's;
# the figures land in the r_* variables.  With --profiled, the tool's
# output also runs under DBT_PROFILE=NAME.prof.  Returns 1 if the
# translation failed.
measure() {
  local p=$1 v=$2 t=$3 x=$out/$1.$2.x86
  shift 3
  local log=$out/$p.$v.log times=$out/$p.$v.time json=$out/$p.$v.json
  local -a opts=(-v "$@")
  [[ -n $level ]] && opts+=("-O$level")
  local help
  help=$("$t" --help 2>&1 || true)
  rm -f "$x" "$json"
  [[ $help == *--time-report* ]] && opts+=("--time-report=$json")
  r_insns=- r_cpu=- r_wall=- r_rss=- r_size=- r_check=-
  say "$p: translating with $t ($v)"
  local rc=0
  nice -n 5 /usr/bin/time -o "$times" -f '%U %S %e %M' \
    "$t" "${opts[@]}" "${guest[$p]}" -o "$x" >"$log" 2>&1 || rc=$?
  local u=0 s=0 e=- m=0
  read -r u s e m < <(tail -n 1 "$times" 2>/dev/null) || true
  if ((rc != 0)) || [[ ! -s $x ]]; then
    say "$p: translation ($v) failed, exit status $rc ($(head -n 1 "$times")):"
    tail -n 20 "$log" >&2
    r_check=FAILED
    rm -f "$x"
    return 1
  fi
  r_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  r_wall=$e
  r_rss=$(awk -v m="$m" 'BEGIN { printf "%.0f", m / 1024 }')
  r_size=$(awk -v b="$(stat -c %s "$x")" 'BEGIN { printf "%.1f", b / 1048576 }')
  r_insns=$(sed -n 's/^dbt-aot: .*: [0-9]* functions, \([0-9]*\) instructions, .*/\1/p' "$log" | tail -n 1)
  if [[ -s $json ]]; then
    local j
    j=$(python3 -c 'import json, sys
v = json.load(open(sys.argv[1])).get("guest_instructions")
print(v if type(v) is int else "")' "$json" 2>/dev/null || true)
    [[ -n $j ]] && r_insns=$j
  fi
  [[ -n $r_insns ]] || r_insns='?'

  if [[ -n ${path[$p]:-} || -n ${failed[$p]:-} ]]; then
    r_check=-
  else
    guest_args "$p"
    local got=0 want
    want=$(<"$out/$p.qemu.status")
    env "${envs[@]}" timeout "$run_timeout" "$x" "${args[@]}" \
      >"$out/$p.$v.out" 2>"$out/$p.$v.err" || got=$?
    if ((got == 124)); then
      r_check=TIMEOUT
    elif [[ $got != "$want" ]] || ! cmp -s "$out/$p.qemu.out" "$out/$p.$v.out"; then
      r_check=MISMATCH
    else
      r_check=ok
    fi
    if [[ $r_check != ok ]]; then
      say "$p: translated ($v) output differs from qemu-aarch64's: exit status $got, qemu $want"
      diff "$out/$p.qemu.out" "$out/$p.$v.out" | head -n 20 >&2 || true
      head -c 1000 "$out/$p.$v.err" >&2
    fi
    if ((profiled)) && [[ $v == tool ]]; then
      rm -f "$out/$p.prof"
      env "${envs[@]}" DBT_PROFILE="$out/$p.prof" timeout "$run_timeout" "$x" "${args[@]}" \
        >/dev/null 2>&1 || true
    fi
  fi
  ((keep)) || rm -f "$x"
  return 0
}

# --- The table ---------------------------------------------------------------

cols=(program insns cpu_s insns/cpu_s rss_MiB out_MiB wall_s check)
fmt='%-16s %10s %9s %11s %8s %8s %8s %-8s'
bfmt=' %10s %9s %11s %8s %8s %8s %-8s %9s'
if [[ -n $base ]]; then
  cols+=(base_insns base_cpu_s base_insns/s base_rss base_out base_wall base_chk base/tool)
fi
(IFS=$'\t'; echo "${cols[*]}") >"$tsv"
say "tool: $tool ($("$tool" --version 2>&1 | head -n 1))"
[[ -n $base ]] && say "base: $base ($("$base" --version 2>&1 | head -n 1))"
# shellcheck disable=SC2059 # the formats are the table's layout
{
  printf "$fmt" "${cols[@]:0:8}"
  [[ -n $base ]] && printf "$bfmt" "${cols[@]:8}"
  printf '\n'
}

status=0 i=0
for p in "${programs[@]}"; do
  order=(tool)
  if [[ -n $base ]]; then
    if ((i % 2)); then order=(base tool); else order=(tool base); fi
  fi
  i=$((i + 1))
  declare -A row=()
  if [[ ${failed[$p]:-} == build ]]; then
    status=1
    for v in "${order[@]}"; do row[$v]="- - - - - - BUILD"; done
  else
    [[ ${failed[$p]:-} == qemu ]] && status=1
    for v in "${order[@]}"; do
      if [[ $v == tool ]]; then t=$tool; else t=$base; fi
      measure "$p" "$v" "$t" || status=1
      per=-
      if [[ $r_insns =~ ^[0-9]+$ && $r_cpu != - ]]; then
        per=$(awk -v n="$r_insns" -v c="$r_cpu" 'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }')
      fi
      [[ ${failed[$p]:-} == qemu && $r_check == - ]] && r_check=NOQEMU
      row[$v]="$r_insns $r_cpu $per $r_rss $r_size $r_wall $r_check"
    done
  fi
  read -r -a a <<<"${row[tool]}"
  fields=("$p" "${a[@]}")
  if [[ -n $base ]]; then
    read -r -a b <<<"${row[base]}"
    ratio=-
    if [[ ${a[1]} != - && ${b[1]} != - ]]; then
      ratio=$(awk -v t="${a[1]}" -v b="${b[1]}" 'BEGIN { printf "%.2f", (t > 0 ? b / t : 0) }')
    fi
    fields+=("${b[@]}" "$ratio")
  fi
  # shellcheck disable=SC2059
  {
    printf "$fmt" "${fields[@]:0:8}"
    [[ -n $base ]] && printf "$bfmt" "${fields[@]:8}"
    printf '\n'
  }
  (IFS=$'\t'; echo "${fields[*]}") >>"$tsv"
  unset row
  if ((profiled)) && [[ -s $out/$p.prof ]]; then
    measure "$p" prof "$tool" "--profile=$out/$p.prof" || status=1
    per=-
    if [[ $r_insns =~ ^[0-9]+$ && $r_cpu != - ]]; then
      per=$(awk -v n="$r_insns" -v c="$r_cpu" 'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }')
    fi
    fields=("$p+profile" "$r_insns" "$r_cpu" "$per" "$r_rss" "$r_size" "$r_wall" "$r_check")
    # shellcheck disable=SC2059
    printf "$fmt\n" "${fields[@]}"
    (IFS=$'\t'; echo "${fields[*]}") >>"$tsv"
  fi
done
say "table written to $tsv"
exit "$status"
