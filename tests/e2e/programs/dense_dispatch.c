/* A BR with many known targets (a table of absolute label addresses, as
 * GCC's computed goto in lua's luaV_execute) is lifted as a map from the
 * guest address to a dense case number and a switch on that number
 * (lifter.c: dense_dispatch).  The same BR also goes, at run time, to
 * addresses the table does not name: inside the span of the targets but
 * between two of them, past the last target, and out of the function (a
 * tail call).  Those must take the slow path (the dispatcher, the JIT)
 * and land exactly where the guest would: each entry point gives a
 * different sum. */
#include <stdio.h>

long dense_goto(long index, const void *target);
long dense_tail(long index, const void *target);
extern const void *const dense_tbl[12];
__asm__(".text\n"
        ".globl dense_goto\n.type dense_goto, %function\n"
        "dense_goto:\n"
        "  mov x3, #0\n"
        "  cbnz x1, .Ldg_go\n"
        "  adrp x2, dense_tbl\n  add x2, x2, :lo12:dense_tbl\n"
        "  ldr x1, [x2, x0, lsl #3]\n"
        ".Ldg_go: br x1\n"
        /* Each label: two instructions, so label + 4 is not a target. */
        ".Ld0: add x3, x3, #1\n  lsl x3, x3, #1\n"
        ".Ld1: add x3, x3, #2\n  lsl x3, x3, #1\n"
        ".Ld2: add x3, x3, #3\n  lsl x3, x3, #1\n"
        ".Ld3: add x3, x3, #4\n  lsl x3, x3, #1\n"
        ".Ld4: add x3, x3, #5\n  lsl x3, x3, #1\n"
        ".Ld5: add x3, x3, #6\n  lsl x3, x3, #1\n"
        ".Ld6: add x3, x3, #7\n  lsl x3, x3, #1\n"
        ".Ld7: add x3, x3, #8\n  lsl x3, x3, #1\n"
        ".Ld8: add x3, x3, #9\n  lsl x3, x3, #1\n"
        ".Ld9: add x3, x3, #10\n  lsl x3, x3, #1\n"
        ".Ld10: add x3, x3, #11\n  lsl x3, x3, #1\n"
        ".Ld11: add x3, x3, #12\n  lsl x3, x3, #1\n"
        "  add x3, x3, #1000\n"
        "  mov x0, x3\n  ret\n"
        ".size dense_goto, .-dense_goto\n"
        ".globl dense_tail\n.type dense_tail, %function\n"
        "dense_tail:\n  mov x0, #-77\n  ret\n"
        ".size dense_tail, .-dense_tail\n"
        ".section .data.rel.ro\n.balign 8\n"
        ".globl dense_tbl\n"
        "dense_tbl: .quad .Ld3, .Ld0, .Ld11, .Ld5, .Ld1, .Ld9, .Ld2, .Ld7, .Ld4, .Ld10, .Ld6, .Ld8\n"
        ".text\n");

int main(void)
{
    long sum = 0;
    /* Every target through the table, twice, in a scrambled order. */
    for (long i = 0; i < 24; i++)
        sum = sum * 3 + dense_goto((i * 7) % 12, 0);
    printf("table: %ld\n", sum);
    /* Addresses the table does not name: between targets (label + 4). */
    const char *lo = dense_tbl[1]; /* .Ld0, the lowest target */
    for (long k = 0; k < 12; k++)
        printf("between %ld: %ld\n", k, dense_goto(0, lo + 8 * k + 4));
    /* Past the last target, still in the function. */
    printf("past: %ld %ld\n", dense_goto(0, lo + 8 * 12), dense_goto(0, lo + 8 * 12 + 4));
    /* Out of the function: a tail call through the same BR. */
    printf("tail: %ld\n", dense_goto(0, (const void *)dense_tail));
    return 0;
}
