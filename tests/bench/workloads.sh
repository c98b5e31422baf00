#!/bin/bash
# workloads.sh - real-program workloads, translated against native and qemu,
# measured side by side (issue 14).
#
#   tests/bench/workloads.sh [-r RUNS] [--base TOOL] [--base-opts OPTS] [--no-qemu] [WORKLOAD...]
#
# Each workload is one of our drivers over a real library from Debian
# bookworm, built twice from the same source and the same library version:
#   guest:   aarch64-linux-gnu-gcc -O2 -static against the arm64 -dev
#            package's .a (tests/bench/fetch-debian.sh), translated by
#            dbt-aot at its default level (or with $DBT_AOT_OPTS)
#   native:  gcc -O2 -static against the host's amd64 .a of that package
# The native program must exit 0; the translation (and the --base one, and
# qemu-aarch64) must print the same bytes and exit with the same status.
# Then native, translated (and the --base translation, and qemu) run in
# turn RUNS times (default 5); the table gives median CPU seconds (user +
# sys) and the ratios translated/native and qemu/translated, with their
# geometric means.  Workloads (default: all, in this order; the
# argument is the one each runs with, ~0.5-3 CPU-seconds natively):
#   sqlite   programs/sqlite_driver.c 100 over libsqlite3.a: inserts,
#            GROUP BY, JOIN, an index, in memory
#   xz       programs/xz_driver.c 2 over liblzma.a: preset 6 compress and
#            decompress of 2 MiB of generated text (programs/gen_text.h)
#   bzip2    programs/bzip2_driver.c 6 over libbz2.a: -9, 6 MiB
#   zstd     programs/zstd_driver.c 2 over libzstd.a: level 19, 2 MiB
#   zlib     programs/zlib_driver.c 8 over libz.a: deflate -9 and inflate,
#            8 MiB
#   hash     programs/hash_driver.c 48 over libcrypto.a (OpenSSL 3):
#            SHA-256, SHA-1, MD5 and SHA-512 of 48 MiB, one-shot and
#            through Init/Update/Final in chunks of 64 bytes to 64 KiB,
#            one byte at a time over 256 KiB, and of 32-287-byte messages
#            (Debian's arm64 and amd64 libssl-dev may be at different
#            3.0.x patch levels; the digests are the same)
#   lua      programs/lua_driver.c 6 over liblua5.4.a: an embedded script
#            (recursive fib, string.format and gsub, table.sort)
#   python   programs/python_driver.c over libpython3.11.a (and libexpat.a,
#            libz.a) running "scale = 10" and programs/python_workload.py;
#            the guest with PYTHONHOME=SYSROOT/usr (the sysroot's
#            libpython3.11-minimal), the native side with PYTHONHOME=/usr
# The host needs the amd64 -dev packages: libsqlite3-dev liblzma-dev
# libbz2-dev libzstd-dev zlib1g-dev libssl-dev liblua5.4-dev
# libpython3.11-dev libexpat1-dev, and for python its stdlib
# (libpython3.11-minimal); a workload whose package is missing is reported
# by name and skipped (exit status 1).  Guests, native builds, translations
# and outputs go to $BENCH_DIR (NAME.build.log, NAME.SIDE.out and .err).  A
# build is redone only when a source, a library .a or this script is newer
# than it, a translation only when the guest or the translator (dbt-aot and
# the runtime files beside it) is newer or the options differ
# (NAME.dbt.opts).  Builds and translations run under nice -n 10; each
# translation's CPU and wall seconds go to stderr.
# --base-opts OPTS (split at spaces): options for the base translation
# only, with the same translator when there is no --base: `--base-opts
# --bind=none zlib` puts the translation without host-library bindings
# beside the one with (issue 15).
# It measures; it does not judge (docs/benchmarks.md has the targets).
#
# Environment:
#   DBT_AOT        the translator measured (default: build/dbt-aot)
#   DBT_AOT_OPTS   more options for it and for --base TOOL, split at spaces
#                  (e.g. DBT_AOT_OPTS=-O0: translations in seconds while
#                  developing; at the default -O2 each takes minutes of
#                  CPU, python's by far the most)
#   BENCH_DIR      outputs (default: build/bench/workloads)
#   DBT_CACHE_DIR  passed to fetch-debian.sh (default: build/bench-cache)
# Exit status: 0 all measured, 1 a workload could not be built, translated
# or run, or its outputs differ (the rest are still measured), 2 usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
all_workloads=(sqlite xz bzip2 zstd zlib hash lua python)
run_timeout=600

