#!/bin/bash
# run.sh - GCC's C execution suites (gcc.c-torture/execute, its ieee/
# subdirectory, gcc.dg/vect), built for AArch64, run under qemu-aarch64 (the
# oracle) and translated by dbt-aot.
#
#   run.sh [options] OUTDIR
#
# For each test of the suite (sorted by name) and each optimization level:
#   1. build it: aarch64-linux-gnu-gcc -O<L> -static -w <options> T.c -lm
#      where <options> depend on the suite (--suite-name):
#        execute  the test's dg-options (dg-directives.pl reads the DejaGnu
#                 directives; a test they rule out for aarch64-linux is
#                 "skip-dg", one that does not build "skip-build");
#        ieee     ieee.exp's -fno-inline and what the test's .x file appends
#                 (x-file.tcl evaluates it; one that returns 1 is "skip-dg");
#        vect     -I<vect dir>, then vect.exp's default options of the test's
#                 group (-ftree-vectorize -fno-tree-loop-distribute-patterns
#                 -fno-vect-cost-model -fno-common, plus e.g. -ffast-math for
#                 fast-math-*, -O3 for O3-*; its -O2 is the level's -O<L>)
#                 or, as in DejaGnu, the test's dg-options instead of them,
#                 then its dg-additional-options and dg-add-options; only the
#                 tests vect.exp runs (its file globs, with tsvc/ and
#                 complex/) that are run tests (no dg-do is "run" on aarch64);
#   2. run it under qemu-aarch64 (TORTURE_TIMEOUT): exit 0 is "pass", anything else
#      is a "qemu-fail" and leaves the test out of the comparison;
#   3. translate it with dbt-aot (a failure to translate is a failure);
#   4. run the translation (TORTURE_TIMEOUT): it passes when it exits 0 and its
#      stdout and stderr are those of the qemu run.
# Both runs get the environment of tests/e2e/compare.sh (PATH and LC_ALL=C
# only), stdin /dev/null, and a fresh working directory each.
#
# Options:
#   --levels "0 2 3"  guest optimization levels, run in this order (default)
#   --all             every test (default)
#   --sample N        N tests evenly spread over the sorted list (the same N
#                     tests for the same suite, whatever else is given)
#   --filter REGEX    only tests whose name (without .c) matches REGEX
#                     (applied before --sample)
#   --jobs J          tests in parallel (default: nproc)
#   --opt N           translate with dbt-aot -ON (default: the tool's default)
#   --force           re-run tests that already have a result in OUTDIR
#   --retry-failed    re-run the tests whose recorded translated run failed
#   --keep            keep the binaries of passing tests (default: only those
#                     of the tests that did not pass are kept)
#   --batch K         link up to K tests into one program (each still runs
#                     as its own process, selected by an argument) so that
#                     one translation serves K tests: a fast screen, ~K times
#                     fewer translations; confirm its failures without it
#                     (--retry-failed).  Default 1: each test its own program.
#   --dynamic SYSROOT build the tests the cross compiler's default way
#                     (dynamically linked PIEs, not -static), run qemu with
#                     -L SYSROOT and translate with --sysroot SYSROOT (the
#                     translated libraries are cached: DBT_AOT_CACHE);
#                     "debian": the root tests/e2e/sysroot.sh fetches
#   --jit             no translation ahead of time: each test runs through
#                     the runtime's JIT alone (DBT_EXEC_GUEST=TEST given to
#                     one small translated program, as after an execve of
#                     an AArch64 program), so every region of the test and
#                     of its libc is compiled at run time; static tests,
#                     each alone (no --batch, no --dynamic)
#   --suite-name S    execute (default), ieee or vect; use one OUTDIR per
#                     suite
#   --suite DIR       the suite's directory (default: fetch.sh's)
# Environment:
#   DBT_AOT           the translator (default: build/dbt-aot)
#   AARCH64_CC        the guest compiler (default: aarch64-linux-gnu-gcc)
#   QEMU              the oracle (default: qemu-aarch64)
#   TORTURE_TIMEOUT   limit of each run in seconds (default 10, vect 30:
#                     its tsvc/ tests run ~5 s under qemu)
#   TORTURE_TRANSLATE_TIMEOUT   limit of each translation (default 900)
#   DBT_CACHE_DIR     fetch.sh's cache (default: build/torture-cache)
#
# Resumable: each (test, level) leaves OUTDIR/results.d/TEST.O<L> (a "/"
# in a vect test's name, e.g. tsvc/vect-tsvc-s000, is "__" in file names), and a
# later run with the same OUTDIR skips those that have one, so the full
# suite (hours) can run in pieces.  OUTDIR/results.tsv gathers every result
# in OUTDIR after each run, one line each:
#     test  level  qemu-verdict  translated-verdict  seconds-to-translate
# with verdicts "pass", "exit N", "signal N", "timeout", "skip-dg: why",
# "skip-build" (qemu), "translate-fail", "stdout-differs", "stderr-differs"
# (translated; "-" when not run).  With --batch the seconds are the batch's.  The logs and binaries of each test that
# did not pass stay in OUTDIR/work/TEST.O<L>/.
# Prints a summary per level and finally "N passed, N failed, N skipped":
# passed = passed under qemu and translated, failed = passed under qemu but
# not translated, skipped = not built, ruled out, or failed under qemu.
# Exit status: 0 nothing failed, 1 something failed, 2 usage or setup error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() {
  sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

