/*
 * cfg_flags.c - where the flags N Z C V need not cross a call or a return
 * (cfg.h: cfg_flags).
 *
 * AAPCS64 passes nothing in NZCV, but hand-written code may (a callee that
 * reads its caller's flags, a caller that reads its callee's), so the
 * lifter stores the flags, when it has changed them, before every call and
 * at every return.  Those stores cost 5-10% on call-heavy programs (lua,
 * sqlite: session 19).  This analysis proves, from the guest code, where no
 * instruction can read them:
 *
 *   RE(F)  F may read the flags it is entered with: some path from its
 *          entry reads a flag (a64_nzcv) before setting all four, directly
 *          or in what it calls or jumps to first.
 *   PT(F)  F may return with the flags it was entered with: some path from
 *          its entry to a return sets none.
 *   RA(F)  someone may read the flags F returns with: a call site of F
 *          with the flags live after it, a function that tail-calls F or
 *          runs into it and has RA, an indirect call site with the flags
 *          live after it when F's address is stored in the image or
 *          computed by ADR/ADRP+ADD (cfg.h: CFG_ENTERED_INDIRECT), callers
 *          outside the image (the entry point, the loader, exports, and in
 *          a dynamically linked or position-independent image every
 *          function whose address is taken), and calls or branches from
 *          paths inside a function that recovery did not follow (the JIT
 *          runs those; a short walk decides whether they read the flags).
 *
 * Liveness is the usual backward analysis over F's blocks: a return is
 * live when RA(F); a call of G when RE(G), or PT(G) and live after it; an
 * indirect call when some function an indirect call may reach has RE, or
 * PT and live after; a BR when one of its table's targets is, some such
 * function has RE, F has RA (the BR may be a tail call or a return), or a
 * label stored in the image whose block is live may be its target - one
 * of F's own (lbl_reach says why), or any when F's extent is unknown.
 * All of it - RE, PT, RA, and those four "some" facts - is one least
 * fixed point.
 *
 * The lifter then leaves the flags alone (lifter.h: flagfree_calls,
 * flags_dead_at_return, flagfree_headers) at a direct call of G when not
 * RE(G) and the flags are dead after it, at F's returns when not RA(F),
 * and at the safe point of a loop header where they are dead (the loop
 * then need not compute them on every iteration only for the safe
 * point's way out).
 *
 * What it assumes, and what the CpuState may then show:
 *   - a function is entered only in the ways above: not through an
 *     address made by arithmetic recovery does not see, by a caller that
 *     then reads the flags.  Recovery itself needs no such assumption
 *     (what it misses runs through the JIT); `dbt-aot --keep-flags` turns
 *     the analysis off.
 *   - the flags a signal handler finds in its frame may be stale where no
 *     instruction reads them: a system call, a safe point, a trap (BRK,
 *     UDF), a fault.  The kernel reads no flags for a system call; a
 *     handler that inspects NZCV of a frame is where this shows (a fault's
 *     registers are already those the CpuState last held,
 *     docs/architecture.md).  A word the lifter has no form for ends the
 *     path too: it is a SIGILL where a machine would have run it.
 *   - a call that cfg_noreturn.c proved never returns does not come back:
 *     its return site is no path (the lifter ends the block there too).
 *     A call that comes back elsewhere lands at a landing (longjmp, the
 *     unwinder: if code there reads the flags, the analysis is off for
 *     the whole image) or, after a context switch (swapcontext), at
 *     another context's return site: code there that reads the flags the
 *     switching context had (no compiler's) may see stale ones.  A RET
 *     through any register is such a return (glibc's __rawmemchr returns
 *     with `ret x15`); one used as a jump elsewhere, to code that reads
 *     the flags, would be the same case.  (Treating those RETs as jumps
 *     made one bound function "may read" and, through the functions an
 *     indirect call may reach, left lua with no call free of the stores.)
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

typedef struct Sum {
    bool re, pt, ra;
    bool lbl;                 /* a label among its blocks has the flags live */
} Sum;

