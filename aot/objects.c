/*
 * objects.c - the program and the shared objects it needs (objects.h).
 *
 * Search order for a DT_NEEDED name without a slash, as glibc's ld.so for
 * a Debian arm64 system (no LD_LIBRARY_PATH: that is a run-time matter):
 * the needing object's DT_RUNPATH (else DT_RPATH) directories, with
 * $ORIGIN, then /lib/aarch64-linux-gnu, /usr/lib/aarch64-linux-gnu, /lib,
 * /usr/lib - each under the sysroot.  A name already loaded (the same
 * file, or an object with that DT_SONAME) is not loaded twice: libc's
 * DT_NEEDED ld-linux-aarch64.so.1 is the interpreter.
 */
#define _GNU_SOURCE
#include "objects.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "meta.h"
#include "objcache.h"

static const char *const default_dirs[] = {
    "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib", "/usr/lib",
};

/* The base an object is translated for: a slot chosen by a hash of its
 * bytes, so that the same library gets the same base - and the same
 * cached translation (objcache.h) - in every program that needs it; the
 * next free slot if another object of this program has that one. */
static uint64_t object_base(const GuestObjects *o, const uint8_t *data, size_t size)
{
    uint64_t slot = hash_fnv1a(HASH_FNV_START, data, size) % DBT_LIB_SLOTS;
    for (;;) {
        uint64_t base = DBT_LIB_BASE + slot * DBT_LIB_STRIDE;
        bool taken = false;
        for (size_t i = 1; i < o->n && !taken; i++)
            taken = o->imgs[i].bias == base;
        if (!taken)
            return base;
        slot = (slot + 1) % DBT_LIB_SLOTS;
    }
}

/* Add the object at HOST (a file under the sysroot) as GUEST, unless the
 * same file is there already.  Returns its index, or -1 with D set. */
static long add_object(GuestObjects *o, const char *host, const char *guest, Diag *d)
{
    char real[PATH_MAX];
    if (realpath(host, real) == NULL)
        return diag_error(d, "%s: %s", host, strerror(errno));
    for (size_t i = 1; i < o->n; i++)
        if (strcmp(o->files[i], real) == 0)   /* the same file under another name */
            return (long)i;
    GuestImage *imgs = realloc(o->imgs, (o->n + 1) * sizeof *imgs);
    char **paths = realloc(o->paths, (o->n + 1) * sizeof *paths);
    char **files = realloc(o->files, (o->n + 1) * sizeof *files);
    if (imgs != NULL)
        o->imgs = imgs;
    if (paths != NULL)
        o->paths = paths;
    if (files != NULL)
        o->files = files;
    if (imgs == NULL || paths == NULL || files == NULL)
        return diag_error(d, "out of memory");
    uint8_t *data;
    size_t size;
    Diag sub = {0};
    if (elf_read_file(real, &data, &size, &sub) != 0)
        return diag_error(d, "%s: %s", real, sub.msg);
    uint64_t base = object_base(o, data, size);
    int rc = elf_load_mem_at(&o->imgs[o->n], data, size, base, &sub);
    free(data);
    if (rc != 0)
        return diag_error(d, "%s (needed at run time as %s): %s", real, guest, sub.msg);
    const GuestImage *img = &o->imgs[o->n];
    for (size_t k = 0; k < img->nsegs; k++)
        if (img->segs[k].vaddr + img->segs[k].memsz - base > DBT_LIB_STRIDE) {
            elf_free(&o->imgs[o->n]);
            return diag_error(d, "%s: its segments span more than the %llu MiB a library may have", real,
                              (unsigned long long)(DBT_LIB_STRIDE >> 20));
        }
    o->paths[o->n] = strdup(guest);
    o->files[o->n] = strdup(real);
    return (long)o->n++;
}

/* Is NAME the DT_SONAME of an object loaded already? */
static bool have_soname(const GuestObjects *o, const char *name)
{
    for (size_t i = 1; i < o->n; i++)
        if (o->imgs[i].soname != NULL && strcmp(o->imgs[i].soname, name) == 0)
            return true;
    return false;
}

