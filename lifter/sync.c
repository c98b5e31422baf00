/*
 * sync.c - where the guest registers meet the CpuState.
 *
 * Inside a lifted function the guest registers passed between functions
 * (CPU_PASS), the flags N Z C V and V0-V31 are allocas that SROA turns
 * into SSA values (the other X registers never leave the CpuState:
 * lift_function).  The
 * CpuState must hold the truth wherever the state can be observed: before
 * a call, a return, an indirect jump, a system call, a trap ("sync out");
 * and after a call or a system call the allocas must take the values the
 * other side left there ("sync in").  The handlers only mark those points
 * (lift_sync_out / lift_sync_in: a call to a marker function); once the
 * whole function is lifted, sync_materialize decides what each point
 * really has to move, by two data-flow analyses over the function's LLVM
 * blocks:
 *
 *   dirty (forward, may):  a register written since the last sync point
 *                          on some path.  A sync out stores only those:
 *                          the others still hold what the CpuState holds.
 *   live (backward):       a register that may be read - by a guest
 *                          instruction, or by a later sync out that stores
 *                          it - before it is written.  A sync in (and the
 *                          function's entry) loads only those.  Where paths
 *                          join and a register is dirty on one of them and
 *                          clean on another, the clean one loads it just
 *                          before the join (edge_reload) instead of keeping
 *                          the value of its last sync in alive.
 *
 * Example, from before calls passed registers (session 18) and the X
 * registers not passed left SSA (session 19), when all were allocas: a
 * function that saves X19/X20 in its prologue, then calls f
 * three times with X0 = X19 + i, stores X0 and X30 (written) before each
 * call, and reloads only X19, X20 and SP after each (the registers it goes
 * on to read); the 28 others it never touches again cost nothing.  Before
 * this analysis every point moved every register the function mentions:
 * about 40% of all lifted IR was those loads and stores, and each reload
 * made a phi at every join.
 *
 * Correctness rests on two facts.  Between sync points nothing but the
 * lifted code itself changes the registers in the CpuState (runtime helpers
 * called in between, such as dbt_rt_f16 or the cache operations, touch
 * only FPSR, the exclusive monitor and memory).  And a register that is
 * clean on one path into a sync out but dirty on another is stored on
 * both: on the clean path the alloca holds the value last loaded from the
 * CpuState, which liveness guarantees was loaded.
 *
 * Calls and returns between translated functions pass some registers in
 * host registers (cpu_state.h: CPU_PASS): their sync points (SYNC_OUT_CALL,
 * SYNC_IN_CALL) move only the other registers, and leave the passed ones as
 * they are - dirty or not.  A passed register is dirty from the function's
 * entry (its value is an argument, the CpuState's may be older) and after
 * every call (its value is a result): stored at the first sync point that
 * needs it (a system call's), never at a call or a return.
 *
 * Register numbers here: 0-30 X0-X30, 31 SP, 32-35 N Z C V, 36-67 V0-V31.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "a64_lift.h"

enum { R_SP = 31, R_FLAG0 = 32, R_V0 = 36, NREG = 68 };

typedef struct RegSet {
    uint64_t w[2];
} RegSet;

static inline void rs_add(RegSet *s, unsigned r) { s->w[r >> 6] |= 1ull << (r & 63); }
static inline void rs_del(RegSet *s, unsigned r) { s->w[r >> 6] &= ~(1ull << (r & 63)); }
static inline bool rs_has(const RegSet *s, unsigned r) { return s->w[r >> 6] >> (r & 63) & 1; }
static inline void rs_or(RegSet *a, const RegSet *b) { a->w[0] |= b->w[0], a->w[1] |= b->w[1]; }
static inline bool rs_eq(const RegSet *a, const RegSet *b) { return a->w[0] == b->w[0] && a->w[1] == b->w[1]; }

/* An access to a register alloca or a sync marker, in block order. */
enum EvKind { EV_READ, EV_WRITE, EV_OUT, EV_IN };
typedef struct Event {
    uint8_t kind;     /* enum EvKind */
    uint32_t arg;     /* register (READ, WRITE) or marker index (OUT, IN) */
} Event;

