/*
 * cfg.c - control-flow recovery by recursive descent (see cfg.h).
 *
 * Example: for
 *
 *     400600 <f>:  cbz  x0, 400610      ; block 400600 ends here (cond)
 *     400604       bl   400700 <g>      ; g becomes a function
 *     400608       add  x0, x0, #1
 *     40060c       b    400800 <h>      ; outside f's extent: tail call to h
 *     400610       ret
 *
 * f gets leaders {400600, 400604, 400610} with ends {400604, 400610, 400614}
 * and g and h are explored as functions of their own.
 *
 * Extents.  Whether a direct branch stays inside its function or is a tail
 * call is decided by the function's extent [lo, hi), from the first of:
 *
 *   1. the function symbol containing the entry (st_value, st_size);
 *   2. the .eh_frame FDE containing it ([pc_begin, pc_begin + pc_range)):
 *      strip keeps .eh_frame, which the program's own unwinder reads (C++
 *      exceptions, backtrace(), pthread_cancel);
 *   3. else from the entry up to the next "start", an address where some
 *      function is known or likely to begin: symbols, code labels, FDE
 *      starts and ends, ends of the code sections, the target of any BL
 *      word in the code, the address-taken functions.
 *
 *     .text  |f1 (FDE)         |pad|f2 (FDE)     |f3 (no FDE)   |f4 (FDE)
 *            "b f2" in f1: a tail call, f2 starts an FDE
 *            f3: extent [f3, f4) (kind 3)
 *
 * A direct branch to the start of a symbol or an FDE is a tail call; from
 * an extent of kind 3, one to any function entry found so far is one too.
 * Recovery runs in passes: the entries a pass finds (tail-call targets,
 * computed addresses) become starts, and if one lies inside an extent of
 * kind 3, that function ran on into another and the next pass cuts it
 * there.  Programs whose code symbols or FDEs describe need one or two.
 *
 * Address-taken functions.  A stored code pointer is an entry if it starts
 * a symbol, a code label or an FDE, or if no symbol and no FDE covers it
 * (assembly without CFI, code built without unwind tables) and the word
 * before it does not run into it (a coincidental value in the middle of a
 * function does).  A computed one (ADR, ADRP+ADD) likewise, but inside
 * the computing function's own extent it must start something (else it is
 * a jump-table base or another label of that function) - unless it is
 * handed to a callee in x0-x7: glibc's _start passes __wrap_main, a label
 * inside _start's FDE, to __libc_start_main.
 *
 * With section headers, only SHF_EXECINSTR sections are code: .rodata and
 * .eh_frame share the executable segment but are never decoded
 * (sections.h).  Without them (sstrip), .eh_frame is found through
 * PT_GNU_EH_FRAME if present (ehframe.c), and only the span of the FDEs
 * holds plausible entries.
 */
#include "cfg.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "ehframe.h"
#include "ranges.h"
#include "sections.h"
#include "u64_vec.h"

/* A work-list push that cannot fail: out of memory ends the tool, as in
 * addrset_add. */
static void vec_push(U64Vec *x, uint64_t a)
{
    if (!u64vec_push(x, a))
        diag_out_of_memory();
}

/* Likewise for a range list. */
static void range_push(RangeVec *x, uint64_t lo, uint64_t hi)
{
    if (!ranges_push(x, lo, hi))
        diag_out_of_memory();
}

typedef struct Ctx {
    const GuestImage *img;
    uint64_t *codeptrs;   /* 8-byte aligned values in the image that point at
                             code, sorted, unique */
    size_t ncodeptrs;
    GuestSections sec;    /* the code sections (empty without section
                             headers: then the executable segments are the
                             code) and where .eh_frame is */
    RangeVec fdes;        /* function extents from .eh_frame FDEs
                             (ehframe_ranges), sorted by lo, unique lo */
    LandingPads pads;     /* C++ landing pads by function (ehframe_landing_pads):
                             entries of their own, the unwinder jumps there */
    uint64_t *starts;     /* where an extent of kind 3 ends (see above),
                             sorted, unique */
    size_t nstarts;
    U64Vec roots;         /* the entry point and the address-taken functions
                             known before exploring */
    U64Vec root_src;      /* enum CfgSource of each root */
    AddrSet funcs;        /* known function entries (this pass) */
    U64Vec todo;          /* function entries not explored yet */
    U64Vec todo_src;      /* enum CfgSource of each */
    RangeVec loose;       /* the extents of kind 3 of this pass */
    AddrSet indirect;     /* entries whose address is stored or computed, and */
    AddrSet external;     /* entries found as roots or by falling into them,
                             in any pass (cfg_flags) */
} Ctx;

static bool fde_starts_at(const Ctx *c, uint64_t a)
{
    const AddrRange *r = ranges_find(&c->fdes, a);
    return r != NULL && r->lo == a;
}

static bool is_code(const Ctx *c, uint64_t a)
{
    return sections_is_code(&c->sec, c->img, a);
}