typedef struct Ana {
    const Cfg *cfg;
    const GuestImage *img;
    const uint8_t *entered;   /* per function: CFG_ENTERED_* bits */
    const uint64_t *labels;   /* code addresses stored in the image that are no
                                 function entries (computed-goto labels) */
    size_t nlabels;
    bool open;                /* the image's pointers may reach other objects */
    Sum *s;
    bool *live;               /* per block of the function being analysed */
    size_t *stack;
    uint8_t *seen;
    /* What a BR or BLR may reach beyond what recovery knows: RE and PT of
     * some function an indirect call may reach, a label whose block has
     * the flags live, an indirect call site with the flags live after it. */
    bool re_any, pt_any, ra_ind;
    bool lbl_live;            /* some label has the flags live (lbl_reach) */
    bool land_live;           /* a landing with the flags live: no analysis */
    uint64_t land_at;         /* the first such landing */
} Ana;

static bool word(const Ana *a, uint64_t pc, uint32_t *w)
{
    return elf_read(a->img, pc, w, 4);
}

static const LiftIndirect *table_of(const CfgFunc *f, uint64_t br)
{
    for (size_t i = 0; i < f->nindirect; i++)
        if (f->indirect[i].br_pc == br)
            return &f->indirect[i];
    return NULL;
}

/* Whether a BR of function FI that no table explains may reach a label
 * with the flags live.  A stored label is the target of its own
 * function's computed gotos (GNU C: a goto to another function's label is
 * undefined; jump tables of absolute addresses are the function's own,
 * cfg.c), so FI's own labels count - but for a function whose extent is
 * not known, whose labels may lie in blocks recovery gave another: there
 * any label does.  (One label counting for every BR of the image turned
 * the analysis off for the whole python driver: a value in its Unicode
 * tables equals an address in _PyUnicode_ToNumeric, a block that reads
 * the flags, and every tail call through a pointer could "go there".) */
static bool lbl_reach(const Ana *a, size_t fi)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    return a->s[fi].lbl || (f->lo == f->hi && a->lbl_live);
}

/* The last word of block K of F and how it ends the block; false when
 * the block is empty or the word cannot be read. */
static bool block_end(const Ana *a, const CfgFunc *f, size_t k, enum A64Flow *fl, uint64_t *t)
{
    uint32_t w;
    *t = 0;
    if (f->ends[k] <= f->leaders[k] || !word(a, f->ends[k] - 4, &w))
        return false;
    *fl = a64_classify(w, f->ends[k] - 4, t);
    return true;
}

/* What word W does with the flags, for this analysis: a64_nzcv's answer,
 * but a system call (SVC #0) is no read - the kernel neither reads NZCV
 * nor changes it; only a signal delivered at the call would show the
 * flags in its frame, and those may then be stale (see the top) - and a
 * word the lifter has no form for ends the path like a write: it is a
 * SIGILL where a real machine would have run it (SVE in glibc's
 * __memset_a64fx, which no one calls here: we do not advertise SVE), so
 * the program is off the machine's path already. */
static unsigned nzcv_use(uint32_t w)
{
    if (a64_is_svc0(w))
        return 0;
    if ((w & 0xFF000000u) == 0xD4000000u || (w & 0xFFFF0000u) == 0)
        return NZCV_WRITE; /* BRK, HLT, UDF...: a trap, see the top */
    return a64_has_form(w) ? a64_nzcv(w) : NZCV_WRITE;
}

/* Does block K of F end in a system call that never returns: SVC #0 right
 * after MOV X8|W8, #93 or #94 (exit, exit_group)? */
static bool ends_in_exit(const Ana *a, const CfgFunc *f, size_t k)
{
    uint32_t w0, w1;
    if (f->ends[k] < f->leaders[k] + 8 || !word(a, f->ends[k] - 8, &w0) || !word(a, f->ends[k] - 4, &w1))
        return false;
    return a64_is_svc0(w1) && ((w0 & 0x7FFFFFFFu) == (0x52800008u | 93u << 5) ||
                               (w0 & 0x7FFFFFFFu) == (0x52800008u | 94u << 5));
}

