/*
 * guest_rand.h - what the guest test programs of tests/bind/ share: a
 * xorshift generator (the same sequence on every machine) and an FNV-1a
 * hash of results.
 */
#ifndef DBT_BIND_GUEST_RAND_H
#define DBT_BIND_GUEST_RAND_H

#include <stddef.h>
#include <stdint.h>

static uint64_t rng = 1;
static inline uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static inline size_t below(size_t n) { return n ? (size_t)(next() % n) : 0; }
/* Seed from the command line's SEED (a nonzero state). */
static inline void seed(uint64_t s) { rng = s * 0x9e3779b97f4a7c15ull | 1; }

static uint64_t h;
static inline void mix(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
}
static inline void mix_u64(uint64_t v) { mix(&v, sizeof v); }

#endif
