/*
 * dlclose_reuse.c - libplug.so (translated ahead of time: dynamic/run.sh
 * passes --recorded) is dlopened, called, dlclosed; then new code is
 * written at the address where plug_scale was and called: it must run the
 * new code (mov w0, #7), not the old translation (43).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>
int main(void) {
  void *h = dlopen("libplug.so", RTLD_NOW);
  if (!h) { puts("dlopen failed"); return 1; }
  int (*scale)(int) = (int (*)(int))dlsym(h, "plug_scale");
  int before = scale(14);
  uintptr_t page = (uintptr_t)scale & ~(uintptr_t)4095;
  dlclose(h);
  uint32_t *p = mmap((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) { puts("mmap failed"); return 1; }
  uint32_t *f = (uint32_t *)((uintptr_t)scale);
  f[0] = 0x528000e0; /* mov w0, #7 */
  f[1] = 0xd65f03c0; /* ret */
  __builtin___clear_cache((char *)f, (char *)(f + 2));
  int after = ((int (*)(int))f)(14);
  char out[64]; int n = 0;
  out[n++] = '0' + before / 10; out[n++] = '0' + before % 10; out[n++] = ' '; out[n++] = '0' + after; out[n++] = '\n';
  fwrite(out, 1, n, stdout);
  return 0;
}
