/*
 * hash.h - the content hash of the translator's caches: a 128-bit key made
 * of two FNV-1a streams, no crypto library needed.  It guards against
 * accidents (another file, other options, another translator), not against
 * someone forging a collision.
 *
 * Used by the library cache (objcache.c) and by the launcher (dbt_run.c),
 * which keys a whole program's translation the same way.
 */
#ifndef DBT_HASH_H
#define DBT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits: H continued over N bytes at P (start from
 * HASH_FNV_START).  The first stream of Hash; the library bases of
 * objects.c use it alone. */
#define HASH_FNV_START 0xcbf29ce484222325ull
static inline uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

typedef struct Hash {
    uint64_t h[2];           /* FNV-1a, and a second stream from another start */
} Hash;

void hash_init(Hash *s);
void hash_bytes(Hash *s, const void *p, size_t n);
void hash_u64(Hash *s, uint64_t v);
/* S continued over the bytes of the file at PATH; 0, or -1 with errno set
 * if it cannot be read. */
int hash_file(Hash *s, const char *path);
/* The hash as 32 hex digits. */
void hash_hex(const Hash *s, char out[33]);

#endif
