/* Computed goto through a table of label differences (&&l - &&base, the
 * position-independent idiom of interpreters): the targets are computed at
 * run time and not recovered offline, so the runtime's JIT translates each
 * on first use. */
#include <stdio.h>

__attribute__((noinline)) static int interp(const unsigned char *code)
{
    static const int ops[] = {&&op_halt - &&op_halt, &&op_inc - &&op_halt, &&op_dbl - &&op_halt,
                              &&op_dec - &&op_halt, &&op_print - &&op_halt};
    int acc = 0;
    const unsigned char *pc = code;
#define NEXT goto *(&&op_halt + ops[*pc++])
    NEXT;
op_inc:
    acc++;
    NEXT;
op_dbl:
    acc *= 2;
    NEXT;
op_dec:
    acc--;
    NEXT;
op_print:
    printf("acc = %d\n", acc);
    NEXT;
op_halt:
    return acc;
}

int main(void)
{
    static const unsigned char prog[] = {1, 1, 2, 4, 2, 2, 3, 4, 1, 4, 0};
    int r = interp(prog);
    printf("result %d\n", r);
    return r == 16 ? 0 : 1;
}
