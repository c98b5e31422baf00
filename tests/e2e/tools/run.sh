#!/bin/bash
# run.sh - the user's own tools on translated code (issue 16): the guest's
# function names in the output's symbol table (addr2line, perf report),
# guest source lines with -g (gdb breaks at one, bt shows the guest's
# functions, scripts/dbt-gdb.py prints the guest registers), and JIT
# regions in perf's map (DBT_PERF_MAP=1) and in gdb (its JIT interface).  What each check expects comes
# from the guest's own source and from binutils' view of the guest binary,
# never from our output.
#
#   DBT_AOT=build/dbt-aot AARCH64_CC=aarch64-linux-gnu-gcc tests/e2e/tools/run.sh WORKDIR
set -uo pipefail
tool=$(realpath "${DBT_AOT:?set DBT_AOT}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
objdump=${AARCH64_OBJDUMP:-aarch64-linux-gnu-objdump}
work=${1:?usage: run.sh WORKDIR}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
pass=0 fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }
need() { command -v "$1" >/dev/null || { echo "run.sh: $1 is missing (scripts/install-deps.sh installs it)"; exit 2; }; }
need gdb
need addr2line
need "$objdump"

# --- names: a program without debug information, at the default -O2 ----
"$cc" -O2 -static "$here/guest.c" -o guest.arm || exit 2
"$tool" guest.arm -o guest.x86 || exit 2
[[ $(./guest.x86 1000) == "$(qemu-aarch64 ./guest.arm 1000)" ]] && ok "names: output runs" || bad "names: output differs from qemu"
syms=$(readelf -sW guest.x86)
for f in main total square __libc_start_main; do
  addr=$(awk -v f="$f" '$4 == "FUNC" && $8 == f && $7 != "UND" && $2 ~ /^00002000/ {print $2; exit}' <<<"$syms")
  if [[ -z $addr ]]; then bad "names: no symbol $f for translated code"; continue; fi
  got=$(addr2line -f -e guest.x86 "0x$addr" | head -1)
  [[ $got == "$f" ]] && ok "names: addr2line 0x$addr is $f" || bad "names: addr2line 0x$addr gave '$got', expected $f"
done
# Guest names never become global: the runtime's and libc's stay unique.
if awk '$5 == "GLOBAL" && $7 != "UND" && $8 == "square"' <<<"$syms" | grep -q .; then
  bad "names: a guest name is a global symbol"
else
  ok "names: guest names are local symbols"
fi

# --- perf: samples in translated code resolve to guest names -------------
if perf record -q -e cpu-clock -o perf.probe true >/dev/null 2>&1; then
  perf record -q -e cpu-clock -o perf.data ./guest.x86 30000000 >/dev/null 2>perf.err
  perf report -i perf.data --stdio --sort sym 2>/dev/null >perf.txt
  # total and square are the program's whole work.
  grep -Eq '\[\.\] (total|square)$' perf.txt && ok "perf: samples attributed to total/square" ||
    { bad "perf: no samples in total or square"; head -20 perf.txt; }
else
  echo "SKIP: perf cannot record here (perf_event_paranoid or a container): addr2line above checks the names"
fi

# --- JIT regions in perf's map --------------------------------------------
"$cc" -O2 -static "$root/tests/e2e/programs/jit_nested_function_trampoline.c" -o tramp.arm 2>/dev/null || exit 2
"$tool" -O0 tramp.arm -o tramp.x86 || exit 2
DBT_PERF_MAP=1 DBT_LOG=jit ./tramp.x86 >tramp.out 2>tramp.log &
pid=$!
wait $pid
map=/tmp/perf-$pid.map
if [[ -s $map ]]; then
  # Every guest pc the JIT compiled (its log) is in the map, each with a
  # host range of nonzero size.
  logged=$(grep -Eo 'jit: 0x[0-9a-f]+: [0-9]+ instructions' tramp.log | awk '{print $2}' | tr -d : | sort -u)
  mapped=$(awk '$3 ~ /^g_[0-9a-f]+$/ && $2 !~ /^0+$/ {sub("g_0*", "0x", $3); print $3}' "$map" | sort -u)
  if [[ -n $logged && $logged == "$mapped" ]]; then
    ok "perf map: $(wc -l <<<"$logged") JIT regions in $map"
  else
    bad "perf map: JIT log and map differ"; echo "log: $logged"; echo "map: $mapped"
  fi