# ---------------------------------------------------------------------------
# The work of one xargs job (internal; the configuration is in the environment
# variables TORTURE_*):
#   run.sh __one LEVEL TEST              one test, its own binary
#   run.sh __batch LEVEL TEST...         several tests in one binary
# ---------------------------------------------------------------------------

# run_limited DIR SIDE SECS CMD...: run CMD in DIR with the clean
# environment; stdout, stderr and "exit N" / "signal N" / "timeout" into
# SIDE.out, SIDE.err, SIDE.status (beside DIR).  As in tests/e2e/compare.sh,
# perl tells a death by signal from an exit status and kills a run that
# outlives its limit.
run_limited() {
  local dir=$1 side=$2 secs=$3
  shift 3
  mkdir -p "$dir"
  (cd "$dir" && perl -e '
    my ($stfile, $secs) = (shift, shift);
    open(my $st, ">", $stfile) or die "status file $stfile: $!";
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
      setpgrp(0, 0);
      exec { $ARGV[0] } @ARGV;
      print STDERR "cannot run $ARGV[0]: $!\n";
      exit 127;
    }
    my $timed_out = 0;
    $SIG{ALRM} = sub { $timed_out = 1; kill "KILL", -$pid; kill "KILL", $pid };
    alarm $secs;
    while (waitpid($pid, 0) == -1) { die "waitpid: $!" unless $!{EINTR} }
    my $w = $?;
    alarm 0;
    if ($timed_out) { print $st "timeout\n" }
    elsif ($w & 127) { print $st "signal ", $w & 127, "\n" }
    else { print $st "exit ", $w >> 8, "\n" }
  ' "../$side.status" "$secs" env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C "$@" \
    </dev/null >"../$side.out" 2>"../$side.err")
}

# fname TEST: the test's name in file names ("/" -> "__").
fname() {
  local t=$1
  echo "${t//\//__}"
}

