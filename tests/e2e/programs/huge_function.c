/* One function of well over 8,192 instructions, with a loop: the "huge"
 * tier (registers in the CpuState, the level's IR passes and code
 * generator; docs/architecture.md, Tiers).  Calls inside it make the
 * registers cross call boundaries. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t __attribute__((noinline)) mix(uint64_t a, uint64_t b) { return (a ^ (b >> 13)) * 0xff51afd7ed558ccdull; }

#define A(i)                                                   \
    acc = acc * 0x9E3779B97F4A7C15ull + (x ^ (uint64_t)(i));   \
    x = (x << 7) | (x >> 57);                                  \
    if (acc & 1)                                               \
        y += acc >> 3;                                         \
    if (((i) & 63) == 0)                                       \
        y = mix(y, acc);
#define B(i) A(i) A(i + 1) A(i + 2) A(i + 3) A(i + 4) A(i + 5) A(i + 6) A(i + 7) A(i + 8) A(i + 9)
#define C(i) B(i) B(i + 10) B(i + 20) B(i + 30) B(i + 40) B(i + 50) B(i + 60) B(i + 70) B(i + 80) B(i + 90)
#define D(i) C(i) C(i + 100) C(i + 200) C(i + 300) C(i + 400) C(i + 500) C(i + 600) C(i + 700) C(i + 800) C(i + 900)

static uint64_t __attribute__((noinline)) huge(uint64_t x, int rounds, uint64_t *yout)
{
    uint64_t acc = 1, y = 0;
    for (int r = 0; r < rounds; r++) {
        D(0)
        D(1000)
    }
    *yout = y;
    return acc;
}

int main(int argc, char **argv)
{
    uint64_t y;
    uint64_t acc = huge((uint64_t)argc * 12345 + strlen(argv[0]) * 0, 3 + argc, &y);
    printf("acc %016llx y %016llx\n", (unsigned long long)acc, (unsigned long long)y);
    return 0;
}
