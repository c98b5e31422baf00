/* GCC nested functions whose address is taken run through a trampoline that
 * the enclosing function writes to its stack frame (and flushes with
 * __clear_cache) at run time: code no offline translation can have.  The
 * runtime's JIT translates it on first use; recursion puts trampolines at
 * several stack addresses, and later calls rewrite the same slots. */
#include <stdio.h>

__attribute__((noinline)) static int apply(int (*f)(int), int x) { return f(x); }

__attribute__((noinline)) static int walk(int depth, int base)
{
    int local = base * 3;
    int inner(int x) { return x + local + depth; }
    int r = apply(inner, depth * 100);
    if (depth > 0)
        r += walk(depth - 1, base + 1);
    return r + apply(inner, 1);
}

int main(void)
{
    long total = 0;
    for (int round = 0; round < 4; round++) {
        int r = walk(5, round);
        printf("round %d: %d\n", round, r);
        total += r;
    }
    printf("total %ld\n", total);
    return total == 6720 ? 0 : 1;
}
