#!/bin/bash
# seeds.sh - make the seed corpora of the fuzz targets (nothing committed).
#
#   tests/fuzz/seeds.sh OUTDIR
#
# OUTDIR/fuzz_elf: small AArch64 executables built here with the cross
#   compiler (-nostdlib, a few KiB each): a switch with a jump table,
#   function-pointer tables, a loop, C++-style unwind tables, -g line
#   tables, static-pie (RELATIVE relocations), stripped copies; 4 KiB
#   pages, code and headers in one segment, to stay small.
# OUTDIR/fuzz_cfg: the .text of each of them (the target wraps code bytes
#   in its own ELF skeleton).
# OUTDIR/fuzz_lift: instruction words - each case line of
#   tests/lifter/cases/*.txt (every instruction family the lifter knows),
#   and the .text of the programs above cut into 32-word pieces.
# AARCH64_CC overrides the cross compiler.  Idempotent: OUTDIR is remade.
set -euo pipefail
out=${1:?usage: seeds.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
objcopy=${cc%gcc}objcopy
rm -rf "$out"
mkdir -p "$out"/fuzz_elf "$out"/fuzz_cfg "$out"/fuzz_lift "$out"/src

cat >"$out"/src/prog.c <<'C'
/* A seed: branches, a jump table, pointers to functions, a loop, floats. */
typedef long (*op_fn)(long, long);
static long add(long a, long b) { return a + b; }
static long sub(long a, long b) { return a - b; }
static long mul(long a, long b) { return a * b; }
op_fn ops[] = {add, sub, mul};

__attribute__((noinline)) long pick(int k, long x)
{
    switch (k) {
    case 0: return x + 3;
    case 1: return x * 7;
    case 2: return x ^ 0x55;
    case 3: return x >> 2;
    case 4: return -x;
    case 5: return x & 0xff;
    case 6: return x | 0x100;
    default: return 0;
    }
}

__attribute__((noinline)) double poly(double x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s = s * x + i;
    return s;
}

void _start(void)
{
    long acc = 0;
    for (int i = 0; i < 10; i++)
        acc += ops[i % 3](pick(i, acc), i) + (long)poly(1.5, i);
    register long x8 __asm__("x8") = 93;   /* exit */
    register long x0 __asm__("x0") = acc & 1;
    __asm__ volatile("svc 0" : : "r"(x8), "r"(x0));
    for (;;)
        ;
}
C
cat >"$out"/src/vec.c <<'C'
/* A seed: vector loops (SIMD), atomics, a computed goto. */
float a[256], b[256];
int counter;

__attribute__((noinline)) void saxpy(float k)
{
    for (int i = 0; i < 256; i++)
        a[i] = k * b[i] + a[i];
}

__attribute__((noinline)) int run(const unsigned char *code)
{
    static void *labels[] = {&&inc, &&dec, &&stop};
    int v = 0;
    goto *labels[*code++];
inc:
    v++;
    goto *labels[*code++];
dec:
    v--;
    goto *labels[*code++];
stop:
    return v;
}

void _start(void)
{
    static const unsigned char prog[] = {0, 0, 1, 2};
    saxpy(2.0f);
    __atomic_fetch_add(&counter, run(prog), __ATOMIC_SEQ_CST);
    register long x8 __asm__("x8") = 93;
    register long x0 __asm__("x0") = counter;
    __asm__ volatile("svc 0" : : "r"(x8), "r"(x0));
    for (;;)
        ;
}
C

n=0
for src in prog vec; do
  for flags in "-O2" "-O0 -g" "-O2 -fasynchronous-unwind-tables" "-O3 -march=armv8.2-a+fp16" "-Os -static-pie"; do
    n=$((n + 1))
    exe="$out"/src/$src-$n
    # -static-pie without a libc: the -nostdlib start-up is ours, ld makes
    # the RELATIVE relocations of the pointer tables all the same.
    $cc -nostdlib -static $flags -fno-stack-protector -mno-outline-atomics -Wl,-z,max-page-size=4096,-z,noseparate-code -o "$exe" "$out"/src/$src.c
    cp "$exe" "$out"/fuzz_elf/$src-$n
    $objcopy --strip-all "$exe" "$out"/fuzz_elf/$src-$n-stripped
    $objcopy -O binary -j .text "$exe" "$out"/fuzz_cfg/$src-$n.text
  done
done

# 32-word pieces of each program's code (at most 8 per program)
for t in "$out"/fuzz_cfg/*.text; do
  size=$(stat -c %s "$t")
  for ((off = 0, k = 0; off < size && k < 8; off += 128, k++)); do
    dd if="$t" of="$out"/fuzz_lift/$(basename "$t" .text)-$k bs=128 skip=$k count=1 status=none
  done
done

# each lifter case line: its words, little-endian
python3 - "$here"/../lifter/cases "$out"/fuzz_lift <<'PY'
import os, re, struct, sys
cases, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(cases)):
    if not name.endswith('.txt'):
        continue
    for k, line in enumerate(open(os.path.join(cases, name))):
        code = line.split('#', 1)[0].split('|', 1)[0].strip()
        if not code or not re.fullmatch(r'[0-9a-fA-F]{8}(\s*;\s*[0-9a-fA-F]{8})*', code):
            continue
        words = [int(w, 16) for w in code.split(';')]
        with open(os.path.join(out, '%s-%d' % (name[:-4], k)), 'wb') as f:
            f.write(struct.pack('<%dI' % len(words), *words))
PY
rm -rf "$out"/src
for t in fuzz_elf fuzz_cfg fuzz_lift; do
  echo "$t: $(ls "$out"/$t | wc -l) seeds, $(du -sk "$out"/$t | cut -f1) KiB"
done
