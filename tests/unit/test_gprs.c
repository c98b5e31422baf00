/*
 * test_gprs.c - unit tests of lifter/a64_gpr.c: which of X0-X30 a word
 * reads and writes.
 *
 * One line per word, the expected sets written by hand from the
 * architecture manual's description of the instruction (the words were
 * assembled with aarch64-linux-gnu-as; the text is objdump's).  The
 * lifter checks the table against the code it emits for every word it
 * lifts (the random instruction tests abort on a difference); these lines
 * pin the answers themselves, including the conservative ones (a word the
 * table does not describe reads and may write everything, surely writes
 * nothing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "lifter.h"

#define R(n) (1u << (n))
enum { ALL = 0x7FFFFFFFu };

typedef struct Case {
    uint32_t word;
    const char *text;
    uint32_t may_read, must_write, may_write;
} Case;

static const Case cases[] = {
    {0x91001020u, "add x0, x1, #4", R(1), R(0), R(0)},
    {0xab040062u, "adds x2, x3, x4", R(3) | R(4), R(2), R(2)},
    {0xf1000cbfu, "cmp x5, #3", R(5), 0, 0},
    {0xaa0703e6u, "mov x6, x7", R(7), R(6), R(6)},
    {0xf2a00028u, "movk x8, #1, lsl #16", R(8), R(8), R(8)},
    {0x528000a9u, "mov w9, #5", 0, R(9), R(9)},
    {0xb37c1d6au, "bfi x10, x11, #4, #8", R(10) | R(11), R(10), R(10)},
    {0xd3431dacu, "ubfx x12, x13, #3, #5", R(13), R(12), R(12)},
    {0x9a9001eeu, "csel x14, x15, x16, eq", R(15) | R(16), R(14), R(14)},
    {0xfa521220u, "ccmp x17, x18, #0, ne", R(17) | R(18), 0, 0},
    {0xfa451a60u, "ccmp x19, #5, #0, ne", R(19), 0, 0},
    {0x9b165eb4u, "madd x20, x21, x22, x23", R(21) | R(22) | R(23), R(20), R(20)},
    {0x1ada0b38u, "udiv w24, w25, w26", R(25) | R(26), R(24), R(24)},
    {0xdac0139bu, "clz x27, x28", R(28), R(27), R(27)},
    {0xf9400420u, "ldr x0, [x1, #8]", R(1), R(0), R(0)},
    {0xb8404462u, "ldr w2, [x3], #4", R(3), R(2) | R(3), R(2) | R(3)},
    {0xf81f0ca4u, "str x4, [x5, #-16]!", R(4) | R(5), R(5), R(5)},
    {0x386878e6u, "ldrb w6, [x7, x8]", R(7) | R(8), R(6), R(6)},
    {0xa94153f3u, "ldp x19, x20, [sp, #16]", 0, R(19) | R(20), R(19) | R(20)},
    {0xa9be7bfdu, "stp x29, x30, [sp, #-32]!", R(29) | R(30), 0, 0},
    {0xa8c10861u, "ldp x1, x2, [x3], #16", R(3), R(1) | R(2) | R(3), R(1) | R(2) | R(3)},
    {0x3dc00880u, "ldr q0, [x4, #32]", R(4), 0, 0},
    {0xfc4084a1u, "ldr d1, [x5], #8", R(5), R(5), R(5)},
    {0xf98000c0u, "prfm pldl1keep, [x6]", R(6), 0, 0},
    {0x58000009u, "ldr x9, <literal>", 0, R(9), R(9)},
    {0xb400000au, "cbz x10, .", R(10), 0, 0},
    {0x3718000bu, "tbnz w11, #3, .", R(11), 0, 0},
    {0x54000001u, "b.ne .", 0, 0, 0},
    {0xd503201fu, "nop", 0, 0, 0},
    {0xd5033bbfu, "dmb ish", 0, 0, 0},
    {0xf94007ecu, "ldr x12, [sp, #8]", 0, R(12), R(12)},
    {0x910043ffu, "add sp, sp, #16", 0, 0, 0},
    {0x9e660020u, "fmov x0, d1", 0, R(0), R(0)},
    {0x9e670062u, "fmov d2, x3", R(3), 0, 0},
    {0x9e6200a4u, "scvtf d4, x5", R(5), 0, 0},
    {0x1e3800e6u, "fcvtzs w6, s7", 0, R(6), R(6)},
    {0x9e58f528u, "fcvtzs x8, d9, #3", 0, R(8), R(8)},
    {0x1e03ed6au, "ucvtf s10, w11, #5", R(11), 0, 0},
    {0x0e0a3dacu, "umov w12, v13.h[2]", 0, R(12), R(12)},
    {0x4e183deeu, "mov x14, v15.d[1]", 0, R(14), R(14)},
    {0x4e072e30u, "smov x16, v17.b[3]", 0, R(16), R(16)},
    {0x4e040e72u, "dup v18.4s, w19", R(19), 0, 0},
    {0x4e0c1eb4u, "mov v20.s[1], w21", R(21), 0, 0},
    {0xd53b4216u, "mrs x22, nzcv", 0, 0, R(22)},
    {0xd51b4217u, "msr nzcv, x23", R(23), 0, 0},
    {0xd50b7438u, "dc zva, x24", R(24), 0, 0},
    {0xd4000001u, "svc #0", R(0) | R(1) | R(2) | R(3) | R(4) | R(5) | R(8), 0, R(0)},
    {0xc85f7c41u, "ldxr x1, [x2]", R(2), R(1), R(1)},
    {0xc8037ca4u, "stxr w3, x4, [x5]", R(4) | R(5), R(3), R(3)},
    {0xc87f9d06u, "ldaxp x6, x7, [x8]", R(8), R(6) | R(7), R(6) | R(7)},
    {0xc829ad8au, "stlxp w9, x10, x11, [x12]", R(10) | R(11) | R(12), R(9), R(9)},
    {0x88dffdcdu, "ldar w13, [x14]", R(14), R(13), R(13)},
    {0xc89ffe0fu, "stlr x15, [x16]", R(15) | R(16), 0, 0},
    {0xc8b17e72u, "cas x17, x18, [x19]", R(17) | R(18) | R(19), R(17), R(17)},
    {0x88f4fed5u, "casal w20, w21, [x22]", R(20) | R(21) | R(22), R(20), R(20)},
    {0xf8370338u, "ldadd x23, x24, [x25]", R(23) | R(25), R(24), R(24)},
    {0xb83a037fu, "stadd w26, [x27]", R(26) | R(27), 0, 0},
    {0xf8fc83ddu, "swpal x28, x29, [x30]", R(28) | R(30), R(29), R(29)},
    {0xf8bfc020u, "ldapr x0, [x1]", R(1), R(0), R(0)},
    {0x4c407040u, "ld1 {v0.16b}, [x2]", R(2), 0, 0},
    {0x4cdfa061u, "ld1 {v1.16b, v2.16b}, [x3], #32", R(3), R(3), R(3)},
    {0x4c857883u, "st1 {v3.4s}, [x4], x5", R(4) | R(5), R(4), R(4)},
    {0x0d4090c4u, "ld1 {v4.s}[1], [x6]", R(6), 0, 0},
    {0x4dc8c8e5u, "ld1r {v5.4s}, [x7], x8", R(7) | R(8), R(7), R(7)},
    {0x0d9f8526u, "st1 {v6.d}[0], [x9], #8", R(9), R(9), R(9)},
    {0x6e052fefu, "mov v15.b[2], v31.b[5]", 0, 0, 0}, /* INS (element): op 1, no general register */
    {0x1e622820u, "fadd d0, d1, d2", 0, 0, 0},
    {0x4ea11c20u, "mov v0.16b, v1.16b", 0, 0, 0},
    {0x1e602020u, "fcmp d1, d0", 0, 0, 0},
    /* Not described: everything may be read and written, nothing surely. */
    {0x48207c82u, "casp x0, x1, x2, x3, [x4]", ALL, 0, ALL},
    {0x94000000u, "bl .", ALL, 0, ALL},
    {0xd65f03c0u, "ret", ALL, 0, ALL},
};

static void table_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        A64Gprs g = a64_gprs(cases[i].word);
        if (g.may_read != cases[i].may_read || g.must_write != cases[i].must_write ||
            g.may_write != cases[i].may_write)
            fail_msg("%08x %s: got read %08x must %08x may %08x, expected %08x %08x %08x", cases[i].word,
                     cases[i].text, g.may_read, g.must_write, g.may_write, cases[i].may_read, cases[i].must_write,
                     cases[i].may_write);
    }
}

/* The contract's shape holds for every word: what is surely written may
 * be written, and SP/XZR (31) is in no set. */
static void table_shape(void **state)
{
    (void)state;
    uint32_t x = 0x12345678u;
    for (unsigned i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        A64Gprs g = a64_gprs(x);
        if ((g.must_write & ~g.may_write) != 0 || ((g.may_read | g.may_write) >> 31) != 0)
            fail_msg("%08x: read %08x must %08x may %08x", x, g.may_read, g.must_write, g.may_write);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_cases),
        cmocka_unit_test(table_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