# vect_group TEST: the default options vect.exp gives the tests of TEST's
# file glob (its DEFAULT_VECTCFLAGS without -O2, which the level replaces,
# and without the -fdump-* options: the dg-final scans are not checked);
# fails for a file that no glob of vect.exp runs.  complex/ is vect.exp again
# (complex/complex.exp loads it).
vect_group() {
  local base="-ftree-vectorize -fno-tree-loop-distribute-patterns -fno-vect-cost-model -fno-common"
  local f=${1#complex/} more
  case $f in
    nodump-*|pr*|vect-*|tsvc/*|slp-*|bb-slp*) more="" ;;
    vec-scal-*) more="-O" ;;
    no-vfa-*) more="--param vect-max-version-for-alias-checks=0" ;;
    fast-math-[ipsvc]*|fast-math-bb-slp-*) more="-ffast-math" ;;
    no-fast-math-*) more="-fno-fast-math" ;;
    no-math-errno-*) more="-fno-math-errno" ;;
    wrapv-*) more="-fwrapv" ;;
    trapv-*) more="-ftrapv" ;;
    no-tree-dce-*) more="-fno-tree-dce" ;;
    section-anchors-*|aligned-section-anchors-*) more="-fsection-anchors" ;;
    no-section-anchors-*) more="-fno-section-anchors" ;;
    unswitch-loops-*) more="-funswitch-loops" ;;
    no-trapping-math-*) more="-fno-trapping-math" ;;
    no-scevccp-vect-*|no-scevccp-pr*|no-scevccp-outer-*|no-scevccp-slp-*)
      more="-fno-tree-scev-cprop" ;;
    no-scevccp-noreassoc-*) more="-fno-tree-scev-cprop -fno-tree-reassoc" ;;
    no-tree-dom-*) more="-fno-tree-dominator-opts" ;;
    no-tree-pre-*) more="-fno-tree-pre" ;;
    Os-vect-*) more="-Os" ;;
    ggc-*) more="--param ggc-min-expand=0 --param ggc-min-heapsize=0" ;;
    O3-*) more="-O3 -fno-ipa-cp-clone" ;;
    O1-*) more="-O1" ;;
    O-*) more="-O" ;;
    no-tree-reassoc-bb-slp-*) more="-fno-tree-reassoc" ;;
    no-tree-fre-*) more="-fno-tree-fre" ;;
    no-fre-pre*) more="-fno-tree-fre -fno-tree-pre" ;;
    no-tree-sra-bb-slp-*) more="-fno-tree-sra" ;;
    *) return 1 ;;
  esac
  echo "$base${more:+ $more}"
}

# prepare TEST LEVEL: a fresh work directory; sets qv to "skip-dg: ..." when
# the directives rule the test out, else extra to its compiler options.
prepare() {
  local t=$1 L=$2 line src=$TORTURE_SUITE/$1.c
  w=$TORTURE_OUT/work/$(fname "$t").O$L
  qv="" tv="-" secs="-" extra=""
  rm -rf "$w"
  mkdir -p "$w/guest" "$w/x86" || return 1
  case $TORTURE_KIND in
    execute) line=$(perl "$here/dg-directives.pl" "$src" "-O$L" 2>"$w/dg.log") ;;
    ieee)
      # c-torture-execute reads no dg- directives: only the .x file.
      if [[ -f ${src%.c}.x ]]; then
        line=$(tclsh "$here/x-file.tcl" "${src%.c}.x" -fno-inline 2>"$w/dg.log")
      else
        line=$'flags\t-fno-inline'
      fi ;;
    vect)
      line=$(perl "$here/dg-directives.pl" --default "$(vect_group "$t")" "$src" "-O$L" \
               2>"$w/dg.log")
      [[ $line == flags$'\t'* ]] && line="$line -I$TORTURE_SUITE" ;;
  esac
  case "$line" in
    skip$'\t'*) qv="skip-dg: ${line#skip$'\t'}" ;;
    flags$'\t'*) extra=${line#flags$'\t'} ;;
    *) qv="skip-dg: cannot read the directives" ;;
  esac
  # Tests whose expected output is not a function of the program: no
  # translator could match qemu on them, and two runs on a real arm64
  # machine differ too.
  case $TORTURE_KIND/$t in
    execute/return-addr)
      qv="skip-dg: prints stack addresses (differ with the stack placement: ASLR on arm64, qemu's own layout)" ;;
  esac
}

# compile TEST LEVEL OUTPUT [-c]: the guest compiler with the test's options.
compile() {
  local t=$1 L=$2 o=$3
  shift 3
  # shellcheck disable=SC2086 # extra is a list of options
  "$TORTURE_CC" -O"$L" $TORTURE_LINK -w $extra "$@" -o "$o" "$TORTURE_SUITE/$t.c" -lm
}

# translate GUEST OUT: sets secs, and tv=translate-fail on failure.
translate() {
  local t0=$EPOCHREALTIME ok=1
  # shellcheck disable=SC2086 # TORTURE_AOT_FLAGS is a list of options
  timeout -s KILL "$TORTURE_TRANSLATE_TIMEOUT" \
    "$TORTURE_AOT" $TORTURE_AOT_FLAGS "$1" -o "$2" >"${2%/*}/../translate.log" 2>&1 &&
    [[ -x $2 ]] || ok=0
  secs=$(perl -e 'printf "%.1f", $ARGV[1] - $ARGV[0]' "$t0" "$EPOCHREALTIME")
  ((ok)) || tv=translate-fail
}

# run_qemu W CMD...: the oracle's run into W/qemu.*; sets qv.
run_qemu() {
  local w=$1
  shift
  # shellcheck disable=SC2086 # TORTURE_QEMU_OPTS is a list of options
  run_limited "$w/run-qemu" qemu "$TORTURE_TIMEOUT" "$TORTURE_QEMU" $TORTURE_QEMU_OPTS "$@"
  qv=$(<"$w/qemu.status")
  [[ $qv == "exit 0" ]] && qv=pass
}

# run_x86 W CMD...: the translated run into W/x86.*, compared with qemu's;
# sets tv.
run_x86() {
  local w=$1
  shift
  run_limited "$w/run-x86" x86 "$TORTURE_TIMEOUT" "$@"
  tv=$(<"$w/x86.status")
  if [[ $tv == "exit 0" ]]; then
    if ! cmp -s "$w/qemu.out" "$w/x86.out"; then
      tv=stdout-differs
    elif ! cmp -s "$w/qemu.err" "$w/x86.err"; then
      tv=stderr-differs
    else
      tv=pass
    fi
  fi
}

# record TEST LEVEL: the result line from qv, tv, secs; tidies w.
record() {
  local t=$1 L=$2 res=$TORTURE_OUT/results.d/$(fname "$1").O$2
  printf '%s\t%s\t%s\t%s\t%s\n' "$t" "O$L" "$qv" "$tv" "$secs" >"$res.tmp" &&
    mv "$res.tmp" "$res"
  if [[ $tv == pass ]]; then
    ((TORTURE_KEEP)) || rm -rf "$w"
    echo "PASS: $t -O$L (${secs}s)"
  elif [[ $tv == - ]]; then
    rm -rf "$w/run-qemu" "$w/x86"
    echo "SKIP: $t -O$L: $qv"
  else
    echo "FAIL: $t -O$L: $tv (logs in $w)"
  fi
}

one() {
  local L=$1 t=$2 w qv tv secs extra b=${2##*/}
  prepare "$t" "$L" || return 1
  if [[ -z $qv ]] && ! compile "$t" "$L" "$w/guest/$b" >"$w/build.log" 2>&1; then
    qv=skip-build
  fi
  [[ -z $qv ]] && run_qemu "$w" "$w/guest/$b"
  if [[ $qv == pass && -n ${TORTURE_JIT_HOST:-} ]]; then
    secs=0
    run_x86 "$w" env DBT_EXEC_GUEST="$w/guest/$b" "$TORTURE_JIT_HOST"
  elif [[ $qv == pass ]]; then
    translate "$w/guest/$b" "$w/x86/$b"
    [[ $tv == - ]] && run_x86 "$w" "$w/x86/$b"
  fi
  record "$t" "$L"
}