static bool read_word(const Ctx *c, uint64_t pc, uint32_t *w)
{
    uint8_t b[4];
    if (!is_code(c, pc) || !elf_read(c->img, pc, b, 4))
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static void add_function(Ctx *c, uint64_t pc, enum CfgSource src)
{
    if (pc == 0 || (pc & 3) || !is_code(c, pc))
        return;
    if (src == CFG_FROM_POINTER || src == CFG_FROM_ADDRESS)
        addrset_add(&c->indirect, pc);
    else if (src == CFG_FROM_ENTRY || src == CFG_FROM_LOADER || src == CFG_FROM_SYMBOL)
        addrset_add(&c->external, pc); /* a call, a branch or a fall into it: an edge cfg_flags sees */
    if (addrset_add(&c->funcs, pc)) {
        vec_push(&c->todo, pc);
        vec_push(&c->todo_src, src);
    }
}

static void add_root(Ctx *c, uint64_t pc, enum CfgSource src)
{
    vec_push(&c->roots, pc);
    vec_push(&c->root_src, src);
}

const char *cfg_source_name(enum CfgSource s)
{
    static const char *const names[CFG_NSOURCES] = {"entry", "loader", "symbol", "pointer",
                                                    "call", "jump", "address", "fallthrough"};
    return s < CFG_NSOURCES ? names[s] : "?";
}

static void note_unresolved(Cfg *cfg, uint64_t br)
{
    size_t n = cfg->nunresolved;
    if ((n & (n - 1)) == 0) {   /* 0, 1, 2, 4, ...: grow to the next power of two */
        uint64_t *v = realloc(cfg->unresolved, (n ? 2 * n : 1) * sizeof *v);
        if (v == NULL)
            diag_out_of_memory();
        cfg->unresolved = v;
    }
    cfg->unresolved[cfg->nunresolved++] = br;
}

static bool in_extent(const CfgFunc *f, uint64_t a)
{
    return f->hi > f->lo ? a >= f->lo && a < f->hi : true;
}

/* Is a direct jump from F to T a jump inside F (else: a tail call)?  EXACT:
 * F's extent comes from a symbol or an FDE (kinds 1 and 2), not from the
 * next start (kind 3). */
static bool internal_target(const Ctx *c, const CfgFunc *f, bool exact, uint64_t t)
{
    if (t == f->entry)
        return true;
    if (!in_extent(f, t) || elf_symbol_at(c->img, t) != NULL || fde_starts_at(c, t))
        return false;
    return exact || !addrset_has(&c->funcs, t);
}

/* Can a function start at V, judged by the word before it: not after an
 * instruction that goes on to V (an ordinary one or a conditional branch),
 * but after one that never does (B, BR, RET, UDF), after a call (to a
 * noreturn function), after padding (NOP, zero) or where code begins. */
static bool may_start_function(const Ctx *c, uint64_t v)
{
    uint32_t w;
    uint64_t t;
    if (!read_word(c, v - 4, &w) || w == 0 || a64_is_nop(w))
        return true;
    enum A64Flow flow = a64_classify(w, v - 4, &t);
    return flow != FLOW_NONE && flow != FLOW_COND;
}

/* Is V, in code no symbol or FDE describes, a plausible function entry?
 * Without section headers the executable segment holds read-only data
 * too: there only the span of the FDEs counts as code.  And a function
 * may start there (may_start_function). */
static bool plausible_entry(const Ctx *c, uint64_t v)
{
    bool in_span = c->fdes.n > 0 && v >= c->fdes.v[0].lo && v < c->fdes.v[c->fdes.n - 1].hi;
    return (c->sec.code.n > 0 || in_span) && may_start_function(c, v);
}

/* A stored code address V (in the image's data) that is a function entry:
 * the start of a function symbol, of a code label or of an FDE; in code no
 * symbol describes, also a plausible entry outside every FDE (assembly
 * without CFI, or a program built without unwind tables).  Inside an FDE
 * it is a label of that function (a computed goto target). */
static bool is_entry_candidate(const Ctx *c, uint64_t v)
{
    if (!is_code(c, v))
        return false;
    if (elf_symbol_at(c->img, v) != NULL || elf_is_label(c->img, v) || fde_starts_at(c, v))
        return true;
    return c->fdes.n > 0 && elf_symbol_containing(c->img, v) == NULL && ranges_find(&c->fdes, v) == NULL &&
           plausible_entry(c, v);
}

/* A code address F computes (ADR, ADRP+ADD) that is an entry candidate is
 * a function entry: its address is taken.  Where F's extent holds it, it
 * must also start a symbol, a label or an FDE: a jump-table base or a
 * computed goto target is a label of F itself.  CODE[r] keeps the other
 * computed code addresses per register: passed to a callee (note_call)
 * they are entries too. */
/* For note_address: the general registers instruction W may write
 * (bitmask).  Most instructions write bits 4:0; loads and stores are told
 * apart: a store writes none (but its base on writeback), a load of a
 * SIMD&FP register no general one, a pair load also bits 14:10.  GCC
 * schedules stores between an ADRP and its ADD (sqlite's fts5 code takes
 * fts5CreateAux's address across an `stp q0, q0, [x1, #32]`, whose bits
 * 4:0 are q0's number).  Exclusives and everything else: bits 4:0,
 * conservatively. */
static uint32_t gpr_writes(uint32_t w)
{
    uint32_t rt = 1u << (w & 31), rn = 1u << (w >> 5 & 31), rt2 = 1u << (w >> 10 & 31);
    bool simd = w >> 26 & 1;
    if ((w & 0x3a000000u) == 0x28000000u) { /* load/store pair (no-allocate, post, offset, pre) */
        uint32_t wb = (w >> 23 & 3) == 1 || (w >> 23 & 3) == 3 ? rn : 0;
        bool load = w >> 22 & 1;
        return wb | (load && !simd ? rt | rt2 : 0);
    }
    if ((w & 0x3a000000u) == 0x38000000u) { /* load/store register (immediate, register, unscaled) */
        if (!(w >> 24 & 1) && (w >> 21 & 1) && (w >> 10 & 3) != 2)
            return rt | rn;   /* atomic memory operations, LDRAA/LDRAB */
        uint32_t wb = !(w >> 24 & 1) && !(w >> 21 & 1) && (w >> 10 & 1) ? rn : 0; /* post/pre-index */
        bool store = simd ? !(w >> 22 & 1) : (w >> 22 & 3) == 0;
        return wb | (store || simd ? 0 : rt);
    }
    return rt;
}

static void note_address(Ctx *c, const CfgFunc *f, uint32_t w, uint64_t pc, uint64_t *page, uint64_t *code)
{
    unsigned rd = w & 31, rn;
    uint32_t imm12;
    uint64_t v = 0, a;
    bool is_page;
    if (a64_decode_adr(w, pc, &rd, &a, &is_page)) {
        if (is_page) {
            page[rd] = a;
            code[rd] = 0;
            return;
        }
        v = a;
    } else if (a64_decode_add_imm12(w, &rd, &rn, &imm12) && page[rn]) {
        v = page[rn] + imm12;
    } else {
        for (uint32_t m = gpr_writes(w), r = 0; m != 0; m >>= 1, r++)
            if (m & 1)
                page[r] = code[r] = 0;
        return;
    }
    page[rd] = 0;
    code[rd] = 0;
    if (v == 0 || !is_code(c, v))
        return;
    bool named = elf_symbol_at(c->img, v) != NULL || elf_is_label(c->img, v) || fde_starts_at(c, v);
    if (named || (!in_extent(f, v) && is_entry_candidate(c, v)))
        add_function(c, v, CFG_FROM_ADDRESS);
    else
        code[rd] = v;
}

/* A call: the computed code addresses in the argument registers x0-x7
 * escape to the callee, which may call them.  Only where no function
 * symbol covers them (with symbols, the labels decide) and a function is
 * plausible (not a string in the executable segment). */
static void note_call(Ctx *c, const uint64_t *code)
{
    for (unsigned r = 0; r < 8; r++)
        if (code[r] != 0 && elf_symbol_containing(c->img, code[r]) == NULL && plausible_entry(c, code[r]))
            add_function(c, code[r], CFG_FROM_ADDRESS);
}

/* The code sections and the .eh_frame extents (sections.h, ehframe.h). */
static void read_sections(Ctx *c)
{
    if (sections_read(&c->sec, c->img) != 0 || ehframe_ranges(c->img, &c->sec, &c->fdes) != 0 ||
        ehframe_landing_pads(c->img, &c->sec, &c->pads) != 0)
        diag_out_of_memory();
}

/* The landing pads of F (its FDE starts at f->lo): blocks of
 * the function and landings (lifter.h) - the unwinder (libgcc, through
 * __builtin_eh_return's RET) resumes the function there to run a cleanup
 * or a catch clause, and a call of this frame that comes back with the pc
 * of one of its pads and the frame's SP continues there, in the same host
 * frame, instead of the dispatcher running the pad (and then the return
 * sites above it) through the JIT. */
static void add_landing_pads(const Ctx *c, const CfgFunc *f, U64Vec *work, AddrSet *landings)
{
    uint64_t fn = f->lo;
    size_t lo = 0, hi = c->pads.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->pads.v[mid].fn < fn)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < c->pads.n && c->pads.v[lo].fn == fn; lo++)
        if ((c->pads.v[lo].pad & 3) == 0 && in_extent(f, c->pads.v[lo].pad)) {
            vec_push(work, c->pads.v[lo].pad);
            addrset_add(landings, c->pads.v[lo].pad);
        }
}