/* ---- RE and PT: forward from the entry --------------------------------- */

/* Control reaches PC in F with the entry's flags intact. */
static void reach(Ana *a, const CfgFunc *f, uint64_t pc, bool *re, bool *pt, size_t *n)
{
    long k = cfg_block_index(f, pc);
    if (k < 0) { /* runs off the blocks: anything may happen there */
        *re = *pt = true;
        return;
    }
    if (!a->seen[k]) {
        a->seen[k] = 1;
        a->stack[(*n)++] = (size_t)k;
    }
}

/* A direct branch from F to T: a block of F or a tail call. */
static void branch(Ana *a, const CfgFunc *f, uint64_t t, bool *re, bool *pt, size_t *n)
{
    if (cfg_block_index(f, t) >= 0) {
        reach(a, f, t, re, pt, n);
        return;
    }
    long g = cfg_index(a->cfg, t);
    *re |= g < 0 || a->s[g].re;
    *pt |= g < 0 || a->s[g].pt;
}

static void forward(Ana *a, size_t fi, bool *re_out, bool *pt_out)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    bool re = false, pt = false;
    size_t n = 0;
    memset(a->seen, 0, f->nleaders);
    reach(a, f, f->entry, &re, &pt, &n);
    while (n > 0 && !(re && pt)) {
        size_t k = a->stack[--n];
        bool intact = true;
        for (uint64_t pc = f->leaders[k]; pc < f->ends[k] && intact; pc += 4) {
            uint32_t w;
            unsigned use = word(a, pc, &w) ? nzcv_use(w) : NZCV_READ | NZCV_WRITE;
            re |= (use & NZCV_READ) != 0;
            intact = !(use & NZCV_WRITE);
        }
        enum A64Flow fl;
        uint64_t t;
        if (!intact || ends_in_exit(a, f, k))
            continue;
        if (!block_end(a, f, k, &fl, &t)) {
            re = pt = true;
            continue;
        }
        switch (fl) {
        case FLOW_CALL: {
            long g = cfg_index(a->cfg, t);
            re |= g < 0 || a->s[g].re;
            if ((g < 0 || a->s[g].pt) && !lift_sorted_has(f->noreturn_calls, f->nnoreturn_calls, f->ends[k] - 4))
                reach(a, f, f->ends[k], &re, &pt, &n);
            break;
        }
        case FLOW_ICALL:
            re |= a->re_any;
            if (a->pt_any)
                reach(a, f, f->ends[k], &re, &pt, &n);
            break;
        case FLOW_JUMP:
            branch(a, f, t, &re, &pt, &n);
            break;
        case FLOW_COND:
            branch(a, f, t, &re, &pt, &n);
            reach(a, f, f->ends[k], &re, &pt, &n);
            break;
        case FLOW_IJUMP: {
            /* The table's targets, else a tail call to a function an
             * indirect call may reach, a label, or a return. */
            const LiftIndirect *ind = table_of(f, f->ends[k] - 4);
            for (size_t i = 0; ind != NULL && i < ind->ntargets; i++)
                reach(a, f, ind->targets[i], &re, &pt, &n);
            re |= a->re_any || lbl_reach(a, fi);
            pt = true;
            break;
        }
        case FLOW_RET:
            pt = true;
            break;
        case FLOW_STOP:
            break;
        default: /* FLOW_NONE, FLOW_SVC: the next block, or the function
                  * it runs into */
            branch(a, f, f->ends[k], &re, &pt, &n);
            break;
        }
    }
    *re_out = re;
    *pt_out = pt;
}

/* ---- liveness: backward over one function --------------------------- */

static bool live_at(const Ana *a, const CfgFunc *f, uint64_t pc)
{
    long k = cfg_block_index(f, pc);
    return k < 0 || a->live[k];
}

/* Live after a direct branch from function FI to T. */
static bool live_branch(const Ana *a, size_t fi, uint64_t t)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    if (cfg_block_index(f, t) >= 0)
        return live_at(a, f, t);
    long g = cfg_index(a->cfg, t);
    return g < 0 || a->s[g].re || (a->s[g].pt && a->s[fi].ra);
}