usage() {
  echo "usage: tests/bench/workloads.sh [-r RUNS] [--base TOOL] [--base-opts OPTS] [--no-qemu] [WORKLOAD...]" >&2
  echo "workloads: ${all_workloads[*]}" >&2
  exit 2
}
say() { echo "workloads.sh: $*" >&2; }

runs=5 base='' qemu=1 base_opts=
workloads=()
while (($#)); do
  case $1 in
    -r) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; runs=$2; shift 2 ;;
    --base) (($# >= 2)) || usage; base=$(realpath "$2"); shift 2 ;;
    --base-opts) (($# >= 2)) || usage; base_opts=$2; shift 2 ;;
    --no-qemu) qemu=0; shift ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) usage ;;
    *) [[ " ${all_workloads[*]} " == *" $1 "* ]] || { say "unknown workload '$1'"; usage; }
       workloads+=("$1"); shift ;;
  esac
done
((${#workloads[@]})) || workloads=("${all_workloads[@]}")
tool=$(realpath "${DBT_AOT:-$root/build/dbt-aot}")
[[ -x $tool ]] || { say "no translator at $tool"; exit 2; }
[[ -n $base_opts && -z $base ]] && base=$tool
# shellcheck disable=SC2206 # options separated by spaces
bopts=($base_opts)
[[ -z $base || -x $base ]] || { say "no base translator at $base"; exit 2; }
# shellcheck disable=SC2206 # options separated by spaces
opts=(${DBT_AOT_OPTS:-})
out=${BENCH_DIR:-$root/build/bench/workloads}
mkdir -p "$out"
out=$(cd "$out" && pwd)
sysroot=$("$here/fetch-debian.sh") || { say "fetch-debian.sh failed"; exit 1; }
alib=$sysroot/usr/lib/aarch64-linux-gnu
nlib=/usr/lib/x86_64-linux-gnu

# The -dev package each library archive comes from, on both sides.
declare -A package=([libsqlite3.a]=libsqlite3-dev [liblzma.a]=liblzma-dev [libbz2.a]=libbz2-dev
                    [libzstd.a]=libzstd-dev [libz.a]=zlib1g-dev [libcrypto.a]=libssl-dev
                    [liblua5.4.a]=liblua5.4-dev
                    [libpython3.11.a]=libpython3.11-dev [libexpat.a]=libexpat1-dev)

# workload NAME: what NAME is made of, in globals:
#   src       its driver in programs/
#   inc       a directory under usr/include with its headers ('' none)
#   libs      the library archives it links, in link order
#   syslibs   the C library's libraries after them
#   args      its arguments
#   genv      its environment as a guest (qemu, translated)
#   nenv      its environment natively
workload() {
  inc='' syslibs=() genv=() nenv=()
  case $1 in
    sqlite) src=sqlite_driver.c libs=(libsqlite3.a) syslibs=(-lm -lpthread -ldl) args=(100) ;;
    xz) src=xz_driver.c libs=(liblzma.a) syslibs=(-lpthread) args=(2) ;;
    bzip2) src=bzip2_driver.c libs=(libbz2.a) args=(6) ;;
    zstd) src=zstd_driver.c libs=(libzstd.a) syslibs=(-lpthread) args=(2) ;;
    zlib) src=zlib_driver.c libs=(libz.a) args=(8) ;;
    hash) src=hash_driver.c libs=(libcrypto.a) syslibs=(-lpthread -ldl) args=(48) ;;
    lua) src=lua_driver.c inc=lua5.4 libs=(liblua5.4.a) syslibs=(-lm -ldl) args=(6) ;;
    python)
      src=python_driver.c inc=python3.11 libs=(libpython3.11.a libexpat.a libz.a)
      syslibs=(-lm -lpthread -ldl -lutil)
      args=("scale = 10"$'\n'"$(<"$here/programs/python_workload.py")")
      genv=(PYTHONHOME="$sysroot/usr") nenv=(PYTHONHOME=/usr) ;;
  esac
}