# batch LEVEL TEST...: the tests that build on their own are linked into one
# program, whose main runs the main of test N (renamed torture_main_N; all
# other global symbols of the test made local) when called with argument N,
# with argc and argv as if it had been called alone.  One translation then
# serves them all: static glibc dominates the translation time.  Tests with
# constructors or destructors would run them in every test of the batch; they
# run alone, and so does every test of a batch that does not link.
batch() {
  local L=$1
  shift
  local b=$TORTURE_OUT/work/batch.O$L.$(fname "$1") t i w qv tv secs extra
  local objcopy=${TORTURE_CC%gcc}objcopy
  local members=() alone=()
  rm -rf "$b"
  mkdir -p "$b/guest" "$b/x86" || return 1
  {
    echo '#include <stdlib.h>'
    echo 'int torture_main(int n, int argc, char **argv, char **envp) {'
    echo '  switch (n) {'
  } >"$b/driver.c"
  for t in "$@"; do
    if grep -qE 'constructor|destructor|init_priority' "$TORTURE_SUITE/$t.c"; then
      alone+=("$t")
      continue
    fi
    prepare "$t" "$L" || return 1
    # Compiled once, to an object (a test that compiles but does not link
    # makes the batch's link fail: then every test of the batch runs alone).
    i=${#members[@]}
    if [[ -z $qv ]] && ! compile "$t" "$L" "$b/$i.o" -c >"$w/build.log" 2>&1; then
      qv=skip-build
    fi
    if [[ -n $qv ]]; then
      record "$t" "$L"
      continue
    fi
    if ! "$objcopy" --redefine-sym "main=torture_main_$i" -G "torture_main_$i" \
           "$b/$i.o" >>"$w/build.log" 2>&1; then
      alone+=("$t")
      continue
    fi
    members+=("$t")
    echo "  case $i: { int torture_main_$i(int, char **, char **);" \
         "return torture_main_$i(argc, argv, envp); }" >>"$b/driver.c"
  done
  cat >>"$b/driver.c" <<'CEOF'
  }
  abort();
}
int main(int argc, char **argv, char **envp) {
  /* argv[1] is the test's number: the test sees argc and argv without it. */
  if (argc < 2)
    abort();
  int n = atoi(argv[1]);
  argv[1] = argv[0];
  exit(torture_main(n, argc - 1, argv + 1, envp));
}
CEOF
  local objs=()
  for ((i = 0; i < ${#members[@]}; i++)); do objs+=("$b/$i.o"); done
  if ((${#members[@]} > 0)) &&
     ! "$TORTURE_CC" -O2 $TORTURE_LINK -w -o "$b/guest/batch" "$b/driver.c" "${objs[@]}" -lm \
         >"$b/build.log" 2>&1; then
    alone+=("${members[@]}")
    members=()
  fi
  if ((${#members[@]} > 0)); then
    local bsecs btv=- failed=0
    tv=-
    translate "$b/guest/batch" "$b/x86/batch"
    bsecs=$secs btv=$tv
    for ((i = 0; i < ${#members[@]}; i++)); do
      t=${members[i]}
      w=$TORTURE_OUT/work/$(fname "$t").O$L
      secs=$bsecs tv=-
      run_qemu "$w" "$b/guest/batch" "$i"
      if [[ $qv == pass ]]; then
        tv=$btv
        [[ $tv == - ]] && run_x86 "$w" "$b/x86/batch" "$i"
      else
        secs=-
      fi
      if [[ $tv != pass && $tv != - ]]; then
        # The batch's binaries stay in b; --retry-failed builds the test alone.
        echo "batch $b, test number $i" >"$w/batch"
        failed=1
      fi
      record "$t" "$L"
    done
    ((failed || TORTURE_KEEP)) || rm -rf "$b"
  else
    rm -rf "$b"
  fi
  for t in "${alone[@]}"; do
    one "$L" "$t"
  done
}

case ${1:-} in
  __one) shift; one "$@"; exit 0 ;;
  __batch) shift; batch "$@"; exit 0 ;;
esac

# The driver.
# ---------------------------------------------------------------------------
levels="0 2 3"
sample=0
filter=""
jobs=$(nproc 2>/dev/null || echo 2)
opt=""
force=0
retry=0
keep=0
batch=1
suite=""
kind=execute
dynamic=""
jit=""
while (($# > 0)); do
  case "$1" in
    --levels) levels=${2:?--levels needs a list}; shift 2 ;;
    --all) sample=0; shift ;;
    --sample) sample=${2:?--sample needs a count}; shift 2 ;;
    --filter) filter=${2:?--filter needs a regex}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a count}; shift 2 ;;
    --opt) opt=${2:?--opt needs a level}; shift 2 ;;
    --force) force=1; shift ;;
    --retry-failed) retry=1; shift ;;
    --keep) keep=1; shift ;;
    --batch) batch=${2:?--batch needs a count}; shift 2 ;;
    --suite) suite=${2:?--suite needs a directory}; shift 2 ;;
    --suite-name) kind=${2:?--suite-name needs a name}; shift 2 ;;
    --dynamic) dynamic=${2:?--dynamic needs a sysroot}; shift 2 ;;
    --jit) jit=1; shift ;;
    -h|--help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
