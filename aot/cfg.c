/*
 * cfg.c - control-flow recovery by recursive descent (see cfg.h).
 *
 * Example: for
 *
 *     400600 <f>:  cbz  x0, 400610      ; block 400600 ends here (cond)
 *     400604       bl   400700 <g>      ; g becomes a function
 *     400608       add  x0, x0, #1
 *     40060c       b    400800 <h>      ; outside f's symbol: tail call to h
 *     400610       ret
 *
 * f gets leaders {400600, 400604, 400610} with ends {400604, 400610, 400614}
 * and g and h are explored as functions of their own.
 */
#include "cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "u64_vec.h"

/* A work-list push that cannot fail: out of memory ends the tool, as in
 * addrset_add. */
static void vec_push(U64Vec *x, uint64_t a)
{
    if (!u64vec_push(x, a))
        diag_out_of_memory();
}

typedef struct Ctx {
    const GuestImage *img;
    uint64_t *codeptrs;   /* 8-byte aligned values in the image that point at
                             code, sorted, unique */
    size_t ncodeptrs;
    AddrSet funcs;        /* known function entries */
    U64Vec todo;          /* function entries not explored yet */
} Ctx;

static bool read_word(const GuestImage *img, uint64_t pc, uint32_t *w)
{
    uint8_t b[4];
    if (!elf_is_code(img, pc) || !elf_read(img, pc, b, 4))
        return false;
    *w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static void add_function(Ctx *c, uint64_t pc)
{
    if (pc == 0 || (pc & 3) || !elf_is_code(c->img, pc))
        return;
    if (addrset_add(&c->funcs, pc))
        vec_push(&c->todo, pc);
}

static bool in_extent(const CfgFunc *f, uint64_t a)
{
    return f->hi > f->lo ? a >= f->lo && a < f->hi : true;
}

/* Is a direct jump from F to T a jump inside F (else: a tail call)? */
static bool internal_target(const Ctx *c, const CfgFunc *f, uint64_t t)
{
    if (t == f->entry)
        return true;
    if (f->hi > f->lo)
        return t >= f->lo && t < f->hi && elf_symbol_at(c->img, t) == NULL;
    return elf_symbol_at(c->img, t) == NULL && !addrset_has(&c->funcs, t);
}

/* A code address that starts a function symbol or a code label. */
static bool is_entry_candidate(const GuestImage *img, uint64_t v)
{
    return elf_symbol_at(img, v) != NULL || elf_is_label(img, v);
}

/* Code addresses the code computes (ADR, ADRP+ADD) that start a function
 * symbol or a code label (such as __wrap_main, which _start passes to
 * __libc_start_main) are function entries: their address is taken. */
static void note_address(Ctx *c, uint32_t w, uint64_t pc, uint64_t *page)
{
    unsigned rd = w & 31, rn = w >> 5 & 31;
    if ((w & 0x1F000000u) == 0x10000000u) { /* ADR / ADRP */
        uint64_t raw = ((uint64_t)((w >> 5) & 0x7ffff) << 2 | ((w >> 29) & 3)) << 43;
        int64_t imm = (int64_t)raw >> 43; /* sign-extend the 21-bit immediate */
        if (w >> 31) {
            page[rd] = (pc & ~0xfffull) + (uint64_t)(imm * 4096);
        } else {
            page[rd] = 0;
            if (is_entry_candidate(c->img, pc + (uint64_t)imm))
                add_function(c, pc + (uint64_t)imm);
        }
        return;
    }
    if ((w & 0xFFC00000u) == 0x91000000u) { /* ADD Xd, Xn, #imm12 */
        if (page[rn]) {
            uint64_t v = page[rn] + (w >> 10 & 0xfff);
            if (is_entry_candidate(c->img, v))
                add_function(c, v);
        }
        page[rd] = 0;
        return;
    }
    page[rd] = 0;
}

static bool read_code(void *img, uint64_t pc, uint32_t *w) { return read_word(img, pc, w); }

/* The loop headers are the lifter's safe points. */
static int add_safepoints(Ctx *c, CfgFunc *f)
{
    LiftFunc lf = {.entry = f->entry, .leaders = f->leaders, .ends = f->ends, .nleaders = f->nleaders,
                   .indirect = f->indirect, .nindirect = f->nindirect};
    size_t nh = lift_loop_headers(&lf, read_code, (void *)c->img, &f->safepoints);
    if (nh == (size_t)-1)
        return -1;
    f->nsafepoints = nh;
    return 0;
}

/* Functions that return twice: a later longjmp (or setcontext) comes back
 * to the return site of the call with the caller's frame.  Known by their
 * symbol names (glibc's; a stripped binary has none, and its longjmps go
 * through the dispatcher). */
static bool returns_twice(const GuestImage *img, uint64_t target)
{
    static const char *const names[] = {"setjmp", "_setjmp", "__setjmp", "sigsetjmp", "__sigsetjmp",
                                        "getcontext", "__getcontext", "savectx"};
    const GuestSymbol *s = elf_symbol_at(img, target);
    for (size_t i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s->name, names[i]) == 0)
            return true;
    return false;
}

