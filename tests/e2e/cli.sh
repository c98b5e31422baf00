#!/bin/bash
# cli.sh - the dbt-aot command line as a user meets it: --help, --version,
# usage errors (exit 2) and bad inputs (exit 1), each with one
# "dbt-aot: error: ..." line, and never an output file left behind.
#
#   DBT_AOT=build/dbt-aot AARCH64_CC=aarch64-linux-gnu-gcc tests/e2e/cli.sh WORKDIR
set -uo pipefail
tool=$(realpath "${DBT_AOT:?set DBT_AOT}")
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
"$cc" -O2 -static-pie ok.c -o pie.elf 2>/dev/null || "$cc" -O2 -pie -fPIE ok.c -o pie.elf
"$cc" -O2 ok.c -o dyn.elf
echo 'not an elf' >text.txt
head -c 100 ok.elf >trunc.elf
: >empty.elf

"$tool" --help | grep -q '^Usage: dbt-aot' && echo "PASS: help text" && pass=$((pass + 1)) || { echo "FAIL: help text"; fail=$((fail + 1)); }
"$tool" --version | grep -Eq '^dbt-aot [0-9]' && echo "PASS: version" && pass=$((pass + 1)) || { echo "FAIL: version"; fail=$((fail + 1)); }
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
check dynamic 1 '^dbt-aot: error: dyn.elf: dynamically linked executables are not supported yet' -- dyn.elf -o out.elf
check pie 1 '^dbt-aot: error: pie.elf: (position-independent|dynamically linked)' -- pie.elf -o out.elf
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

echo "$pass passed, $fail failed"
((fail == 0))
