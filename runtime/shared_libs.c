/*
 * shared_libs.c - libraries translated into host shared objects of their
 * own (dbt-aot --shared-libs DIR).
 *
 * Such an output embeds only the program: each library of the guest is a
 * DbtObject with `shared` naming DIR/<name>-<key>.so, which holds the
 * library's file and its translation (include/meta.h: DbtLibMeta).  At
 * start-up every one is dlopened (its code calls the runtime's dbt_rt_*
 * hooks, which this executable exports), and the runtime goes on with a
 * copy of the metadata in which the objects have their files and the
 * function table is the program's and the libraries' merged, sorted by
 * guest pc: from then on nothing differs from an output that embeds
 * them.  Their code and access maps are added to codemap.c, so that
 * faults and profiles see them as translated code.
 *
 * A missing or mismatched shared object is fatal, with its path: the
 * output was made for a DIR that must be where it was.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static int by_guest_pc(const void *a, const void *b)
{
    const DbtFnEntry *x = a, *y = b;
    return x->guest_pc < y->guest_pc ? -1 : x->guest_pc > y->guest_pc;
}

/* The executable segment of the loaded object holding ADDR. */
typedef struct CodeSeg {
    uint64_t addr;
    uint64_t lo, hi;
} CodeSeg;

static int find_code_seg(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    CodeSeg *c = arg;
    int mine = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uint64_t a = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && c->addr >= a && c->addr - a < ph->p_memsz)
            mine = 1;
    }
    for (int i = 0; mine && i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            c->lo = info->dlpi_addr + ph->p_vaddr;
            c->hi = c->lo + ph->p_memsz;
        }
    }
    return mine;
}

static const DbtLibMeta *open_library(const DbtMeta *m, const DbtObject *o)
{
    const char *who = m->guest_name ? m->guest_name : "this program";
    void *h = dlopen(o->shared, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL)
        rt_fatal("%s: cannot load the translation of %s: %s", who, o->path, dlerror());
    const DbtLibMeta *lm = dlsym(h, DBT_LIB_META_SYMBOL);
    if (lm == NULL || lm->magic != DBT_META_MAGIC)
        rt_fatal("%s: %s is not a dbt-aot library translation", who, o->shared);
    if (lm->version != DBT_META_VERSION)
        rt_fatal("%s: %s has metadata version %u, this runtime reads %u: re-translate", who, o->shared,
                 lm->version, DBT_META_VERSION);
    if (lm->object.path == NULL || strcmp(lm->object.path, o->path) != 0 || lm->object.bias != o->bias)
        rt_fatal("%s: %s translates %s at 0x%llx, not %s at 0x%llx", who, o->shared,
                 lm->object.path ? lm->object.path : "?", (unsigned long long)lm->object.bias, o->path,
                 (unsigned long long)o->bias);
    char missing[256];
    if (lm->host_level > m->host_level && cpu_check(lm->host_level, missing, sizeof missing) < 0)
        rt_fatal("%s: %s needs CPU features this one lacks: %s", who, o->shared, missing);
    return lm;
}

void shared_libs_load(Runtime *rt)
{
    const DbtMeta *m = rt->meta;
    uint64_t nshared = 0;
    for (uint64_t i = 0; i < m->nobjects; i++)
        nshared += m->objects[i].shared != NULL;
    if (nshared == 0)
        return;
    DbtMeta *nm = malloc(sizeof *nm);
    DbtObject *objs = malloc(m->nobjects * sizeof *objs);
    const DbtLibMeta **libs = calloc(m->nobjects, sizeof *libs);
    if (nm == NULL || objs == NULL || libs == NULL)
        rt_fatal("out of memory loading the translated libraries");
    *nm = *m;
    memcpy(objs, m->objects, m->nobjects * sizeof *objs);
    uint64_t total = m->nfns;
    for (uint64_t i = 0; i < m->nobjects; i++) {
        if (objs[i].shared == NULL)
            continue;
        const DbtLibMeta *lm = libs[i] = open_library(m, &objs[i]);
        objs[i].image = lm->object.image;
        objs[i].size = lm->object.size;
        total += lm->nfns;
        CodeSeg seg = {(uint64_t)lm, 0, 0};
        if (lm->code_start != NULL)
            seg.lo = (uint64_t)lm->code_start, seg.hi = (uint64_t)lm->code_end;
        else
            dl_iterate_phdr(find_code_seg, &seg);
        codemap_add_code((const char *)seg.lo, (const char *)seg.hi, lm->pcmap_start, lm->pcmap_end);
        rt_log(rt, LOG_LOAD, "%s: translation %s, %llu functions", objs[i].path, objs[i].shared,
               (unsigned long long)lm->nfns);
    }
    DbtFnEntry *fns = malloc((total ? total : 1) * sizeof *fns);
    if (fns == NULL)
        rt_fatal("out of memory loading the translated libraries");
    memcpy(fns, m->fns, m->nfns * sizeof *fns);
    uint64_t n = m->nfns;
    for (uint64_t i = 0; i < m->nobjects; i++)
        if (libs[i] != NULL) {
            memcpy(fns + n, libs[i]->fns, libs[i]->nfns * sizeof *fns);
            n += libs[i]->nfns;
        }
    qsort(fns, n, sizeof *fns, by_guest_pc);
    free(libs);
    nm->fns = fns;
    nm->nfns = n;
    nm->objects = objs;
    rt->meta = nm;
}
