#!/bin/bash
# run.sh - execve from a translated program, each case against what
# qemu-aarch64 prints when it runs the exec'd program directly (qemu-user
# cannot itself exec an AArch64 file without binfmt_misc):
#
#   1. the same AArch64 program (a copy): runs as this output again;
#   2. another static AArch64 program (examples/hello.c): runs through the
#      JIT (DBT_EXEC_GUEST);
#   3. a host program (/bin/echo): the host kernel's;
#   4. a missing file: execl fails with ENOENT, the program exits 1;
#   5. a dynamically linked AArch64 program (exec_other built the default
#      way): through the JIT, its ld.so and libc from DBT_SYSROOT (the
#      Debian arm64 sysroot of tests/e2e/sysroot.sh), against
#      qemu-aarch64 -L;
#   6. the same without DBT_SYSROOT: no interpreter, ENOENT as the
#      kernel's;
#   7. vfork_shared.c: vfork and posix_spawn share memory with the parent
#      until the child execs (against vfork_shared.expected, what Linux
#      does: qemu-aarch64 runs vfork as a fork);
#   8. jit_tables.c through the JIT: a dense switch, CRC32 and FP
#      constants, whose host code indexes tables of its own (the JIT's
#      code model, jit/jit.c emit_region).
#
#   run.sh [WORKDIR]            (default: build/e2e-exec)
# Environment: DBT_AOT, AARCH64_CC, QEMU as in the other e2e scripts;
# SYSROOT (default: what tests/e2e/sysroot.sh prints).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/build/e2e-exec}
DBT_AOT=${DBT_AOT:-$root/build/dbt-aot}
QEMU=${QEMU:-qemu-aarch64}
AARCH64_CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}

mkdir -p "$work" || exit 2
cd "$work" || exit 2
"$AARCH64_CC" -O2 -static -o exec_other "$here/exec_other.c" || exit 2
"$AARCH64_CC" -O2 -static -o hello "$root/examples/hello.c" || exit 2
"$AARCH64_CC" -O2 -static -o jit_tables "$here/jit_tables.c" || exit 2
cp exec_other same_copy
"$AARCH64_CC" -O2 -o exec_dynamic "$here/exec_other.c" || exit 2
sysroot=${SYSROOT:-}
if [[ -z $sysroot ]]; then
  sysroot=$("$root/tests/e2e/sysroot.sh") || exit 2
fi
"$DBT_AOT" exec_other -o exec_other.x86 || exit 2

pass=0
failed=0
# check NAME TARGET EXPECTED_STATUS EXPECTED_STDOUT_FILE [VAR=VALUE...]
check() {
  local name=$1 target=$2 want_rc=$3 want=$4
  shift 4
  env -i PATH=/usr/bin:/bin LC_ALL=C "$@" timeout 300 ./exec_other.x86 --exec "$target" > "$name.out" 2> "$name.err"
  local rc=$?
  if ((rc == want_rc)) && cmp -s "$want" "$name.out"; then
    echo "PASS: $name"
    pass=$((pass + 1))
  else
    echo "FAIL: $name: exit $rc (want $want_rc)"
    diff "$want" "$name.out" | head -5 | sed 's/^/    /'
    head -3 "$name.err" | sed 's/^/    stderr: /'
    failed=$((failed + 1))
  fi
}

{ echo "exec ./same_copy"; "$QEMU" -0 child-name ./exec_other arg1 "two words"; } > same.want
check same ./same_copy 5 same.want
{ echo "exec ./hello"; "$QEMU" -0 child-name ./hello arg1 "two words"; } > other.want
check other ./hello 0 other.want
{ echo "exec ./jit_tables"; "$QEMU" -0 child-name ./jit_tables arg1 "two words"; } > jit-tables.want
check jit-tables ./jit_tables 0 jit-tables.want
{ echo "exec /bin/echo"; /bin/echo arg1 "two words"; } > host.want
check host /bin/echo 0 host.want
echo "exec ./missing" > missing.want
check missing ./missing 1 missing.want
grep -q "No such file or directory" missing.err || { echo "FAIL: missing: no ENOENT message"; failed=$((failed + 1)); }
{ echo "exec ./exec_dynamic"; "$QEMU" -L "$sysroot" -0 child-name ./exec_dynamic arg1 "two words"; } > dynamic.want
check dynamic ./exec_dynamic 5 dynamic.want DBT_SYSROOT="$sysroot"
echo "exec ./exec_dynamic" > no-interp.want
check no-interp ./exec_dynamic 1 no-interp.want
grep -q "No such file or directory" no-interp.err || { echo "FAIL: no-interp: no ENOENT message"; failed=$((failed + 1)); }

if "$AARCH64_CC" -O2 -static -o vfork_shared "$here/vfork_shared.c" && "$DBT_AOT" vfork_shared -o vfork_shared.x86 &&
  timeout 120 ./vfork_shared.x86 > vfork_shared.out 2> vfork_shared.err && cmp -s "$here/vfork_shared.expected" vfork_shared.out; then
  echo "PASS: vfork_shared"
  pass=$((pass + 1))
else
  echo "FAIL: vfork_shared"
  diff "$here/vfork_shared.expected" vfork_shared.out | head -5 | sed 's/^/    /'
  failed=$((failed + 1))
fi

echo "$pass passed, $failed failed"
((failed == 0))
