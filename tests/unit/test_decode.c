/*
 * test_decode.c - unit tests of the decoder wrapper (aot/decode.c), the
 * supplementary LSE decoder (lifter/a64_lse_decode.c) and the named
 * predicates control-flow recovery uses (lifter/a64_dispatch.c).
 *
 * One line per case: the word, whether it is valid, the expected text.  The
 * capstone texts are what capstone 4.0.2 prints (it does not always pick the
 * architectural preferred alias, e.g. "movz" for "mov").  The LSE words were
 * assembled with `aarch64-linux-gnu-as -march=armv8.1-a` and the texts match
 * `aarch64-linux-gnu-objdump -d`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "a64_lse_decode.h"
#include "decode.h"
#include "lifter.h"

typedef struct Case {
    uint32_t word;
    bool valid;
    const char *text;
} Case;

static void check_cases(Decoder *dec, const Case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        DecInsn in;
        memset(&in, 0x5a, sizeof in);
        bool ok = dec_one(dec, cases[i].word, 0x400000 + 4 * i, &in);
        if (ok != cases[i].valid || in.valid != cases[i].valid || strcmp(in.text, cases[i].text) != 0)
            fail_msg("0x%08x: got valid=%d \"%s\", expected valid=%d \"%s\"", cases[i].word, in.valid, in.text,
                     cases[i].valid, cases[i].text);
        assert_int_equal(in.word, cases[i].word);
        assert_int_equal(in.addr, 0x400000 + 4 * i);
    }
}

static int setup_dec(void **state)
{
    Decoder *dec = NULL;
    if (dec_open(&dec) != 0 || dec == NULL)
        return -1;
    *state = dec;
    return 0;
}

static int teardown_dec(void **state)
{
    dec_close(*state);
    return 0;
}

/* ---- base A64, decoded by capstone ---- */

