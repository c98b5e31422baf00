/*
 * u64_map.h - a hash map from nonzero 64-bit keys to 64-bit values.
 *
 * Open addressing with linear probing, a power-of-two capacity at most
 * half full, removal by shifting the rest of the cluster back (no
 * tombstones).  Header-only because its users live in different binaries:
 * the runtime (jit_host.c: the JIT's guest pc -> region cache) and
 * libdbt_jit.so (region.c: blocks found so far, pages of guest code read).
 *
 *     U64Map m = {0};
 *     bool added;
 *     U64Entry *e = u64map_insert(&m, pc, &added);   // NULL: out of memory
 *     if (e != NULL && added) e->val = ...;
 *     e = u64map_find(&m, pc);                       // NULL: absent
 *     u64map_remove(&m, e);
 *     u64map_free(&m);
 *
 * An entry pointer is valid until the next insertion (which may grow the
 * table) or removal.
 */
#ifndef DBT_U64_MAP_H
#define DBT_U64_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct U64Entry {
    uint64_t key;   /* 0: empty */
    uint64_t val;
} U64Entry;

typedef struct U64Map {
    U64Entry *e;
    size_t cap, n;  /* capacity (0 or a power of two), entries in use */
} U64Map;

static inline size_t u64map_home(const U64Map *m, uint64_t key)
{
    return (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (m->cap - 1);
}

static inline U64Entry *u64map_find(const U64Map *m, uint64_t key)
{
    if (m->cap == 0 || key == 0)
        return NULL;
    for (size_t i = u64map_home(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->e[i].key == key)
            return &m->e[i];
        if (m->e[i].key == 0)
            return NULL;
    }
}

/* Place an entry known to be absent (there is room). */
static inline U64Entry *u64map_place(U64Map *m, uint64_t key, uint64_t val)
{
    size_t i = u64map_home(m, key);
    while (m->e[i].key != 0)
        i = (i + 1) & (m->cap - 1);
    m->e[i] = (U64Entry){key, val};
    m->n++;
    return &m->e[i];
}

/* The entry of KEY (nonzero), added with value 0 if absent; *ADDED (may be
 * NULL) says which.  NULL when out of memory. */
static inline U64Entry *u64map_insert(U64Map *m, uint64_t key, bool *added)
{
    if (added)
        *added = false;
    U64Entry *e = u64map_find(m, key);
    if (e != NULL || key == 0)
        return e;
    if (2 * (m->n + 1) > m->cap) {
        U64Map g = {calloc(m->cap ? 2 * m->cap : 256, sizeof(U64Entry)), m->cap ? 2 * m->cap : 256, 0};
        if (g.e == NULL)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key != 0)
                u64map_place(&g, m->e[i].key, m->e[i].val);
        free(m->e);
        *m = g;
    }
    if (added)
        *added = true;
    return u64map_place(m, key, 0);
}

/* Remove entry E (from u64map_find or u64map_insert): the entries after it
 * in its cluster that would no longer be found move back. */
static inline void u64map_remove(U64Map *m, U64Entry *e)
{
    size_t i = (size_t)(e - m->e);
    for (size_t j = i;;) {
        j = (j + 1) & (m->cap - 1);
        if (m->e[j].key == 0)
            break;
        size_t k = u64map_home(m, m->e[j].key);
        /* Entry j stays if its home k lies cyclically in (i, j]. */
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
            continue;
        m->e[i] = m->e[j];
        i = j;
    }
    m->e[i] = (U64Entry){0, 0};
    m->n--;
}

static inline void u64map_free(U64Map *m)
{
    free(m->e);
    m->e = NULL;
    m->cap = m->n = 0;
}

#endif
