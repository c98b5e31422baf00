/*
 * atomics_lse.c - every atomic read-modify-write GCC emits, both ways:
 *
 *   - inline ARMv8.1 LSE instructions (functions built with
 *     target("arch=armv8.1-a"): LDADD, LDCLR, LDEOR, LDSET, SWP, CAS, and
 *     LDSMAX/LDUMIN..., CASP in inline assembly), whatever the CPU advertises;
 *   - GCC's default -moutline-atomics helpers (__aarch64_ldadd4_acq_rel...),
 *     which pick LSE or LDXR/STXR loops from AT_HWCAP's HWCAP_ATOMICS at
 *     start-up: the translated program takes the path its auxiliary vector
 *     advertises, and prints which one.
 *
 * Each result is printed, so the run is compared with qemu-aarch64 value by
 * value.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

#define HWCAP_ATOMICS_BIT (1ul << 8)

#define LSE __attribute__((target("arch=armv8.1-a"), noinline))
#define OUTLINE __attribute__((noinline))

/* P##_rmw: every RMW on T, printed under NAME; ATTR: LSE or OUTLINE. */
#define RMW_TESTS(T, P, ATTR)                                                            \
    ATTR static void P(T *x, T v, const char *name)                                      \
    {                                                                                    \
        T r[12];                                                                         \
        *x = (T)0x8badf00d5ca1ab1eull;                                                   \
        r[0] = __atomic_fetch_add(x, v, __ATOMIC_SEQ_CST);                               \
        r[1] = __atomic_fetch_sub(x, (T)(v * 3), __ATOMIC_ACQUIRE);                      \
        r[2] = __atomic_fetch_and(x, (T)~v, __ATOMIC_RELEASE);                           \
        r[3] = __atomic_fetch_or(x, (T)(v << 1), __ATOMIC_RELAXED);                      \
        r[4] = __atomic_fetch_xor(x, (T)0x5555555555555555ull, __ATOMIC_ACQ_REL);        \
        r[5] = __atomic_exchange_n(x, (T)(v ^ 0x77), __ATOMIC_SEQ_CST);                  \
        T expect = (T)(v ^ 0x77);                                                        \
        r[6] = __atomic_compare_exchange_n(x, &expect, (T)42, 0, __ATOMIC_SEQ_CST,       \
                                           __ATOMIC_SEQ_CST);                            \
        r[7] = expect;                                                                   \
        expect = 7;                                                                      \
        r[8] = __atomic_compare_exchange_n(x, &expect, (T)43, 0, __ATOMIC_ACQUIRE,       \
                                           __ATOMIC_ACQUIRE);                            \
        r[9] = expect;                                                                   \
        r[10] = __atomic_fetch_nand(x, v, __ATOMIC_SEQ_CST);                             \
        r[11] = __atomic_load_n(x, __ATOMIC_ACQUIRE);                                    \
        printf("%s %s:", name, #T);                                                      \
        for (int i = 0; i < 12; i++)                                                     \
            printf(" %llx", (unsigned long long)r[i]);                                   \
        printf("\n");                                                                    \
    }

RMW_TESTS(uint8_t, u8_outline, OUTLINE)
RMW_TESTS(uint16_t, u16_outline, OUTLINE)
RMW_TESTS(uint32_t, u32_outline, OUTLINE)
RMW_TESTS(uint64_t, u64_outline, OUTLINE)
RMW_TESTS(uint8_t, u8_inline, LSE)
RMW_TESTS(uint16_t, u16_inline, LSE)
RMW_TESTS(uint32_t, u32_inline, LSE)
RMW_TESTS(uint64_t, u64_inline, LSE)

/* Signed and unsigned min/max: LDSMAX/LDSMIN/LDUMAX/LDUMIN inline. */
LSE static void minmax_lse(void)
{
    int32_t s = -5;
    uint32_t u = 5;
    int64_t sl = INT64_MIN + 3;
    uint64_t ul = 1;
    int32_t r0, r1;
    uint32_t r2, r3;
    int64_t r4;
    uint64_t r5;
    __asm__ volatile("ldsmaxal %w[v], %w[r], %[m]" : [r] "=&r"(r0), [m] "+Q"(s) : [v] "r"(-9));
    __asm__ volatile("ldsminl %w[v], %w[r], %[m]" : [r] "=&r"(r1), [m] "+Q"(s) : [v] "r"(-70));
    __asm__ volatile("ldumaxa %w[v], %w[r], %[m]" : [r] "=&r"(r2), [m] "+Q"(u) : [v] "r"(0xfffffff0u));
    __asm__ volatile("ldumin %w[v], %w[r], %[m]" : [r] "=&r"(r3), [m] "+Q"(u) : [v] "r"(17u));
    __asm__ volatile("ldsmax %[v], %[r], %[m]" : [r] "=&r"(r4), [m] "+Q"(sl) : [v] "r"((int64_t)-1));
    __asm__ volatile("lduminal %[v], %[r], %[m]" : [r] "=&r"(r5), [m] "+Q"(ul) : [v] "r"((uint64_t)0));
    printf("minmax: %d %d %u %u %lld %llu -> %d %u %lld %llu\n", r0, r1, r2, r3, (long long)r4,
           (unsigned long long)r5, s, u, (long long)sl, (unsigned long long)ul);
}

/* 128-bit compare-and-swap: CASPAL (GCC calls libatomic for __int128). */
LSE static void cas128_lse(void)
{
    static uint64_t m[2] __attribute__((aligned(16))) = {0xfedcba9876543210ull, 0x0123456789abcdefull};
    for (int i = 0; i < 2; i++) {
        register uint64_t c0 __asm__("x4") = i ? 5 : m[0], c1 __asm__("x5") = i ? 6 : m[1];
        register uint64_t n0 __asm__("x6") = 0x2222 + i, n1 __asm__("x7") = 0x1111 + i;
        __asm__ volatile("caspal x4, x5, x6, x7, %[m]" : "+r"(c0), "+r"(c1), [m] "+Q"(m) : "r"(n0), "r"(n1));
        printf("cas128: old %llx:%llx now %llx:%llx\n", (unsigned long long)c1, (unsigned long long)c0,
               (unsigned long long)m[1], (unsigned long long)m[0]);
    }
}

int main(void)
{
    printf("HWCAP_ATOMICS advertised: %s\n", getauxval(AT_HWCAP) & HWCAP_ATOMICS_BIT ? "yes" : "no");
    static uint8_t b;
    static uint16_t h;
    static uint32_t w;
    static uint64_t d;
    u8_outline(&b, 0x3c, "outline");
    u16_outline(&h, 0x1234, "outline");
    u32_outline(&w, 0x89abcdefu, "outline");
    u64_outline(&d, 0x0123456789abcdefull, "outline");
    u8_inline(&b, 0xc3, "inline");
    u16_inline(&h, 0xfedc, "inline");
    u32_inline(&w, 0x13579bdfu, "inline");
    u64_inline(&d, 0xfedcba9876543210ull, "inline");
    minmax_lse();
    cas128_lse();
    return 0;
}