/* Adds A to the starts unless it is 0: an end of a range that wraps, or
 * of an empty executable segment at address 0, which the set cannot hold
 * (its key 0 means empty; addrset_add then reported "out of memory" and
 * exited - found by fuzz_elf, regression test cfg_empty_segment_at_zero).
 * Nothing runs at 0 (vm.mmap_min_addr). */
static void add_start(AddrSet *s, uint64_t a)
{
    if (a != 0)
        addrset_add(s, a);
}

/* ---- starts: where an extent of kind 3 ends ----------------------------
 *
 * Every address where another function is known or likely to begin: the
 * symbols and code labels, the FDEs' starts and ends, the ends of the code
 * sections (segments), the target of every BL word in the code - a sweep
 * that may also read data as code, which only adds a start - and the
 * address-taken functions.  Function entries found by a recovery pass
 * (tail-call targets, computed addresses) are added for the next pass
 * (cfg_recover). */
static void add_static_starts(const Ctx *c, AddrSet *s)
{
    const GuestImage *img = c->img;
    for (size_t i = 0; i < img->nsyms; i++)
        if (is_code(c, img->syms[i].addr))
            add_start(s, img->syms[i].addr);
    for (size_t i = 0; i < img->nlabels; i++)
        if (is_code(c, img->labels[i]))
            add_start(s, img->labels[i]);
    for (size_t i = 0; i < c->fdes.n; i++) {
        add_start(s, c->fdes.v[i].lo);
        add_start(s, c->fdes.v[i].hi);
    }
    for (size_t i = 0; i < c->roots.n; i++)
        add_start(s, c->roots.v[i]);
    RangeVec code = {0};
    if (c->sec.code.n > 0)
        code = c->sec.code;
    else
        for (size_t i = 0; i < img->nsegs; i++)
            if (img->segs[i].flags & PF_X)
                range_push(&code, img->segs[i].vaddr, img->segs[i].vaddr + img->segs[i].filesz);
    for (size_t i = 0; i < code.n; i++) {
        add_start(s, code.v[i].hi);
        for (uint64_t a = (code.v[i].lo + 3) & ~3ull; a + 4 <= code.v[i].hi; a += 4) {
            uint32_t w;
            uint64_t t;
            if (read_word(c, a, &w) && a64_classify(w, a, &t) == FLOW_CALL && is_code(c, t) && (t & 3) == 0)
                add_start(s, t);
        }
    }
    if (code.v != c->sec.code.v)
        ranges_free(&code);
}

