/*
 * compute.c - integer work a compiler turns into varied AArch64 code:
 * loops, indirect calls through a table of function pointers, qsort with a
 * comparator (a call back from libc into the program), recursion, 64- and
 * 32-bit arithmetic with signed and unsigned division, shifts and rotates.
 *
 * Prints intermediate results and a checksum; the exit status (checksum % 7
 * + 1, so never 0) is derived from the data, so comparing exit statuses
 * between qemu-aarch64 and the translated program is meaningful.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 200

/* A small deterministic generator (xorshift64). */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* Operations called through a table.  noinline keeps the calls indirect.
 * Wrapping arithmetic goes through uint64_t: signed overflow is undefined. */
__attribute__((noinline)) static int64_t op_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
__attribute__((noinline)) static int64_t op_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
__attribute__((noinline)) static int64_t op_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
__attribute__((noinline)) static int64_t op_div(int64_t a, int64_t b) { return b && !(a == INT64_MIN && b == -1) ? a / b : 0; }
__attribute__((noinline)) static int64_t op_rem(int64_t a, int64_t b) { return b && !(a == INT64_MIN && b == -1) ? a % b : 0; }
__attribute__((noinline)) static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
__attribute__((noinline)) static int64_t op_shl(int64_t a, int64_t b) { return (int64_t)((uint64_t)a << (b & 63)); }
__attribute__((noinline)) static int64_t op_sar(int64_t a, int64_t b) { return a >> (b & 63); }

typedef int64_t (*BinOp)(int64_t, int64_t);
static const BinOp ops[] = {op_add, op_sub, op_mul, op_div, op_rem, op_xor, op_shl, op_sar};
static const char *const op_names[] = {"add", "sub", "mul", "div", "rem", "xor", "shl", "sar"};

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Descending by absolute value, ties broken by value: a less trivial comparator. */
static int cmp_abs_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x, ay = y < 0 ? -(uint64_t)y : (uint64_t)y;
    if (ax != ay)
        return ax < ay ? 1 : -1;
    return (x > y) - (x < y);
}

__attribute__((noinline)) static uint64_t fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static unsigned ackermann(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
    return b == 0 ? a : gcd32(b, a % b);
}

static uint32_t rotl32(uint32_t x, unsigned r)
{
    return (x << (r & 31)) | (x >> (-r & 31));
}

int main(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    uint64_t sum = 0;

    /* 1. Indirect calls in a loop. */
    uint64_t acc[8] = {0};
    for (int i = 0; i < N; i++) {
        int64_t a = (int64_t)rng_next(&seed), b = (int64_t)(rng_next(&seed) % 1000) - 500;
        unsigned k = (unsigned)i % 8;
        acc[k] += (uint64_t)ops[k](a, b);
    }
    for (int k = 0; k < 8; k++) {
        printf("%s: %" PRId64 "\n", op_names[k], (int64_t)acc[k]);
        sum = sum * 31 + acc[k];
    }

    /* 2. qsort of 32-bit and 64-bit arrays. */
    int32_t v32[N];
    int64_t v64[N];
    for (int i = 0; i < N; i++) {
        v32[i] = (int32_t)rng_next(&seed);
        v64[i] = (int64_t)(rng_next(&seed) % 2001) - 1000;
    }
    qsort(v32, N, sizeof v32[0], cmp_i32);
    qsort(v64, N, sizeof v64[0], cmp_abs_desc);
    printf("sorted32: %" PRId32 " %" PRId32 " %" PRId32 "\n", v32[0], v32[N / 2], v32[N - 1]);
    printf("sorted64: %" PRId64 " %" PRId64 " %" PRId64 "\n", v64[0], v64[N / 2], v64[N - 1]);
    for (int i = 0; i < N; i++)
        sum = sum * 1099511628211ULL ^ (uint64_t)(uint32_t)v32[i] ^ (uint64_t)v64[i];

    /* 3. Recursion. */
    uint64_t f = fib(25);
    unsigned ack = ackermann(2, 3);
    printf("fib(25)=%" PRIu64 " ackermann(2,3)=%u\n", f, ack);
    sum += f + ack;

    /* 4. 32-bit arithmetic: unsigned/signed division, shifts, rotates. */
    uint32_t u = 0xdeadbeefu, g = 0;
    int32_t s = -123456789;
    for (unsigned i = 1; i < 40; i++) {
        u = rotl32(u, i) ^ (u >> 3);
        u += u / i;
        s = s / 3 + (int32_t)(u % 1000) - (s >> 2);
        g += gcd32(u | 1, i * 1000 + 6);
    }
    printf("u32=%" PRIu32 " s32=%" PRId32 " gcds=%" PRIu32 "\n", u, s, g);
    sum ^= ((uint64_t)u << 32) | (uint32_t)s;
    sum += g;

    /* 5. 64-bit division and modulo with negative operands. */
    int64_t q = INT64_MIN / 3 + 12345, r = -9876543210LL % 1000003;
    uint64_t uq = UINT64_MAX / 1000000007ULL;
    printf("div64: %" PRId64 " %" PRId64 " %" PRIu64 " %" PRId64 "\n", q, r, uq, (int64_t)-7 / 2);
    sum += (uint64_t)q + (uint64_t)r + uq;

    printf("checksum=%016" PRIx64 "\n", sum);
    return (int)(sum % 7) + 1;
}
