/* An undefined instruction kills the process by SIGILL, as on an Arm CPU
 * (no handler installed). */
#include <stdio.h>
int main(void)
{
    printf("before\n");
    fflush(stdout);
    __asm__ volatile(".inst 0x00000000"); /* UDF #0 */
    printf("after\n");
    return 0;
}
