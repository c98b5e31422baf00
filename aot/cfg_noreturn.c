/*
 * cfg_noreturn.c - which calls never come back (cfg.h: cfg_noreturn).
 *
 * A function may return when some path from its entry (or from one of its
 * landings, which the unwinder or a longjmp enters) reaches a RET, any BR
 * (a tail call through a register, a PLT stub, a switch), a tail call to
 * a function that may return, or the end of its blocks.  A BL's return site is on a path only
 * when the callee may return.  "May return" is the least fixed point:
 * every function starts as "never returns" and becomes "may return" when a
 * path of the current guesses reaches an exit, until nothing changes.
 * So a function returns in the result only through paths that exist, and
 * a function whose every path ends in abort(), __stack_chk_fail() or
 * exit() is found to never return, with its callers' call sites.
 *
 * The lifter ends the block at such a call (lifter.h: LiftFunc.
 * noreturn_calls): no reload of the registers after it and no edge into
 * the instruction after it, whose block otherwise merged every register
 * the function holds.  If the callee does come back after all (a path
 * recovery did not see), the state is in the CpuState and the return
 * leaves the function like a longjmp does: the run goes on at the return
 * site through the runtime's lookup (the JIT).  Slower, never wrong.
 */
#include <stdlib.h>

#include "cfg.h"

typedef struct Walk {
    const Cfg *cfg;
    const GuestImage *img;
    const bool *mayret;        /* by function index */
    size_t *stack;
    uint8_t *seen;
    size_t n;
} Walk;

/* Whether control reaching PC from inside F may leave F to its caller:
 * false when PC is one of F's blocks (pushed) or a function that never
 * returns (a tail call that does not come back). */
static bool go(Walk *w, const CfgFunc *f, uint64_t pc, bool tail)
{
    long k = cfg_block_index(f, pc);
    if (k >= 0) {
        if (!w->seen[k]) {
            w->seen[k] = 1;
            w->stack[w->n++] = (size_t)k;
        }
        return false;
    }
    if (!tail)
        return true;    /* runs off its blocks: whatever is there may return */
    long g = cfg_index(w->cfg, pc);
    return g < 0 || w->mayret[g];
}

/* How block K of F ends (its last instruction), *T its target; -1 when
 * that word cannot be read. */
static int last_flow(const GuestImage *img, const CfgFunc *f, size_t k, uint64_t *t)
{
    uint32_t word;
    *t = 0;
    if (f->ends[k] <= f->leaders[k] || !elf_read(img, f->ends[k] - 4, &word, 4))
        return -1;
    return a64_classify(word, f->ends[k] - 4, t);
}

static bool may_return(Walk *w, const CfgFunc *f)
{
    w->n = 0;
    for (size_t k = 0; k < f->nleaders; k++)
        w->seen[k] = 0;
    if (go(w, f, f->entry, false))
        return true;    /* no block at the entry: nothing is known */
    for (size_t k = 0; k < f->nlandings; k++)
        if (go(w, f, f->landings[k], false))
            return true;
    while (w->n > 0) {
        size_t i = w->stack[--w->n];
        uint64_t end = f->ends[i], t;
        switch (last_flow(w->img, f, i, &t)) {
        case -1:
            return true;
        case FLOW_STOP:
            break;
        case FLOW_RET:
            return true;
        case FLOW_CALL: {
            long g = cfg_index(w->cfg, t);
            if ((g < 0 || w->mayret[g]) && go(w, f, end, false))
                return true;
            break;
        }
        case FLOW_JUMP:
            if (go(w, f, t, true))
                return true;
            break;
        case FLOW_COND:
            if (go(w, f, t, true) || go(w, f, end, false))
                return true;
            break;
        case FLOW_IJUMP:
            /* Even a recognized table is no proof: the lifted BR goes to
             * the run-time lookup for any other target, and a table found
             * by guessing (cfg.c) lists candidates, not all targets. */
            return true;
        default: /* FLOW_NONE, FLOW_ICALL, FLOW_SVC: on to the next block */
            if (go(w, f, end, false))
                return true;
            break;
        }
    }
    return false;
}

int cfg_noreturn(Cfg *cfg, const GuestImage *img)
{
    size_t maxblocks = 1;
    for (size_t i = 0; i < cfg->nfuncs; i++)
        if (cfg->funcs[i].nleaders > maxblocks)
            maxblocks = cfg->funcs[i].nleaders;
    bool *mayret = calloc(cfg->nfuncs ? cfg->nfuncs : 1, sizeof *mayret);
    Walk w = {cfg, img, mayret, malloc(maxblocks * sizeof *w.stack), malloc(maxblocks), 0};
    if (mayret == NULL || w.stack == NULL || w.seen == NULL) {
        free(mayret);
        free(w.stack);
        free(w.seen);
        return -1;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < cfg->nfuncs; i++)
            if (!mayret[i] && may_return(&w, &cfg->funcs[i]))
                mayret[i] = changed = true;
    }
    size_t never = 0;
    int rc = 0;
    for (size_t i = 0; i < cfg->nfuncs && rc == 0; i++) {
        CfgFunc *f = &cfg->funcs[i];
        never += !mayret[i];
        for (size_t k = 0; k < f->nleaders; k++) {
            uint64_t t;
            if (last_flow(img, f, k, &t) != FLOW_CALL)
                continue;
            long g = cfg_index(cfg, t);
            if (g < 0 || mayret[g])
                continue;
            uint64_t *v = realloc(f->noreturn_calls, (f->nnoreturn_calls + 1) * sizeof *v);
            if (v == NULL) {
                rc = -1;
                break;
            }
            f->noreturn_calls = v;
            f->noreturn_calls[f->nnoreturn_calls++] = f->ends[k] - 4; /* leaders are sorted: so are these */
        }
    }
    free(mayret);
    free(w.stack);
    free(w.seen);
    cfg->nnoreturn = never;
    return rc;
}
