/*
 * setjmp_loop.c - longjmp out of a recursion back to a setjmp in main,
 * five times.  The setjmp's return site is a landing (lifter.h): the
 * longjmp lands in main's frame.  tests/e2e/stripped.sh also runs the
 * stripped build with the JIT absent: without a symbol, glibc's setjmp
 * is recognized by its code (aot/cfg.c: setjmp_shape).
 */
#include <setjmp.h>
#include <stdio.h>
static jmp_buf env;
static volatile int depth_reached;
__attribute__((noinline)) static void deep(int n)
{
    if (n == 0)
        longjmp(env, 7);
    depth_reached = n;
    deep(n - 1);
}
int main(void)
{
    int total = 0;
    for (int i = 0; i < 5; i++) {
        int r = setjmp(env);
        if (r == 0)
            deep(i + 3);
        total += r;
    }
    printf("total %d\n", total);
    return 0;
}
