/*
 * region.c - region discovery for the JIT (see region.h).
 *
 * Example: the JIT is asked for 0x41f0a8, a label that __builtin_longjmp
 * jumps to in the middle of a function:
 *
 *     41f0a8  ldr  w0, [sp, #28]     ; entry: leader
 *     41f0ac  cbz  w0, 41f0bc        ; ends a block; 41f0b0 and 41f0bc leaders
 *     41f0b0  bl   400a00 <abort>    ; calls end blocks too ...
 *     41f0b4  b    41f0c0            ; ... 41f0b4 is a leader
 *     41f0bc  mov  w0, #0
 *     41f0c0  ldp  x29, x30, [sp], #32
 *     41f0c4  ret                    ; exploration stops
 *
 * gives leaders {41f0a8, 41f0b0, 41f0b4, 41f0bc, 41f0c0} with ends
 * {41f0b0, 41f0b4, 41f0b8, 41f0c0, 41f0c8}.  The region has one entry: a
 * later miss at 41f0b4 (a longjmp back to the return site) is a region of
 * its own.
 * The call to 400a00 is not followed, nor is a direct jump to code the
 * output has a translation for (the runtime says which): every branch that
 * leaves the region goes through the runtime's lookup (static table first,
 * then the JIT).
 *
 * Guest memory may be writable (a trampoline on the stack) and may be
 * unmapped (a wild jump): pages are copied with process_vm_readv on our own
 * process, which fails cleanly with EFAULT instead of faulting.  An
 * unreadable word ends its block and stays in it, so the lifter turns it
 * into a SIGILL trap at that address.
 */
#define _GNU_SOURCE
#include "region.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lifter.h"
#include "u64_vec.h"

#define PAGE 4096ull

/* ---- safe reads of guest memory ------------------------------------------ */

/* Pages: key page address + 1, value the malloc'd copy of the page, 0
 * when it could not be read. */
void reader_init(CodeReader *r) { memset(r, 0, sizeof *r); }

void reader_free(CodeReader *r)
{
    for (size_t i = 0; i < r->pages.cap; i++)
        free((void *)(uintptr_t)r->pages.e[i].val);
    u64map_free(&r->pages);
}

/* The copy of the page at PAGE, or NULL if it cannot be read (or out of
 * memory). */
static const uint8_t *reader_page(CodeReader *r, uint64_t page)
{
    bool added;
    U64Entry *e = u64map_insert(&r->pages, page + 1, &added);
    if (e == NULL)
        return NULL;
    if (added) {
        uint8_t *bytes = malloc(PAGE);
        struct iovec local = {bytes, PAGE}, remote = {(void *)page, PAGE};
        if (bytes != NULL && process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)PAGE) {
            free(bytes);
            bytes = NULL;
        }
        e->val = (uintptr_t)bytes;
    }
    return (const uint8_t *)(uintptr_t)e->val;
}

bool reader_word(CodeReader *r, uint64_t pc, uint32_t *w)
{
    if (pc & 3)
        return false;
    const uint8_t *p = reader_page(r, pc & ~(PAGE - 1));
    if (p == NULL)
        return false;
    memcpy(w, p + (pc & (PAGE - 1)), 4); /* host and guest: little endian */
    return true;
}

/* ---- a set of addresses ---------------------------------------------------- */

/* The value of address A in M (keys are addresses + 1: address 0 is
 * allowed), inserted as 0 if absent when ADD; NULL if absent and not
 * added, or out of memory. */
static uint64_t *map_find(U64Map *m, uint64_t a, bool add, bool *added)
{
    if (added)
        *added = false;
    U64Entry *e = add ? u64map_insert(m, a + 1, added) : u64map_find(m, a + 1);
    return e ? &e->val : NULL;
}

