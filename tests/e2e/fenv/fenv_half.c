/*
 * fenv_half.c - _Float16 arithmetic compiled for FEAT_FP16 (scalar H
 * instructions: FADD..FNMUL, FMADD family, FSQRT, FRINT*, FCMP(E), FCSEL,
 * FCVT* to and from integers, FMOV), under every rounding mode and with
 * FPCR.FZ16 and FPCR.DN, printing each result's bits and the FPSR flags it
 * raised.  The translated program computes these in software
 * (runtime/fp16.c); the oracle is qemu-aarch64.
 *
 * cflags: -march=armv8.2-a+fp16
 * levels: -O2
 */
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef _Float16 h16;

/* An operand the compiler cannot fold. */
static h16 hv(uint16_t u)
{
    h16 x;
    memcpy(&x, &u, sizeof x);
    __asm__ volatile("" : "+w"(x));
    return x;
}

static uint16_t hb(h16 x)
{
    uint16_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static h16 sqrt_h(h16 x)
{
    h16 r;
    __asm__ volatile("fsqrt %h0, %h1" : "=w"(r) : "w"(x));
    return r;
}

/* Forms GCC does not pick for _Float16 expressions (it compares through
 * single precision, and negates after FMUL). */
static uint64_t fcmp_h(h16 a, h16 b)
{
    uint64_t nzcv;
    __asm__ volatile("fcmp %h1, %h2\n\tmrs %0, nzcv" : "=r"(nzcv) : "w"(a), "w"(b) : "cc");
    return nzcv;
}

static uint64_t fcmpe_h(h16 a, h16 b)
{
    uint64_t nzcv;
    __asm__ volatile("fcmpe %h1, %h2\n\tmrs %0, nzcv" : "=r"(nzcv) : "w"(a), "w"(b) : "cc");
    return nzcv;
}

static h16 fcsel_gt(h16 a, h16 b)
{
    h16 r;
    __asm__ volatile("fcmp %h1, %h2\n\tfcsel %h0, %h1, %h2, gt" : "=&w"(r) : "w"(a), "w"(b) : "cc");
    return r;
}

static h16 fnmul_h(h16 a, h16 b)
{
    h16 r;
    __asm__ volatile("fnmul %h0, %h1, %h2" : "=w"(r) : "w"(a), "w"(b));
    return r;
}

static h16 fnmadd_h(h16 a, h16 b, h16 c)
{
    h16 r;
    __asm__ volatile("fnmadd %h0, %h1, %h2, %h3" : "=w"(r) : "w"(a), "w"(b), "w"(c));
    return r;
}

static uint64_t fccmp_h(h16 a, h16 b, long cond)
{
    uint64_t nzcv;
    __asm__ volatile("cmp %3, #0\n\tfccmpe %h1, %h2, #5, ne\n\tmrs %0, nzcv"
                     : "=r"(nzcv) : "w"(a), "w"(b), "r"(cond) : "cc");
    return nzcv;
}

/* FCVTAS and FCVTZS #8 (fixed point), SCVTF #4 */
static long fcvtas(h16 x)
{
    long r;
    __asm__ volatile("fcvtas %0, %h1" : "=r"(r) : "w"(x));
    return r;
}

static int fcvtzs_fixed(h16 x)
{
    int r;
    __asm__ volatile("fcvtzs %w0, %h1, #8" : "=r"(r) : "w"(x));
    return r;
}

static h16 scvtf_fixed(long x)
{
    h16 r;
    __asm__ volatile("scvtf %h0, %1, #4" : "=w"(r) : "r"(x));
    return r;
}

static uint64_t fpcr_get(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}

static void fpcr_set(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }

static uint64_t fpsr_take(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpsr" : "=r"(v));
    __asm__ volatile("msr fpsr, %0" : : "r"(0ul));
    return v & 0x9f;
}

/* Operands: zeros, denormals, normals at both ends, ties, infinities,
 * quiet and signalling NaNs with payloads. */
static const uint16_t vals[] = {
    0x0000, 0x8000, 0x0001, 0x83ff, 0x0200, 0x0400, 0x8401, 0x3c00, 0xbc00, 0x3c01, 0x4000, 0x3555,
    0x7bff, 0xfbfe, 0x7800, 0x1400, 0x0c01, 0x5640, 0xc248, 0x7c00, 0xfc00, 0x7e00, 0xfe55, 0x7c01, 0xfd23,
};
enum { NV = sizeof vals / sizeof vals[0] };

static unsigned long sum; /* a checksum over everything printed per mode */

static void out(const char *what, uint16_t a, uint16_t b, uint64_t r)
{
    __asm__ volatile("" : : "r"(r)); /* R is computed before FPSR is read */
    uint64_t f = fpsr_take();
    sum = sum * 31 + (r ^ f << 56);
    (void)what;
    (void)a;
    (void)b;
}

static void binary_ops(void)
{
    for (int i = 0; i < NV; i++)
        for (int j = 0; j < NV; j++) {
            h16 a = hv(vals[i]), b = hv(vals[j]);
            out("add", vals[i], vals[j], hb(a + b));
            out("sub", vals[i], vals[j], hb(a - b));
            out("mul", vals[i], vals[j], hb(a * b));
            out("div", vals[i], vals[j], hb(a / b));
            out("nmul", vals[i], vals[j], hb(-(a * b)));
            out("max", vals[i], vals[j], hb(__builtin_fmaxf16(a, b)));
            out("min", vals[i], vals[j], hb(__builtin_fminf16(a, b)));
            out("lt", vals[i], vals[j], a < b);
            out("eq", vals[i], vals[j], a == b);
            out("sel", vals[i], vals[j], hb(a > b ? a : b));
            out("fcmp", vals[i], vals[j], fcmp_h(a, b));
            out("fcmpe", vals[i], vals[j], fcmpe_h(a, b));
            out("fccmpe", vals[i], vals[j], fccmp_h(a, b, j & 1));
            out("fcsel", vals[i], vals[j], hb(fcsel_gt(a, b)));
            out("fnmul", vals[i], vals[j], hb(fnmul_h(a, b)));
            for (int k = 0; k < NV; k += 3) {
                out("fma", vals[i], vals[j], hb(__builtin_fmaf16(a, b, hv(vals[k]))));
                out("fnmadd", vals[i], vals[j], hb(fnmadd_h(a, b, hv(vals[k]))));
            }
        }
}

static void unary_ops(void)
{
    static const long ints[] = {0, 1, -1, 3, 2047, 2049, -4097, 65504, 65520, 70000, -70000, 1L << 40};
    for (int i = 0; i < NV; i++) {
        h16 a = hv(vals[i]);
        out("sqrt", vals[i], 0, hb(sqrt_h(a)));
        out("neg", vals[i], 0, hb(-a));
        out("abs", vals[i], 0, hb(__builtin_fabsf16(a)));
        out("rint", vals[i], 0, hb(__builtin_rintf16(a)));
        out("nearbyint", vals[i], 0, hb(__builtin_nearbyintf16(a)));
        out("floor", vals[i], 0, hb(__builtin_floorf16(a)));
        out("round", vals[i], 0, hb(__builtin_roundf16(a)));
        out("trunc", vals[i], 0, hb(__builtin_truncf16(a)));
        out("toint", vals[i], 0, (uint64_t)(int)a);
        out("tolong", vals[i], 0, (uint64_t)(long)a);
        out("touint", vals[i], 0, (unsigned)a);
        out("fcvtas", vals[i], 0, (uint64_t)fcvtas(a));
        out("fcvtzs8", vals[i], 0, (uint64_t)fcvtzs_fixed(a));
        out("tofloat", vals[i], 0, (uint64_t)(double)a == 0);
    }
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        long x = ints[i];
        __asm__ volatile("" : "+r"(x));
        out("fromlong", 0, 0, hb((h16)x));
        out("fromint", 0, 0, hb((h16)(int)x));
        out("fromulong", 0, 0, hb((h16)(unsigned long)x));
        out("scvtf4", 0, 0, hb(scvtf_fixed(x)));
    }
}

