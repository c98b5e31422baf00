#!/bin/bash
# cli.sh - the dbt-aot command line as a user meets it: --help, --version,
# usage errors (exit 2) and bad inputs (exit 1), each with one
# "dbt-aot: error: ..." line, and never an output file left behind.
#
#   DBT_AOT=build/dbt-aot AARCH64_CC=aarch64-linux-gnu-gcc tests/e2e/cli.sh WORKDIR
set -uo pipefail
tool=$(realpath "${DBT_AOT:?set DBT_AOT}")
here=$(cd "$(dirname "$0")" && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
work=${1:?usage: cli.sh WORKDIR}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
pass=0 fail=0

check() { # NAME EXPECTED_STATUS EXPECTED_STDERR_REGEX -- ARGS...
  local name=$1 want=$2 re=$3
  shift 4
  "$tool" "$@" >out.txt 2>err.txt
  local st=$?
  local ok=1
  [[ $st == "$want" ]] || { echo "FAIL: $name: status $st, expected $want"; ok=0; }
  grep -Eq -- "$re" err.txt || { echo "FAIL: $name: stderr does not match /$re/:"; sed 's/^/    /' err.txt; ok=0; }
  if [[ $want != 0 ]]; then
    [[ $(wc -l <err.txt) == 1 ]] || { echo "FAIL: $name: expected exactly one line on stderr"; ok=0; }
    if ls out.elf* >/dev/null 2>&1; then echo "FAIL: $name: left an output file: $(ls out.elf*)"; ok=0; fi
  fi
  rm -f out.elf*
  ((ok)) && { echo "PASS: $name"; pass=$((pass + 1)); } || fail=$((fail + 1))
}

printf 'int main(void) { return 0; }\n' >ok.c
"$cc" -O2 -static ok.c -o ok.elf || { echo "cannot build the fixture"; exit 2; }
"$cc" -O2 -c ok.c -o ok.o
"$cc" -O2 -pie -fPIE ok.c -o pie.elf   # a PIE with an interpreter: static-pie is supported
"$cc" -O2 ok.c -o dyn.elf
echo 'not an elf' >text.txt
head -c 100 ok.elf >trunc.elf
: >empty.elf

# Into a file: the text is longer than a pipe write, and `| grep -q` would
# close the pipe under it (SIGPIPE, which pipefail reports as a failure).
"$tool" --help >help.txt && grep -q '^Usage: dbt-aot' help.txt && echo "PASS: help text" && pass=$((pass + 1)) || { echo "FAIL: help text"; fail=$((fail + 1)); }
"$tool" --version | grep -Eq '^dbt-aot [0-9].*LLVM [0-9]+\.[0-9]+\.[0-9]+, default --march=x86-64' && echo "PASS: version" && pass=$((pass + 1)) || { echo "FAIL: version"; fail=$((fail + 1)); }
check no-input 2 '^dbt-aot: error: no input file' --
check no-output 2 '^dbt-aot: error: no output file' -- ok.elf
check bad-option 2 "^dbt-aot: error: unknown option '--bogus'" -- --bogus ok.elf -o out.elf
check bad-level 2 '^dbt-aot: error: invalid optimization level' -- -O9 ok.elf -o out.elf
check bad-march 2 '^dbt-aot: error: unknown --march' -- --march=pentium ok.elf -o out.elf
check missing 1 '^dbt-aot: error: nope.elf: cannot open: No such file' -- nope.elf -o out.elf
check empty 1 '^dbt-aot: error: empty.elf: not an ELF file' -- empty.elf -o out.elf
check not-elf 1 '^dbt-aot: error: text.txt: not an ELF file' -- text.txt -o out.elf
check truncated 1 '^dbt-aot: error: trunc.elf: .*truncated' -- trunc.elf -o out.elf
check wrong-machine 1 '^dbt-aot: error: .*wrong machine' -- /bin/true -o out.elf
check object-file 1 '^dbt-aot: error: ok.o: not an executable' -- ok.o -o out.elf
check dynamic 1 '^dbt-aot: error: dyn.elf: dynamically linked executables need --sysroot DIR' -- dyn.elf -o out.elf
check pie 1 '^dbt-aot: error: pie.elf: dynamically linked executables need --sysroot DIR' -- pie.elf -o out.elf
mkdir -p empty-root
check no-libc 1 '^dbt-aot: error: pie.elf: .*ld-linux-aarch64.so.1: No such file' -- --sysroot empty-root pie.elf -o out.elf
mkdir -p ro && chmod 555 ro
if [[ $(id -u) != 0 ]]; then
  check unwritable 1 '^dbt-aot: error: ok.elf: cannot write ro/out.elf' -- ok.elf -o ro/out.elf
fi
check no-such-dir 1 '^dbt-aot: error: ok.elf: cannot write no/such/out.elf' -- ok.elf -o no/such/out.elf

# An existing output is replaced only by a complete translation.
echo previous >out.elf
"$tool" text.txt -o out.elf 2>/dev/null
[[ $(cat out.elf) == previous ]] && echo "PASS: failed run keeps the old output" && pass=$((pass + 1)) ||
  { echo "FAIL: failed run clobbered the old output"; fail=$((fail + 1)); }
"$tool" ok.elf -o out.elf && ./out.elf && echo "PASS: translate and run" && pass=$((pass + 1)) ||
  { echo "FAIL: translate and run"; fail=$((fail + 1)); }
ls out.elf.tmp.* >/dev/null 2>&1 && { echo "FAIL: temporary left behind"; fail=$((fail + 1)); }

# --time-report: a JSON document with the figures docs/benchmarks.md quotes.
ok_or_fail() { # NAME COMMAND... : PASS if the command succeeds
  local name=$1
  shift
  if "$@"; then echo "PASS: $name"; pass=$((pass + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi
}
"$tool" --time-report=report.json ok.elf -o out.elf
ok_or_fail time-report-json python3 -c '
import json, sys
r = json.load(open("report.json"))
assert r["guest_instructions"] > 1000 and r["functions"] > 10, r
assert sum(t["functions"] for t in r["tiers"].values()) == r["functions"]
assert set(r["stages"]) == {"load", "cfg", "lift", "optimize", "codegen", "meta", "link"}
assert r["ir"]["lifted"] > 0 and r["largest_functions"] and r["slowest_units"]'
rm -f out.elf

# --report: what recovery found.  The addresses it names are checked
# against binutils' disassembly of the guest: every jump table and
# unresolved branch is a BR there, every untranslated instruction has the
# word the report gives.
"$tool" -O0 --report=found.json ok.elf -o out.elf
"${cc%gcc}objdump" -d ok.elf >ok.dis
ok_or_fail report-findings python3 -c '
import json, re
r = json.load(open("found.json"))
dis = {}
for line in open("ok.dis"):
    m = re.match(r"\s+([0-9a-f]+):\s+([0-9a-f]{8})\s+(\S+)", line)
    if m:
        dis[int(m.group(1), 16)] = (m.group(2), m.group(3))
assert sum(r["functions_by_source"].values()) == r["functions"], r["functions_by_source"]
assert r["functions_by_source"]["entry"] == 1
assert len(r["unresolved_branches"]) == r["unresolved_br"]
assert len(r["jump_table_list"]) == r["jump_tables"]
for b in r["unresolved_branches"] + r["jump_table_list"]:
    assert dis[int(b["br"], 16)][1] == "br", b
u = r["untranslated_instructions"]
assert sum(x["count"] for x in u) == r["untranslated"] and u, u
for x in u:
    assert dis[int(x["first"], 16)][0] == x["word"][2:], x'
rm -f out.elf

# A profiled run, and a translation that uses it: the functions the profile
# names are the hot tier, the others cold, and the output still runs.
cat >spin.c <<'EOF2'
#include <stdio.h>
#include <stdlib.h>
static unsigned long work(unsigned long n) { unsigned long h = 1; for (unsigned long i = 0; i < n; i++) h = h * 31 + (i ^ (h >> 7)); return h; }
int main(int argc, char **argv) { printf("%lu\n", work(argc > 1 ? strtoul(argv[1], 0, 10) : 100)); return 0; }
EOF2
"$cc" -O2 -static spin.c -o spin.elf
"$tool" spin.elf -o spin.x86
DBT_PROFILE=spin.prof ./spin.x86 300000000 >spin.out
ok_or_fail profile-written grep -q '^# dbt-aot profile 1: spin.elf, [0-9]* samples' spin.prof
nm=${cc%gcc}nm
work_entry=$("$nm" spin.elf | awk '$3 == "work" {print $1}')
[[ -n $work_entry ]] || work_entry=$("$nm" spin.elf | awk '$3 == "main" {print $1}') # inlined
ok_or_fail profile-names-the-loop grep -q "^$(printf '0x%x' "$((16#$work_entry))") [0-9]*$" spin.prof
"$tool" --profile=spin.prof --time-report=prof.json spin.elf -o spin2.x86
ok_or_fail profile-tiers python3 -c '
import json
r = json.load(open("prof.json"))
n = sum(1 for l in open("spin.prof") if l.startswith("0x"))
assert 1 <= r["tiers"]["hot"]["functions"] <= n < r["functions"], (r["tiers"], n)'
ok_or_fail profile-output-runs bash -c '[[ $(./spin2.x86 1000) == $(./spin.x86 1000) ]]'
check profile-missing 1 "^dbt-aot: error: ok.elf: cannot read the profile nope.prof" -- --profile=nope.prof ok.elf -o out.elf
check profile-not-a-profile 1 "^dbt-aot: error: ok.elf: text.txt is not a dbt-aot profile" -- --profile=text.txt ok.elf -o out.elf

# Jump tables whose address is kept in a stack slot or a callee-saved
# register far from the BR or whose dispatch block is out of line, and
# functions whose address an ADRP/ADD pair
# split by a call or a store computes (tests/e2e/programs/
# switch_jump_tables.c), are found ahead of time: the translation runs
# with the JIT unavailable (every miss fatal) and prints what qemu-aarch64
# prints.
"$cc" -O2 -static "$here/programs/switch_jump_tables.c" -o switch.elf
"$tool" -O0 switch.elf -o switch.x86
"${QEMU:-qemu-aarch64}" switch.elf >switch.qemu
ok_or_fail jump-tables-ahead-of-time bash -c 'DBT_JIT_LIB=/nonexistent ./switch.x86 >switch.out && cmp switch.qemu switch.out'

# A word of data equal to the address of a block that reads the flags
# (a label inside compare3, tests/e2e/programs/flags_stray_label.c) must
# not turn aot/cfg_flags.c off for the whole image: calls stay free of
# flag stores, and the output prints what qemu-aarch64 prints (e2e_programs
# runs it against qemu too).
"$cc" -O2 -static "$here/programs/flags_stray_label.c" -o stray.elf
"$tool" -O0 --report=stray.json stray.elf -o stray.x86
"${QEMU:-qemu-aarch64}" stray.elf >stray.qemu
ok_or_fail flags-stray-label python3 -c '
import json
r = json.load(open("stray.json"))
assert r["flagfree_calls"] > 0 and r["flagfree_returns"] > 0, (r["flagfree_calls"], r["flagfree_returns"])'
ok_or_fail flags-stray-label-runs bash -c './stray.x86 >stray.out && cmp stray.qemu stray.out'

# Code at a setjmp landing that reads the flags turns that analysis off
# for the whole image; -v says so and where (an analysis silently off
# looks like a slow program: the python driver's was, until session 27).
cat >land.c <<'EOF2'
#include <setjmp.h>
#include <stdio.h>
jmp_buf jb;
long after_setjmp(void);
__asm__(".text\n.globl after_setjmp\n.type after_setjmp, %function\nafter_setjmp:\n"
        "  stp x29, x30, [sp, #-16]!\n  adrp x0, jb\n  add x0, x0, :lo12:jb\n  bl _setjmp\n"
        "  cset x0, ne\n  ldp x29, x30, [sp], #16\n  ret\n.size after_setjmp, .-after_setjmp\n");
int main(void) { printf("%ld\n", after_setjmp()); return 0; }
EOF2
"$cc" -O2 -static land.c -o land.elf
"$tool" -v -O0 land.elf -o land.x86 2>land.err
ok_or_fail flags-off-named grep -Eq '^dbt-aot: flags: the analysis is off for an image: code at the landing 0x[0-9a-f]+ in after_setjmp may read them' land.err
ok_or_fail flags-off-runs bash -c './land.x86 >land.out && "${QEMU:-qemu-aarch64}" land.elf | cmp - land.out'

# C++ exceptions thrown through several frames, cleanups on the way and
# catch clauses (tests/e2e/dynamic/dyn_cxx.cpp, linked statically): the
# landing pads come from the LSDAs of .eh_frame ahead of time, and the
# unwinder lands in the frames that catch, so the translation runs with
# the JIT unavailable and prints what qemu-aarch64 prints.
"${cc%gcc}g++" -O2 -static "$here/dynamic/dyn_cxx.cpp" -o cxx.elf
"$tool" -O0 cxx.elf -o cxx.x86
"${QEMU:-qemu-aarch64}" cxx.elf >cxx.qemu
ok_or_fail cxx-exceptions-ahead-of-time bash -c 'DBT_JIT_LIB=/nonexistent ./cxx.x86 >cxx.out && cmp cxx.qemu cxx.out'

# DBT_STATS=1: one "dbt-stats:" line at exit, the program's output
# unchanged; qsort's 100,000-odd calls of its comparator through a
# pointer hit the indirect-branch cache: a few dozen lookups reach the
# runtime (each call would, without the cache).
cat >sort.c <<'EOF2'
#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(void)
{
    static int v[10000];
    for (int i = 0; i < 10000; i++)
        v[i] = (int)((i * 2654435761u) % 100003u);
    qsort(v, 10000, sizeof v[0], cmp);
    printf("%d %d %d\n", v[0], v[5000], v[9999]);
    return 0;
}
EOF2
"$cc" -O2 -static sort.c -o sort.elf
"$tool" -O0 sort.elf -o sort.x86
"${QEMU:-qemu-aarch64}" sort.elf >sort.qemu
DBT_STATS=1 ./sort.x86 >sort.out 2>sort.err
ok_or_fail stats-output-unchanged cmp sort.qemu sort.out
ok_or_fail stats-line python3 -c '
import re, sys
lines = open("sort.err").read().splitlines()
assert len(lines) == 1 and "dbt-stats:" in lines[0], lines
m = re.search(r"indirect-branch cache misses (\d+)", lines[0])
assert m and int(m.group(1)) < 1000, lines[0]
assert int(re.search(r"system calls (\d+)", lines[0]).group(1)) > 0, lines[0]'

# A system call the runtime does not implement returns ENOSYS, and
# DBT_LOG=unimpl names it once however often it is made.
cat >nosys.c <<'EOF2'
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
    for (int i = 0; i < 3; i++) {
        long r = syscall(4000);
        printf("%ld %d\n", r, r < 0 ? errno : 0);
    }
    return 0;
}
EOF2
"$cc" -O2 -static nosys.c -o nosys.elf
"$tool" -O0 nosys.elf -o nosys.x86
"${QEMU:-qemu-aarch64}" nosys.elf >nosys.qemu 2>/dev/null
DBT_LOG=unimpl ./nosys.x86 >nosys.out 2>nosys.err
ok_or_fail unimplemented-enosys cmp nosys.qemu nosys.out
ok_or_fail unimplemented-reported-once bash -c '[[ $(grep -c "unimplemented syscall .*nr 4000" nosys.err) == 1 ]]'

# Killed in the middle: no temporary output or objects left behind.
"$tool" -O3 spin.elf -o killed.elf 2>/dev/null &
sleep 2
kill -TERM $! 2>/dev/null
wait $! 2>/dev/null
ok_or_fail killed-leaves-nothing bash -c '! ls killed.elf* >/dev/null 2>&1'

# The same input and options give the same bytes, from another directory
# with another TMPDIR too (LLVM writes the access map in an order of its
# own; rewriter/pcmap.c sorts it), and on one thread or on three.
mkdir -p again tmp2
"$tool" -j1 ok.elf -o same1.elf 2>/dev/null && (cd again && TMPDIR="$work/tmp2" "$tool" -j3 ../ok.elf -o same2.elf 2>/dev/null)
ok_or_fail reproducible-output cmp -s same1.elf again/same2.elf
check bad-jobs 2 '^dbt-aot: error: invalid -j 0' -- -j0 ok.elf -o out.elf

echo "$pass passed, $fail failed"
((fail == 0))