typedef struct Block {
    size_t ev0, nev;  /* its events: ev[ev0 .. ev0 + nev) */
    size_t succ0, nsucc; /* its successors: succ[succ0 ..) */
    size_t pred0, npred; /* its predecessors: pred[pred0 ..) */
    RegSet din, dout; /* dirty at entry / exit */
    RegSet lin;       /* live at entry */
    RegSet reload;    /* loaded at its end (see live_flow) */
    RegSet flush;     /* stored at its end (see flush_before_loops) */
    /* Summaries of its events, so that the fixpoints need not walk them:
     * dirty: dout = (din & dkeep) | dgen; live: lin = lsync ? luse :
     * luse | (live out - ldef), luse/ldef taken above its first full sync
     * in (live_flow). */
    bool lsync;
    RegSet dgen, dkeep, luse, ldef;
    bool queued;      /* on the work list */
} Block;

static LLVMValueRef reg_alloca(const Lifter *l, unsigned r)
{
    if (r < NUM_GPR)
        return l->x[r];
    if (r == R_SP)
        return l->sp;
    if (r < R_V0)
        return l->flag[r - R_FLAG0];
    return l->vreg[r - R_V0];
}

/* ---- markers ----------------------------------------------------------- */

/* SYNC_OUT_CALL_NF: a call or return after which no one reads the flags
 * and whose callee does not read them (aot/cfg_flags.c): it leaves the
 * flags as it leaves the passed registers. */
enum { SYNC_IN, SYNC_OUT, SYNC_OUT_RARE, SYNC_OUT_CALL, SYNC_IN_CALL, SYNC_OUT_CALL_NF };

static bool kind_out(uint8_t k)
{
    return k == SYNC_OUT || k == SYNC_OUT_RARE || k == SYNC_OUT_CALL || k == SYNC_OUT_CALL_NF;
}

/* The passed registers (lift_is_passed), as a set. */
static RegSet passed_set(void)
{
    RegSet s = {{0, 0}};
    for (unsigned r = 0; r <= R_SP; r++)
        if (lift_is_passed(r))
            rs_add(&s, r);
    return s;
}

static void add_sync(Lifter *l, uint8_t kind)
{
    if (l->nsyncs == l->capsyncs) {
        size_t cap = l->capsyncs ? l->capsyncs * 2 : 64;
        LLVMValueRef *s = realloc(l->syncs, cap * sizeof *s);
        uint8_t *o = realloc(l->sync_out, cap * sizeof *o);
        if (s == NULL || o == NULL) {
            /* The lifter has no error path for this: as every allocation
             * inside LLVM, running out of memory ends the process. */
            abort();
        }
        l->syncs = s, l->sync_out = o, l->capsyncs = cap;
    }
    l->syncs[l->nsyncs] = LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->marker_fn), l->marker_fn, NULL, 0, "");
    l->sync_out[l->nsyncs++] = kind;
    if (kind_out(kind)) { /* the state becomes observable: every flag not written yet is read */
        l->blk_flags_read_first |= ~l->blk_flags_written & 0xf;
        l->insn_flags_read_first |= ~l->insn_flags_written & 0xf;
    }
}

void lift_sync_out(Lifter *l) { add_sync(l, SYNC_OUT); }
void lift_sync_out_rare(Lifter *l) { add_sync(l, SYNC_OUT_RARE); }
void lift_sync_in(Lifter *l) { l->cmp_a = NULL, add_sync(l, SYNC_IN); }
void lift_sync_out_call(Lifter *l) { add_sync(l, SYNC_OUT_CALL); }
void lift_sync_in_call(Lifter *l) { l->cmp_a = NULL, add_sync(l, SYNC_IN_CALL); }
void lift_sync_out_call_noflags(Lifter *l) { add_sync(l, SYNC_OUT_CALL_NF); }

