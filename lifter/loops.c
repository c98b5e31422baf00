/*
 * loops.c - where a function's safe points go: its loop headers.
 *
 * A guest loop that makes no call and no system call never gives the
 * runtime a chance to deliver an asynchronous signal, so the lifter polls
 * for one at the top of every loop header (lifter.c: safe_point).  Every
 * cycle of the control-flow graph must contain a poll, and there should be
 * few of them: a poll is cheap, but each is also a resume point, an extra
 * entry into the function.
 *
 * A depth-first search from the entry finds them: an edge to a block that
 * is still on the search's stack closes a cycle, and every cycle has such
 * an edge (its block that the search reaches first is on the stack when
 * the cycle comes back to it).  The headers are those edges' targets.
 * This is not "every backward branch": GCC's layout jumps backwards to
 * shared exits and joins as often as it loops, and a loop can be laid out
 * with its header below its latch.  Blocks the entry does not reach (a
 * resume point after a call that never returns, say) are searched from
 * too, in address order.
 *
 *     400100: cbz  x1, 400118        entry
 *     400104: ldr  x2, [x0], #8      <- header (the back edge from 400114)
 *     ...
 *     400114: b.ne 400104
 *     400118: ret
 */
#include "lifter.h"

#include <stdlib.h>

/* Successor K of block I as a leader index: -1 for an edge that leaves the
 * function, -2 when there are no more. */
static long successor(const LiftFunc *f, size_t i, size_t k,
                      bool (*read_code)(void *, uint64_t, uint32_t *), void *ctx)
{
    uint64_t last = f->ends[i] - 4, t = 0;
    uint32_t w;
    if (f->ends[i] <= f->leaders[i] || !read_code(ctx, last, &w))
        return -2;
    switch (a64_classify(w, last, &t)) {
    case FLOW_JUMP:
        return k == 0 ? lift_leader_index(f, t) : -2;
    case FLOW_COND:
        return k == 0 ? lift_leader_index(f, t) : k == 1 ? lift_leader_index(f, f->ends[i]) : -2;
    case FLOW_NONE:
    case FLOW_CALL:
    case FLOW_ICALL:
    case FLOW_SVC:
        return k == 0 ? lift_leader_index(f, f->ends[i]) : -2;
    case FLOW_IJUMP:
        for (size_t j = 0; j < f->nindirect; j++)
            if (f->indirect[j].br_pc == last)
                return k < f->indirect[j].ntargets ? lift_leader_index(f, f->indirect[j].targets[k]) : -2;
        return -2;
    case FLOW_RET:
    case FLOW_STOP:
        return -2;
    }
    return -2;
}

bool lift_back_edges(size_t n, long root, long (*succ)(void *ctx, size_t i, size_t k),
                     void (*back)(void *ctx, size_t i, size_t k, size_t s), void *ctx)
{
    if (n == 0)
        return true;
    /* state: 0 unseen, 1 on the stack, 2 done; stack of (block, next successor) */
    unsigned char *state = calloc(n, 1);
    size_t *stack = malloc(n * sizeof *stack), *next = malloc(n * sizeof *next);
    if (state == NULL || stack == NULL || next == NULL) {
        free(state), free(stack), free(next);
        return false;
    }
    for (size_t r = 0; r <= n; r++) {
        /* ROOT first, then every block not reached yet */
        long from = r == 0 ? root : (long)r - 1;
        if (from < 0 || state[from])
            continue;
        size_t sp = 0;
        stack[sp] = (size_t)from, next[sp++] = 0;
        state[from] = 1;
        while (sp > 0) {
            size_t b = stack[sp - 1], k = next[sp - 1]++;
            long s = succ(ctx, b, k);
            if (s == -2) {
                state[b] = 2;
                sp--;
            } else if (s >= 0 && state[s] == 1) {
                back(ctx, b, k, (size_t)s);
            } else if (s >= 0 && state[s] == 0) {
                state[s] = 1;
                stack[sp] = (size_t)s, next[sp++] = 0;
            }
        }
    }
    free(state), free(stack), free(next);
    return true;
}

typedef struct HeaderSearch {
    const LiftFunc *f;
    bool (*read_code)(void *, uint64_t, uint32_t *);
    void *ctx;
    unsigned char *head;
    size_t nheads;
} HeaderSearch;

static long header_succ(void *ctx, size_t i, size_t k)
{
    const HeaderSearch *h = ctx;
    return successor(h->f, i, k, h->read_code, h->ctx);
}

static void header_back(void *ctx, size_t i, size_t k, size_t s)
{
    (void)i, (void)k;
    HeaderSearch *h = ctx;
    h->nheads += !h->head[s];
    h->head[s] = 1;
}

size_t lift_loop_headers(const LiftFunc *f, bool (*read_code)(void *ctx, uint64_t pc, uint32_t *word),
                         void *ctx, uint64_t **out)
{
    size_t n = f->nleaders;
    *out = NULL;
    if (n == 0)
        return 0;
    HeaderSearch h = {f, read_code, ctx, calloc(n, 1), 0};
    if (h.head == NULL || !lift_back_edges(n, lift_leader_index(f, f->entry), header_succ, header_back, &h)) {
        free(h.head);
        return (size_t)-1;
    }
    uint64_t *v = h.nheads ? malloc(h.nheads * sizeof *v) : NULL;
    if (h.nheads && v == NULL) {
        free(h.head);
        return (size_t)-1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) /* leaders are sorted: so is v */
        if (h.head[i])
            v[m++] = f->leaders[i];
    free(h.head);
    *out = v;
    return m;
}