static int explore(Ctx *c, CfgFunc *f, size_t *njt, size_t *nunres)
{
    AddrSet leaders, landings;
    U64Vec work = {0}, jts = {0};
    addrset_init(&leaders);
    addrset_init(&landings);
    vec_push(&work, f->entry);
    while (work.n > 0) {
        uint64_t pc = work.v[--work.n];
        if (!addrset_add(&leaders, pc))
            continue;
        uint64_t page[32] = {0}; /* ADRP results per register, for ADRP+ADD */
        for (uint64_t a = pc;; a += 4) {
            uint32_t w;
            if (!in_extent(f, a) || !read_word(c->img, a, &w))
                break;
            if (a != pc && addrset_has(&leaders, a))
                break;
            note_address(c, w, a, page);
            uint64_t t;
            enum A64Flow flow = a64_classify(w, a, &t);
            bool svc = (w & 0xFFE0001Fu) == 0xD4000001u;
            if (flow == FLOW_CALL || flow == FLOW_ICALL || svc) {
                /* The return site of a call or system call starts a
                 * block of its own. */
                if (flow == FLOW_CALL)
                    add_function(c, t);
                if (in_extent(f, a + 4) && read_word(c->img, a + 4, &w)) {
                    if (flow == FLOW_CALL && returns_twice(c->img, t))
                        addrset_add(&landings, a + 4);
                    vec_push(&work, a + 4);
                }
                break;
            }
            if (flow == FLOW_NONE)
                continue;
            if (flow == FLOW_JUMP || flow == FLOW_COND) {
                if (internal_target(c, f, t) && elf_is_code(c->img, t))
                    vec_push(&work, t);
                else
                    add_function(c, t);
                if (flow == FLOW_COND)
                    vec_push(&work, a + 4);
            } else if (flow == FLOW_IJUMP) {
                vec_push(&jts, a);
            }
            break;
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
                (*nunres)++;
                free(targets);
                continue;
            }
            (*njt)++;
            f->indirect = realloc(f->indirect, (f->nindirect + 1) * sizeof *f->indirect);
            f->indirect[f->nindirect++] = (LiftIndirect){br, targets, nt};
            for (size_t k = 0; k < nt; k++)
                vec_push(&work, targets[k]);
        }
    }
    f->leaders = addrset_sorted(&leaders, &f->nleaders);
    f->landings = addrset_sorted(&landings, &f->nlandings);
    addrset_free(&landings);
    f->ends = malloc((f->nleaders ? f->nleaders : 1) * sizeof *f->ends);
    f->ninsns = 0;
    for (size_t i = 0; i < f->nleaders; i++) {
        uint64_t next = i + 1 < f->nleaders ? f->leaders[i + 1] : UINT64_MAX;
        uint64_t a = f->leaders[i];
        bool ended = false;
        for (;;) {
            uint32_t w;
            uint64_t t;
            if (a >= next || !in_extent(f, a) || !read_word(c->img, a, &w))
                break;
            enum A64Flow flow = a64_classify(w, a, &t);
            a += 4;
            if (flow != FLOW_NONE && flow != FLOW_CALL && flow != FLOW_ICALL) {
                ended = true;
                break;
            }
        }
        f->ends[i] = a;
        f->ninsns += (a - f->leaders[i]) / 4;
        /* A block that runs off the end of the extent (typically after a
         * call to a noreturn function, before padding) falls through at run
         * time to whatever the runtime finds at that address; it is not made
         * a function of its own, which would mostly translate padding. */
        (void)ended;
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

int cfg_recover(Cfg *cfg, const GuestImage *img, bool all_symbols, bool verbose, Diag *d)
{
    memset(cfg, 0, sizeof *cfg);
    Ctx c = {.img = img};
    addrset_init(&c.funcs);
    add_function(&c, img->entry);
    if (all_symbols)
        for (size_t i = 0; i < img->nsyms; i++)
            add_function(&c, img->syms[i].addr);
    /* Scan the image for stored code pointers.  Those that hit function
     * symbols or code labels (GOT entries, init_array, IRELATIVE resolvers,
     * tables of function pointers) are address-taken functions; all of
     * them are candidate targets of BRs whose jump table is not
     * recognized. */
    AddrSet ptrs;
    addrset_init(&ptrs);
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *sg = &img->segs[i];
        for (uint64_t a = (sg->vaddr + 7) & ~7ull; a + 8 <= sg->vaddr + sg->filesz; a += 8) {
            uint64_t v;
            if (!elf_read(img, a, &v, 8) || v == 0 || (v & 3) || !elf_is_code(img, v))
                continue;
            addrset_add(&ptrs, v);
            if (is_entry_candidate(img, v))
                add_function(&c, v);
        }
    }
    c.codeptrs = addrset_sorted(&ptrs, &c.ncodeptrs);
    addrset_free(&ptrs);

    size_t cap = 0;
    while (c.todo.n > 0) {
        uint64_t entry = c.todo.v[--c.todo.n];
        if (cfg->nfuncs == cap) {
            cap = cap ? cap * 2 : 256;
            cfg->funcs = realloc(cfg->funcs, cap * sizeof *cfg->funcs);
        }
        CfgFunc *f = &cfg->funcs[cfg->nfuncs++];
        memset(f, 0, sizeof *f);
        f->entry = entry;
        const GuestSymbol *s = elf_symbol_containing(img, entry);
        if (s != NULL && s->size > 0) {
            f->lo = s->addr;
            f->hi = s->addr + s->size;
        }
        s = elf_symbol_at(img, entry);
        f->name = s ? s->name : NULL;
        if (explore(&c, f, &cfg->njumptables, &cfg->nunresolved) != 0)
            return diag_error_at(d, entry, "out of memory while recovering the function here");
        if (f->nindirect > 1)
            qsort(f->indirect, f->nindirect, sizeof *f->indirect, cmp_ind);
        cfg->ninsns += f->ninsns;
        if (verbose && cfg->nfuncs % 1000 == 0)
            fprintf(stderr, "dbt-aot: cfg: %zu functions, %zu instructions so far\n", cfg->nfuncs, cfg->ninsns);
    }
    qsort(cfg->funcs, cfg->nfuncs, sizeof *cfg->funcs, cmp_func);
    addrset_free(&c.funcs);
    free(c.todo.v);
    free(c.codeptrs);
    if (cfg->nfuncs == 0)
        return diag_error_at(d, img->entry, "no code found at the entry point");
    return 0;
}

void cfg_free(Cfg *cfg)
{
    for (size_t i = 0; i < cfg->nfuncs; i++) {
        CfgFunc *f = &cfg->funcs[i];
        free(f->leaders);
        free(f->ends);
        free(f->landings);
        free(f->safepoints);
        for (size_t k = 0; k < f->nindirect; k++)
            free((void *)f->indirect[k].targets);
        free(f->indirect);
    }
    free(cfg->funcs);
    memset(cfg, 0, sizeof *cfg);
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