/* The first start after A, or 0 if there is none. */
static uint64_t next_start(const Ctx *c, uint64_t a)
{
    size_t k = lift_lower_bound(c->starts, c->nstarts, a + 1);
    return k < c->nstarts ? c->starts[k] : 0;
}


static bool read_code(void *ctx, uint64_t pc, uint32_t *w) { return read_word(ctx, pc, w); }

/* The loop headers are the lifter's safe points. */
static int add_safepoints(Ctx *c, CfgFunc *f)
{
    LiftFunc lf = {.entry = f->entry, .leaders = f->leaders, .ends = f->ends, .nleaders = f->nleaders,
                   .indirect = f->indirect, .nindirect = f->nindirect};
    size_t nh = lift_loop_headers(&lf, read_code, c, &f->safepoints);
    if (nh == (size_t)-1)
        return -1;
    f->nsafepoints = nh;
    return 0;
}

/* Functions that return twice: a later longjmp (or setcontext) comes back
 * to the return site of the call with the caller's frame.  Known by their
 * symbol names (glibc's; a stripped binary has none, and its longjmps go
 * through the dispatcher). */
/* Does the code at PC look like glibc's AArch64 __sigsetjmp - it saves
 * the callee-saved registers into the buffer at x0: `stp x19, x20, [x0]`,
 * `stp x21, x22, [x0, #16]` - after hints (BTI, PACIASP) and, once, a
 * `mov x1/w1, #imm; b __sigsetjmp` wrapper (setjmp, _setjmp)?  For
 * stripped objects, whose setjmp has no name: ld.so's _dl_catch_exception
 * calls it, and its return site is then a landing. */
static bool setjmp_shape(const Ctx *c, uint64_t pc)
{
    for (int hops = 0, n = 0; n < 8; n++) {
        uint32_t w, w2;
        if (!read_word(c, pc, &w))
            return false;
        if ((w & 0xfffff01fu) == 0xd503201fu || (w & 0x7fe0001fu) == 0x52800001u) {
            pc += 4;   /* a hint, or mov x1/w1, #imm */
            continue;
        }
        if ((w & 0xfc000000u) == 0x14000000u && hops++ == 0) {
            pc += (uint64_t)((int64_t)((uint64_t)(w & 0x03ffffffu) << 38) >> 36);   /* b: imm26 * 4 */
            continue;
        }
        return w == 0xa9005013u && read_word(c, pc + 4, &w2) && w2 == 0xa9015815u;
    }
    return false;
}

static bool returns_twice(const Ctx *c, uint64_t target)
{
    static const char *const names[] = {"setjmp", "_setjmp", "__setjmp", "sigsetjmp", "__sigsetjmp",
                                        "getcontext", "__getcontext", "savectx"};
    const GuestSymbol *s = elf_symbol_at(c->img, target);
    for (size_t i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s->name, names[i]) == 0)
            return true;
    return s == NULL && setjmp_shape(c, target);
}

/* F's BR at BR goes to TARGETS (owned by F from here); they are blocks.
 * *NJT counts the tables. */
static void add_indirect(CfgFunc *f, uint64_t br, uint64_t *targets, size_t nt, U64Vec *work, size_t *njt)
{
    /* A BR reached from two leaders (the first scan ran on through the
     * second before it was one) is analysed twice: it keeps one entry,
     * the later analysis (a guess made later knows more targets), which
     * is the one the lifter took when there were two. */
    LiftIndirect *ind = NULL;
    for (size_t k = 0; k < f->nindirect && ind == NULL; k++)
        if (f->indirect[k].br_pc == br)
            ind = &f->indirect[k];
    if (ind != NULL) {
        free((void *)ind->targets);
    } else {
        f->indirect = realloc(f->indirect, (f->nindirect + 1) * sizeof *f->indirect);
        ind = &f->indirect[f->nindirect++];
        (*njt)++;
    }
    *ind = (LiftIndirect){br, targets, nt};
    for (size_t k = 0; k < nt; k++)
        vec_push(work, targets[k]);
}

/* The targets of F's BRs found so far, each once, ascending. */
static uint64_t *known_targets(const CfgFunc *f, size_t *n)
{
    AddrSet all;
    addrset_init(&all);
    for (size_t i = 0; i < f->nindirect; i++)
        for (size_t k = 0; k < f->indirect[i].ntargets; k++)
            addrset_add(&all, f->indirect[i].targets[k]);
    uint64_t *v = addrset_sorted(&all, n);
    addrset_free(&all);
    return v;
}