/* Live at the top of block K of function FI, from the live sets of its
 * successors.  For a block that ends in a call, *AFTER: live at the
 * return site. */
static bool block_live(const Ana *a, size_t fi, size_t k, bool *after)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    enum A64Flow fl;
    uint64_t t;
    *after = true;
    if (!block_end(a, f, k, &fl, &t))
        return true;
    bool live;
    if (ends_in_exit(a, f, k))
        fl = FLOW_STOP, t = 0;
    switch (fl) {
    case FLOW_CALL: {
        /* After a callee that never returns (cfg_noreturn.c) nothing runs
         * here: if it came back after all, the function would leave as
         * after a longjmp, and it does not (no path returns). */
        long g = cfg_index(a->cfg, t);
        *after = !lift_sorted_has(f->noreturn_calls, f->nnoreturn_calls, f->ends[k] - 4) && live_at(a, f, f->ends[k]);
        live = g < 0 || a->s[g].re || (a->s[g].pt && *after);
        break;
    }
    case FLOW_ICALL:
        *after = live_at(a, f, f->ends[k]);
        live = a->re_any || (a->pt_any && *after);
        break;
    case FLOW_JUMP:
        live = live_branch(a, fi, t);
        break;
    case FLOW_COND:
        live = live_branch(a, fi, t) || live_at(a, f, f->ends[k]);
        break;
    case FLOW_RET:
        live = a->s[fi].ra;
        break;
    case FLOW_IJUMP: {
        const LiftIndirect *ind = table_of(f, f->ends[k] - 4);
        live = a->re_any || lbl_reach(a, fi) || a->s[fi].ra;
        for (size_t i = 0; ind != NULL && i < ind->ntargets && !live; i++)
            live = live_at(a, f, ind->targets[i]);
        break;
    }
    case FLOW_STOP: /* a trap (see the top) or exit */
        live = false;
        break;
    default: /* FLOW_NONE, FLOW_SVC */
        live = live_branch(a, fi, f->ends[k]);
        break;
    }
    for (uint64_t pc = f->ends[k]; pc > f->leaders[k];) {
        uint32_t w;
        pc -= 4;
        if (!word(a, pc, &w))
            return true;
        unsigned use = nzcv_use(w);
        live = (use & NZCV_READ) || (live && !(use & NZCV_WRITE));
    }
    return live;
}

static void liveness(Ana *a, size_t fi)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    memset(a->live, 0, f->nleaders * sizeof *a->live);
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = f->nleaders; k-- > 0;) {
            bool after;
            if (!a->live[k] && block_live(a, fi, k, &after))
                a->live[k] = changed = true;
        }
    }
}

/* After liveness(FI): RA of its direct callees (the flags live after the
 * call) and of the functions it tail-calls (when RA(FI)), ra_ind (an
 * indirect call with the flags live after it), lbl of FI (a label of FI
 * whose block has the flags live); true if anything changed. */
/* Marks in a->seen the blocks of F that can run: reached from its entry,
 * its landings, its tables' targets and the labels stored in the image,
 * not through the return site of a call that never returns (where the
 * lifter ends the block: _start's `bl abort` runs into __wrap_main, inside
 * _start's symbol). */
