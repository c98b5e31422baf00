/*
 * objcache.c - the cache of translated shared objects (objcache.h).
 */
#define _GNU_SOURCE
#include "objcache.h"

#include "cachedir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The translator's identity: a hash of its own bytes (lifter, pipeline,
 * runtime contract); false if unreadable. */
static bool hash_tool(ObjCache *c)
{
    Hash h;
    hash_init(&h);
    if (hash_file(&h, "/proc/self/exe") != 0)
        return false;
    c->tool[0] = h.h[0];
    c->tool[1] = h.h[1];
    return true;
}

void objcache_init(ObjCache *c, const char *dir)
{
    memset(c, 0, sizeof *c);
    /* Keys are made with the cache off too (dbt-aot --shared-libs names
     * shared objects by them). */
    if (!hash_tool(c))
        return;
    c->on = cachedir_find(dir, c->dir, sizeof c->dir);
}

void objcache_key(const ObjCache *c, const GuestImage *img, int opt_level, const char *cpu_level,
                  const Profile *prof, unsigned variant, const unsigned char bind_on[BIND_COUNT], char key[33])
{
    Hash h;
    hash_init(&h);
    hash_u64(&h, c->tool[0]);
    hash_u64(&h, c->tool[1]);
    hash_u64(&h, img->size);
    hash_bytes(&h, img->file ? img->file : img->data, img->size);
    hash_u64(&h, img->bias);
    hash_u64(&h, (uint64_t)opt_level);
    hash_u64(&h, variant);
    hash_bytes(&h, bind_on, BIND_COUNT);
    hash_bytes(&h, cpu_level, strlen(cpu_level) + 1);
    hash_u64(&h, prof ? prof->n : 0);
    if (prof != NULL && prof->n)
        hash_bytes(&h, prof->entries, prof->n * sizeof *prof->entries);
    hash_hex(&h, key);
}

size_t objcache_units(const ObjCache *c, const char *key)
{
    if (!c->on)
        return 0;
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s/units", c->dir, key);
    FILE *f = fopen(p, "r");
    if (f == NULL)
        return 0;
    unsigned long n = 0;
    if (fscanf(f, "%lu", &n) != 1)
        n = 0;
    fclose(f);
    for (size_t k = 0; k < n; k++) {
        char u[PATH_MAX + 64];
        objcache_unit_path(c, key, k, u, sizeof u);
        if (access(u, R_OK) != 0)
            return 0;
    }
    snprintf(p, sizeof p, "%s/%s", c->dir, key);
    utimes(p, NULL);   /* used now: the last to be evicted */
    return n;
}

void objcache_unit_path(const ObjCache *c, const char *key, size_t k, char *out, size_t n)
{
    snprintf(out, n, "%s/%s/unit%zu.o", c->dir, key, k);
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[1 << 16];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    if (n < 0 || close(out) != 0)
        rc = -1;
    close(in);
    return rc;
}

/* One entry, for listing and eviction. */
typedef struct Entry {
    char key[64];
    uint64_t bytes;
    time_t used;
    size_t units;
} Entry;

static uint64_t entry_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char p[PATH_MAX * 2];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    return total;
}

/* Is NAME an entry's key (32 hex digits)?  Temporary directories start
 * with a dot, and dbt-run's programs/ shares the directory. */
static bool is_key(const char *name)
{
    return strlen(name) == 32 && strspn(name, "0123456789abcdef") == 32;
}

/* The complete entries. */
static Entry *list_entries(const ObjCache *c, size_t *n)
{
    *n = 0;
    DIR *d = opendir(c->dir);
    if (d == NULL)
        return NULL;
    Entry *v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_key(e->d_name))
            continue;
        char p[PATH_MAX + 128];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", c->dir, e->d_name);
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (*n == cap) {
            Entry *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
            if (nv == NULL)
                break;
            v = nv;
        }
        Entry *en = &v[(*n)++];
        snprintf(en->key, sizeof en->key, "%s", e->d_name);
        en->bytes = entry_bytes(p);
        en->used = st.st_mtime;
        en->units = 0;
        snprintf(p, sizeof p, "%s/%s/units", c->dir, e->d_name);
        FILE *f = fopen(p, "r");
        if (f != NULL) {
            unsigned long u = 0;
            if (fscanf(f, "%lu", &u) == 1)
                en->units = u;
            fclose(f);
        }
    }
    closedir(d);
    return v;
}

