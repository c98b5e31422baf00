/*
 * dot.c - a vectorizable single-precision dot product.  GCC -O3 turns the
 * loop into NEON fmla (AArch64) and AVX2 vfmadd (x86-64 -march=x86-64-v3).
 * Prints the result so the work cannot be optimized away and both builds
 * can be checked for the same answer.
 *
 *   dot [N] [REPEATS]
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static float dot(const float *a, const float *b, size_t n)
{
    float s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096;
    int reps = argc > 2 ? atoi(argv[2]) : 200000;
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!a || !b)
        return 1;
    for (size_t i = 0; i < n; i++) {
        a[i] = (float)(i % 17) * 0.25f;
        b[i] = (float)(i % 13) * 0.5f - 1.0f;
    }
    double total = 0;
    for (int r = 0; r < reps; r++) {
        a[r % n] += 1.0f / 1024; /* keep each repetition distinct */
        total += dot(a, b, n);
    }
    printf("%.6e\n", total);
    return 0;
}