/* Each guess below copies the function's whole target set: bound what one
 * function may take in all (a crafted input with thousands of such BRs
 * and a table of 65,536 targets would otherwise need gigabytes); BRs past
 * it are left to the run-time lookup. */
#define GUESS_MAX_TARGETS (1u << 20)

/* A BR whose table was not found, in a function where others were: its
 * targets are taken to be all theirs.  Several BRs sharing one set of
 * labels is how GCC compiles a computed goto over several label tables
 * (glibc's vfprintf, where some BRs take their address from a register
 * set in another block, which the analysis does not follow).  A target
 * outside the set still goes through the dispatcher at run time; too many
 * only cost block splits.  Empties UNRES; new blocks go to WORK. */
static void guess_unresolved(CfgFunc *f, U64Vec *unres, U64Vec *work, size_t *njt, Cfg *cfg)
{
    size_t nall = 0, budget = GUESS_MAX_TARGETS;
    uint64_t *all = known_targets(f, &nall);
    while (unres->n > 0) {
        uint64_t br = unres->v[--unres->n];
        if (nall == 0 || nall > budget) {
            note_unresolved(cfg, br);
            continue;
        }
        budget -= nall;
        uint64_t *copy = malloc(nall * sizeof *copy);
        if (copy == NULL)
            diag_out_of_memory();
        memcpy(copy, all, nall * sizeof *copy);
        add_indirect(f, br, copy, nall, work, njt);
    }
    free(all);
}

/* ADRP results in the callee-saved registers X19-X28 at a call, for the
 * block at its return site: GCC may put the ADRP before a call and the
 * ADD after it (lua's luaopen_io takes io_noclose's address so). */
typedef struct PageCarry {
    uint64_t ret;          /* the return site */
    uint64_t page[10];     /* page[19..28] */
} PageCarry;

/* The recovery's side of lift_scan_block: a block lies inside the
 * function's extent, and each word taken is looked at for the code
 * addresses it computes (note_address: ADRP results per register, for
 * ADRP+ADD; computed code addresses per register). */
typedef struct BlockScan {
    Ctx *c;
    const CfgFunc *f;
    const AddrSet *leaders;
    uint64_t page[32];
    uint64_t code[32];
} BlockScan;

static bool scan_read(void *ctx, uint64_t pc, uint32_t *w) { return read_word(((BlockScan *)ctx)->c, pc, w); }

static bool scan_is_leader(void *ctx, uint64_t pc) { return addrset_has(((BlockScan *)ctx)->leaders, pc); }

static bool scan_in_extent(void *ctx, uint64_t pc) { return in_extent(((BlockScan *)ctx)->f, pc); }

static void scan_word(void *ctx, uint64_t pc, uint32_t w)
{
    BlockScan *bs = ctx;
    note_address(bs->c, bs->f, w, pc, bs->page, bs->code);
}

