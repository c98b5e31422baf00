#!/bin/bash
# compare.sh - differential test of one guest run: qemu-aarch64 (the oracle)
# against the translated program.
#
#   compare.sh [options] GUEST [ARGS...]
#
# Translates GUEST with "$DBT_AOT GUEST -o OUT", runs `qemu-aarch64 GUEST ARGS`
# and `OUT ARGS` with the same clean environment, standard input and working
# directory, and compares stdout, stderr and the exit status or terminating
# signal.  OUT has GUEST's base name, so argv[0]'s base name is the same.
#
# Options:
#   -o OUT            the translated program's path (default: a temporary
#                     directory, removed at exit)
#   --no-translate    OUT already holds the translation of GUEST
#   --env NAME=VALUE  add to the environment of both runs (repeatable); the
#                     environment is otherwise just PATH and LC_ALL=C
#   --stdin FILE      standard input of both runs (default /dev/null)
#   --timeout SECS    limit for each run (default $COMPARE_TIMEOUT or 60)
#   -q                print nothing when the runs agree
# Environment:
#   DBT_AOT           the translator (default: dbt-aot on PATH)
#   DBT_AOT_FLAGS     extra translator options (split on spaces)
#   QEMU              the oracle (default qemu-aarch64)
#   QEMU_LD_PREFIX    passed to qemu as -L (dynamically linked guests)
# Exit status: 0 the runs agree, 1 they differ, 2 usage error or the
# translation failed.
#
# qemu reports a guest killed by a signal with "qemu: uncaught target signal
# N (...) - core dumped" on its own stderr before dying of that signal; that
# line is removed before comparing, since a real AArch64 machine prints none.
set -uo pipefail

usage() {
  sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

out=""
translate=1
quiet=0
stdin=/dev/null
timeout_s=${COMPARE_TIMEOUT:-60}
envs=()
while (($# > 0)); do
  case "$1" in
    -o) out=${2:?-o needs a path}; shift 2 ;;
    --no-translate) translate=0; shift ;;
    --env) [[ ${2:-} == *=* ]] || usage; envs+=("$2"); shift 2 ;;
    --stdin) stdin=${2:?--stdin needs a file}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
    -q) quiet=1; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "compare.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
(($# >= 1)) || usage
guest=$1
shift
[[ -f $guest ]] || { echo "compare.sh: $guest: no such file" >&2; exit 2; }

DBT_AOT=${DBT_AOT:-dbt-aot}
QEMU=${QEMU:-qemu-aarch64}
name=$(basename "$guest")
label=$name$( (($# > 0)) && printf ' %q' "$@")

work=$(mktemp -d "${TMPDIR:-/tmp}/dbt-compare.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
if [[ -z $out ]]; then
  mkdir -p "$work/x86" || exit 2
  out=$work/x86/$name
  translate=1
fi
[[ $out == */* ]] || out=./$out   # a bare name would be looked up on PATH
[[ $(basename "$out") == "$name" ]] ||
  echo "compare.sh: warning: $out and $guest have different base names (argv[0] differs)" >&2

ulimit -c 0 2>/dev/null || true

if ((translate)); then
  rm -f "$out"
  mkdir -p "$(dirname "$out")" || exit 2
  # shellcheck disable=SC2086 # DBT_AOT_FLAGS is a list of options
  if ! "$DBT_AOT" ${DBT_AOT_FLAGS:-} "$guest" -o "$out" >"$work/translate.log" 2>&1; then
    echo "FAIL: $label: translation failed: $DBT_AOT ${DBT_AOT_FLAGS:-}${DBT_AOT_FLAGS:+ }$guest -o $out"
    sed 's/^/  | /' "$work/translate.log" | head -n 50
    exit 2
  fi
fi
if [[ ! -x $out ]]; then
  echo "FAIL: $label: no translated program at $out"
  exit 2
fi

qemu_opts=()
[[ -n ${QEMU_LD_PREFIX:-} ]] && qemu_opts+=(-L "$QEMU_LD_PREFIX")
run_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C "${envs[@]}")

# run SIDE CMD...: stdout, stderr and the status ("exit N", "signal N" or
# "timeout") into $work/SIDE.{out,err,status}.  perl (Essential in Debian)
# tells a death by signal from an exit status, which the shell's $? cannot,
# and kills a run that outlives the time limit.
run() {
  local side=$1
  shift
  perl -e '
    my ($stfile, $secs) = (shift, shift);
    open(my $st, ">", $stfile) or die "status file $stfile: $!";
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
      exec { $ARGV[0] } @ARGV;
      print STDERR "cannot run $ARGV[0]: $!\n";
      exit 127;
    }
    my $timed_out = 0;
    $SIG{ALRM} = sub { $timed_out = 1; kill "KILL", $pid };
    alarm $secs;
    while (waitpid($pid, 0) == -1) { die "waitpid: $!" unless $!{EINTR} }
    my $w = $?;
    alarm 0;
    if ($timed_out) { print $st "timeout\n" }
    elsif ($w & 127) { print $st "signal ", $w & 127, "\n" }
    else { print $st "exit ", $w >> 8, "\n" }
  ' "$work/$side.status" "$timeout_s" "${run_env[@]}" "$@" \
    <"$stdin" >"$work/$side.out" 2>"$work/$side.err"
}

run qemu "$QEMU" "${qemu_opts[@]}" "$guest" "$@"
run native "$out" "$@"

sed -E -i '/^qemu: uncaught target signal [0-9]+ \(.*\) - (core dumped|exiting)$/d' "$work/qemu.err"

describe() {   # "exit 3" -> "exit 3", "signal 11" -> "signal 11 (SIGSEGV)"
  local s
  s=$(cat "$1")
  if [[ $s == signal\ * ]]; then
    echo "$s (SIG$(kill -l "${s#signal }" 2>/dev/null || echo '?'))"
  elif [[ $s == timeout ]]; then
    echo "killed after the ${timeout_s}s time limit"
  else
    echo "$s"
  fi
}

fail=0
report=$work/report
: >"$report"
for stream in out err; do
  if ! cmp -s "$work/qemu.$stream" "$work/native.$stream"; then
    fail=1
    {
      echo "  std$stream differs:"
      diff -u --label "qemu-aarch64 std$stream" --label "translated std$stream" \
        "$work/qemu.$stream" "$work/native.$stream" | head -n 100 | sed 's/^/    /'
    } >>"$report"
  fi
done
qs=$(describe "$work/qemu.status")
ns=$(describe "$work/native.status")
if [[ $qs != "$ns" ]]; then
  fail=1
  echo "  status differs: qemu-aarch64 $qs, translated $ns" >>"$report"
elif [[ $(cat "$work/qemu.status") == timeout ]]; then
  fail=1   # agreeing on a hang proves nothing
  echo "  both runs $qs" >>"$report"
fi

if ((fail)); then
  echo "FAIL: $label"
  cat "$report"
  exit 1
fi
((quiet)) || echo "PASS: $label ($qs)"
exit 0