void sync_begin(Lifter *l)
{
    l->nsyncs = 0;
    u64map_free(&l->sync_regs);
    if (l->memregs)
        return; /* no allocas: nothing to sync */
    for (unsigned r = 0; r < NREG; r++) {
        bool added;
        if (reg_alloca(l, r) == NULL)
            continue; /* kept in the CpuState (lift_function) */
        U64Entry *e = u64map_insert(&l->sync_regs, (uint64_t)(uintptr_t)reg_alloca(l, r), &added);
        if (e == NULL)
            abort(); /* out of memory, see add_sync */
        e->val = r;
    }
}

/* ---- the analyses ------------------------------------------------------- */

/* The register whose alloca is P, or -1. */
static int reg_of(const Lifter *l, LLVMValueRef p)
{
    const U64Entry *e = u64map_find(&l->sync_regs, (uint64_t)(uintptr_t)p);
    return e ? (int)e->val : -1;
}

typedef struct Flow {
    const uint8_t *kind; /* per marker (Lifter.sync_out) */
    RegSet pass;      /* passed_set() */
    Block *bb;
    size_t nbb;
    Event *ev;
    size_t nev, capev;
    size_t *succ, *pred;
    size_t nsucc, capsucc;
    RegSet *at;       /* per marker: dirty set (OUT) or live set (IN) */
} Flow;

/* What sync point M leaves as it is: the passed registers for the sync
 * points of calls, returns and safe points (whose call of the runtime
 * stores them itself: lifter.c, safe_point_call), nothing for the
 * others. */
static RegSet kept(const Flow *fl, uint32_t m)
{
    uint8_t k = fl->kind[m];
    if (k == SYNC_OUT_CALL_NF) {
        RegSet s = fl->pass;
        for (unsigned f = 0; f < 4; f++)
            rs_add(&s, R_FLAG0 + f);
        return s;
    }
    return k == SYNC_OUT_CALL || k == SYNC_IN_CALL || k == SYNC_OUT_RARE ? fl->pass : (RegSet){{0, 0}};
}

/* What stays dirty after sync point M: what it leaves as it is - and, after
 * a safe point's (SYNC_OUT_RARE), everything.  The safe point stores the
 * dirty registers for the signal handler to see, but the code goes on after
 * it only if the handler gave the state back unchanged (dbt_rt_safepoint),
 * holding the same values: were they clean there, the join after the safe
 * point would reload them from the CpuState (edge_reload), and every
 * register dirty at a loop header - the passed ones always are - would get
 * a phi at the header and at every join of the loop. */
static RegSet stays_dirty(const Flow *fl, uint32_t m)
{
    return fl->kind[m] == SYNC_OUT_RARE ? (RegSet){{~0ull, ~0ull}} : kept(fl, m);
}

static void *grow(void *p, size_t *cap, size_t need, size_t elt)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    p = realloc(p, c * elt);
    if (p == NULL)
        abort(); /* out of memory, see add_sync */
    *cap = c;
    return p;
}

static void push_event(Flow *fl, enum EvKind k, uint32_t arg)
{
    fl->ev = grow(fl->ev, &fl->capev, fl->nev + 1, sizeof *fl->ev);
    fl->ev[fl->nev++] = (Event){(uint8_t)k, arg};
}

/* Events and successors of every block. */
static void scan(Lifter *l, Flow *fl, U64Map *bbidx, U64Map *marks)
{
    size_t i = 0;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(l->fn); b; b = LLVMGetNextBasicBlock(b), i++) {
        Block *blk = &fl->bb[i];
        blk->ev0 = fl->nev;
        for (LLVMValueRef in = LLVMGetFirstInstruction(b); in; in = LLVMGetNextInstruction(in)) {
            LLVMOpcode op = LLVMGetInstructionOpcode(in);
            int r;
            if (op == LLVMLoad && (r = reg_of(l, LLVMGetOperand(in, 0))) >= 0)
                push_event(fl, EV_READ, (uint32_t)r);
            else if (op == LLVMStore && (r = reg_of(l, LLVMGetOperand(in, 1))) >= 0)
                push_event(fl, EV_WRITE, (uint32_t)r);
            else if (op == LLVMCall) {
                const U64Entry *e = u64map_find(marks, (uint64_t)(uintptr_t)in);
                if (e != NULL)
                    push_event(fl, kind_out(l->sync_out[e->val]) ? EV_OUT : EV_IN, (uint32_t)e->val);
            }
        }
        blk->nev = fl->nev - blk->ev0;
        LLVMValueRef term = LLVMGetBasicBlockTerminator(b);
        unsigned ns = term ? LLVMGetNumSuccessors(term) : 0;
        blk->succ0 = fl->nsucc;
        fl->succ = grow(fl->succ, &fl->capsucc, fl->nsucc + ns, sizeof *fl->succ);
        for (unsigned k = 0; k < ns; k++) {
            const U64Entry *e = u64map_find(bbidx, (uint64_t)(uintptr_t)LLVMGetSuccessor(term, k));
            assert(e != NULL);
            fl->succ[fl->nsucc++] = e->val;
        }
        blk->nsucc = fl->nsucc - blk->succ0;
    }
}