static int by_use(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    return x->used < y->used ? -1 : x->used > y->used;
}

static void remove_entry(const ObjCache *c, const char *key)
{
    char dir[PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/%s", c->dir, key);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char p[PATH_MAX * 2];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Least recently used entries go until the cache fits its bound. */
static void evict(const ObjCache *c, const char *keep)
{
    const char *max = getenv("DBT_AOT_CACHE_MAX_MB");
    uint64_t limit = (max && *max ? strtoull(max, NULL, 10) : 4096) << 20;
    size_t n;
    Entry *v = list_entries(c, &n);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].bytes;
    qsort(v, n, sizeof *v, by_use);
    for (size_t i = 0; i < n && total > limit; i++) {
        if (strcmp(v[i].key, keep) == 0)
            continue;
        remove_entry(c, v[i].key);
        total -= v[i].bytes;
    }
    free(v);
}

int objcache_info(const ObjCache *c, FILE *f)
{
    if (!c->on)
        return -1;
    size_t n;
    Entry *v = list_entries(c, &n);
    qsort(v, n, sizeof *v, by_use);
    uint64_t total = 0;
    fprintf(f, "cache %s: %zu entries\n", c->dir, n);
    for (size_t i = n; i-- > 0;) {
        char p[PATH_MAX + 128], name[PATH_MAX * 2] = "?";
        snprintf(p, sizeof p, "%s/%s/name", c->dir, v[i].key);
        FILE *nf = fopen(p, "r");
        if (nf != NULL) {
            if (fgets(name, sizeof name, nf) != NULL)
                name[strcspn(name, "\n")] = '\0';
            fclose(nf);
        }
        char when[32];
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&v[i].used));
        fprintf(f, "  %s  %4zu units %8.1f MB  used %s  %s\n", v[i].key, v[i].units, v[i].bytes / 1e6, when,
                name);
        total += v[i].bytes;
    }
    fprintf(f, "total %.1f MB (bound: DBT_AOT_CACHE_MAX_MB, default 4096)\n", total / 1e6);
    free(v);
    return 0;
}

void objcache_store(const ObjCache *c, const char *key, const char *name, const char *const *objs, size_t n)
{
    if (!c->on)
        return;
    char tmp[PATH_MAX + 64], final[PATH_MAX + 64], p[PATH_MAX + 96];
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-XXXXXX", c->dir, key);
    if (mkdtemp(tmp) == NULL)
        return;
    int ok = 1;
    for (size_t k = 0; ok && k < n; k++) {
        snprintf(p, sizeof p, "%s/unit%zu.o", tmp, k);
        ok = copy_file(objs[k], p) == 0;
    }
    snprintf(p, sizeof p, "%s/name", tmp);
    FILE *f = ok ? fopen(p, "w") : NULL;
    ok = f != NULL && fprintf(f, "%s\n", name) > 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    snprintf(p, sizeof p, "%s/units", tmp);
    f = ok ? fopen(p, "w") : NULL;
    ok = f != NULL && fprintf(f, "%zu\n", n) > 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    snprintf(final, sizeof final, "%s/%s", c->dir, key);
    if (ok && rename(tmp, final) == 0) {
        evict(c, key);
        return;
    }
    /* Failed, or another translator stored it first: drop ours. */
    for (size_t k = 0; k < n; k++) {
        snprintf(p, sizeof p, "%s/unit%zu.o", tmp, k);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/units", tmp);
    unlink(p);
    snprintf(p, sizeof p, "%s/name", tmp);
    unlink(p);
    rmdir(tmp);
}
