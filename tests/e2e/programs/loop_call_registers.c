/*
 * loop_call_registers.c - what a callee sees of its caller's registers
 * when the caller set them before a loop that calls it.
 *
 * lifter/sync.c stores such registers once, on the edge into the loop,
 * instead of before every call in it (flush_before_loops).  Here the
 * callee reads X19-X26 and NZCV directly (not as the ABI promises, but as
 * a real machine shows them), the caller's loop is hand-written so that
 * the registers stay where they are, and one callee breaks the ABI by
 * changing X21 and NZCV, which the caller then goes on using.  Three loop
 * shapes: a call on every path, a call on every other iteration only (the
 * registers stay dirty on the path without one), and a loop whose callee
 * changes a register the caller keeps using.
 */
#include <stdio.h>

long peek(void);
long peek_and_clobber(void);
long loop_every(long n);
long loop_every_other(long n);
long loop_clobbered(long n);

__asm__(".text\n"
        ".global peek\n"
        "peek:\n" /* X19 + 3 X20 + 5 X21 + ... + 15 X26, plus NZCV >> 28 times 1000 */
        "  mov x0, x19\n"
        "  add x0, x0, x20, lsl #1\n"
        "  add x0, x0, x20\n"
        "  mov x1, #5\n"
        "  madd x0, x21, x1, x0\n"
        "  mov x1, #7\n"
        "  madd x0, x22, x1, x0\n"
        "  mov x1, #9\n"
        "  madd x0, x23, x1, x0\n"
        "  mov x1, #11\n"
        "  madd x0, x24, x1, x0\n"
        "  mov x1, #13\n"
        "  madd x0, x25, x1, x0\n"
        "  mov x1, #15\n"
        "  madd x0, x26, x1, x0\n"
        "  mrs x1, nzcv\n"
        "  lsr x1, x1, #28\n"
        "  mov x2, #1000\n"
        "  madd x0, x1, x2, x0\n"
        "  ret\n"
        ".global peek_and_clobber\n"
        "peek_and_clobber:\n" /* as peek, then X21 += 1 and NZCV = Z */
        "  mov x9, x30\n"
        "  bl peek\n"
        "  mov x30, x9\n"
        "  add x21, x21, #1\n"
        "  cmp x21, x21\n"
        "  ret\n"
        /* The loops: X19-X26 and NZCV set before the loop, X27 the sum,
         * X28 the count; callee-saved registers saved in the frame. */
        ".macro prologue\n"
        "  stp x29, x30, [sp, #-96]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n"
        "  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n"
        "  mov x28, x0\n"
        "  mov x27, #0\n"
        "  mov x19, #1\n"
        "  mov x20, #20\n"
        "  mov x21, #300\n"
        "  movz x22, #0x4000, lsl #16\n"
        "  mov x23, #-5\n"
        "  mov x24, #77\n"
        "  mov x25, #123\n"
        "  mov x26, #9\n"
        "  cmp x19, x20\n" /* N set (1 - 20 < 0) */
        ".endm\n"
        ".macro epilogue\n"
        "  mov x0, x27\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n"
        "  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n"
        "  ldp x29, x30, [sp], #96\n"
        "  ret\n"
        ".endm\n"
        ".global loop_every\n"
        "loop_every:\n"
        "  prologue\n"
        "  cbz x28, 2f\n"
        "1:\n"
        "  bl peek\n"
        "  add x27, x27, x0\n"
        "  sub x28, x28, #1\n"
        "  cbnz x28, 1b\n"
        "2:\n"
        "  epilogue\n"
        ".global loop_every_other\n"
        "loop_every_other:\n"
        "  prologue\n"
        "  cbz x28, 2f\n"
        "1:\n"
        "  tbz x28, #0, 3f\n"
        "  bl peek\n"
        "  add x27, x27, x0\n"
        "3:\n"
        "  add x27, x27, x19\n"
        "  sub x28, x28, #1\n"
        "  cbnz x28, 1b\n"
        "2:\n"
        "  epilogue\n"
        ".global loop_clobbered\n"
        "loop_clobbered:\n"
        "  prologue\n"
        "  cbz x28, 2f\n"
        "1:\n"
        "  bl peek_and_clobber\n"
        "  add x27, x27, x0\n"
        "  add x27, x27, x21\n"
        "  cset x0, eq\n"
        "  add x27, x27, x0\n"
        "  sub x28, x28, #1\n"
        "  cbnz x28, 1b\n"
        "2:\n"
        "  epilogue\n");

int main(void)
{
    printf("every %ld\n", loop_every(10));
    printf("every other %ld\n", loop_every_other(11));
    printf("clobbered %ld\n", loop_clobbered(12));
    printf("none %ld %ld\n", loop_every(0), loop_clobbered(0));
    return 0;
}