(($# == 1)) || usage
out=$1
[[ $sample =~ ^[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ && $batch =~ ^[1-9][0-9]*$ ]] || usage
[[ -z $opt || $opt =~ ^[0-3]$ ]] || { echo "run.sh: --opt takes 0..3" >&2; exit 2; }
# "debian" as in the e2e scripts; sysroot.sh keeps its packages in its
# own cache (DBT_CACHE_DIR here is fetch.sh's).
if [[ $dynamic == debian ]]; then
  dynamic=$(env -u DBT_CACHE_DIR "$root/tests/e2e/sysroot.sh") || exit 2
fi
if [[ -n $jit ]] && { ((batch > 1)) || [[ -n $dynamic ]]; }; then
  echo "run.sh: --jit runs static tests each alone: not with --batch or --dynamic" >&2
  exit 2
fi
[[ $kind =~ ^(execute|ieee|vect)$ ]] || { echo "run.sh: --suite-name takes execute, ieee or vect" >&2; exit 2; }
[[ $kind != ieee ]] || command -v tclsh >/dev/null ||
  { echo "run.sh: error: the ieee suite needs tclsh (its .x files are Tcl)" >&2; exit 2; }
for L in $levels; do
  [[ $L =~ ^([0-3]|s|fast|g)$ ]] || { echo "run.sh: bad level $L" >&2; exit 2; }
done

DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
QEMU=${QEMU:-qemu-aarch64}
[[ -x $DBT_AOT ]] || { echo "run.sh: error: no translator at $DBT_AOT (build first, or set DBT_AOT)" >&2; exit 2; }
DBT_AOT=$(cd "$(dirname "$DBT_AOT")" && pwd)/$(basename "$DBT_AOT")
command -v "$AARCH64_CC" >/dev/null || { echo "run.sh: error: no $AARCH64_CC" >&2; exit 2; }
command -v "$QEMU" >/dev/null || { echo "run.sh: error: no $QEMU" >&2; exit 2; }

if [[ -z $suite ]]; then
  suite=$("$here/fetch.sh") || { echo "run.sh: error: fetch.sh failed" >&2; exit 2; }
  case $kind in
    ieee) suite=$suite/ieee ;;
    vect) suite=$suite/../../gcc.dg/vect ;;
  esac
fi
[[ -d $suite ]] || { echo "run.sh: error: no test suite at $suite" >&2; exit 2; }
suite=$(cd "$suite" && pwd)

mkdir -p "$out/results.d" "$out/work" || exit 2
out=$(cd "$out" && pwd)
exec 9>"$out/lock"
if ! flock -n 9; then
  echo "run.sh: error: another run.sh is using $out" >&2
  exit 2
fi
if [[ -f $out/suite && $(<"$out/suite") != "$kind" ]]; then
  echo "run.sh: error: $out holds results of the $(<"$out/suite") suite, not $kind" >&2
  exit 2
fi
echo "$kind" >"$out/suite"

# The translator that produced the results: a different one (rebuilt, or
# another -O) leaves the old results in place, with a warning.
aot_id="$(sha256sum "$DBT_AOT" | cut -c1-16) ${opt:+-O$opt}${dynamic:+ dynamic}${jit:+ jit}"
if [[ -f $out/translator && $(<"$out/translator") != "$aot_id" ]] && ((!force)); then
  echo "run.sh: warning: $out holds results of another translator build or -O;" \
       "they are kept (--force re-runs everything, --retry-failed the failures)" >&2
fi
echo "$aot_id" >"$out/translator"

# The tests: sorted in the C locale, filtered, then sampled.
if [[ $kind == vect ]]; then
  mapfile -t all < <(cd "$suite" && printf '%s\n' *.c tsvc/*.c complex/*.c | sed 's/\.c$//' |
                     LC_ALL=C sort | while read -r t; do vect_group "$t" >/dev/null && echo "$t"; done)
else
  mapfile -t all < <(cd "$suite" && printf '%s\n' *.c | sed 's/\.c$//' | LC_ALL=C sort)
fi
tests=()
for t in "${all[@]}"; do
  [[ -z $filter || $t =~ $filter ]] && tests+=("$t")
done
if ((sample > 0 && sample < ${#tests[@]})); then
  # Test i of the sample is floor((i + 1/2) * total / N) of the list.
  picked=()
  total=${#tests[@]}
  for ((i = 0; i < sample; i++)); do
    picked+=("${tests[(2 * i + 1) * total / (2 * sample)]}")
  done
  tests=("${picked[@]}")
fi
((${#tests[@]} > 0)) || { echo "run.sh: no tests selected" >&2; exit 2; }

# What is left to run: a result file exists unless --force, or --retry-failed
# and its translated run failed.
todo=$out/todo
: >"$todo"
for L in $levels; do
  for t in "${tests[@]}"; do
    r=$out/results.d/$(fname "$t").O$L
    if ((force)) || [[ ! -f $r ]]; then
      echo "$L $t" >>"$todo"
    elif ((retry)); then
      tv=$(cut -f4 "$r")
      [[ $tv != pass && $tv != - ]] && echo "$L $t" >>"$todo"
    fi
  done
done
n_todo=$(wc -l <"$todo")
n_sel=$((${#tests[@]} * $(wc -w <<<"$levels")))
echo "run.sh: ${#tests[@]} tests x levels { $levels }: $n_todo to run," \
     "$((n_sel - n_todo)) already done; $jobs jobs$( ((batch > 1)) && echo ", batches of $batch");" \
     "translator $DBT_AOT${opt:+ -O$opt}"

export TORTURE_SUITE=$suite TORTURE_OUT=$out TORTURE_CC=$AARCH64_CC TORTURE_KIND=$kind
export TORTURE_QEMU=$QEMU TORTURE_AOT=$DBT_AOT TORTURE_AOT_FLAGS="${opt:+-O$opt}${dynamic:+ --sysroot $dynamic}"
export TORTURE_LINK=${dynamic:+-pie}
TORTURE_LINK=${TORTURE_LINK:--static}
export TORTURE_QEMU_OPTS=${dynamic:+-L $dynamic}
if [[ $kind == vect ]]; then
  export TORTURE_TIMEOUT=${TORTURE_TIMEOUT:-30}
else
  export TORTURE_TIMEOUT=${TORTURE_TIMEOUT:-10}
fi
export TORTURE_TRANSLATE_TIMEOUT=${TORTURE_TRANSLATE_TIMEOUT:-900}
export TORTURE_KEEP=$keep
# --jit: the one translated program that runs every test through the JIT.
export TORTURE_JIT_HOST=""
if [[ -n $jit ]]; then
  mkdir -p "$out/jit-host" || exit 2
  printf 'int main(void) { return 0; }\n' >"$out/jit-host/host.c"
  "$AARCH64_CC" -O2 -static -o "$out/jit-host/host" "$out/jit-host/host.c" &&
    "$DBT_AOT" "$out/jit-host/host" -o "$out/jit-host/host.x86" ||
    { echo "run.sh: error: cannot make the JIT host program" >&2; exit 2; }
  TORTURE_JIT_HOST=$out/jit-host/host.x86
fi
start=$SECONDS
if ((n_todo > 0)); then
  if ((batch > 1)); then
    # One line per batch: "LEVEL TEST..." with up to $batch tests of a level.
    awk -v k="$batch" '
      NR == 1 || $1 != level || n == k { if (n) print line; level = $1; line = $1; n = 0 }
      { line = line " " $2; n++ }
      END { if (n) print line }' "$todo" | xargs -P "$jobs" -L 1 "$0" __batch
  else
    xargs -P "$jobs" -L 1 "$0" __one <"$todo"
  fi
fi
rm -f "$todo"

# Gather every result in OUTDIR, then count those of this selection.
{
  printf 'test\tlevel\tqemu\ttranslated\ttranslate_s\n'
  find "$out/results.d" -type f ! -name '*.tmp' -exec cat {} + | LC_ALL=C sort -t$'\t' -k2,2 -k1,1
} >"$out/results.tsv.tmp" && mv "$out/results.tsv.tmp" "$out/results.tsv"

printf '%s\n' "${tests[@]}" >"$out/selection"
echo
echo "Summary (${#tests[@]} tests, $((SECONDS - start)) s):"
for L in $levels; do
  find "$out/results.d" -name "*.O$L" -type f -exec cat {} + |
    awk -F'\t' -v L="O$L" -v sel="$out/selection" '
      BEGIN { while ((getline t < sel) > 0) want[t] = 1 }
      $2 == L && ($1 in want) {
        n++
        if ($3 == "pass") { q++; if ($4 == "pass") p++; else f++ }
        else if ($3 == "skip-build") sb++
        else if ($3 ~ /^skip-dg/) sd++
        else qf++
      }
      END {
        printf "  -%s: %d tests: %d pass under qemu, %d of them translated, %d fail translated;" \
               " skipped: %d not built, %d ruled out by directives, %d fail under qemu\n",
               L, n, q, p, f, sb, sd, qf
      }'
done
awk -F'\t' -v sel="$out/selection" -v levels="$levels" '
  BEGIN {
    while ((getline t < sel) > 0) want[t] = 1
    n = split(levels, ls, " "); for (i = 1; i <= n; i++) lv["O" ls[i]] = 1
  }
  NR > 1 && ($1 in want) && ($2 in lv) {
    if ($3 == "pass") { if ($4 == "pass") p++; else { f++; failed[f] = $1 " -" $2 ": " $4 } }
    else s++
  }
  END {
    if (f > 0) { print "Failed:"; for (i = 1; i <= f; i++) print "  " failed[i] }
    printf "%d passed, %d failed, %d skipped\n", p, f, s
    exit f > 0
  }' "$out/results.tsv"
