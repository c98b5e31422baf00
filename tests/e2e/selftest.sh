#!/bin/bash
# selftest.sh - checks the end-to-end harness (compare.sh, run_examples.sh)
# without dbt-aot: the native x86-64 build of each program stands in for its
# translation (native-translator.sh).  Checks that
#   - run_examples.sh passes when the "translation" is right,
#   - compare.sh reports a differing stdout, stderr, exit status, a death by
#     signal versus an exit with the same number, a hang, and a failed
#     translation,
#   - qemu's "uncaught target signal" line does not count as a difference.
#
#   selftest.sh [WORKDIR]      (default: build/e2e-selftest)
# Environment: QEMU, AARCH64_CC, HOST_CC (default cc).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$root/build/e2e-selftest}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
HOST_CC=${HOST_CC:-cc}
export QEMU=${QEMU:-qemu-aarch64}
compare=$here/compare.sh

rm -rf "$work"
mkdir -p "$work/native" "$work/guest" || exit 2
work=$(cd "$work" && pwd)
export NATIVE_DIR=$work/native

pass=0
failed=0
check() {   # check DESCRIPTION EXPECTED_RC EXPECTED_PHRASE COMMAND...
  local what=$1 want_rc=$2 phrase=$3 rc
  shift 3
  "$@" >"$work/last.log" 2>&1
  rc=$?
  if ((rc == want_rc)) && { [[ -z $phrase ]] || grep -qF -- "$phrase" "$work/last.log"; }; then
    echo "ok: $what"
    pass=$((pass + 1))
  else
    echo "NOT OK: $what: exit $rc (want $want_rc)${phrase:+, want output containing \"$phrase\"}"
    sed 's/^/  | /' "$work/last.log"
    failed=$((failed + 1))
  fi
}

# 1. The examples, natively built, must agree with qemu-aarch64.
for src in "$root"/examples/*.c; do
  "$HOST_CC" -O2 -o "$NATIVE_DIR/$(basename "$src" .c)" "$src" || exit 2
done
check "run_examples.sh with a correct translation" 0 " 0 failed" \
  env DBT_AOT="$here/native-translator.sh" "$here/run_examples.sh" "$work/examples"

# 2. Small programs whose behaviour is chosen at compile time.
cat >"$work/mini.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(void)
{
    printf("out %d\n", OUT);
    fprintf(stderr, "err %d\n", ERR);
    fflush(NULL);
    if (HOW == 1)
        abort();
    if (HOW == 2)
        *(volatile int *)0 = 1;
    if (HOW == 3)
        for (;;)
            pause();
    return STATUS;
}
C
mini() {   # mini NAME OUT ERR HOW STATUS: guest build in guest/, native in native/
  local name=$1
  shift
  local defs=(-DOUT="$1" -DERR="$2" -DHOW="$3" -DSTATUS="$4")
  "$AARCH64_CC" -O2 -static "${defs[@]}" -o "$work/guest/$name" "$work/mini.c" || exit 2
  "$HOST_CC" -O2 "${defs[@]}" -o "$work/native/$name" "$work/mini.c" || exit 2
}
# Guest and native from different definitions: "translated" differently.
mini_pair() {   # mini_pair NAME GUEST_DEFS(4) NATIVE_DEFS(4)
  local name=$1
  mini "$name" "$2" "$3" "$4" "$5"
  cp "$work/guest/$name" "$work/guest.$name.keep"
  mini "$name" "$6" "$7" "$8" "$9"
  mv "$work/guest.$name.keep" "$work/guest/$name"
}

export DBT_AOT=$here/native-translator.sh
mini same 1 1 0 3
check "same output and exit status" 0 "PASS: same (exit 3)" "$compare" "$work/guest/same"
mini_pair stdout 1 1 0 0  2 1 0 0
check "stdout differs" 1 "stdout differs" "$compare" "$work/guest/stdout"
mini_pair stderr 1 1 0 0  1 2 0 0
check "stderr differs" 1 "stderr differs" "$compare" "$work/guest/stderr"
mini_pair status 1 1 0 3  1 1 0 4
check "exit status differs" 1 "status differs: qemu-aarch64 exit 3, translated exit 4" "$compare" "$work/guest/status"
mini abort 1 1 1 0
check "both die of SIGABRT (qemu's own message ignored)" 0 "PASS: abort (signal 6 (SIGABRT))" "$compare" "$work/guest/abort"
mini segv 1 1 2 0
check "both die of SIGSEGV" 0 "PASS: segv (signal 11 (SIGSEGV))" "$compare" "$work/guest/segv"
mini_pair sigvsexit 1 1 1 0  1 1 0 134
check "signal 6 is not exit 134" 1 "status differs: qemu-aarch64 signal 6 (SIGABRT), translated exit 134" \
  "$compare" "$work/guest/sigvsexit"
mini_pair hang 1 1 0 0  1 1 3 0
check "a hang is reported" 1 "status differs: qemu-aarch64 exit 0, translated killed after the 1s time limit" \
  "$compare" --timeout 1 "$work/guest/hang"
mini hangboth 1 1 3 0
check "agreeing on a hang is not a pass" 1 "both runs killed after the 1s time limit" \
  "$compare" --timeout 1 "$work/guest/hangboth"
check "arguments and --env reach both sides" 0 "PASS: echo a b" \
  "$compare" --env DBT_EXAMPLE_VAR=x -o "$work/examples/x86/echo" --no-translate "$work/examples/guest/echo" a b
check "a failed translation is reported" 2 "translation failed" \
  env DBT_AOT=false "$compare" "$work/guest/same"

echo
echo "$pass passed, $failed failed"
((failed == 0))
