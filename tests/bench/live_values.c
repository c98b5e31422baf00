/*
 * live_values.c - a leaf loop that keeps twelve 64-bit values live at
 * once.  GCC -O2/-O3 for AArch64 holds them in X6-X16, the registers the
 * translation keeps in the CpuState rather than in host registers
 * (docs/architecture.md, "Where the registers live"): this kernel measures
 * what register pressure in a loop without calls costs.  Prints the
 * result so the work cannot be optimized away and both builds can be
 * checked for the same answer.
 *
 *   live_values [ITERATIONS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static uint64_t mix(const uint64_t *p, long n)
{
    uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10, k = 11, m = 12;
    for (long t = 0; t < n; t++) {
        uint64_t v = p[t & 1023];
        a += v ^ b;
        b = (b << 7) | (b >> 57);
        c ^= a + d;
        d += c >> 3;
        e = e * 31 + f;
        f ^= e >> 5;
        g += f ^ h;
        h = (h << 13) ^ g;
        i += h >> 11;
        j ^= i * 7;
        k += j ^ m;
        m = (m >> 3) + k + v;
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ i ^ j ^ k ^ m;
}

int main(int argc, char **argv)
{
    static uint64_t buf[1024];
    for (int i = 0; i < 1024; i++)
        buf[i] = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    long n = argc > 1 ? atol(argv[1]) : 300000000;
    printf("%llx\n", (unsigned long long)mix(buf, n));
    return 0;
}
