/* __builtin_setjmp/__builtin_longjmp: the longjmp lands on a label inside
 * run(), which is neither a function entry nor a call's return site (no
 * resume point): the runtime's JIT translates the code from there. */
#include <stdio.h>

static void *buf[5];
static volatile int depth_reached;

__attribute__((noinline)) static void deep(int n)
{
    depth_reached = n;
    if (n == 0)
        __builtin_longjmp(buf, 1);
    deep(n - 1);
    printf("never\n");
}

__attribute__((noinline)) static int run(int n)
{
    volatile int count = 0;
    if (__builtin_setjmp(buf) == 0) {
        count += 10;
        deep(n);
        return -1;
    }
    count++;
    return count + depth_reached;
}

int main(void)
{
    int total = 0;
    for (int i = 0; i < 3; i++) {
        int r = run(i + 2);
        printf("run(%d) -> %d\n", i + 2, r);
        total += r;
    }
    return total == 33 ? 0 : 1;
}
