#!/bin/bash
# limits.sh - dbt-aot and its outputs at the limits (issue 17,
# docs/threat-model.md): a write past the file size limit (ulimit -f) or
# onto a full file system leaves one "dbt-aot: error:" line, no temporary
# and the old output byte for byte; an oversized input is refused with a
# message; a guest that takes all the memory it can sees ENOMEM and goes
# on, under `ulimit -v` (compared with qemu-aarch64 under the same limit)
# and with the whole address space; the JIT stops at DBT_JIT_MAX_MB; a
# translation that would need more memory than allowed (--memory-limit,
# ulimit -v) is refused before it starts.
#
#   DBT_AOT=build/dbt-aot AARCH64_CC=aarch64-linux-gnu-gcc tests/e2e/limits.sh WORKDIR
set -uo pipefail
tool=$(realpath "${DBT_AOT:?set DBT_AOT}")
here=$(cd "$(dirname "$0")" && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
qemu=${QEMU:-qemu-aarch64}
work=${1:?usage: limits.sh WORKDIR}
rm -rf "$work" && mkdir -p "$work/tmp" && cd "$work" || exit 2
export TMPDIR=$work/tmp   # the unit objects: checked for leftovers below
pass=0 fail=0
ok_or_fail() { # NAME COMMAND... : PASS if the command succeeds
  local name=$1
  shift
  if "$@"; then echo "PASS: $name"; pass=$((pass + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi
}

# A failed translation: status 1, one "dbt-aot: error:" line matching RE,
# OLD still byte-identical to old.ref, nothing else left next to it or in
# TMPDIR.
failed_cleanly() { # NAME STATUS RE OLD
  local name=$1 st=$2 re=$3 old=$4 ok=1
  [[ $st == 1 ]] || { echo "FAIL: $name: status $st, expected 1"; ok=0; }
  [[ $(wc -l <err.txt) == 1 ]] && grep -Eq -- "$re" err.txt ||
    { echo "FAIL: $name: expected one line matching /$re/:"; sed 's/^/    /' err.txt; ok=0; }
  cmp -s "$old" old.ref || { echo "FAIL: $name: the old output changed"; ok=0; }
  local left
  left=$(ls -d "$old".* tmp/* 2>/dev/null)
  [[ -z $left ]] || { echo "FAIL: $name: left behind: $left"; ok=0; }
  ((ok)) && { echo "PASS: $name"; pass=$((pass + 1)); } || fail=$((fail + 1))
}

printf 'int main(void) { return 0; }\n' >ok.c
"$cc" -O2 -static ok.c -o ok.elf || { echo "cannot build the fixture"; exit 2; }
"$tool" -O0 ok.elf -o old.elf || { echo "cannot translate the fixture"; exit 2; }
cp old.elf old.ref

# The file size limit: the unit objects (a few KiB), then lld's output
# (about 4 MB; its units are smaller than 2 MiB).
(ulimit -f 16 && exec "$tool" -O0 ok.elf -o old.elf) 2>err.txt
failed_cleanly fsize-unit-objects $? '^dbt-aot: error: ok.elf: cannot write .*/unit[0-9]+\.o: File too large$' old.elf
(ulimit -f 2048 && exec "$tool" -O0 ok.elf -o old.elf) 2>err.txt
failed_cleanly fsize-linker-output $? '^dbt-aot: error: ok.elf: linking failed: .*File too large' old.elf

# A full file system: a 6 MiB tmpfs (the old output and part of the new
# one) in a mount namespace of our own, as root only.  lld dies by SIGBUS
# writing through its mapping of the file.
if [[ $(id -u) == 0 ]] && unshare -m true 2>/dev/null; then
  mkdir -p full
  unshare -m bash -c 'mount -t tmpfs -o size=6m tmpfs full && cp old.ref full/old.elf &&
    "$1" -O0 ok.elf -o full/old.elf 2>err.txt; echo $? >status.txt
    cmp -s full/old.elf old.ref && echo same >same.txt; ls -A full >left.txt' _ "$tool"
  cp old.ref full-old.elf
  [[ -f same.txt ]] || echo changed >>full-old.elf
  [[ $(cat left.txt) == old.elf ]] || touch full-old.elf.left
  failed_cleanly full-file-system "$(cat status.txt)" '^dbt-aot: error: ok.elf: linking failed .*SIGBUS: is the file system full' full-old.elf
  rm -f full-old.elf* same.txt left.txt status.txt
else
  echo "SKIP: full-file-system (needs root and mount namespaces)"
fi

# Oversized inputs.
truncate -s 2G sparse.elf
"$tool" sparse.elf -o old.elf 2>err.txt
failed_cleanly input-too-large $? '^dbt-aot: error: sparse.elf: too large: 2048 MiB, more than the 1024 MiB dbt-aot accepts$' old.elf
python3 - <<'EOF2'
import struct
b = bytearray(open('ok.elf', 'rb').read())
phoff, = struct.unpack_from('<Q', b, 0x20)
phentsize, phnum = struct.unpack_from('<HH', b, 0x36)
for i in range(phnum):
    o = phoff + i * phentsize
    if struct.unpack_from('<I', b, o)[0] == 1:   # the first PT_LOAD claims 1 EiB
        struct.pack_into('<Q', b, o + 0x28, 1 << 60)
        break
open('huge_segment.elf', 'wb').write(b)
EOF2
"$tool" huge_segment.elf -o old.elf 2>err.txt
failed_cleanly segment-too-large $? '^dbt-aot: error: huge_segment.elf: segment 0 .* does not fit below 0x800000000000' old.elf

# More memory than there is: refused by the estimate before any work, not
# killed halfway - with --memory-limit, and under an address-space limit
# (ulimit -v) that the estimate reads.
"$tool" -O0 -j2 --memory-limit=100 ok.elf -o old.elf 2>err.txt
failed_cleanly memory-limit $? '^dbt-aot: error: ok.elf: translating [0-9]+ guest instructions on 2 threads needs about [0-9]+ MB, --memory-limit allows 100 MB' old.elf
(ulimit -v 262144 && exec "$tool" -O0 -j2 ok.elf -o old.elf) 2>err.txt
failed_cleanly address-space-limit $? '^dbt-aot: error: ok.elf: translating [0-9]+ guest instructions on 2 threads needs about [0-9]+ MB, this machine has 256 MB' old.elf

# A guest that takes all the memory it can get.
"$cc" -O2 -static "$here/limits/memory_exhaustion.c" -o mem.elf
"$tool" -O0 mem.elf -o mem.x86
(ulimit -v $((16 << 20)) && exec "$qemu" mem.elf) >mem.qemu 2>&1
(ulimit -v $((16 << 20)) && exec ./mem.x86) >mem.out 2>&1
ok_or_fail enomem-under-ulimit-v cmp mem.qemu mem.out
grep -q '^mmap: recovered' mem.out || { echo "FAIL: enomem-under-ulimit-v: no chunk was mapped"; fail=$((fail + 1)); }
# The whole address space (not under qemu: qemu-aarch64 7.2 tracks every
# guest page and was killed for memory trying).
./mem.x86 no-malloc >mem-all.out 2>&1
ok_or_fail enomem-address-space diff <(grep -v '^malloc' mem.qemu) mem-all.out

# The JIT's bound: code written at run time, with a limit the JIT's
# own start-up exceeds.
"$cc" -O2 -static "$here/programs/jit_rewritten_code.c" -o jit.elf
"$tool" -O0 jit.elf -o jit.x86
{ DBT_JIT_MAX_MB=1 ./jit.x86 >/dev/null 2>jit.err; } 2>/dev/null   # dies by SIGILL, as every fatal miss
ok_or_fail jit-memory-limit grep -q '^dbt: no translated code .*JIT code memory limit reached (.*DBT_JIT_MAX_MB=1)' jit.err
./jit.x86 >/dev/null 2>&1
ok_or_fail jit-default-limit test $? == 0

echo "$pass passed, $fail failed"
((fail == 0))