static void runnable(Ana *a, const CfgFunc *f)
{
    size_t n = 0;
    memset(a->seen, 0, f->nleaders);
    if (f->nleaders == 0)
        return;
#define SEED(pc)                                                          \
    do {                                                                  \
        long b_ = cfg_block_index(f, (pc));                                      \
        if (b_ >= 0 && !a->seen[b_])                                      \
            a->seen[b_] = 1, a->stack[n++] = (size_t)b_;                  \
    } while (0)
    SEED(f->entry);
    for (size_t k = 0; k < f->nlandings; k++)
        SEED(f->landings[k]);
    for (size_t i = 0; i < f->nindirect; i++)
        for (size_t k = 0; k < f->indirect[i].ntargets; k++)
            SEED(f->indirect[i].targets[k]);
    for (size_t j = lift_lower_bound(a->labels, a->nlabels, f->leaders[0]);
         f->nleaders > 0 && j < a->nlabels && a->labels[j] < f->ends[f->nleaders - 1]; j++)
        SEED(a->labels[j]);
    while (n > 0) {
        size_t k = a->stack[--n];
        enum A64Flow fl;
        uint64_t t;
        if (!block_end(a, f, k, &fl, &t) || ends_in_exit(a, f, k))
            continue;
        if (fl == FLOW_JUMP || fl == FLOW_COND)
            SEED(t);
        if (fl == FLOW_NONE || fl == FLOW_SVC || fl == FLOW_COND || fl == FLOW_ICALL ||
            (fl == FLOW_CALL && !lift_sorted_has(f->noreturn_calls, f->nnoreturn_calls, f->ends[k] - 4)))
            SEED(f->ends[k]);
    }
#undef SEED
}

static bool spread(Ana *a, size_t fi)
{
    const CfgFunc *f = &a->cfg->funcs[fi];
    bool changed = false;
    runnable(a, f);
    for (size_t k = 0; k < f->nleaders; k++) {
        if (!a->seen[k])
            continue;
        size_t j = lift_lower_bound(a->labels, a->nlabels, f->leaders[k]);
        if (!a->s[fi].lbl && a->live[k] && j < a->nlabels && a->labels[j] == f->leaders[k])
            a->s[fi].lbl = a->lbl_live = changed = true;
        enum A64Flow fl;
        uint64_t t;
        bool after;
        long g = -1;
        if (!block_end(a, f, k, &fl, &t))
            continue;
        if (fl == FLOW_CALL || fl == FLOW_ICALL) {
            block_live(a, fi, k, &after);
            if (fl == FLOW_ICALL && after && !a->ra_ind)
                a->ra_ind = changed = true;
            g = fl == FLOW_CALL && after ? cfg_index(a->cfg, t) : -1;
        } else if ((fl == FLOW_JUMP || fl == FLOW_COND) && a->s[fi].ra && cfg_block_index(f, t) < 0) {
            g = cfg_index(a->cfg, t);
        }
        if (g < 0 && (fl == FLOW_NONE || fl == FLOW_SVC || fl == FLOW_COND) && a->s[fi].ra &&
            cfg_block_index(f, f->ends[k]) < 0 && !ends_in_exit(a, f, k))
            g = cfg_index(a->cfg, f->ends[k]); /* runs into the next function */
        if (g >= 0 && !a->s[g].ra)
            a->s[g].ra = changed = true;
    }
    /* Landings: a longjmp or the unwinder arrives there from a call this
     * analysis saw as one that never returns (or whose return site is
     * elsewhere), with whatever flags that path left.  Code that reads
     * them (no compiler's) turns the whole analysis off. */
    for (size_t k = 0; k < f->nlandings; k++)
        if (!a->land_live && live_at(a, f, f->landings[k])) {
            a->land_live = true;
            a->land_at = f->landings[k];
        }
    return changed;
}

/* ---- code that recovery did not follow ------------------------------- */

typedef struct Span {
    uint64_t lo, hi;
} Span;

/* Every block of every function: LO ascending, HI[i] the largest end of
 * blocks 0..i, so that "some block holds PC" is one lift_lower_bound. */
typedef struct Covered {
    uint64_t *lo, *hi;
    size_t n;
} Covered;

static int cmp_span(const void *x, const void *y)
{
    const Span *p = x, *q = y;
    return p->lo < q->lo ? -1 : p->lo > q->lo;
}

/* Are the flags maybe live at PC, in code no block holds?  A bounded walk
 * along the straight line: live at a read, at whatever leaves it but a
 * direct call, a branch or a conditional branch on a register, and when
 * the budget runs out. */
