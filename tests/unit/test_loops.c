/*
 * test_loops.c - unit tests of lift_loop_headers (lifter/loops.c): where
 * the lifter puts its safe points.
 *
 * Each case is a small function: its words (assembled with
 * aarch64-linux-gnu-as, the disassembly beside them), its blocks as
 * control-flow recovery would give them, and the loop headers expected by
 * hand: every cycle must contain one, and a branch backwards that closes
 * no cycle must not make one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lifter.h"

enum { BASE = 0x400000 };

typedef struct Code {
    const uint32_t *words;
    size_t n;
} Code;

static bool read_code(void *ctx, uint64_t pc, uint32_t *w)
{
    const Code *c = ctx;
    if (pc < BASE || (pc - BASE) / 4 >= c->n)
        return false;
    *w = c->words[(pc - BASE) / 4];
    return true;
}

/* Offsets from BASE: leaders and ends (parallel), expected headers. */
static void check(const uint32_t *words, size_t nwords, const uint64_t *lead, const uint64_t *end, size_t nblocks,
                  const uint64_t *want, size_t nwant)
{
    Code code = {words, nwords};
    uint64_t leaders[16], ends[16];
    for (size_t i = 0; i < nblocks; i++) {
        leaders[i] = BASE + lead[i];
        ends[i] = BASE + end[i];
    }
    LiftFunc f = {.entry = BASE, .leaders = leaders, .ends = ends, .nleaders = nblocks};
    uint64_t *heads = NULL;
    size_t n = lift_loop_headers(&f, read_code, &code, &heads);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(heads[i], BASE + want[i]);
    free(heads);
}

static void simple_loop(void **state)
{
    (void)state;
    static const uint32_t w[] = {
        0xb40000a0, /* 0:  cbz  x0, 14       */
        0xf8408422, /* 4:  ldr  x2, [x1], #8 */
        0xd1000400, /* 8:  sub  x0, x0, #1   */
        0xf100001f, /* c:  cmp  x0, #0       */
        0x54ffffa1, /* 10: b.ne 4            */
        0xd65f03c0, /* 14: ret               */
    };
    static const uint64_t lead[] = {0x0, 0x4, 0x14}, end[] = {0x4, 0x14, 0x18}, want[] = {0x4};
    check(w, 6, lead, end, 3, want, 1);
}

/* GCC's "jump to the condition" layout: the header is below the body. */
static void header_below_body(void **state)
{
    (void)state;
    static const uint32_t w[] = {
        0x14000003, /* 0:  b    c      */
        0x91000442, /* 4:  add  x2, x2, #1 */
        0xd1000400, /* 8:  sub  x0, x0, #1 */
        0xb5ffffc0, /* c:  cbnz x0, 4  */
        0xd65f03c0, /* 10: ret         */
    };
    static const uint64_t lead[] = {0x0, 0x4, 0xc, 0x10}, end[] = {0x4, 0xc, 0x10, 0x14}, want[] = {0xc};
    check(w, 5, lead, end, 4, want, 1);
}

/* A backward branch to a shared exit closes no cycle: no header. */
static void backward_jump_no_loop(void **state)
{
    (void)state;
    static const uint32_t w[] = {
        0xb4000060, /* 0:  cbz x0, c  */
        0xd65f03c0, /* 4:  ret        */
        0xd503201f, /* 8:  nop        */
        0xd2800020, /* c:  mov x0, #1 */
        0x17fffffd, /* 10: b   4      */
    };
    static const uint64_t lead[] = {0x0, 0x4, 0xc}, end[] = {0x4, 0x8, 0x14};
    check(w, 5, lead, end, 3, NULL, 0);
}

static void self_loop(void **state)
{
    (void)state;
    static const uint32_t w[] = {0x14000000}; /* 0: b 0 */
    static const uint64_t lead[] = {0x0}, end[] = {0x4}, want[] = {0x0};
    check(w, 1, lead, end, 1, want, 1);
}

static void nested_loops(void **state)
{
    (void)state;
    static const uint32_t w[] = {
        0xd2800083, /* 0:  mov  x3, #4     */
        0xd2800084, /* 4:  mov  x4, #4     */
        0xd1000484, /* 8:  sub  x4, x4, #1 */
        0xb5ffffe4, /* c:  cbnz x4, 8      */
        0xd1000463, /* 10: sub  x3, x3, #1 */
        0xb5ffff83, /* 14: cbnz x3, 4      */
        0xd65f03c0, /* 18: ret             */
    };
    static const uint64_t lead[] = {0x0, 0x4, 0x8, 0x10, 0x18}, end[] = {0x4, 0x8, 0x10, 0x18, 0x1c};
    static const uint64_t want[] = {0x4, 0x8};
    check(w, 7, lead, end, 5, want, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_loop),      cmocka_unit_test(header_below_body),
        cmocka_unit_test(backward_jump_no_loop), cmocka_unit_test(self_loop),
        cmocka_unit_test(nested_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