/* Predecessor lists (from the successor lists) and the block summaries. */
static void prepare(Flow *fl)
{
    fl->pred = malloc((fl->nsucc ? fl->nsucc : 1) * sizeof *fl->pred);
    if (fl->pred == NULL)
        abort(); /* out of memory, see add_sync */
    for (size_t i = 0; i < fl->nbb; i++)
        fl->bb[i].npred = 0;
    for (size_t k = 0; k < fl->nsucc; k++)
        fl->bb[fl->succ[k]].npred++;
    size_t at = 0;
    for (size_t i = 0; i < fl->nbb; i++) {
        fl->bb[i].pred0 = at;
        at += fl->bb[i].npred;
        fl->bb[i].npred = 0;
    }
    for (size_t i = 0; i < fl->nbb; i++)
        for (size_t k = 0; k < fl->bb[i].nsucc; k++) {
            Block *s = &fl->bb[fl->succ[fl->bb[i].succ0 + k]];
            fl->pred[s->pred0 + s->npred++] = i;
        }
    for (size_t i = 0; i < fl->nbb; i++) {
        Block *b = &fl->bb[i];
        b->dgen = (RegSet){{0, 0}};
        b->dkeep = (RegSet){{~0ull, ~0ull}};
        b->lsync = false;
        for (size_t k = 0; k < b->nev; k++) {
            const Event *e = &fl->ev[b->ev0 + k];
            if (e->kind == EV_WRITE) {
                rs_add(&b->dgen, e->arg);
            } else if (e->kind == EV_READ) {
                continue;
            } else {
                RegSet keep = stays_dirty(fl, e->arg);
                for (int w = 0; w < 2; w++)
                    b->dgen.w[w] &= keep.w[w], b->dkeep.w[w] &= keep.w[w];
                if (e->kind == EV_IN && (keep.w[0] | keep.w[1]) == 0)
                    b->lsync = true;
            }
        }
    }
}

/* The block work list: a ring of indices, each block on it at most once. */
typedef struct Queue {
    size_t *v, cap, head, n;
} Queue;

static void q_push(Flow *fl, Queue *q, size_t i)
{
    if (fl->bb[i].queued)
        return;
    fl->bb[i].queued = true;
    q->v[(q->head + q->n++) % q->cap] = i;
}

