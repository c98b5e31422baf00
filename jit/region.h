/*
 * region.h - what the JIT translates: the code reachable from one missed
 * guest PC, read safely from the live guest memory.
 *
 * A region is a LiftFunc (lifter.h) without a symbol table: from the entry,
 * recursive descent over direct branches and fall-through, blocks split at
 * every target, the return sites of calls and SVCs made leaders (as
 * aot/cfg.c does for whole functions), exploration stopped at
 * RET, BR, UDF-like words and unreadable words, and bounded in size.
 */
#ifndef DBT_JIT_REGION_H
#define DBT_JIT_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "u64_map.h"

/* Guest memory seen through a copy of each page touched, so that a word
 * read during discovery is the word the lifter sees, and an unmapped page
 * is an answer ("unreadable"), never a fault of the JIT. */
typedef struct CodeReader {
    U64Map pages;             /* page address + 1 -> its copy (0: unreadable) */
} CodeReader;

void reader_init(CodeReader *r);
void reader_free(CodeReader *r);
/* The little-endian word at PC (4-byte aligned); false if not readable. */
bool reader_word(CodeReader *r, uint64_t pc, uint32_t *w);

/* A region ready to lift. */
typedef struct Region {
    uint64_t entry;
    uint64_t *leaders;        /* sorted block starts, entry included */
    uint64_t *ends;           /* block ends (exclusive), parallel */
    size_t nleaders;
    uint64_t *safepoints;     /* loop headers, sorted (lift_loop_headers) */
    size_t nsafepoints;
    size_t ninsns;            /* instructions in all blocks */
    /* The code the translation depends on, for reuse checks: each block's
     * words in leader order, and which of them could be read. */
    uint32_t *words;
    uint8_t *readable;
    size_t nwords;
    uint64_t hash;            /* of entry, leaders, ends, words, readable */
} Region;

/* Discover the region at ENTRY (readable, aligned) with at most MAX_INSNS
 * instructions.  Direct branches to a PC for which OUTSIDE (may be NULL)
 * is true are not followed: they leave the region.  Returns 0, or
 * -ENOMEM. */
int region_discover(CodeReader *r, uint64_t entry, size_t max_insns, int (*outside)(uint64_t pc),
                    Region *out);
void region_free(Region *g);
/* Same code, same blocks? */
bool region_same(const Region *a, const Region *b);

#endif