static int explore(Ctx *c, CfgFunc *f, bool exact, size_t *njt, Cfg *cfg)
{
    AddrSet leaders, landings;
    U64Vec work = {0}, jts = {0}, unres = {0};
    PageCarry *carry = NULL;
    size_t ncarry = 0;
    addrset_init(&leaders);
    addrset_init(&landings);
    vec_push(&work, f->entry);
    if (f->lo != 0)
        add_landing_pads(c, f, &work, &landings);
    while (work.n > 0 || unres.n > 0) {
        if (work.n == 0) {
            guess_unresolved(f, &unres, &work, njt, cfg);
            continue;
        }
        uint64_t pc = work.v[--work.n];
        uint32_t w;
        /* Only code inside the extent is a block: a block with no
         * instruction would fall through to itself (lift_block). */
        if (!in_extent(f, pc) || !read_word(c, pc, &w) || !addrset_add(&leaders, pc))
            continue;
        BlockScan bs = {c, f, &leaders, {0}, {0}};
        for (size_t k = 0; k < ncarry; k++)
            if (carry[k].ret == pc)
                memcpy(&bs.page[19], carry[k].page, sizeof carry[k].page);
        LiftBlockScan scan = {scan_read, scan_is_leader, scan_in_extent, scan_word, &bs, false};
        uint64_t end, t;
        enum A64Flow flow = lift_scan_block(&scan, pc, &end, &t);
        uint64_t a = end - 4;
        if (flow == FLOW_CALL || flow == FLOW_ICALL || flow == FLOW_SVC) {
            /* The return site of a call or system call starts a block of
             * its own. */
            if (flow == FLOW_CALL)
                add_function(c, t, CFG_FROM_CALL);
            note_call(c, bs.code);
            if (in_extent(f, a + 4) && read_word(c, a + 4, &w)) {
                if (flow == FLOW_CALL && returns_twice(c, t))
                    addrset_add(&landings, a + 4);
                vec_push(&work, a + 4);
                PageCarry pc_ = {a + 4, {0}};
                memcpy(pc_.page, &bs.page[19], sizeof pc_.page);
                bool any = false;
                for (unsigned r = 0; r < 10; r++)
                    any |= pc_.page[r] != 0;
                PageCarry *grown = any ? realloc(carry, (ncarry + 1) * sizeof *carry) : NULL;
                if (grown != NULL) {
                    carry = grown;
                    carry[ncarry++] = pc_;
                }
            }
        } else if (flow == FLOW_JUMP || flow == FLOW_COND) {
            if (internal_target(c, f, exact, t) && is_code(c, t))
                vec_push(&work, t);
            else
                add_function(c, t, CFG_FROM_JUMP);
            /* A conditional branch that ends the extent falls through
             * into the next function. */
            if (flow == FLOW_COND && in_extent(f, a + 4))
                vec_push(&work, a + 4);
            else if (flow == FLOW_COND)
                add_function(c, a + 4, CFG_FROM_FALLTHROUGH);
        } else if (flow == FLOW_IJUMP) {
            vec_push(&jts, a);
        }
        /* Jump tables are analysed once their BR's block is known. */
        while (jts.n > 0) {
            uint64_t br = jts.v[--jts.n];
            uint64_t *targets = NULL;
            size_t nt = cfg_jumptable(c->img, f, br, &targets);
            if (nt == 0 && f->hi > f->lo) {
                /* Tables of absolute addresses (computed goto in non-PIC
                 * code, such as glibc's vfprintf) are found by the data scan:
                 * every stored pointer into this function is a possible
                 * target.  Too many only costs block splits. */
                free(targets);
                targets = malloc(sizeof *targets);
                for (size_t k = lift_lower_bound(c->codeptrs, c->ncodeptrs, f->lo);
                     k < c->ncodeptrs && c->codeptrs[k] < f->hi; k++) {
                    targets = realloc(targets, (nt + 1) * sizeof *targets);
                    targets[nt++] = c->codeptrs[k];
                }
            }
            if (nt == 0) {
                if (cfg_br_may_share_table(c->img, f, br))
                    vec_push(&unres, br);
                else
                    note_unresolved(cfg, br);
                free(targets);
                continue;
            }
            add_indirect(f, br, targets, nt, &work, njt);
        }
    }
    free(unres.v);
    free(carry);
    f->leaders = addrset_sorted(&leaders, &f->nleaders);
    f->landings = addrset_sorted(&landings, &f->nlandings);
    addrset_free(&landings);
    f->ends = malloc((f->nleaders ? f->nleaders : 1) * sizeof *f->ends);
    f->ninsns = 0;
    for (size_t i = 0; i < f->nleaders; i++) {
        uint64_t next = i + 1 < f->nleaders ? f->leaders[i + 1] : UINT64_MAX;
        uint64_t a = f->leaders[i];
        bool ended = false, after_call = false;
        for (;;) {
            uint32_t w;
            uint64_t t;
            if (a >= next || !in_extent(f, a) || !read_word(c, a, &w))
                break;
            enum A64Flow flow = a64_classify(w, a, &t);
            after_call = flow == FLOW_CALL || flow == FLOW_ICALL || flow == FLOW_SVC;
            a += 4;
            if (flow != FLOW_NONE && flow != FLOW_CALL && flow != FLOW_ICALL) {
                ended = true;
                break;
            }
        }
        f->ends[i] = a;
        f->ninsns += (a - f->leaders[i]) / 4;
        /* A block that runs off the end of the extent goes on at run time
         * to whatever the runtime finds at that address.  After a call
         * (typically to a noreturn function) or at the end of a symbol or
         * FDE, that is padding or the next function: no function is made
         * there, which would mostly translate padding.  Other code running
         * into the next start of an extent of kind 3 is a function that
         * falls into another (or a start the BL sweep read from data): the
         * next one becomes a function, found without the JIT at run time. */
        if (!ended && !after_call && !exact && a == f->hi)
            add_function(c, a, CFG_FROM_FALLTHROUGH);
    }
    addrset_free(&leaders);
    free(work.v);
    free(jts.v);
    return add_safepoints(c, f);
}

