/*
 * u64_vec.h - a growable array of 64-bit values (a work list, a list of
 * addresses).  Header-only for the same reason as u64_map.h: the offline
 * tool (aot/cfg.c) and libdbt_jit.so (jit/region.c) both use it.
 *
 *     U64Vec v = {0};
 *     if (!u64vec_push(&v, pc)) ...out of memory...;
 *     while (v.n > 0) use(v.v[--v.n]);
 *     free(v.v);
 */
#ifndef DBT_U64_VEC_H
#define DBT_U64_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct U64Vec {
    uint64_t *v;
    size_t n, cap;
} U64Vec;

/* Appends A; false (and V unchanged) when memory runs out. */
static inline bool u64vec_push(U64Vec *x, uint64_t a)
{
    if (x->n == x->cap) {
        size_t ncap = x->cap ? 2 * x->cap : 64;
        uint64_t *nv = (uint64_t *)realloc(x->v, ncap * sizeof *nv);
        if (nv == NULL)
            return false;
        x->v = nv;
        x->cap = ncap;
    }
    x->v[x->n++] = a;
    return true;
}

#endif