else
  bad "perf map: $map missing or empty"
fi
rm -f "$map"

# GDB's JIT interface (LLVM's MCJIT registers each object it loads): with
# the program stopped after a JIT compile, gdb names the host code of the
# region - the range the perf map gives - as the perf map does.
cat >jit.gdb <<'EOF2'
break jit_translate
run
finish
python
import os
path = "/tmp/perf-%d.map" % gdb.selected_inferior().pid
start, size, name = open(path).readline().split()
os.remove(path)
sym = gdb.execute("info symbol 0x%x" % (int(start, 16) + int(size, 16) // 2), to_string=True).split()[0]
print("JIT-SYMBOL %s %s" % (name, sym))
end
kill
EOF2
DBT_PERF_MAP=1 gdb -batch -nx -x jit.gdb ./tramp.x86 >gdb-jit.txt 2>&1
if grep -Eq '^JIT-SYMBOL (g_[0-9a-f]{16}) \1$' gdb-jit.txt; then
  ok "gdb: JIT region named $(grep -Eo 'g_[0-9a-f]{16}' gdb-jit.txt | head -1) through the JIT interface"
else
  bad "gdb: JIT region unnamed"; cat gdb-jit.txt
fi

# --- gdb: guest source lines, names in bt, guest registers (-g -O0) -------
"$cc" -g -O0 -static "$here/guest.c" -o guest-g.arm || exit 2
"$tool" -g -O0 guest-g.arm -o guest-g.x86 || exit 2
line=$(grep -n '^    long r = v \* v;$' "$here/guest.c" | cut -d: -f1)
# The guest's return address into total: the instruction after its call
# of square, as binutils disassembles the guest.
ret=$("$objdump" -d guest-g.arm | awk '/^[0-9a-f]+ <total>:/ {in_total = 1; next}
      /^$/ {in_total = 0} in_total && /\tbl\t.*<square>/ {sub(":", "", $1); print $1; exit}')
want_lr=$(printf '0x%x' $((0x$ret + 4)))
gdb -batch -nx -x "$root/scripts/dbt-gdb.py" -ex "break guest.c:$line" -ex run -ex continue -ex continue \
    -ex bt -ex dbt-regs -ex 'printf "X0=%d\n", $gx0' -ex 'printf "X30=0x%lx\n", $gx30' \
    --args ./guest-g.x86 5 >gdb.txt 2>&1
grep -q "Breakpoint 1, square (.*guest.c:$line" gdb.txt && ok "gdb: breakpoint at guest.c:$line hit in square" ||
  bad "gdb: breakpoint at guest.c:$line not hit"
# The first three frames bt shows (dbt-gdb.py leaves out the call stubs of
# outputs before session 21 between them, keeping gdb's frame numbers).
[[ "$(grep -E '^#[0-9]+ ' gdb.txt | head -3 | sed -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?//; s/ \(.*\) at .*guest.c:[0-9]+$/@line/')" == \
   "$(printf 'square@line\ntotal@line\nmain@line')" ]] &&
  ok "gdb: bt shows square <- total <- main with guest lines" || bad "gdb: bt lacks the guest's frames"
# The third stop is square(2): the guest's X0 holds the argument.
grep -qx 'X0=2' gdb.txt && ok "gdb: dbt-regs X0 = 2 at the third call" || bad "gdb: dbt-regs X0 is not 2"
grep -qx "X30=$want_lr" gdb.txt && ok "gdb: dbt-regs X30 = $want_lr (after total's bl square)" ||
  bad "gdb: dbt-regs X30 is not $want_lr"
((fail)) && { echo "--- gdb.txt"; cat gdb.txt; }

echo "tools: $pass passed, $fail failed"
((fail == 0))