static size_t q_pop(Flow *fl, Queue *q)
{
    size_t i = q->v[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    fl->bb[i].queued = false;
    return i;
}

/* Forward, may: registers written since the last sync point.  Leaves in
 * fl->at[m] the dirty set at each sync-out marker m. */
static void dirty_flow(Flow *fl, Queue *q)
{
    for (size_t i = 0; i < fl->nbb; i++) {
        fl->bb[i].din = fl->bb[i].dout = (RegSet){{0, 0}};
        q_push(fl, q, i);
    }
    while (q->n > 0) {
        Block *b = &fl->bb[q_pop(fl, q)];
        RegSet d = b->dgen;
        for (int w = 0; w < 2; w++)
            d.w[w] |= b->din.w[w] & b->dkeep.w[w];
        d.w[0] &= ~b->flush.w[0], d.w[1] &= ~b->flush.w[1];
        b->dout = d;
        for (size_t k = 0; k < b->nsucc; k++) {
            size_t si = fl->succ[b->succ0 + k];
            Block *s = &fl->bb[si];
            RegSet n = s->din;
            rs_or(&n, &d);
            if (!rs_eq(&n, &s->din)) {
                s->din = n;
                q_push(fl, q, si);
            }
        }
    }
    /* The dirty set at each sync out. */
    for (size_t i = 0; i < fl->nbb; i++) {
        const Block *b = &fl->bb[i];
        RegSet d = b->din;
        for (size_t k = 0; k < b->nev; k++) {
            const Event *e = &fl->ev[b->ev0 + k];
            if (e->kind == EV_WRITE) {
                rs_add(&d, e->arg);
            } else if (e->kind == EV_OUT || e->kind == EV_IN) {
                RegSet keep = kept(fl, e->arg), stay = stays_dirty(fl, e->arg);
                for (int w = 0; w < 2; w++) {
                    if (e->kind == EV_OUT)
                        fl->at[e->arg].w[w] = d.w[w] & ~keep.w[w];
                    d.w[w] &= stay.w[w];
                }
            }
        }
    }
}

/* Stores at the edges into loops.  A register written before a loop that
 * calls is dirty at the loop's header - from the entry edge - and every
 * call in the loop would store it again, iteration after iteration: the
 * callee-saved registers a function sets up before its main loop (an
 * interpreter's loop, a merge sort's comparator calls).  Storing such a
 * register once at the end of the entry edges' blocks makes it clean in
 * the whole loop when the loop never writes it, or when every cycle of the
 * loop passes a sync point after its last write (it is clean on every back
 * edge).  The store is early, never extra on a path that reaches a store
 * of the loop: it is done only for loops with a sync out (a safe point's,
 * taken once in 1,024 iterations and only when a signal waits, does not
 * count), and it replaces their stores.  Loops are found as in loops.c
 * (lift_back_edges, here over the LLVM blocks); a loop's body is its
 * header and what reaches a back edge's source without passing the
 * header. */
/* lift_back_edges over the LLVM blocks: what flush_before_loops keeps of
 * each back edge. */
typedef struct LoopSearch {
    const Flow *fl;
    bool *back;         /* per successor entry */
    bool *header;
    RegSet *clean_back; /* per header: clean at the end of every back edge */
} LoopSearch;

static long block_succ(void *ctx, size_t i, size_t k)
{
    const Flow *fl = ((const LoopSearch *)ctx)->fl;
    return k < fl->bb[i].nsucc ? (long)fl->succ[fl->bb[i].succ0 + k] : -2;
}

static void block_back(void *ctx, size_t i, size_t k, size_t s)
{
    LoopSearch *ls = ctx;
    const Block *b = &ls->fl->bb[i];
    ls->back[b->succ0 + k] = true;
    if (!ls->header[s]) {
        ls->header[s] = true;
        ls->clean_back[s].w[0] = ls->clean_back[s].w[1] = ~0ull;
    }
    for (int w = 0; w < 2; w++)
        ls->clean_back[s].w[w] &= ~b->dout.w[w];
}

static void flush_before_loops(const Lifter *l, Flow *fl)
{
    size_t n = fl->nbb ? fl->nbb : 1;
    bool *back = calloc(fl->nsucc ? fl->nsucc : 1, sizeof *back);
    size_t *stack = malloc(n * sizeof *stack);
    size_t *mark = calloc(n, sizeof *mark); /* in the body of the loop of header mark - 1 */
    RegSet *clean_back = calloc(n, sizeof *clean_back), *written = calloc(n, sizeof *written);
    bool *header = calloc(n, sizeof *header), *has_out = calloc(n, sizeof *has_out);
    if (!back || !stack || !mark || !clean_back || !written || !header || !has_out)
        abort(); /* out of memory, see add_sync */
    for (size_t i = 0; i < fl->nbb; i++) /* every write and sync out of each block */
        for (size_t k = 0; k < fl->bb[i].nev; k++) {
            const Event *e = &fl->ev[fl->bb[i].ev0 + k];
            if (e->kind == EV_WRITE)
                rs_add(&written[i], e->arg);
            has_out[i] |= e->kind == EV_OUT && l->sync_out[e->arg] != SYNC_OUT_RARE;
        }
    LoopSearch ls = {fl, back, header, clean_back};
    if (!lift_back_edges(fl->nbb, 0, block_succ, block_back, &ls))
        abort(); /* out of memory, see add_sync */
    for (size_t h = 0; h < fl->nbb; h++) {
        if (!header[h])
            continue;
        const Block *hb = &fl->bb[h];
        /* The body: walk back from the back edges' sources. */
        RegSet wr = written[h];
        bool out = has_out[h];
        mark[h] = h + 1;
        size_t sp = 0;
        for (size_t k = 0; k < hb->npred; k++) {
            size_t p = fl->pred[hb->pred0 + k];
            const Block *pb = &fl->bb[p];
            for (size_t j = pb->succ0; j < pb->succ0 + pb->nsucc; j++)
                if (fl->succ[j] == h && back[j] && mark[p] != h + 1) {
                    mark[p] = h + 1;
                    stack[sp++] = p;
                }
        }
        while (sp > 0) {
            size_t b = stack[--sp];
            rs_or(&wr, &written[b]);
            out |= has_out[b];
            for (size_t k = 0; k < fl->bb[b].npred; k++) {
                size_t p = fl->pred[fl->bb[b].pred0 + k];
                if (mark[p] != h + 1) {
                    mark[p] = h + 1;
                    stack[sp++] = p;
                }
            }
        }
        if (!out)
            continue; /* no store in the loop to save */
        RegSet cand;
        for (int w = 0; w < 2; w++)
            cand.w[w] = hb->din.w[w] & (clean_back[h].w[w] | ~wr.w[w]);
        for (size_t k = 0; k < hb->npred; k++) { /* the entry edges */
            size_t p = fl->pred[hb->pred0 + k];
            if (mark[p] == h + 1)
                continue;
            for (int w = 0; w < 2; w++)
                fl->bb[p].flush.w[w] |= fl->bb[p].dout.w[w] & cand.w[w];
        }
    }
    free(back);
    free(stack);
    free(mark);
    free(clean_back);
    free(written);
    free(header);
    free(has_out);
}

/* Registers live at the entry of S that the edge B -> S supplies with a
 * load at the end of B: dirty at S's entry (so on some other edge the
 * value is new) but clean at B's exit.  Loading them there, instead of
 * keeping the value loaded at the last sync in alive all the way, keeps
 * "dirty on one path" from making a register live across everything
 * before the join.  (A load at the end of B is right whatever successor
 * is taken: the register is clean there, the CpuState holds its value.) */
static RegSet edge_reload(const Block *b, const Block *s)
{
    RegSet r;
    for (int k = 0; k < 2; k++)
        r.w[k] = s->lin.w[k] & s->din.w[k] & ~b->dout.w[k] & ~b->flush.w[k];
    return r;
}

/* Live at the end of B (its reloads taken out, its flushes - stores -
 * added), and B's reloads. */
static RegSet live_out(const Flow *fl, const Block *b, RegSet *reload)
{
    RegSet live = b->flush, rl = {{0, 0}};
    for (size_t k = 0; k < b->nsucc; k++) {
        const Block *s = &fl->bb[fl->succ[b->succ0 + k]];
        RegSet r = edge_reload(b, s);
        rs_or(&rl, &r);
        live.w[0] |= s->lin.w[0];
        live.w[1] |= s->lin.w[1];
    }
    live.w[0] &= ~rl.w[0];
    live.w[1] &= ~rl.w[1];
    *reload = rl;
    return live;
}

/* Backward: registers that may be read - by a guest instruction or by a
 * sync out that stores them - before they are written.  Leaves in fl->at[m]
 * the live set at each sync-in marker m (what it must load) and in each
 * block's reload what its end loads (edge_reload).  The sync outs' sets
 * (dirty_flow's) are uses: the summaries are completed with them here. */
static void live_flow(Flow *fl, Queue *q)
{
    for (size_t i = 0; i < fl->nbb; i++) {
        Block *b = &fl->bb[i];
        b->luse = b->ldef = (RegSet){{0, 0}};
        for (size_t k = 0; k < b->nev; k++) {
            const Event *e = &fl->ev[b->ev0 + k];
            if (e->kind == EV_IN) { /* loads the registers it does not keep: defines them */
                RegSet keep = kept(fl, e->arg);
                if ((keep.w[0] | keep.w[1]) == 0)
                    break; /* a full sync in: nothing after it is live at the top */
                for (int w = 0; w < 2; w++)
                    b->ldef.w[w] |= ~keep.w[w] & ~b->luse.w[w];
            } else if (e->kind == EV_WRITE) {
                if (!rs_has(&b->luse, e->arg))
                    rs_add(&b->ldef, e->arg);
            } else if (e->kind == EV_READ) {
                if (!rs_has(&b->ldef, e->arg))
                    rs_add(&b->luse, e->arg);
            } else { /* EV_OUT: stores its dirty set */
                for (int w = 0; w < 2; w++)
                    b->luse.w[w] |= fl->at[e->arg].w[w] & ~b->ldef.w[w];
            }
        }
        b->lin = b->reload = (RegSet){{0, 0}};
    }
    for (size_t i = fl->nbb; i-- > 0;)
        q_push(fl, q, i);
    while (q->n > 0) {
        size_t bi = q_pop(fl, q);
        Block *b = &fl->bb[bi];
        RegSet rl, live = b->luse;
        if (!b->lsync) {
            RegSet out = live_out(fl, b, &rl);
            for (int w = 0; w < 2; w++)
                live.w[w] |= out.w[w] & ~b->ldef.w[w];
        }
        if (!rs_eq(&live, &b->lin)) {
            b->lin = live;
            /* A predecessor's live out, and its reloads, depend on this. */
            for (size_t k = 0; k < b->npred; k++)
                q_push(fl, q, fl->pred[b->pred0 + k]);
        }
    }
    /* The live set at each sync in, and each block's reloads. */
    for (size_t i = 0; i < fl->nbb; i++) {
        Block *b = &fl->bb[i];
        RegSet live = live_out(fl, b, &b->reload);
        for (size_t k = b->nev; k-- > 0;) {
            const Event *e = &fl->ev[b->ev0 + k];
            switch (e->kind) {
            case EV_READ: rs_add(&live, e->arg); break;
            case EV_WRITE: rs_del(&live, e->arg); break;
            case EV_OUT: rs_or(&live, &fl->at[e->arg]); break;
            case EV_IN: {
                RegSet keep = kept(fl, e->arg);
                for (int w = 0; w < 2; w++) {
                    fl->at[e->arg].w[w] = live.w[w] & ~keep.w[w];
                    live.w[w] &= keep.w[w];
                }
                break;
            }
            }
        }
    }
}

/* ---- materialization ----------------------------------------------------- */

static unsigned reg_offset(unsigned r)
{
    static const unsigned flag_off[4] = {CPU_OFF_n, CPU_OFF_z, CPU_OFF_c, CPU_OFF_v};
    if (r < NUM_GPR)
        return CPU_OFF_x + 8 * r;
    if (r == R_SP)
        return CPU_OFF_sp;
    if (r < R_V0)
        return flag_off[r - R_FLAG0];
    return CPU_OFF_vreg + 16 * (r - R_V0);
}

static void emit_out(Lifter *l, const RegSet *set)
{
    for (unsigned r = 0; r < NREG; r++) {
        if (!rs_has(set, r))
            continue;
        LLVMValueRef p = cpu_field(l, reg_offset(r));
        if (r >= R_V0) {
            LLVMValueRef v = LLVMBuildLoad2(l->b, l->vty, reg_alloca(l, r), "");
            LLVMSetAlignment(LLVMBuildStore(l->b, v, p), 16);
        } else if (r >= R_FLAG0) {
            LLVMValueRef v = LLVMBuildLoad2(l->b, l->i1, reg_alloca(l, r), "");
            LLVMBuildStore(l->b, LLVMBuildZExt(l->b, v, l->i8, ""), p);
        } else {
            LLVMBuildStore(l->b, LLVMBuildLoad2(l->b, l->i64, reg_alloca(l, r), ""), p);
        }
    }
}

static void emit_in(Lifter *l, const RegSet *set)
{
    for (unsigned r = 0; r < NREG; r++) {
        if (!rs_has(set, r))
            continue;
        LLVMValueRef p = cpu_field(l, reg_offset(r));
        if (r >= R_V0) {
            LLVMValueRef v = LLVMBuildLoad2(l->b, l->vty, p, "");
            LLVMSetAlignment(v, 16);
            LLVMBuildStore(l->b, v, reg_alloca(l, r));
        } else if (r >= R_FLAG0) {
            LLVMValueRef b8 = LLVMBuildLoad2(l->b, l->i8, p, "");
            LLVMBuildStore(l->b, LLVMBuildTrunc(l->b, b8, l->i1, ""), reg_alloca(l, r));
        } else {
            LLVMBuildStore(l->b, LLVMBuildLoad2(l->b, l->i64, p, ""), reg_alloca(l, r));
        }
    }
}

void sync_materialize(Lifter *l)
{
    if (l->memregs) { /* the registers never leave the CpuState */
        for (size_t m = 0; m < l->nsyncs; m++)
            LLVMInstructionEraseFromParent(l->syncs[m]);
        l->nsyncs = 0;
        return;
    }
    Flow fl = {.kind = l->sync_out, .pass = passed_set()};
    U64Map bbidx = {0}, marks = {0};
    fl.nbb = LLVMCountBasicBlocks(l->fn);
    fl.bb = calloc(fl.nbb ? fl.nbb : 1, sizeof *fl.bb);
    fl.at = calloc(l->nsyncs ? l->nsyncs : 1, sizeof *fl.at);
    if (fl.bb == NULL || fl.at == NULL)
        abort(); /* out of memory, see add_sync */
    size_t i = 0;
    bool added;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(l->fn); b; b = LLVMGetNextBasicBlock(b), i++) {
        U64Entry *e = u64map_insert(&bbidx, (uint64_t)(uintptr_t)b, &added);
        if (e == NULL)
            abort();
        e->val = i;
    }
    for (size_t m = 0; m < l->nsyncs; m++) {
        U64Entry *e = u64map_insert(&marks, (uint64_t)(uintptr_t)l->syncs[m], &added);
        if (e == NULL)
            abort();
        e->val = m;
    }
    scan(l, &fl, &bbidx, &marks);
    prepare(&fl);
    Queue q = {malloc((fl.nbb ? fl.nbb : 1) * sizeof *q.v), fl.nbb ? fl.nbb : 1, 0, 0};
    if (q.v == NULL)
        abort(); /* out of memory, see add_sync */
    dirty_flow(&fl, &q); /* fills at[] of the sync outs, which live_flow reads */
    flush_before_loops(l, &fl);
    dirty_flow(&fl, &q); /* again, with the loops' flushes */
    live_flow(&fl, &q);  /* fills at[] of the sync ins */
    free(q.v);
    for (size_t m = 0; m < l->nsyncs; m++) {
        LLVMPositionBuilderBefore(l->b, l->syncs[m]);
        if (kind_out(l->sync_out[m]))
            emit_out(l, &fl.at[m]);
        else
            emit_in(l, &fl.at[m]);
        LLVMInstructionEraseFromParent(l->syncs[m]);
    }
    i = 0;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(l->fn); b; b = LLVMGetNextBasicBlock(b), i++) {
        if (fl.bb[i].flush.w[0] | fl.bb[i].flush.w[1]) {
            LLVMPositionBuilderBefore(l->b, LLVMGetBasicBlockTerminator(b));
            emit_out(l, &fl.bb[i].flush);
        }
        if (fl.bb[i].reload.w[0] | fl.bb[i].reload.w[1]) {
            LLVMPositionBuilderBefore(l->b, LLVMGetBasicBlockTerminator(b));
            emit_in(l, &fl.bb[i].reload);
        }
    }
    l->nsyncs = 0;
    u64map_free(&bbidx);
    u64map_free(&marks);
    free(fl.bb);
    free(fl.ev);
    free(fl.succ);
    free(fl.pred);
    free(fl.at);
}