static bool live_unknown(const Ana *a, uint64_t pc, int budget)
{
    for (; budget > 0; budget--, pc += 4) {
        uint32_t w;
        uint64_t t = 0;
        if (!word(a, pc, &w))
            return true;
        unsigned use = nzcv_use(w);
        if (use & NZCV_READ)
            return true;
        if (use & NZCV_WRITE)
            return false;
        enum A64Flow fl = a64_classify(w, pc, &t);
        if (fl == FLOW_COND) { /* CBZ, TBZ (B.cond reads) */
            if (live_unknown(a, t, budget / 2))
                return true;
        } else if (fl == FLOW_JUMP) {
            pc = t - 4;
        } else if (fl == FLOW_CALL) {
            long g = cfg_index(a->cfg, t);
            if (g < 0 || a->s[g].re)
                return true;
            if (!a->s[g].pt)
                return false;
        } else if (fl != FLOW_NONE) {
            return true;
        }
    }
    return true;
}

/* Calls and branches in code inside a function's extent but outside its
 * blocks (paths recovery did not follow: the JIT runs them when an
 * unrecognized BR goes there): a function called there gets RA when the
 * flags may be read after the call, one branched to gets RA, an indirect
 * call there with the flags live after it sets ra_ind.  Code outside
 * every extent is a function no recovered code refers to: it runs only
 * if called through an address recovery does not see.  True if anything
 * changed. */
static bool sweep(Ana *a, const Covered *cv)
{
    const Cfg *cfg = a->cfg;
    bool changed = false;
    for (size_t fi = 0; fi < cfg->nfuncs; fi++) {
        const CfgFunc *f = &cfg->funcs[fi];
        if (f->hi <= f->lo || !elf_is_code(a->img, f->lo))
            continue;
        /* Code only: a symbol's size can claim terabytes of zeros
         * (regression test cfg_huge_function_extent). */
        for (uint64_t pc = f->lo & ~3ull; pc + 4 <= f->hi && elf_is_code(a->img, pc); pc += 4) {
            size_t c = lift_lower_bound(cv->lo, cv->n, pc + 1); /* blocks starting at or below pc */
            uint32_t w;
            uint64_t t = 0;
            if ((c > 0 && pc < cv->hi[c - 1]) || !word(a, pc, &w))
                continue;
            enum A64Flow fl = a64_classify(w, pc, &t);
            if (fl == FLOW_ICALL && !a->ra_ind && live_unknown(a, pc + 4, 256))
                a->ra_ind = changed = true;
            if (fl != FLOW_CALL && fl != FLOW_JUMP && fl != FLOW_COND)
                continue;
            long g = cfg_index(cfg, t);
            if (g >= 0 && !a->s[g].ra && (fl != FLOW_CALL || live_unknown(a, pc + 4, 256)))
                a->s[g].ra = changed = true;
        }
    }
    return changed;
}

/* ---- the whole ---------------------------------------------------------- */

static int collect_flagfree(Ana *a)
{
    const Cfg *cfg = a->cfg;
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        CfgFunc *f = &cfg->funcs[i];
        free(f->flagfree_calls);
        f->flagfree_calls = NULL;
        f->nflagfree_calls = 0;
        f->flags_dead_at_return = !a->s[i].ra && !a->land_live;
        free(f->flagfree_headers);
        f->flagfree_headers = NULL;
        f->nflagfree_headers = 0;
        if (a->land_live)
            continue;
        liveness(a, i);
        for (size_t h = 0; h < f->nsafepoints; h++) {
            long k = cfg_block_index(f, f->safepoints[h]);
            if (k < 0 || a->live[k])
                continue;
            uint64_t *v = realloc(f->flagfree_headers, (f->nflagfree_headers + 1) * sizeof *v);
            if (v == NULL)
                return -1;
            f->flagfree_headers = v;
            v[f->nflagfree_headers++] = f->safepoints[h]; /* sorted as they are */
        }
        for (size_t k = 0; k < f->nleaders; k++) {
            enum A64Flow fl;
            uint64_t t;
            bool after;
            if (!block_end(a, f, k, &fl, &t) || fl != FLOW_CALL)
                continue;
            long g = cfg_index(cfg, t);
            block_live(a, i, k, &after);
            if (g < 0 || a->s[g].re || after)
                continue;
            uint64_t *v = realloc(f->flagfree_calls, (f->nflagfree_calls + 1) * sizeof *v);
            if (v == NULL)
                return -1;
            f->flagfree_calls = v;
            v[f->nflagfree_calls++] = f->ends[k] - 4; /* blocks ascend: sorted */
        }
    }
    return 0;
}

