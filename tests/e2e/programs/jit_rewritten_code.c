/* A guest that writes machine code, runs it, rewrites it in place and runs
 * it again (as a JIT does): the first call is translated by the runtime's
 * JIT, __builtin___clear_cache (DC CVAU + IC IVAU) must drop that
 * translation, or the second call would run the old code. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* movz w0, #imm16; ret */
static void emit(uint32_t *p, unsigned imm)
{
    p[0] = 0x52800000u | (imm & 0xffffu) << 5;
    p[1] = 0xd65f03c0u;
    __builtin___clear_cache((char *)p, (char *)(p + 2));
}

int main(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    int (*fn)(void) = (int (*)(void))code;
    int sum = 0;
    for (unsigned i = 1; i <= 5; i++) {
        emit(code, i * 7);
        int r = fn();
        int again = fn();
        printf("version %u returns %d, %d\n", i, r, again);
        sum += r + again;
    }
    /* Back to an earlier version: reused, not recompiled. */
    emit(code, 7);
    printf("first again: %d\n", fn());
    return sum == 210 ? 0 : 1;
}
