/* jit_tables.c - code whose host translation indexes tables of its own: a
 * dense switch (a host jump table) and CRC32 (the lifter's constant table),
 * plus FP constants.  Run through the runtime JIT (run.sh, case jit-tables):
 * the JIT's code lives above 4 GiB, and code addressing its tables with
 * 32-bit absolute displacements crashed there. */
#include <arm_acle.h>
#include <stdio.h>

__attribute__((noinline)) static long op(int k, long x)
{
    switch (k) {
    case 0: return x + 1;
    case 1: return x * 3;
    case 2: return x - 7;
    case 3: return x ^ 0x55;
    case 4: return x << 2;
    case 5: return x >> 1;
    case 6: return ~x;
    case 7: return x * x;
    case 8: return x + 100;
    case 9: return x / 3;
    default: return 0;
    }
}

__attribute__((target("+crc"), noinline)) static unsigned crc(unsigned h, unsigned char b)
{
    return __crc32b(h, b) ^ __crc32cb(h, b);
}

__attribute__((noinline)) static double scale(long x) { return (double)x * 0.3183098861837907 + 2.718281828459045; }

int main(int argc, char **argv)
{
    long s = 0;
    unsigned h = (unsigned)argc;
    double d = 0;
    for (int i = 0; i < 5000; i++) {
        s += op(i % 11, i + argv[0][0]);
        h = crc(h, (unsigned char)i);
        d += scale(i);
    }
    printf("switch %ld crc %08x fp %.17g\n", s, h, d);
    return 0;
}
