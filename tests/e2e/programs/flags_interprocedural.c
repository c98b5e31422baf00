/*
 * flags_interprocedural.c - NZCV carried across calls in the ways
 * aot/cfg_flags.c must see through: tail calls, callees that leave the
 * flags alone on one path only, callees that pass them on to a callee
 * that reads them, recursion, and flags read after a call behind a branch.
 *
 * The translator leaves the flags out of the state stored at a call when
 * it proves the callee never reads them and no one reads them after the
 * return, and out of a function's returns when no caller reads them
 * (flags_across_calls.c has the direct cases).  Each function here is
 * hand-written so that the flags do cross, and prints what qemu prints
 * only if the analysis kept every store these need.
 */
#include <stdio.h>

long via_tail(long a, long b);          /* cmp; bl tail_to_peek (b peek) */
long tail_result(long a, long b);       /* bl tail_to_cmp (b cmp_ret); cset */
long half_pass(long a, long b, long k); /* cmp; bl maybe_cmp (cmp if k odd); cset */
long pass_then_peek(long a, long b);    /* cmp; bl leave_then_peek (bl leave; b peek) */
long recurse_peek(long a, long b, long n); /* cmp; bl rec (n times bl rec, then peek) */
long late_read(long a, long b, long k); /* bl cmp_ret; cbz k; ... b.lt after a branch */
long chain_ret(long a, long b);         /* bl mid (bl cmp_ret; ret); cset */
long through_two(long a, long b);       /* bl cmp_only_here; bl leave2; cset */

__asm__(".text\n"
        "peek2:\n" /* X0 = NZCV >> 28 */
        "  mrs x0, nzcv\n"
        "  lsr x0, x0, #28\n"
        "  ret\n"
        "cmp_ret:\n" /* NZCV of X0 - X1 */
        "  cmp x0, x1\n"
        "  ret\n"
        "cmp_only_here:\n" /* NZCV of X1 - X0; called by through_two alone */
        "  cmp x1, x0\n"
        "  ret\n"
        "leave2:\n" /* flags untouched */
        "  add x0, x0, #5\n"
        "  ret\n"
        "tail_to_peek:\n"
        "  b peek2\n"
        "tail_to_cmp:\n"
        "  b cmp_ret\n"
        "maybe_cmp:\n" /* k (x2) odd: flags of x0 - x1 + 1; else untouched */
        "  tbz x2, #0, 1f\n"
        "  add x3, x1, #1\n"
        "  cmp x0, x3\n"
        "1: ret\n"
        "leave_then_peek:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  bl leave2\n"
        "  ldp x29, x30, [sp], #16\n"
        "  b peek2\n"
        "rec:\n" /* x2 levels down, then the flags it was called with */
        "  cbz x2, peek2\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  sub x2, x2, #1\n"
        "  bl rec\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        "mid:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  bl cmp_ret\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global via_tail\n"
        "via_tail:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl tail_to_peek\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global tail_result\n"
        "tail_result:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmn x0, #3\n"
        "  bl tail_to_cmp\n"
        "  cset x0, lt\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global half_pass\n"
        "half_pass:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl maybe_cmp\n"
        "  cset x0, le\n"
        "  cset x1, eq\n"
        "  add x0, x0, x1, lsl #1\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global pass_then_peek\n"
        "pass_then_peek:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl leave_then_peek\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global recurse_peek\n"
        "recurse_peek:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl rec\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global late_read\n"
        "late_read:\n"
        "  stp x29, x30, [sp, #-32]!\n"
        "  str x19, [sp, #16]\n"
        "  mov x19, x2\n"
        "  bl cmp_ret\n"
        "  mov x0, #100\n"
        "  cbz x19, 2f\n"
        "  add x0, x0, #1\n"
        "2: csel x0, x0, xzr, lt\n"
        "  ldr x19, [sp, #16]\n"
        "  ldp x29, x30, [sp], #32\n"
        "  ret\n"
        ".global through_two\n"
        "through_two:\n"
        "  stp x29, x30, [sp, #-32]!\n"
        "  str x19, [sp, #16]\n"
        "  cmn x0, #9\n"
        "  bl cmp_only_here\n"
        "  mov x19, x0\n"
        "  bl leave2\n"
        "  cset x0, lt\n"
        "  add x0, x0, x19, lsl #4\n"
        "  ldr x19, [sp, #16]\n"
        "  ldp x29, x30, [sp], #32\n"
        "  ret\n"
        ".global chain_ret\n"
        "chain_ret:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmn x0, #7\n"
        "  bl mid\n"
        "  cset x0, gt\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n");

int main(void)
{
    static const long pairs[][2] = {{1, 2}, {2, 2}, {3, 2}, {-5, 7}, {0x7fffffffffffffff, -1}, {0, 0}};
    for (unsigned i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        long a = pairs[i][0], b = pairs[i][1];
        printf("%ld %ld: tail %ld result %ld half %ld/%ld pass %ld rec %ld/%ld late %ld/%ld chain %ld two %ld\n", a, b,
               via_tail(a, b), tail_result(a, b), half_pass(a, b, 0), half_pass(a, b, 1), pass_then_peek(a, b),
               recurse_peek(a, b, 0), recurse_peek(a, b, 3), late_read(a, b, 0), late_read(a, b, 1),
               chain_ret(a, b), through_two(a, b));
    }
    return 0;
}
