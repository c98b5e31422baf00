/* __builtin_trap() is BRK #1000 on AArch64: death by SIGTRAP. */
#include <stdio.h>
int main(void)
{
    printf("before\n");
    fflush(stdout);
    __builtin_trap();
}