int main(void)
{
    static const struct { const char *name; uint64_t fpcr; } modes[] = {
        {"RN", 0}, {"RP", 1ul << 22}, {"RM", 2ul << 22}, {"RZ", 3ul << 22},
        {"RN FZ16", 1ul << 19}, {"RZ FZ16", 3ul << 22 | 1ul << 19}, {"RN DN", 1ul << 25},
        {"RN AHP FZ", 1ul << 26 | 1ul << 24},
    };
    for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        fpcr_set(modes[m].fpcr);
        fpsr_take();
        sum = 0;
        binary_ops();
        unary_ops();
        printf("%-10s fpcr=%#010lx checksum %016lx\n", modes[m].name, (unsigned long)fpcr_get(), sum);
    }
    /* A few results in the clear, to read when the checksums differ. */
    fpcr_set(0);
    fpsr_take();
    h16 third = hv(0x3c00) / hv(0x4200);
    __asm__ volatile("" : "+w"(third));
    uint64_t f1 = fpsr_take();
    h16 tiny = hv(0x0401) * hv(0x3800);
    __asm__ volatile("" : "+w"(tiny));
    uint64_t f2 = fpsr_take();
    h16 big = hv(0x7bff) + hv(0x7bff);
    __asm__ volatile("" : "+w"(big));
    uint64_t f3 = fpsr_take();
    printf("1/3 = %#06x fpsr %#lx; (2^-14 + 2^-24) * 0.5 = %#06x fpsr %#lx; max + max = %#06x fpsr %#lx\n", hb(third),
           (unsigned long)f1, hb(tiny), (unsigned long)f2, hb(big), (unsigned long)f3);
    return fetestexcept(FE_ALL_EXCEPT) != 0;
}