static void base_instructions(void **state)
{
    static const Case cases[] = {
        {0xd503201f, true, "nop"},
        {0x8b020020, true, "add x0, x1, x2"},
        {0xd65f03c0, true, "ret"},
        {0xd2824680, true, "movz x0, #0x1234"},
        {0xf9400020, true, "ldr x0, [x1]"},
        {0xa9bf7bfd, true, "stp x29, x30, [sp, #-0x10]!"},
        {0xd4000001, true, "svc #0"},
        {0x1e602820, true, "fadd d0, d1, d0"},
        {0x885f7c22, true, "ldxr w2, [x1]"},
    };
    check_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

/* Branch targets are rendered relative to the address given to dec_one. */
static void branch_uses_address(void **state)
{
    DecInsn in;
    assert_true(dec_one(*state, 0x94000001, 0x1000, &in)); /* bl .+4 */
    assert_string_equal(in.text, "bl #0x1004");
    assert_true(dec_one(*state, 0x17ffffff, 0x2000, &in)); /* b .-4 */
    assert_string_equal(in.text, "b #0x1ffc");
}

/* ---- words that are not instructions ---- */

static void invalid_words(void **state)
{
    static const Case cases[] = {
        /* op0 bits 28:25 = 0001: unallocated in every version of A64. */
        {0x02000000, false, ".inst 0x02000000"},
        {0x03ffffff, false, ".inst 0x03ffffff"},
        /* UDF #0 (permanently undefined; capstone 4 has no "udf"). */
        {0x00000000, false, ".inst 0x00000000"},
        /* CASP with an odd register pair: UNDEFINED, rejected by the LSE decoder. */
        {0x48257d06, false, ".inst 0x48257d06"},
        {0x08237d06, false, ".inst 0x08237d06"},
        /* Atomic-memory group with o3=1 and opc!=0: not LSE (LDAPR is v8.3). */
        {0xb8a1d062, false, ".inst 0xb8a1d062"},
    };
    check_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

/* ---- LSE atomics: capstone 4 fails, the supplementary decoder names them ---- */

static void lse_instructions(void **state)
{
    static const Case cases[] = {
        {0xb8210062, true, "ldadd w1, w2, [x3]"},
        {0xc8e0fc41, true, "casal x0, x1, [x2]"},
        {0xb8e583e6, true, "swpal w5, w6, [sp]"},
        {0xf8208041, true, "swp x0, x1, [x2]"},
        {0x48247d06, true, "casp x4, x5, x6, x7, [x8]"},
        {0x0860fd22, true, "caspal w0, w1, w2, w3, [x9]"},
        {0x38e10062, true, "ldaddalb w1, w2, [x3]"},
        {0x782a418b, true, "ldsmaxh w10, w11, [x12]"},
        {0xf8217062, true, "ldumin x1, x2, [x3]"},
        {0xf8601041, true, "ldclrl x0, x1, [x2]"},
        {0xb8a320a4, true, "ldeora w3, w4, [x5]"},
        {0xf8273128, true, "ldset x7, x8, [x9]"},
        {0x08a17c62, true, "casb w1, w2, [x3]"},
        {0x48e17c62, true, "casah w1, w2, [x3]"},
        {0x88a17c62, true, "cas w1, w2, [x3]"},
        {0xc8a1fc62, true, "casl x1, x2, [x3]"},
    };
    check_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

/* Register 31 in Rs/Rt of an atomic is the zero register, not SP; LD<op>
 * and LD<op>L with Rt=ZR are shown as the ST<op>{L} alias.  Texts as
 * aarch64-linux-gnu-objdump prints them. */
static void lse_zero_register_named_zr(void **state)
{
    static const Case cases[] = {
        {0x88bf7c62, true, "cas wzr, w2, [x3]"},
        {0xc8ffffff, true, "casal xzr, xzr, [sp]"},
        {0xb821007f, true, "stadd w1, [x3]"},
        {0xb861007f, true, "staddl w1, [x3]"},
        {0xb8a1007f, true, "ldadda w1, wzr, [x3]"},  /* acquire: no ST alias */
        {0x383f407f, true, "stsmaxb wzr, [x3]"},
        {0xf83f7062, true, "ldumin xzr, x2, [x3]"},
        {0xb821807f, true, "swp w1, wzr, [x3]"},      /* SWP has no ST alias */
        {0x483e7c82, true, "casp x30, xzr, x2, x3, [x4]"},
        {0xf86123ff, true, "steorl x1, [sp]"},
    };
    check_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

/* The fields the lifter reads, straight from a64_lse_decode(). */
static void lse_fields(void **state)
{
    (void)state;
    LseInsn i;

    /* ldadd w1, w2, [x3]: size=10 A=0 R=0 Rs=1 Rn=3 Rt=2 */
    assert_true(a64_lse_decode(0xb8210062, &i));
    assert_int_equal(i.op, LSE_LDADD);
    assert_int_equal(i.size, 2);
    assert_false(i.acquire);
    assert_false(i.release);
    assert_int_equal(i.rs, 1);
    assert_int_equal(i.rn, 3);
    assert_int_equal(i.rt, 2);

    /* casal x0, x1, [x2]: size=11 L=1 o0=1 Rs=0 Rn=2 Rt=1 */
    assert_true(a64_lse_decode(0xc8e0fc41, &i));
    assert_int_equal(i.op, LSE_CAS);
    assert_int_equal(i.size, 3);
    assert_true(i.acquire);
    assert_true(i.release);
    assert_int_equal(i.rs, 0);
    assert_int_equal(i.rn, 2);
    assert_int_equal(i.rt, 1);

    /* swpal w5, w6, [sp]: o3=1 opc=000 A=1 R=1 Rn=31 */
    assert_true(a64_lse_decode(0xb8e583e6, &i));
    assert_int_equal(i.op, LSE_SWP);
    assert_int_equal(i.size, 2);
    assert_true(i.acquire);
    assert_true(i.release);
    assert_int_equal(i.rs, 5);
    assert_int_equal(i.rn, 31);
    assert_int_equal(i.rt, 6);

    /* casp x4, x5, x6, x7, [x8]: sz=1 -> each register is 8 bytes */
    assert_true(a64_lse_decode(0x48247d06, &i));
    assert_int_equal(i.op, LSE_CASP);
    assert_int_equal(i.size, 3);
    assert_false(i.acquire);
    assert_false(i.release);
    assert_int_equal(i.rs, 4);
    assert_int_equal(i.rn, 8);
    assert_int_equal(i.rt, 6);

    /* caspal w0, w1, w2, w3, [x9]: sz=0 -> 4-byte registers */
    assert_true(a64_lse_decode(0x0860fd22, &i));
    assert_int_equal(i.op, LSE_CASP);
    assert_int_equal(i.size, 2);
    assert_true(i.acquire);
    assert_true(i.release);

    /* ldaddalb / ldsmaxh / ldclrl / ldeora: the op, size and ordering bits */
    assert_true(a64_lse_decode(0x38e10062, &i));
    assert_int_equal(i.op, LSE_LDADD);
    assert_int_equal(i.size, 0);
    assert_true(i.acquire && i.release);
    assert_true(a64_lse_decode(0x782a418b, &i));
    assert_int_equal(i.op, LSE_LDSMAX);
    assert_int_equal(i.size, 1);
    assert_true(a64_lse_decode(0xf8601041, &i));
    assert_int_equal(i.op, LSE_LDCLR);
    assert_false(i.acquire);
    assert_true(i.release);
    assert_true(a64_lse_decode(0xb8a320a4, &i));
    assert_int_equal(i.op, LSE_LDEOR);
    assert_true(i.acquire);
    assert_false(i.release);

    /* Every opc value of the atomic-memory group maps to its operation. */
    static const enum LseOp by_opc[8] = {LSE_LDADD, LSE_LDCLR, LSE_LDEOR, LSE_LDSET,
                                         LSE_LDSMAX, LSE_LDSMIN, LSE_LDUMAX, LSE_LDUMIN};
    for (uint32_t opc = 0; opc < 8; opc++) {
        assert_true(a64_lse_decode(0xb8210062 | opc << 12, &i));
        assert_int_equal(i.op, by_opc[opc]);
    }

    /* Not LSE: plain base-ISA words and neighbours of the LSE encodings. */
    assert_false(a64_lse_decode(0xd503201f, &i)); /* nop */
    assert_false(a64_lse_decode(0x885f7c22, &i)); /* ldxr w2, [x1] */
    assert_false(a64_lse_decode(0xb8bfc020, &i)); /* ldapr w0, [x1] */
    assert_false(a64_lse_decode(0xb8616862, &i)); /* ldr w2, [x3, x1]: bits 11:10 = 10 */
}

static void lse_format_small_buffer(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'x', sizeof buf);
    assert_true(a64_lse_format(0xc8e0fc41, buf, sizeof buf));
    assert_string_equal(buf, "casal x"); /* truncated, still terminated */
    assert_false(a64_lse_format(0xd503201f, buf, sizeof buf));
}

/* The words were assembled and linked at 0x400000 (adrp needs its
 * place); the comments are objdump's. */
static void recovery_predicates(void **state)
{
    (void)state;
    uint64_t t;
    assert_true(a64_is_nop(0xd503201f));                       /* nop */
    assert_false(a64_is_nop(0xd503203f));                      /* yield */
    assert_int_equal(a64_classify(0xd4000001, 0x400008, &t), FLOW_SVC);  /* svc #0x0 */
    assert_int_equal(a64_classify(0xd4001001, 0x40000c, &t), FLOW_SVC);  /* svc #0x80 */
    assert_int_equal(a64_classify(0xd4000002, 0x400010, &t), FLOW_NONE); /* hvc #0x0 */
    assert_int_equal(a64_classify(0xd4200000, 0x400014, &t), FLOW_STOP); /* brk #0x0 */

    static const struct {
        uint32_t word;
        uint64_t pc;
        unsigned rd;
        uint64_t addr;
        bool page;
    } adr[] = {
        {0x10000041, 0x400018, 1, 0x400020, false}, /* adr x1, 400020 */
        {0xb0000022, 0x40001c, 2, 0x405000, true},  /* adrp x2, 405000 */
        {0x10ffff83, 0x400020, 3, 0x400010, false}, /* adr x3, 400010 */
        {0xb0ffffe4, 0x400024, 4, 0x3fd000, true},  /* adrp x4, 3fd000 */
    };
    for (size_t i = 0; i < sizeof adr / sizeof adr[0]; i++) {
        unsigned rd;
        uint64_t a;
        bool page;
        assert_true(a64_decode_adr(adr[i].word, adr[i].pc, &rd, &a, &page));
        assert_int_equal(rd, adr[i].rd);
        assert_int_equal(a, adr[i].addr);
        assert_int_equal(page, adr[i].page);
    }
    unsigned rd, rn;
    uint64_t a;
    bool page;
    assert_false(a64_decode_adr(0x91004083, 0x400028, &rd, &a, &page)); /* add x3, x4, #0x10 */

    uint32_t imm;
    assert_true(a64_decode_add_imm12(0x91004083, &rd, &rn, &imm));     /* add x3, x4, #0x10 */
    assert_int_equal(rd, 3);
    assert_int_equal(rn, 4);
    assert_int_equal(imm, 0x10);
    assert_true(a64_decode_add_imm12(0x913ffc3f, &rd, &rn, &imm));     /* add sp, x1, #0xfff */
    assert_int_equal(rd, 31);
    assert_int_equal(rn, 1);
    assert_int_equal(imm, 0xfff);
    assert_false(a64_decode_add_imm12(0x91400483, &rd, &rn, &imm));    /* add x3, x4, #0x1, lsl #12 */
    assert_false(a64_decode_add_imm12(0xb1000483, &rd, &rn, &imm));    /* adds x3, x4, #0x1 */
    assert_false(a64_decode_add_imm12(0x11000483, &rd, &rn, &imm));    /* add w3, w4, #0x1 */
    assert_false(a64_decode_add_imm12(0xd1000483, &rd, &rn, &imm));    /* sub x3, x4, #0x1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(base_instructions, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(branch_uses_address, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(invalid_words, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(lse_instructions, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(lse_zero_register_named_zr, setup_dec, teardown_dec),
        cmocka_unit_test(lse_fields),
        cmocka_unit_test(lse_format_small_buffer),
        cmocka_unit_test(recovery_predicates),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