/* The directory of a guest path, for $ORIGIN. */
static void dir_of(const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash == NULL)
        snprintf(out, n, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

/* Try DIR/NAME under the sysroot; 1 found (and added), 0 not there, -1 error. */
static int try_dir(GuestObjects *o, const char *sysroot, const char *dir, const char *name, Diag *d)
{
    char guest[PATH_MAX], host[PATH_MAX * 2];
    snprintf(guest, sizeof guest, "%s/%s", dir, name);
    snprintf(host, sizeof host, "%s%s", sysroot, guest);
    struct stat st;
    if (stat(host, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return add_object(o, host, guest, d) < 0 ? -1 : 1;
}

static int find_needed(GuestObjects *o, size_t from, const char *sysroot, const char *name, Diag *d)
{
    if (have_soname(o, name))
        return 0;
    if (strchr(name, '/') != NULL) {
        char host[PATH_MAX * 2];
        snprintf(host, sizeof host, "%s%s", sysroot, name);
        return add_object(o, host, name, d) < 0 ? -1 : 0;
    }
    const char *runpath = o->imgs[from].runpath;
    if (runpath != NULL) {
        char *copy = strdup(runpath), *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)) {
            char expanded[PATH_MAX];
            if (strncmp(dir, "$ORIGIN", 7) == 0) {
                char origin[PATH_MAX];
                dir_of(o->paths[from], origin, sizeof origin);
                snprintf(expanded, sizeof expanded, "%s%s", origin, dir + 7);
            } else {
                snprintf(expanded, sizeof expanded, "%s", dir);
            }
            int r = try_dir(o, sysroot, expanded, name, d);
            if (r != 0) {
                free(copy);
                return r < 0 ? -1 : 0;
            }
        }
        free(copy);
    }
    for (size_t i = 0; i < sizeof default_dirs / sizeof default_dirs[0]; i++) {
        int r = try_dir(o, sysroot, default_dirs[i], name, d);
        if (r != 0)
            return r < 0 ? -1 : 0;
    }
    return diag_error(d, "%s, needed by %s, is not in the sysroot %s (searched%s%s and the default "
                         "directories /lib/aarch64-linux-gnu, /usr/lib/aarch64-linux-gnu, /lib, /usr/lib)",
                      name, o->paths[from], sysroot, runpath ? " its RUNPATH " : "", runpath ? runpath : "");
}

/* The DT_NEEDED of objects FROM.. and of those they add, breadth-first. */
static int needed_from(GuestObjects *o, size_t from, const char *sysroot, Diag *d)
{
    for (size_t i = from; i < o->n; i++)
        for (size_t k = 0; k < o->imgs[i].nneeded; k++)
            if (find_needed(o, i, sysroot, o->imgs[i].needed[k], d) != 0)
                return -1;
    return 0;
}

/* Libraries a library opens itself with dlopen, by a name it holds: glibc's
 * pthread_cancel, pthread_exit and backtrace load libgcc_s.so.1 for its
 * unwinder (and abort with "libgcc_s.so.1 must be installed for
 * pthread_cancel to work" without it).  Translated ahead of time when the
 * sysroot has them, like a DT_NEEDED; not an error when it has not. */
static const struct {
    const char *by, *loads;
} self_loaded[] = {
    {"libc.so.6", "libgcc_s.so.1"},
};

static int add_self_loaded(GuestObjects *o, const char *sysroot, Diag *d)
{
    for (size_t k = 0; k < sizeof self_loaded / sizeof self_loaded[0]; k++) {
        if (!have_soname(o, self_loaded[k].by) || have_soname(o, self_loaded[k].loads))
            continue;
        for (size_t i = 0; i < sizeof default_dirs / sizeof default_dirs[0]; i++) {
            int r = try_dir(o, sysroot, default_dirs[i], self_loaded[k].loads, d);
            if (r < 0)
                return -1;
            if (r > 0)
                break;
        }
    }
    return 0;
}

/* The guest paths a run recorded (DBT_RECORD, runtime/sys_objects.c), one
 * per line: libraries it opened that were not translated ahead of time. */
static int add_recorded(GuestObjects *o, const char *sysroot, const char *file, Diag *d)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return diag_error(d, "--recorded %s: %s", file, strerror(errno));
    char line[PATH_MAX];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] != '/')
            continue;
        char host[PATH_MAX * 2];
        snprintf(host, sizeof host, "%s%s", sysroot, line);
        if (add_object(o, host, line, d) < 0)
            rc = -1;
    }
    fclose(f);
    return rc;
}

int objects_load(GuestObjects *o, const char *path, const char *sysroot, const char *recorded, Diag *d)
{
    memset(o, 0, sizeof *o);
    o->imgs = calloc(1, sizeof *o->imgs);
    o->paths = calloc(1, sizeof *o->paths);
    o->files = calloc(1, sizeof *o->files);
    if (o->imgs == NULL || o->paths == NULL || o->files == NULL)
        return diag_error(d, "out of memory");
    if (elf_load(&o->imgs[0], path, d) != 0)
        return -1;
    o->paths[0] = strdup(path);
    o->files[0] = strdup(path);
    o->n = 1;
    const GuestImage *prog = &o->imgs[0];
    if (!prog->has_interp)
        return 0;
    if (sysroot == NULL)
        return diag_error(d, "dynamically linked executables need --sysroot DIR: the AArch64 root "
                             "file system where its interpreter %s and libraries are",
                          prog->interp ? prog->interp : "(PT_INTERP)");
    if (prog->interp == NULL || prog->interp[0] != '/')
        return diag_error(d, "bad PT_INTERP");
    char host[PATH_MAX * 2];
    snprintf(host, sizeof host, "%s%s", sysroot, prog->interp);
    if (add_object(o, host, prog->interp, d) < 0)
        return -1;
    if (recorded != NULL && add_recorded(o, sysroot, recorded, d) != 0)
        return -1;
    /* Breadth-first: the program's DT_NEEDED, then theirs (and those of
     * the recorded libraries), then what libraries load themselves (and
     * what that needs). */
    if (needed_from(o, 0, sysroot, d) != 0)
        return -1;
    size_t before = o->n;
    return add_self_loaded(o, sysroot, d) != 0 || needed_from(o, before, sysroot, d) != 0 ? -1 : 0;
}

void objects_free(GuestObjects *o)
{
    for (size_t i = 0; i < o->n; i++) {
        elf_free(&o->imgs[i]);
        free(o->paths[i]);
        free(o->files[i]);
    }
    free(o->imgs);
    free(o->paths);
    free(o->files);
    memset(o, 0, sizeof *o);
}

const GuestImage *objects_at(const GuestObjects *o, uint64_t addr)
{
    for (size_t i = 0; i < o->n; i++) {
        const GuestImage *img = &o->imgs[i];
        for (size_t k = 0; k < img->nsegs; k++)
            if (addr >= img->segs[k].vaddr && addr - img->segs[k].vaddr < img->segs[k].memsz)
                return img;
    }
    return NULL;
}