static int cmp_func(const void *a, const void *b)
{
    const CfgFunc *x = a, *y = b;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_ind(const void *a, const void *b)
{
    const LiftIndirect *x = a, *y = b;
    return x->br_pc < y->br_pc ? -1 : x->br_pc > y->br_pc;
}

/* One recovery pass over the roots with the current starts. */
static int recover_pass(Ctx *c, Cfg *cfg, bool verbose, Diag *d)
{
    const GuestImage *img = c->img;
    memset(cfg, 0, sizeof *cfg);
    addrset_init(&c->funcs);
    c->todo.n = 0;
    c->loose.n = 0;
    c->todo_src.n = 0;
    for (size_t i = 0; i < c->roots.n; i++)
        add_function(c, c->roots.v[i], (enum CfgSource)c->root_src.v[i]);
    size_t cap = 0;
    while (c->todo.n > 0) {
        uint64_t entry = c->todo.v[--c->todo.n];
        enum CfgSource src = (enum CfgSource)c->todo_src.v[--c->todo_src.n];
        if (cfg->nfuncs == cap) {
            cap = cap ? cap * 2 : 256;
            cfg->funcs = realloc(cfg->funcs, cap * sizeof *cfg->funcs);
            if (cfg->funcs == NULL)
                diag_out_of_memory();
        }
        CfgFunc *f = &cfg->funcs[cfg->nfuncs++];
        memset(f, 0, sizeof *f);
        f->entry = entry;
        f->source = src;
        const GuestSymbol *s = elf_symbol_containing(img, entry);
        const AddrRange *fde = ranges_find(&c->fdes, entry);
        bool exact = true;
        if (s != NULL && s->size > 0) {
            f->lo = s->addr;
            f->hi = s->addr + s->size;
        } else if (fde != NULL) {
            f->lo = fde->lo;
            f->hi = fde->hi;
        } else {
            exact = false;
            f->hi = next_start(c, entry);
            f->lo = f->hi ? entry : 0;
            if (f->hi)
                range_push(&c->loose, f->lo, f->hi);
        }
        s = elf_symbol_at(img, entry);
        f->name = s ? s->name : NULL;
        if (explore(c, f, exact, &cfg->njumptables, cfg) != 0) {
            addrset_free(&c->funcs);
            return diag_error_at(d, entry, "out of memory while recovering the function here");
        }
        if (f->nindirect > 1)
            qsort(f->indirect, f->nindirect, sizeof *f->indirect, cmp_ind);
        cfg->ninsns += f->ninsns;
        if (verbose && cfg->nfuncs % 1000 == 0)
            fprintf(stderr, "dbt-aot: cfg: %zu functions, %zu instructions so far\n", cfg->nfuncs, cfg->ninsns);
    }
    /* No function at all (an entry point that is no instruction address,
     * say) leaves funcs NULL, which qsort must not be given (found by
     * fuzz_elf; regression test cfg_misaligned_entry_no_functions). */
    if (cfg->nfuncs > 1)
        qsort(cfg->funcs, cfg->nfuncs, sizeof *cfg->funcs, cmp_func);
    addrset_free(&c->funcs);
    return 0;
}

/* Adds the entries CFG found to STARTS.  True if one of them lies inside
 * an extent of kind 3: that function ran on into another, and the next
 * pass must cut it there. */
static bool add_found_starts(const Ctx *c, const Cfg *cfg, AddrSet *starts)
{
    U64Vec fresh = {0};
    for (size_t i = 0; i < cfg->nfuncs; i++)  /* sorted by entry */
        if (addrset_add(starts, cfg->funcs[i].entry))
            vec_push(&fresh, cfg->funcs[i].entry);
    bool split = false;
    for (size_t i = 0; i < c->loose.n && !split; i++) {
        size_t k = lift_lower_bound(fresh.v, fresh.n, c->loose.v[i].lo + 1);
        split = k < fresh.n && fresh.v[k] < c->loose.v[i].hi;
    }
    free(fresh.v);
    return split;
}

/* cfg_flags with what recovery saw of how each function can be entered:
 * an address stored in the image or computed (indirectly), a root, code
 * falling into it, and in a position-independent object any symbol (an
 * export: external). */
static int flags_analysis(Ctx *c, Cfg *cfg)
{
    uint8_t *entered = calloc(cfg->nfuncs ? cfg->nfuncs : 1, 1);
    uint64_t *labels = malloc((c->ncodeptrs ? c->ncodeptrs : 1) * sizeof *labels);
    size_t nlabels = 0;
    int rc = -1;
    if (entered == NULL || labels == NULL)
        goto out;
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        uint64_t e = cfg->funcs[i].entry;
        if (addrset_has(&c->indirect, e) || lift_sorted_has(c->codeptrs, c->ncodeptrs, e))
            entered[i] |= CFG_ENTERED_INDIRECT;
        if (addrset_has(&c->external, e) || (c->img->type == ET_DYN && elf_symbol_at(c->img, e) != NULL))
            entered[i] |= CFG_ENTERED_EXTERNAL;
    }
    for (size_t k = 0; k < c->ncodeptrs; k++)
        if (cfg_find(cfg, c->codeptrs[k]) == NULL)
            labels[nlabels++] = c->codeptrs[k];
    rc = cfg_flags(cfg, c->img, entered, labels, nlabels);
out:
    free(entered);
    free(labels);
    return rc;
}

/* Passes after the first only matter where kind-3 extents meet entries
 * found late; a few suffice in practice, the limit bounds the time. */
#define CFG_MAX_PASSES 8