static int vec_push(U64Vec *x, uint64_t a) { return u64vec_push(x, a) ? 0 : -ENOMEM; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- discovery -------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static bool code_reader_word(void *r, uint64_t pc, uint32_t *w) { return reader_word(r, pc, w); }

/* The region's side of lift_scan_block: a block ends at a known start,
 * and the whole region takes at most its budget of words. */
typedef struct RegionScan {
    CodeReader *r;
    U64Map *blocks;
    size_t *budget;
} RegionScan;

static bool scan_read(void *ctx, uint64_t pc, uint32_t *w) { return reader_word(((RegionScan *)ctx)->r, pc, w); }

static bool scan_is_leader(void *ctx, uint64_t pc)
{
    return map_find(((RegionScan *)ctx)->blocks, pc, false, NULL) != NULL;
}

static bool scan_budget(void *ctx, uint64_t pc)
{
    (void)pc;
    size_t *budget = ((RegionScan *)ctx)->budget;
    if (*budget == 0)
        return false;
    --*budget;
    return true;
}

int region_discover(CodeReader *r, uint64_t entry, size_t max_insns, int (*outside)(uint64_t pc),
                    Region *out)
{
    int rc = -ENOMEM;
    U64Map blocks = {0};
    U64Vec work = {0}, starts = {0};
    size_t budget = max_insns;
    memset(out, 0, sizeof *out);
    out->entry = entry;
    if (vec_push(&work, entry) != 0)
        goto out;

    /* Recursive descent; each block's scan records where it stopped. */
    while (work.n > 0 && budget > 0) {
        uint64_t pc = work.v[--work.n];
        bool added;
        uint64_t *end = map_find(&blocks, pc, true, &added);
        if (end == NULL)
            goto out;
        if (!added)
            continue;
        if (vec_push(&starts, pc) != 0)
            goto out;
        RegionScan rs = {r, &blocks, &budget};
        LiftBlockScan scan = {scan_read, scan_is_leader, scan_budget, NULL, &rs, true};
        uint64_t a, t;
        enum A64Flow flow = lift_scan_block(&scan, pc, &a, &t);
        if (flow == FLOW_CALL || flow == FLOW_ICALL || flow == FLOW_SVC) {
            /* The return site starts a block. */
            if (vec_push(&work, a) != 0)
                goto out;
        } else if (flow == FLOW_JUMP || flow == FLOW_COND) {
            /* A branch to statically translated code (a tail call, a
             * shared epilogue) leaves the region. */
            bool leave = t != entry && outside != NULL && outside(t);
            if (!leave && vec_push(&work, t) != 0)
                goto out;
            if (flow == FLOW_COND && vec_push(&work, a) != 0)
                goto out;
        } /* RET, BR, UDF and the like end the exploration here */
        /* `end` may have moved when the map grew. */
        *map_find(&blocks, pc, false, NULL) = a;
    }

    /* Blocks: sorted starts, each ending at its scan's end or the next
     * start, whichever comes first. */
    qsort(starts.v, starts.n, sizeof *starts.v, cmp_u64);
    out->nleaders = starts.n;
    out->leaders = starts.v;
    starts.v = NULL;
    out->ends = malloc((out->nleaders ? out->nleaders : 1) * sizeof *out->ends);
    if (out->ends == NULL)
        goto out;
    size_t nwords = 0;
    for (size_t i = 0; i < out->nleaders; i++) {
        uint64_t e = *map_find(&blocks, out->leaders[i], false, NULL);
        if (i + 1 < out->nleaders && out->leaders[i + 1] < e)
            e = out->leaders[i + 1];
        out->ends[i] = e;
        nwords += (e - out->leaders[i]) / 4;
    }
    out->ninsns = nwords;

    /* Loop headers: the lifter's safe points. */
    LiftFunc lf = {.entry = entry, .leaders = out->leaders, .ends = out->ends, .nleaders = out->nleaders};
    size_t nh = lift_loop_headers(&lf, code_reader_word, r, &out->safepoints);
    if (nh == (size_t)-1)
        goto out;
    out->nsafepoints = nh;

    /* The words the translation depends on. */
    out->words = malloc((nwords ? nwords : 1) * sizeof *out->words);
    out->readable = malloc(nwords ? nwords : 1);
    if (out->words == NULL || out->readable == NULL)
        goto out;
    size_t k = 0;
    for (size_t i = 0; i < out->nleaders; i++)
        for (uint64_t a = out->leaders[i]; a < out->ends[i]; a += 4, k++) {
            out->readable[k] = reader_word(r, a, &out->words[k]);
            if (!out->readable[k])
                out->words[k] = 0;
        }
    out->nwords = nwords;
    uint64_t h = fnv(0xcbf29ce484222325ull, &entry, sizeof entry);
    h = fnv(h, out->leaders, out->nleaders * sizeof *out->leaders);
    h = fnv(h, out->ends, out->nleaders * sizeof *out->ends);
    h = fnv(h, out->words, nwords * sizeof *out->words);
    out->hash = fnv(h, out->readable, nwords);
    rc = 0;
out:
    if (rc != 0)
        region_free(out);
    u64map_free(&blocks);
    free(work.v);
    free(starts.v);
    return rc;
}

void region_free(Region *g)
{
    free(g->leaders);
    free(g->ends);
    free(g->safepoints);
    free(g->words);
    free(g->readable);
    memset(g, 0, sizeof *g);
}

bool region_same(const Region *a, const Region *b)
{
    return a->hash == b->hash && a->entry == b->entry && a->nleaders == b->nleaders &&
           a->nwords == b->nwords &&
           memcmp(a->leaders, b->leaders, a->nleaders * sizeof *a->leaders) == 0 &&
           memcmp(a->ends, b->ends, a->nleaders * sizeof *a->ends) == 0 &&
           memcmp(a->words, b->words, a->nwords * sizeof *a->words) == 0 &&
           memcmp(a->readable, b->readable, a->nwords) == 0;
}