# stale OUTPUT INPUT...: OUTPUT is missing or older than an input.
stale() {
  local o=$1 i
  shift
  [[ -e $o ]] || return 0
  for i in "$@"; do [[ $i -nt $o ]] && return 0; done
  return 1
}

# build NAME: $out/NAME.a64 and $out/NAME.native, unless up to date.
build() {
  local w=$1 l log=$out/$1.build.log
  workload "$w"
  local -a alibs=() nlibs=() ainc=() ninc=()
  for l in "${libs[@]}"; do
    [[ -f $nlib/$l ]] || { say "$w needs the host's ${package[$l]} (amd64: no $nlib/$l)"; return 1; }
    [[ -f $alib/$l ]] || { say "$w: no $alib/$l in the sysroot (arm64 ${package[$l]})"; return 1; }
    alibs+=("$alib/$l") nlibs+=("$nlib/$l")
  done
  if [[ $w == python && ! -f /usr/lib/python3.11/encodings/__init__.py ]]; then
    say "python needs the host's libpython3.11-minimal (no /usr/lib/python3.11/encodings)"
    return 1
  fi
  if [[ -n $inc ]]; then ainc=(-I"$sysroot/usr/include/$inc") ninc=(-I"/usr/include/$inc"); fi
  local -a inputs=("$here/programs/$src" "$here/programs/gen_text.h" "$here/workloads.sh")
  if stale "$out/$w.a64" "${inputs[@]}" "${alibs[@]}"; then
    rm -f "$out/$w.a64" "$out/$w.dbt" "$out/$w.base"
    # -idirafter: the cross compiler's own libc headers come first; the
    # multiarch directory holds e.g. lua5.4-deb-multiarch.h.
    nice -n 10 aarch64-linux-gnu-gcc -O2 -static "${ainc[@]}" -idirafter "$sysroot/usr/include" \
      -idirafter "$sysroot/usr/include/aarch64-linux-gnu" "$here/programs/$src" -o "$out/$w.a64" "${alibs[@]}" "${syslibs[@]}" >"$log" 2>&1 ||
      { say "$w: the guest does not build:"; tail -n 20 "$log" >&2; return 1; }
  fi
  if stale "$out/$w.native" "${inputs[@]}" "${nlibs[@]}"; then
    rm -f "$out/$w.native"
    nice -n 10 gcc -O2 -static "${ninc[@]}" "$here/programs/$src" -o "$out/$w.native" \
      "${nlibs[@]}" "${syslibs[@]}" >>"$log" 2>&1 ||
      { say "$w: the native program does not build:"; tail -n 20 "$log" >&2; return 1; }
  fi
}

# translate NAME SIDE TOOL: $out/NAME.SIDE from NAME.a64, unless up to date.
translate() {
  local w=$1 s=$2 t=$3 x=$out/$1.$2 f
  local -a deps=("$out/$w.a64" "$t")
  for f in libdbt_runtime.a libdbt_jit.so x86_64-output.ld; do
    [[ -e $(dirname "$t")/$f ]] && deps+=("$(dirname "$t")/$f")
  done
  local -a o=("${opts[@]}")
  [[ $s == base ]] && o+=("${bopts[@]}")
  local want="$t ${o[*]}"
  if ! stale "$x" "${deps[@]}" && [[ -f $x.opts && $(<"$x.opts") == "$want" ]]; then
    return 0
  fi
  rm -f "$x" "$x.opts"
  local rc=0
  nice -n 10 /usr/bin/time -f '%U %S %e' -o "$x.time" "$t" "${o[@]}" "$out/$w.a64" -o "$x" \
    >"$x.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    say "$w: translation by $t ${o[*]} failed (exit status $rc):"
    tail -n 20 "$x.log" >&2
    rm -f "$x"
    return 1
  fi
  echo "$want" >"$x.opts"
  say "$w: $s translated by $t ${o[*]} in $(awk '{printf "%.1f CPU s (%s s wall)", $1 + $2, $3}' "$x.time")"
}

