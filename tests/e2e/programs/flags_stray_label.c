/*
 * flags_stray_label.c - a word of data that happens to equal the address
 * of a block inside a function, a block that reads the flags, next to a
 * tail call through a pointer somewhere else in the program.
 *
 * aot/cfg_flags.c treats code addresses stored in the image that are no
 * function entries as labels a BR might jump to.  It used to let any
 * such label count for every BR whose targets it did not know, so one
 * stray word (python's Unicode tables hold values that equal addresses
 * in _PyUnicode_ToNumeric) made every tail call through a pointer "may
 * read the flags" and turned the analysis off for the whole image: every
 * call stored the flags.  Now a label counts for the BRs of its own
 * function.  This program must still print what qemu prints - the
 * conditional branch at the stray address reads flags its own function
 * set - and tests/e2e/cli.sh checks that its translation keeps calls
 * free of flag stores.
 */
#include <stdio.h>

long compare3(long a, long b);    /* -1, 0, 1; `.Lstray` is its second block */
long tail_through(long a, long b); /* a tail call through `target` */
long (*target)(long, long) = compare3;
long (*volatile call_me)(long, long) = tail_through;
extern const unsigned long stray_word;

__asm__(".text\n"
        ".globl compare3\n"
        ".type compare3, %function\n"
        "compare3:\n"
        "  cmp x0, x1\n"
        "  b.eq 1f\n"
        ".Lstray:\n"
        "  b.lt 2f\n"
        "  mov x0, #1\n"
        "  ret\n"
        "1:\n"
        "  mov x0, #0\n"
        "  ret\n"
        "2:\n"
        "  mov x0, #-1\n"
        "  ret\n"
        ".size compare3, .-compare3\n"
        ".globl tail_through\n"
        ".type tail_through, %function\n"
        "tail_through:\n"
        "  adrp x16, target\n"
        "  ldr x16, [x16, :lo12:target]\n"
        "  br x16\n"
        ".size tail_through, .-tail_through\n"
        ".data\n"
        ".balign 8\n"
        ".globl stray_word\n"
        "stray_word:\n"
        "  .quad .Lstray\n"
        ".text\n");

static long __attribute__((noinline)) mix(long x, long y) { return x * 3 - y; }

int main(int argc, char **argv)
{
    long sum = 0;
    for (long i = -3; i <= 3; i++)
        for (long j = -2; j <= 2; j++) {
            long c = call_me(i, j);
            sum = mix(sum, c + 2);
            printf("%ld %ld: %ld\n", i, j, c);
        }
    printf("sum %ld, stray word %s\n", sum, stray_word != 0 ? "set" : "zero");
    return argc > 5;
}
