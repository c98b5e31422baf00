/*
 * fixed_over.c - libplug.so (translated ahead of time: dynamic/run.sh
 * passes --recorded) is dlopened and called; then, with the library still
 * loaded, a MAP_FIXED anonymous mapping replaces the page of plug_scale
 * and new code is written there: calling it must run the new code
 * (mov w0, #7), not the library's old translation (43).
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
    void *h = dlopen("libplug.so", RTLD_NOW);
    if (!h) {
        puts("dlopen failed");
        return 1;
    }
    int (*scale)(int) = (int (*)(int))dlsym(h, "plug_scale");
    int before = scale(14);
    uintptr_t page = (uintptr_t)scale & ~(uintptr_t)4095;
    uint32_t *p = mmap((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                       -1, 0);
    if (p == MAP_FAILED) {
        puts("mmap failed");
        return 1;
    }
    uint32_t *f = (uint32_t *)(uintptr_t)scale;
    f[0] = 0x528000e0; /* mov w0, #7 */
    f[1] = 0xd65f03c0; /* ret */
    __builtin___clear_cache((char *)f, (char *)(f + 2));
    int after = ((int (*)(int))f)(14);
    printf("%d %d\n", before, after);
    fflush(stdout);
    _exit(0);   /* the library's other code on that page is gone: no dlclose, no atexit */
}
