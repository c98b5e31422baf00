/*
 * histogram.c - a byte histogram over a buffer, plus a vectorizable sum of
 * the bytes (NEON uaddlv / AVX2 vpsadbw).  histogram [SIZE] [REPEATS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void histogram(const uint8_t *p, size_t n, uint32_t *h)
{
    for (size_t i = 0; i < n; i++)
        h[p[i]]++;
}

__attribute__((noinline)) static uint64_t bytesum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1 << 16;
    int reps = argc > 2 ? atoi(argv[2]) : 2000;
    uint8_t *p = malloc(n);
    uint32_t h[256] = {0};
    if (!p)
        return 1;
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (uint8_t)x;
    }
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        histogram(p, n, h);
        sum += bytesum(p, n);
        p[r % n]++;
    }
    uint64_t check = 0;
    for (int i = 0; i < 256; i++)
        check = check * 31 + h[i];
    printf("%llu %llu\n", (unsigned long long)sum, (unsigned long long)check);
    return 0;
}
