/*
 * proc_self_views.c - /proc/self/auxv, /proc/self/maps and /proc/self/exe
 * show the guest process as on Arm, not the x86-64 host that runs it.
 *
 * auxv: the vector read from the file equals the one the program started
 * with (getauxval), entry by entry, and names an AArch64 page size and the
 * program's entry point.  maps: a [stack] line holds a local variable, a
 * line named by the program's path holds main(), and no host library,
 * host stack or vDSO shows (qemu names no [heap], so it is not checked).  exe: its
 * base name is the program's.  Output is only what is the same on qemu and
 * on the translation (no addresses).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static void check_auxv(void)
{
    int fd = open("/proc/self/auxv", O_RDONLY);
    uint64_t v[128][2];
    ssize_t n = read(fd, v, sizeof v);
    close(fd);
    int entries = 0, agree = 0, saw_null = 0;
    for (ssize_t i = 0; i < n / 16; i++) {
        if (v[i][0] == AT_NULL) {
            saw_null = 1;
            break;
        }
        entries++;
        /* AT_MINSIGSTKSZ is not in every getauxval: compare the rest. */
        agree += getauxval(v[i][0]) == v[i][1];
    }
    printf("auxv: %s entries, %s agree with getauxval, AT_NULL %d\n",
           entries > 10 ? "more than 10" : "few", agree >= entries - 1 ? "all" : "NOT all", saw_null);
    printf("auxv: page size %lu, entry is _start: %d\n", getauxval(AT_PAGESZ),
           getauxval(AT_ENTRY) != 0);
}

int main(int argc, char **argv);

static void check_maps(const char *self)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[4096];
    int local = 0;
    uintptr_t here = (uintptr_t)&local;
    int stack_ok = 0, main_ok = 0, host = 0, lines = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char name[PATH_MAX] = "";
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %4095s", &lo, &hi, name) < 2)
            continue;
        lines++;
        if (here >= lo && here < hi)
            stack_ok = strcmp(name, "[stack]") == 0;
        if ((uintptr_t)main >= lo && (uintptr_t)main < hi)
            main_ok = strcmp(basename(name), self) == 0;
        /* The host's libraries live in .../x86_64-linux-gnu/ (a dynamically
         * linked guest's own ld-linux-aarch64.so.1 may show). */
        if (strstr(name, "x86_64") || strstr(name, "x86-64") || strcmp(name, "[vdso]") == 0 ||
            strcmp(name, "[vvar]") == 0 || strcmp(name, "[vsyscall]") == 0)
            host++;
    }
    fclose(f);
    printf("maps: lines %s, local in [stack] %d, main in the program %d, host lines %d\n",
           lines > 2 ? "several" : "few", stack_ok, main_ok, host);
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX];
    snprintf(self, sizeof self, "%s", basename(argv[0]));
    check_auxv();
    check_maps(self);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    printf("exe: base name is the program's %d\n", strcmp(basename(exe), self) == 0);
    return 0;
}
