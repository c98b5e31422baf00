/* BRs whose targets control-flow recovery reads from a table, where what
 * the table gives at translation time is not the whole truth at run time
 * (aot/cfg_jumptable.c; lifter.c: lift_indirect_jump).  Each must land
 * exactly where the guest would:
 *   abs_goto   a table of absolute label addresses in .data.rel.ro (RELRO
 *              in a PIE: relocated, then read-only);
 *   data_goto  the same in .data, rotated by main between rounds: the BR
 *              follows the entries as they are when it runs;
 *   sum_goto   a GCC-style table of byte offsets from a base register
 *              (ldrb + add sxtb #2) whose base is written on two paths
 *              (ADR, or the caller's value), so the analysis guesses it
 *              from the last write in address order: called with another
 *              base, the BR goes to addresses the guess did not predict.
 * Each case is two instructions, so label + 8 is the next label, and each
 * label adds a different amount.  (Session 26: a switch on the table slot
 * for tables that never change was built on this program and dropped -
 * no gain; a translation that trusted a writable table or the guessed
 * base failed it.) */
#include <stdio.h>

long abs_goto(long index);
long data_goto(long index);
long sum_goto(long index, long alt, const void *base);
extern const void *data_tbl[8];
extern char sum_anchor[];

#define CASES(p)                                                                              \
    "." p "0: add x3, x3, #1\n  lsl x3, x3, #1\n"                                             \
    "." p "1: add x3, x3, #2\n  lsl x3, x3, #1\n"                                             \
    "." p "2: add x3, x3, #3\n  lsl x3, x3, #1\n"                                             \
    "." p "3: add x3, x3, #4\n  lsl x3, x3, #1\n"                                             \
    "." p "4: add x3, x3, #5\n  lsl x3, x3, #1\n"                                             \
    "." p "5: add x3, x3, #6\n  lsl x3, x3, #1\n"                                             \
    "." p "6: add x3, x3, #7\n  lsl x3, x3, #1\n"                                             \
    "." p "7: add x3, x3, #8\n  lsl x3, x3, #1\n"                                             \
    "  add x3, x3, #100\n  mov x0, x3\n  ret\n"

#define TABLE(p) \
    "  .quad ." p "5, ." p "0, ." p "7, ." p "2, ." p "6, ." p "1, ." p "3, ." p "4\n"

__asm__(".text\n"
        ".globl abs_goto\n.type abs_goto, %function\n"
        "abs_goto:\n"
        "  mov x3, #0\n"
        "  adrp x2, abs_tbl\n  add x2, x2, :lo12:abs_tbl\n"
        "  ldr x1, [x2, x0, lsl #3]\n"
        "  br x1\n"
        CASES("La")
        ".size abs_goto, .-abs_goto\n"
        ".globl data_goto\n.type data_goto, %function\n"
        "data_goto:\n"
        "  mov x3, #0\n"
        "  adrp x2, data_tbl\n  add x2, x2, :lo12:data_tbl\n"
        "  ldr x1, [x2, x0, lsl #3]\n"
        "  br x1\n"
        CASES("Lb")
        ".size data_goto, .-data_goto\n"
        ".globl sum_goto\n.type sum_goto, %function\n"
        "sum_goto:\n"
        "  mov x3, #0\n"
        "  cbz x1, 1f\n"
        "  mov x5, x2\n"            /* the caller's base */
        "  b 2f\n"
        "1: adr x5, sum_anchor\n"    /* the last write in address order: the guess */
        "2:\n"
        "  .rept 52\n  add x3, x3, #0\n  .endr\n" /* past the 48-word window */
        "  adrp x2, sum_tbl\n  add x2, x2, :lo12:sum_tbl\n"
        "  ldrb w4, [x2, x0]\n"
        "  add x4, x5, w4, sxtb #2\n"
        "  br x4\n"
        ".globl sum_anchor\n"
        "sum_anchor:\n"
        CASES("Lc")
        ".size sum_goto, .-sum_goto\n"
        ".section .data.rel.ro, \"aw\"\n.balign 8\n"
        "abs_tbl:\n" TABLE("La")
        ".data\n.balign 8\n"
        ".globl data_tbl\ndata_tbl:\n" TABLE("Lb")
        ".section .rodata\n"
        "sum_tbl:\n  .byte 10, 0, 14, 4, 12, 2, 6, 8\n"
        ".text\n");

int main(void)
{
    long h = 0;
    for (int round = 0; round < 3; round++) {
        for (long i = 0; i < 8; i++) {
            long a = abs_goto(i), d = data_goto(i), s = sum_goto(i, 0, 0), t = sum_goto(i, 1, sum_anchor + 8);
            printf("%d %ld: abs %ld data %ld sum %ld other-base %ld\n", round, i, a, d, s, t);
            h = h * 31 + a + 3 * d + 5 * s + 7 * t;
        }
        /* The writable table changes between rounds: the BR follows it. */
        const void *first = data_tbl[0];
        for (int k = 0; k < 7; k++)
            data_tbl[k] = data_tbl[k + 1];
        data_tbl[7] = first;
    }
    printf("hash %ld\n", h);
    return 0;
}
