/*
 * codemap.c - which translated guest function a host pc lies in.
 *
 * The output's table of translated functions (DbtMeta.fns) is sorted by
 * guest pc, for the dispatcher.  Two parts of the runtime need the other
 * direction, from an interrupted host pc back to the guest: the sampling
 * profiler (profile.c) and host faults in translated code (signal.c).
 * Both take the host pc of a signal's context; if it lies in the output's
 * translated code (the section .dbt.text, between __dbt_code_start and
 * __dbt_code_end), the function containing it is the last entry at or
 * below it in the same table sorted by host address.
 *
 * Faults also want the guest instruction: the lifter marks every guest
 * memory access with its guest pc, and LLVM lists the host pc of each in
 * the section dbt_pcmap (include/meta.h: DBT_PCMAP_SECTION, unordered); the
 * map keeps them sorted by host pc too (codemap_access_pc).
 *
 * Libraries translated into shared objects of their own (dbt-aot
 * --shared-libs, shared_libs.c) add their code and access maps with
 * codemap_add_code at start-up.
 *
 * A lookup is a binary search with no allocation and no lock, so it may
 * run inside a signal handler once the map is built.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

extern const char __dbt_code_start[] __attribute__((visibility("hidden")));
extern const char __dbt_code_end[] __attribute__((visibility("hidden")));
extern const char __dbt_pcmap_start[] __attribute__((visibility("hidden")));
extern const char __dbt_pcmap_end[] __attribute__((visibility("hidden")));

static int cmp_host(const void *a, const void *b)
{
    const CodeMapFn *x = a, *y = b;
    return x->host < y->host ? -1 : x->host > y->host;
}

/* Translated code besides the output's: [lo, hi) and its access map. */
static struct {
    uint64_t lo, hi;
    const char *pcmap, *pcmap_end;
} extra[RT_MAX_OBJECTS];
static unsigned nextra;

void codemap_add_code(const char *lo, const char *hi, const char *pcmap, const char *pcmap_end)
{
    if (nextra < RT_MAX_OBJECTS)
        extra[nextra++] = (typeof(extra[0])){(uint64_t)lo, (uint64_t)hi, pcmap, pcmap_end};
}

/* One access of the map (meta.h: dbt_pcmap_walk), appended to M->pcs. */
static void add_pc(uint64_t host, uint64_t guest, void *arg)
{
    CodeMap *m = arg;
    m->pcs[m->npcs++] = (CodeMapFn){host, guest};
}

static void read_pcmap(CodeMap *m, const char *start, const char *end)
{
    dbt_pcmap_walk((const uint8_t *)start, (uint64_t)(end - start), (uint64_t)(uintptr_t)start, add_pc, m);
}

int codemap_build(CodeMap *m, const DbtMeta *meta)
{
    m->n = 0;
    m->fns = calloc(meta->nfns ? meta->nfns : 1, sizeof *m->fns);
    if (m->fns == NULL)
        return -1;
    for (size_t i = 0; i < meta->nfns; i++)
        m->fns[i] = (CodeMapFn){(uint64_t)(uintptr_t)meta->fns[i].fn, meta->fns[i].guest_pc};
    m->n = meta->nfns;
    qsort(m->fns, m->n, sizeof *m->fns, cmp_host);

    /* At most one entry per 4 bytes of each map. */
    size_t words = (size_t)(__dbt_pcmap_end - __dbt_pcmap_start) / 4;
    for (unsigned i = 0; i < nextra; i++)
        words += (size_t)(extra[i].pcmap_end - extra[i].pcmap) / 4;
    m->npcs = 0;
    m->pcs = calloc(words ? words : 1, sizeof *m->pcs);
    if (m->pcs == NULL)
        return -1;
    read_pcmap(m, __dbt_pcmap_start, __dbt_pcmap_end);
    for (unsigned i = 0; i < nextra; i++)
        read_pcmap(m, extra[i].pcmap, extra[i].pcmap_end);
    qsort(m->pcs, m->npcs, sizeof *m->pcs, cmp_host);
    return 0;
}

int codemap_in_code(uint64_t host_pc)
{
    if (host_pc >= (uint64_t)__dbt_code_start && host_pc < (uint64_t)__dbt_code_end)
        return 1;
    for (unsigned i = 0; i < nextra; i++)
        if (host_pc >= extra[i].lo && host_pc < extra[i].hi)
            return 1;
    return 0;
}

/* The number of entries of V[0..N) (sorted by host) at or below HOST_PC. */
static size_t count_at_or_below(const CodeMapFn *v, size_t n, uint64_t host_pc)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].host <= host_pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long codemap_find(const CodeMap *m, uint64_t host_pc)
{
    if (!codemap_in_code(host_pc))
        return -1;
    size_t k = count_at_or_below(m->fns, m->n, host_pc); /* the last entry at or below host_pc */
    return k > 0 ? (long)k - 1 : -1;
}

uint64_t codemap_access_pc(const CodeMap *m, uint64_t host_pc)
{
    size_t k = count_at_or_below(m->pcs, m->npcs, host_pc);
    return k > 0 && m->pcs[k - 1].host == host_pc ? m->pcs[k - 1].guest : 0;
}
