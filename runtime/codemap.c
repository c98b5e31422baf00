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
 * A lookup is a binary search with no allocation and no lock, so it may
 * run inside a signal handler once the map is built.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "runtime.h"

extern const char __dbt_code_start[] __attribute__((visibility("hidden")));
extern const char __dbt_code_end[] __attribute__((visibility("hidden")));

static int cmp_host(const void *a, const void *b)
{
    const CodeMapFn *x = a, *y = b;
    return x->host < y->host ? -1 : x->host > y->host;
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
    return 0;
}

int codemap_in_code(uint64_t host_pc)
{
    return host_pc >= (uint64_t)__dbt_code_start && host_pc < (uint64_t)__dbt_code_end;
}

long codemap_find(const CodeMap *m, uint64_t host_pc)
{
    if (!codemap_in_code(host_pc) || m->n == 0)
        return -1;
    size_t lo = 0, hi = m->n; /* the last entry at or below host_pc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->fns[mid].host <= host_pc)
            lo = mid;
        else
            hi = mid;
    }
    return m->fns[lo].host <= host_pc ? (long)lo : -1;
}