int cfg_flags(Cfg *cfg, const GuestImage *img, const uint8_t *entered, const uint64_t *labels, size_t nlabels)
{
    size_t maxb = 1, nspan = 0;
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        nspan += cfg->funcs[i].nleaders;
        if (cfg->funcs[i].nleaders > maxb)
            maxb = cfg->funcs[i].nleaders;
    }
    Ana a = {.cfg = cfg, .img = img, .entered = entered, .labels = labels, .nlabels = nlabels,
             .open = img->has_interp || img->type == ET_DYN};
    a.s = calloc(cfg->nfuncs ? cfg->nfuncs : 1, sizeof *a.s);
    a.live = malloc(maxb * sizeof *a.live);
    a.stack = malloc(maxb * sizeof *a.stack);
    a.seen = malloc(maxb);
    Span *sp = malloc((nspan ? nspan : 1) * sizeof *sp);
    Covered cv = {malloc((nspan ? nspan : 1) * sizeof *cv.lo), malloc((nspan ? nspan : 1) * sizeof *cv.hi), nspan};
    int rc = -1;
    if (a.s == NULL || a.live == NULL || a.stack == NULL || a.seen == NULL || sp == NULL || cv.lo == NULL ||
        cv.hi == NULL)
        goto out;
    nspan = 0;
    for (size_t i = 0; i < cfg->nfuncs; i++)
        for (size_t k = 0; k < cfg->funcs[i].nleaders; k++)
            sp[nspan++] = (Span){cfg->funcs[i].leaders[k], cfg->funcs[i].ends[k]};
    qsort(sp, nspan, sizeof *sp, cmp_span);
    for (size_t i = 0; i < nspan; i++) {
        cv.lo[i] = sp[i].lo;
        cv.hi[i] = i > 0 && cv.hi[i - 1] > sp[i].hi ? cv.hi[i - 1] : sp[i].hi;
    }
    /* An indirect call in an object whose pointers may come from another
     * object may reach any function there. */
    a.re_any = a.pt_any = a.ra_ind = a.open;
    for (size_t i = 0; i < cfg->nfuncs; i++)
        a.s[i].ra = (entered[i] & CFG_ENTERED_EXTERNAL) || ((entered[i] & CFG_ENTERED_INDIRECT) && a.open);
    /* Everything below only grows: the least fixed point of all. */
    for (bool changed = true; changed;) {
        changed = false;
        for (bool more = true; more;) {
            more = false;
            for (size_t i = 0; i < cfg->nfuncs; i++) {
                bool re, pt;
                forward(&a, i, &re, &pt);
                if ((re && !a.s[i].re) || (pt && !a.s[i].pt)) {
                    a.s[i].re |= re;
                    a.s[i].pt |= pt;
                    more = changed = true;
                }
                if ((entered[i] & CFG_ENTERED_INDIRECT) && ((re && !a.re_any) || (pt && !a.pt_any))) {
                    a.re_any |= re;
                    a.pt_any |= pt;
                    more = changed = true;
                }
            }
        }
        changed |= sweep(&a, &cv);
        for (bool more = true; more;) {
            more = false;
            for (size_t i = 0; i < cfg->nfuncs; i++) {
                if (a.ra_ind && (entered[i] & CFG_ENTERED_INDIRECT) && !a.s[i].ra)
                    a.s[i].ra = more = true;
                liveness(&a, i);
                more |= spread(&a, i);
            }
            changed |= more;
        }
    }
    rc = collect_flagfree(&a);
    cfg->flags_off_at = a.land_live ? a.land_at : 0;
out:
    free(a.s);
    free(a.live);
    free(a.stack);
    free(a.seen);
    free(sp);
    free(cv.lo);
    free(cv.hi);
    return rc;
}
