/*
 * flags_loop_header.c - NZCV at the top of loops whose header calls.
 *
 * At a loop header the safe point may leave through the CpuState, so the
 * flags would have to be computed on every iteration for that way out;
 * where no path from the header reads them before setting all four, the
 * lifter makes them undefined there instead (aot/cfg_flags.c:
 * flagfree_headers, session 23).  These loops read flags set before the
 * header - before the loop or in the previous iteration - only after a
 * call at the header, so the header's own block shows no read: only the
 * whole function's liveness, through the callee, keeps them.  One loop
 * (count_calls) has them dead, as tests/bench/calls.c does, and must
 * give the same answer with them undefined.
 */
#include <stdio.h>

long carry_over(long n);      /* cmp before the loop; bl; cinc (reads); subs; b.ne */
long read_late(long n, long k); /* bl at the header; the read two blocks later */
long count_calls(long n);     /* bl; cmp; b.gt: dead at the header */

__asm__(".text\n"
        "keep_flags:\n" /* X0 = X0 * 5 + 1, NZCV untouched */
        "  add x0, x0, x0, lsl #2\n"
        "  add x0, x0, #1\n"
        "  ret\n"
        ".global carry_over\n"
        "carry_over:\n"
        "  stp x29, x30, [sp, #-32]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  mov x19, x0\n"
        "  mov x20, #0\n"
        "  cmp x19, #3\n" /* the first iteration reads this */
        "1:\n"
        "  bl keep_flags\n"
        "  cinc x20, x20, gt\n"
        "  subs x19, x19, #1\n" /* the next iteration reads this */
        "  b.ne 1b\n"
        "  add x0, x0, x20, lsl #32\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x29, x30, [sp], #32\n"
        "  ret\n"
        ".global read_late\n"
        "read_late:\n"
        "  stp x29, x30, [sp, #-32]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  mov x19, x0\n"
        "  mov x20, x1\n"
        "  adds x0, x19, x20\n" /* V and C matter below */
        "2:\n"
        "  bl keep_flags\n"
        "  cbz x19, 4f\n"
        "  b.vs 3f\n"
        "  adc x0, x0, x20\n"
        "3:\n"
        "  sub x19, x19, #1\n"
        "  cmp x19, #2\n" /* sets all four for the next iteration */
        "  b 2b\n"
        "4:\n"
        "  csinc x0, x0, x0, hs\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x29, x30, [sp], #32\n"
        "  ret\n"
        ".global count_calls\n"
        "count_calls:\n"
        "  stp x29, x30, [sp, #-32]!\n"
        "  str x19, [sp, #16]\n"
        "  mov x19, x0\n"
        "  mov x0, #7\n"
        "5:\n"
        "  bl keep_flags\n"
        "  subs x19, x19, #1\n"
        "  b.gt 5b\n"
        "  ldr x19, [sp, #16]\n"
        "  ldp x29, x30, [sp], #32\n"
        "  ret\n");

int main(void)
{
    static const long ns[] = {1, 2, 3, 4, 9};
    static const long ks[] = {0, 1, -1, 0x7fffffffffffffff, -0x7fffffffffffffff - 1};
    for (unsigned i = 0; i < sizeof ns / sizeof *ns; i++) {
        printf("carry_over(%ld) = %#lx\n", ns[i], (unsigned long)carry_over(ns[i]));
        printf("count_calls(%ld) = %#lx\n", ns[i], (unsigned long)count_calls(ns[i]));
        for (unsigned j = 0; j < sizeof ks / sizeof *ks; j++)
            printf("read_late(%ld, %ld) = %#lx\n", ns[i], ks[j], (unsigned long)read_late(ns[i], ks[j]));
    }
    return 0;
}
