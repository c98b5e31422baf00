/* _Float16 arithmetic (FEAT_FP16 scalar instructions) in code that only the
 * JIT fallback translates: the opcodes of this little interpreter are
 * reached through a table of label differences, which offline recovery does
 * not follow.  The JIT's lifted code must bind dbt_rt_f16 (runtime/fp16.c)
 * as the offline translation does.
 *
 * cflags: -march=armv8.2-a+fp16
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint16_t bits16(_Float16 x)
{
    uint16_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

__attribute__((noinline)) static _Float16 interp(const unsigned char *code, _Float16 x)
{
    static const int ops[] = {&&op_halt - &&op_halt, &&op_add - &&op_halt, &&op_mul - &&op_halt,
                              &&op_div - &&op_halt, &&op_sqrt - &&op_halt, &&op_print - &&op_halt};
    _Float16 acc = x;
    const unsigned char *pc = code;
#define NEXT goto *(&&op_halt + ops[*pc++])
    NEXT;
op_add:
    acc = acc + (_Float16)0.1f;
    NEXT;
op_mul:
    acc = acc * (_Float16)1.7f;
    NEXT;
op_div:
    acc = acc / (_Float16)3.0f;
    NEXT;
op_sqrt:
    __asm__("fsqrt %h0, %h0" : "+w"(acc));
    NEXT;
op_print:
    printf("acc = %#06x (%d)\n", bits16(acc), (int)acc);
    NEXT;
op_halt:
    return acc;
}

int main(int argc, char **argv)
{
    (void)argv;
    static const unsigned char prog[] = {1, 2, 5, 3, 5, 4, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5, 0};
    _Float16 r = interp(prog, (_Float16)(argc + 1));
    uint64_t fpsr;
    __asm__ volatile("mrs %0, fpsr" : "=r"(fpsr));
    printf("result %#06x, fpsr %#lx\n", bits16(r), (unsigned long)fpsr);
    return 0;
}