int cfg_recover(Cfg *cfg, const GuestImage *img, bool all_symbols, bool verbose, Diag *d)
{
    memset(cfg, 0, sizeof *cfg);
    Ctx c = {.img = img};
    addrset_init(&c.indirect);
    addrset_init(&c.external);
    read_sections(&c);
    if (is_code(&c, img->entry))
        add_root(&c, img->entry, CFG_FROM_ENTRY);
    /* _init and _fini, which the loader calls (DT_INIT, DT_FINI): in a
     * stripped shared object they have no symbol and no FDE. */
    if (img->dt_init != 0 && is_code(&c, img->dt_init))
        add_root(&c, img->dt_init, CFG_FROM_LOADER);
    if (img->dt_fini != 0 && is_code(&c, img->dt_fini))
        add_root(&c, img->dt_fini, CFG_FROM_LOADER);
    /* PLT0: lazy binding enters it from every PLT entry's first call.  The
     * scan of stored code pointers below did not make it an entry in
     * Debian's libm (its PLT0 was JIT-compiled at every start; why the
     * scan missed it is not known). */
    if (img->plt0 != 0 && is_code(&c, img->plt0))
        add_root(&c, img->plt0, CFG_FROM_LOADER);
    if (all_symbols)
        for (size_t i = 0; i < img->nsyms; i++)
            if (is_code(&c, img->syms[i].addr))
                add_root(&c, img->syms[i].addr, CFG_FROM_SYMBOL);
    /* Scan the image for stored code pointers.  Those that are entry
     * candidates (GOT entries, init_array, IRELATIVE resolvers, tables of
     * function pointers) are address-taken functions; all of them are
     * candidate targets of BRs whose jump table is not recognized. */
    AddrSet ptrs;
    addrset_init(&ptrs);
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *sg = &img->segs[i];
        for (uint64_t a = (sg->vaddr + 7) & ~7ull; a + 8 <= sg->vaddr + sg->filesz; a += 8) {
            uint64_t v;
            if (!elf_read(img, a, &v, 8) || v == 0 || (v & 3) || !is_code(&c, v))
                continue;
            if (addrset_add(&ptrs, v) && is_entry_candidate(&c, v))
                add_root(&c, v, CFG_FROM_POINTER);
        }
    }
    c.codeptrs = addrset_sorted(&ptrs, &c.ncodeptrs);
    addrset_free(&ptrs);

    AddrSet starts;
    addrset_init(&starts);
    add_static_starts(&c, &starts);
    int rc = 0;
    for (unsigned pass = 1;; pass++) {
        free(c.starts);
        c.starts = addrset_sorted(&starts, &c.nstarts);
        rc = recover_pass(&c, cfg, verbose && pass == 1, d);
        if (rc != 0 || !add_found_starts(&c, cfg, &starts) || pass == CFG_MAX_PASSES) {
            if (verbose && rc == 0 && pass > 1)
                fprintf(stderr, "dbt-aot: cfg: %u passes (extents without symbol or FDE cut at late entries)\n", pass);
            break;
        }
        cfg_free(cfg);
    }
    addrset_free(&starts);
    free(c.roots.v);
    free(c.root_src.v);
    free(c.todo.v);
    free(c.todo_src.v);
    free(c.loose.v);
    sections_free(&c.sec);
    ranges_free(&c.fdes);
    ehframe_pads_free(&c.pads);
    free(c.starts);
    if (rc == 0 && cfg->nfuncs == 0)
        rc = diag_error_at(d, img->entry, "no code found at the entry point");
    if (rc == 0 && cfg_noreturn(cfg, img) != 0)
        diag_out_of_memory();
    if (rc == 0 && flags_analysis(&c, cfg) != 0)
        diag_out_of_memory();
    addrset_free(&c.indirect);
    addrset_free(&c.external);
    free(c.codeptrs);
    return rc;
}

void cfg_free(Cfg *cfg)
{
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        CfgFunc *f = &cfg->funcs[i];
        free(f->leaders);
        free(f->ends);
        free(f->landings);
        free(f->safepoints);
        free(f->noreturn_calls);
        free(f->flagfree_calls);
        free(f->flagfree_headers);
        for (size_t k = 0; k < f->nindirect; k++)
            free((void *)f->indirect[k].targets);
        free(f->indirect);
    }
    free(cfg->funcs);
    free(cfg->unresolved);
    memset(cfg, 0, sizeof *cfg);
}

static int cmp_func_entry(const void *a, const void *b)
{
    const CfgFunc *x = a, *y = b;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int cfg_merge(Cfg *into, Cfg *from)
{
    CfgFunc *funcs = realloc(into->funcs, (into->nfuncs + from->nfuncs + 1) * sizeof *funcs);
    if (funcs == NULL)
        return -1;
    memcpy(funcs + into->nfuncs, from->funcs, from->nfuncs * sizeof *funcs);
    into->funcs = funcs;
    into->nfuncs += from->nfuncs;
    into->ninsns += from->ninsns;
    into->njumptables += from->njumptables;
    into->nnoreturn += from->nnoreturn;
    if (into->flags_off_at == 0)
        into->flags_off_at = from->flags_off_at;
    uint64_t *unres = realloc(into->unresolved, (into->nunresolved + from->nunresolved + 1) * sizeof *unres);
    if (unres == NULL)
        return -1;
    memcpy(unres + into->nunresolved, from->unresolved, from->nunresolved * sizeof *unres);
    into->unresolved = unres;
    into->nunresolved += from->nunresolved;
    free(from->unresolved);
    qsort(into->funcs, into->nfuncs, sizeof *into->funcs, cmp_func_entry);
    free(from->funcs);
    memset(from, 0, sizeof *from);
    return 0;
}

const CfgFunc *cfg_find(const Cfg *cfg, uint64_t pc)
{
    size_t lo = 0, hi = cfg->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cfg->funcs[mid].entry < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cfg->nfuncs && cfg->funcs[lo].entry == pc ? &cfg->funcs[lo] : NULL;
}

long cfg_index(const Cfg *cfg, uint64_t pc)
{
    const CfgFunc *g = cfg_find(cfg, pc);
    return g ? (long)(g - cfg->funcs) : -1;
}

const CfgFunc *cfg_containing(const Cfg *cfg, uint64_t pc)
{
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        const CfgFunc *fn = &cfg->funcs[i];
        for (size_t k = 0; k < fn->nleaders; k++)
            if (pc >= fn->leaders[k] && pc < fn->ends[k])
                return fn;
    }
    return NULL;
}

long cfg_block_index(const CfgFunc *f, uint64_t pc)
{
    size_t k = lift_lower_bound(f->leaders, f->nleaders, pc);
    return k < f->nleaders && f->leaders[k] == pc ? (long)k : -1;
}
