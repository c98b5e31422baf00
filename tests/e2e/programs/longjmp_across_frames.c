/* longjmp from 11 frames deep back into run(): the translated frames in
 * between unwind, and the dispatcher resumes run() at the return site of
 * its setjmp call (a resume point). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
static jmp_buf env;
__attribute__((noinline)) static void deep(int n) { if (n == 0) longjmp(env, 42); deep(n - 1); printf("never\n"); }
__attribute__((noinline)) static int run(void) {
    volatile int count = 0;
    int r = setjmp(env);
    count++;
    if (r == 0) { deep(10); }
    printf("after longjmp r=%d count=%d\n", r, count);
    return r + count;
}
int main(void) {
    int x = run();
    printf("run -> %d\n", x);
    return x == 44 ? 0 : 1;
}
