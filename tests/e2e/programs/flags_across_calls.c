/*
 * flags_across_calls.c - NZCV as a real machine shows it on both sides of
 * a BL and a BLR, outside any loop.
 *
 * AAPCS64 passes nothing in NZCV, so a translator is tempted to leave the
 * flags out of the state it writes back before a call when its caller
 * does not read them afterwards.  A callee that reads them first (not as
 * the ABI promises, but as hand-written code may) then sees older flags
 * than the machine gives.  Session 17 measured that shortcut (3-7% on
 * call-heavy code) and dropped it for this reason; since session 20 the
 * stores are left out only where aot/cfg_flags.c proves no one reads the
 * flags, and this program checks that it sees these four (more in
 * flags_interprocedural.c).  loop_call_registers.c covers registers set
 * before a loop, which sync.c stores once on the edge into it - not this
 * case.
 *
 * Four ways the flags cross a call: the callee reads the caller's flags
 * (direct and through a pointer), the callee sets flags that its caller
 * reads after the return, and a callee that leaves the flags alone while
 * its caller reads its own flags after the return.
 */
#include <stdio.h>

long read_after_cmp(long a, long b);          /* cmp a, b; bl peek_flags */
long read_after_cmp_blr(long a, long b);      /* cmp a, b; blr peek_flags */
long flags_from_callee(long a, long b);       /* bl set_flags (cmp a, b); cset */
long flags_through_callee(long a, long b);    /* cmp a, b; bl leave_flags; cset */

__asm__(".text\n"
        "peek_flags:\n" /* X0 = NZCV >> 28 */
        "  mrs x0, nzcv\n"
        "  lsr x0, x0, #28\n"
        "  ret\n"
        "set_flags:\n" /* NZCV of X0 - X1 */
        "  cmp x0, x1\n"
        "  ret\n"
        "leave_flags:\n" /* X0 = X0 * 3 + X1, NZCV untouched */
        "  add x0, x0, x0, lsl #1\n"
        "  add x0, x0, x1\n"
        "  ret\n"
        ".global read_after_cmp\n"
        "read_after_cmp:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl peek_flags\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global read_after_cmp_blr\n"
        "read_after_cmp_blr:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  adr x2, peek_flags\n"
        "  cmp x0, x1\n"
        "  blr x2\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global flags_from_callee\n"
        "flags_from_callee:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmn x0, #1\n" /* flags the callee replaces */
        "  bl set_flags\n"
        "  cset x0, lt\n"
        "  cset x1, hi\n"
        "  add x0, x0, x1, lsl #1\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".global flags_through_callee\n"
        "flags_through_callee:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  cmp x0, x1\n"
        "  bl leave_flags\n"
        "  cset x1, lt\n"
        "  cset x2, eq\n"
        "  add x0, x0, x1, lsl #8\n"
        "  add x0, x0, x2, lsl #9\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n");

int main(void)
{
    static const long pairs[][2] = {{1, 2}, {2, 2}, {3, 2}, {-5, 7}, {0x7fffffffffffffff, -1}, {0, 0}};
    for (unsigned i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        long a = pairs[i][0], b = pairs[i][1];
        printf("%ld %ld: bl %ld blr %ld from callee %ld through callee %ld\n", a, b, read_after_cmp(a, b),
               read_after_cmp_blr(a, b), flags_from_callee(a, b), flags_through_callee(a, b));
    }
    return 0;
}