# side NAME SIDE: the command line of one side (in array cmd).
side() {
  case $2 in
    native) cmd=(env "${nenv[@]}" "$out/$1.native" "${args[@]}") ;;
    qemu) cmd=(env "${genv[@]}" qemu-aarch64 "$out/$1.a64" "${args[@]}") ;;
    *) cmd=(env "${genv[@]}" "$out/$1.$2" "${args[@]}") ;;
  esac
}

cpu() { # CMD... -> user+sys seconds on stdout; the program's stdout in $out/last.out
  /usr/bin/time -f '%U %S' -o "$out/last.time" "$@" >"$out/last.out" 2>/dev/null
  awk '{print $1 + $2}' "$out/last.time"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

say "translator: $tool ${opts[*]}${base:+, base: $base ${opts[*]} ${bopts[*]}}"
status=0
printf '%-8s %9s %9s %8s' workload native_s dbt_s dbt/nat
[[ -n $base ]] && printf ' %9s %9s' base_s base/nat
((qemu)) && printf ' %9s %9s' qemu_s qemu/dbt
printf '\n'
lr=0 lq=0 n=0
for w in "${workloads[@]}"; do
  build "$w" || { status=1; continue; }
  translate "$w" dbt "$tool" || { status=1; continue; }
  if [[ -n $base ]]; then translate "$w" base "$base" || { status=1; continue; }; fi
  sides=(native dbt)
  [[ -n $base ]] && sides+=(base)
  ((qemu)) && sides+=(qemu)
  # Every side once, checked against native: stdout and exit status.
  same=1
  for s in "${sides[@]}"; do
    side "$w" "$s"
    rc=0
    timeout "$run_timeout" "${cmd[@]}" >"$out/$w.$s.out" 2>"$out/$w.$s.err" || rc=$?
    echo "$rc" >"$out/$w.$s.status"
    if [[ $s == native ]]; then
      ((rc == 0)) && continue
      say "$w: the native program exits with status $rc:"
      head -c 1000 "$out/$w.$s.err" >&2
      same=0
      break
    fi
    want=$(<"$out/$w.native.status")
    if [[ $rc != "$want" ]] || ! cmp -s "$out/$w.native.out" "$out/$w.$s.out"; then
      say "$w: $s prints other bytes than native or exits otherwise (status $rc, native $want):"
      diff "$out/$w.native.out" "$out/$w.$s.out" | head -n 10 >&2 || true
      head -c 1000 "$out/$w.$s.err" >&2
      same=0
    fi
  done
  ((same)) || { status=1; continue; }
  declare -A t=()
  for ((i = 0; i < runs; i++)); do
    for s in "${sides[@]}"; do
      side "$w" "$s"
      t[$s]+="$(cpu "${cmd[@]}") "
    done
  done
  mn=$(tr ' ' '\n' <<<"${t[native]}" | grep . | median)
  md=$(tr ' ' '\n' <<<"${t[dbt]}" | grep . | median)
  r=$(echo "$md / $mn" | bc -l)
  printf '%-8s %9.3f %9.3f %8.2f' "$w" "$mn" "$md" "$r"
  lr=$(echo "$lr + l($r)" | bc -l)
  if [[ -n $base ]]; then
    mb=$(tr ' ' '\n' <<<"${t[base]}" | grep . | median)
    printf ' %9.3f %9.2f' "$mb" "$(echo "$mb / $mn" | bc -l)"
  fi
  if ((qemu)); then
    mq=$(tr ' ' '\n' <<<"${t[qemu]}" | grep . | median)
    q=$(echo "$mq / $md" | bc -l)
    printf ' %9.3f %9.2f' "$mq" "$q"
    lq=$(echo "$lq + l($q)" | bc -l)
  fi
  printf '\n'
  n=$((n + 1))
  unset t
done
if ((n > 0)); then
  printf 'geomean dbt/native %.2f' "$(echo "e($lr / $n)" | bc -l)"
  ((qemu)) && printf ', qemu/dbt %.2f' "$(echo "e($lq / $n)" | bc -l)"
  printf ' (%d workloads, %d runs each)\n' "$n" "$runs"
fi
exit $status
