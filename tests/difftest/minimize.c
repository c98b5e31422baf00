/*
 * minimize.c - shrink a failing sequence to a tests/lifter case line.
 *
 *  1. Prefixes: run words [0, p) for every p on both sides (the later
 *     words become NOPs, so forward branches still land inside); the first
 *     p that fails names word k = p - 1, and qemu's result of prefix k is
 *     the state word k starts from.
 *  2. The case: word k alone on that state - every register that differs
 *     from the lifter tests' default state, and the bytes the generator knows
 *     word k touches (GenSeq.acc).  If it does not fail alone (an
 *     exclusive pair needs its load, a branch needs its target, a literal
 *     its word), the case is words [0, k] on the sequence's initial state.
 *  3. Inputs: every item whose removal (back to the default value) keeps the
 *     same verdict is dropped; the reduced case must still fail.
 *  4. Expected outputs: qemu's result of the case, as oracle/fill_expected.py
 *     writes them (changed x registers, sp, v registers, always nzcv, the
 *     changed scratch bytes, trap).  The line is run as parsed by
 *     case_file.c, so it is exactly what lifter_test will run.
 */
#include "minimize.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "case_file.h"
#include "lifter.h"
#include "translated.h"

#define A64_NOP 0xd503201fu

typedef struct MinCase {
    uint32_t words[DT_MAX_WORDS];
    unsigned n;
    CaseSide in;           /* inputs over the lifter tests' default state */
} MinCase;

static void mincase_to_dt(const MinCase *mc, DtCase *c)
{
    memset(c, 0, sizeof *c);
    CpuState s;
    case_default_state(&s);
    case_apply_inputs(&mc->in, &s);
    dt_from_cpu(&s, &c->in);
    memcpy(c->words, mc->words, 4 * mc->n);
    c->nwords = mc->n;
    c->mem_seed = 0; /* the pattern, as in lifter_test */
    for (size_t k = 0; k < mc->in.nmem; k++) {
        c->patch[k].addr = mc->in.mem[k].addr;
        c->patch[k].len = (uint32_t)mc->in.mem[k].len;
        memcpy(c->patch[k].bytes, mc->in.mem[k].bytes, mc->in.mem[k].len);
    }
    c->npatch = (unsigned)mc->in.nmem;
}

/* Run N cases on both sides. */
static int run_both(MinCtx *m, const DtCase *cases, size_t n, DtOutcome *q, DtOutcome *t, FILE *out)
{
    const DtCase **ptrs = malloc(n * sizeof *ptrs);
    for (size_t i = 0; i < n; i++)
        ptrs[i] = &cases[i];
    char err[256];
    int rc = 0;
    if (oracle_run(m->oracle, ptrs, n, q, err, sizeof err) != 0 ||
        trans_run(ptrs, n, m->pipeline, m->regs, t, err, sizeof err) != 0) {
        fprintf(out, "    minimizing failed: %s\n", err);
        rc = -1;
    }
    free(ptrs);
    return rc;
}

/* Do the words [0, n) reference only words inside [0, n)?  Branch targets
 * may also be n (the end); literal loads must read words of the case. */
static bool refs_inside(const uint32_t *w, unsigned n)
{
    const uint64_t base = 0x1000;
    for (unsigned i = 0; i < n; i++) {
        uint64_t pc = base + 4 * i, target;
        enum A64Flow fl = a64_classify(w[i], pc, &target);
        if (fl == FLOW_JUMP || fl == FLOW_COND || fl == FLOW_CALL) {
            if (target < base || target > base + 4 * n)
                return false;
        } else if ((w[i] & 0x3b000000u) == 0x18000000u) { /* LDR (literal) */
            unsigned opc = w[i] >> 30, v = (w[i] >> 26) & 1;
            if (!v && opc == 3)
                continue; /* PRFM */
            unsigned bytes = v ? 4u << opc : opc == 1 ? 8 : 4;
            int64_t j = (int64_t)i + ((int32_t)(w[i] << 8) >> 13);
            if (j < 0 || j * 4 + (int64_t)bytes > 4 * (int64_t)n)
                return false;
        }
    }
    return true;
}

/* Registers of ST that differ from the default state, as input items. */
static void side_from_state(CaseSide *side, const DtState *st, bool vregs, unsigned cmp)
{
    memset(side, 0, sizeof *side);
    CpuState d;
    case_default_state(&d);
    for (unsigned r = 0; r < 31; r++)
        if (st->x[r] != d.x[r])
            side->items[side->nitems++] = (CaseItem){CR_X, r, st->x[r], 0};
    if (st->sp != d.sp)
        side->items[side->nitems++] = (CaseItem){CR_SP, 0, st->sp, 0};
    if (st->nzcv != 0)
        side->items[side->nitems++] = (CaseItem){CR_NZCV, 0, st->nzcv >> 28, 0};
    if (st->fpcr != 0)
        side->items[side->nitems++] = (CaseItem){CR_FPCR, 0, st->fpcr, 0};
    if ((cmp & CMP_FPSR) && st->fpsr != 0)
        side->items[side->nitems++] = (CaseItem){CR_FPSR, 0, st->fpsr, 0};
    if (vregs)
        for (unsigned r = 0; r < 32; r++) {
            uint64_t lo, hi, dlo, dhi;
            memcpy(&lo, st->v[r], 8);
            memcpy(&hi, st->v[r] + 8, 8);
            memcpy(&dlo, cpu_vreg(&d, r), 8);
            memcpy(&dhi, cpu_vreg(&d, r) + 8, 8);
            if (lo != dlo || hi != dhi)
                side->items[side->nitems++] = (CaseItem){CR_V, r, lo, hi};
        }
}

/* Memory inputs: the bytes of ACC (window contents WIN), merged, in items of
 * at most CASE_MAX_MEM_BYTES.  False if they do not fit in CASE_MAX_MEM items. */
static bool add_mem(CaseSide *side, const GenAccess *acc, unsigned nacc, const uint8_t *win)
{
    bool touched[DT_WINDOW_SIZE] = {false};
    for (unsigned i = 0; i < nacc; i++)
        for (uint32_t b = 0; b < acc[i].len; b++)
            touched[acc[i].addr - DT_WINDOW_BASE + b] = true;
    for (size_t i = 0; i < DT_WINDOW_SIZE;) {
        if (!touched[i]) {
            i++;
            continue;
        }
        if (side->nmem == CASE_MAX_MEM)
            return false;
        CaseMem *m = &side->mem[side->nmem++];
        m->addr = DT_WINDOW_BASE + i;
        m->len = 0;
        while (i < DT_WINDOW_SIZE && touched[i] && m->len < CASE_MAX_MEM_BYTES)
            m->bytes[m->len++] = win[i++];
    }
    return true;
}

static CaseSide without(const CaseSide *in, size_t drop_item, size_t drop_mem)
{
    CaseSide s;
    memset(&s, 0, sizeof s);
    for (size_t k = 0; k < in->nitems; k++)
        if (k != drop_item)
            s.items[s.nitems++] = in->items[k];
    for (size_t k = 0; k < in->nmem; k++)
        if (k != drop_mem)
            s.mem[s.nmem++] = in->mem[k];
    return s;
}

/* Does MC fail, and with which verdict; *Q gets qemu's outcome. */
static int verdict_of(MinCtx *m, const MinCase *mc, DtOutcome *q, FILE *out)
{
    DtCase c;
    DtOutcome *t = malloc(sizeof *t);
    mincase_to_dt(mc, &c);
    int v = -1;
    if (run_both(m, &c, 1, q, t, out) == 0)
        v = (int)dt_compare(&c, q, t, m->cmp);
    free(t);
    return v;
}

/* Drop every input whose removal keeps verdict WANT; Q gets qemu's outcome
 * of the result.  False if MC does not fail with WANT to begin with. */
static bool reduce(MinCtx *m, MinCase *mc, enum DtVerdict want, DtOutcome *q, FILE *out)
{
    size_t ni = mc->in.nitems, nm = mc->in.nmem, n = 1 + ni + nm;
    DtCase *cases = malloc(n * sizeof *cases);
    DtOutcome *qs = malloc(n * sizeof *qs), *ts = malloc(n * sizeof *ts);
    MinCase v = *mc;
    mincase_to_dt(mc, &cases[0]);
    for (size_t k = 0; k < ni + nm; k++) {
        v.in = k < ni ? without(&mc->in, k, SIZE_MAX) : without(&mc->in, SIZE_MAX, k - ni);
        mincase_to_dt(&v, &cases[1 + k]);
    }
    bool ok = false;
    if (run_both(m, cases, n, qs, ts, out) == 0 && dt_compare(&cases[0], &qs[0], &ts[0], m->cmp) == want) {
        ok = true;
        *q = qs[0];
        CaseSide kept;
        memset(&kept, 0, sizeof kept);
        for (size_t k = 0; k < ni + nm; k++) {
            bool droppable = dt_compare(&cases[1 + k], &qs[1 + k], &ts[1 + k], m->cmp) == want;
            if (droppable)
                continue;
            if (k < ni)
                kept.items[kept.nitems++] = mc->in.items[k];
            else
                kept.mem[kept.nmem++] = mc->in.mem[k - ni];
        }
        MinCase r = *mc;
        r.in = kept;
        if (verdict_of(m, &r, &qs[0], out) == (int)want) {
            *mc = r;
            *q = qs[0];
        }
    }
    free(cases);
    free(qs);
    free(ts);
    return ok;
}

/* The expected outputs of MC from qemu's outcome Q, as fill_expected.py
 * writes them.  False (with a note) if they do not fit the case format. */
static bool outputs_of(const MinCase *mc, const DtOutcome *q, bool vregs, unsigned cmp, CaseSide *o, FILE *out)
{
    DtCase c;
    mincase_to_dt(mc, &c);
    const DtState *a = &c.in, *b = &q->out;
    memset(o, 0, sizeof *o);
    for (unsigned r = 0; r < 31; r++)
        if (a->x[r] != b->x[r])
            o->items[o->nitems++] = (CaseItem){CR_X, r, b->x[r], 0};
    if (a->sp != b->sp)
        o->items[o->nitems++] = (CaseItem){CR_SP, 0, b->sp, 0};
    o->items[o->nitems++] = (CaseItem){CR_NZCV, 0, b->nzcv >> 28, 0};
    if ((cmp & CMP_FPSR) && a->fpsr != b->fpsr)
        o->items[o->nitems++] = (CaseItem){CR_FPSR, 0, b->fpsr, 0};
    for (unsigned r = 0; r < 32; r++)
        if (memcmp(a->v[r], b->v[r], 16) != 0) {
            uint64_t lo, hi;
            memcpy(&lo, b->v[r], 8);
            memcpy(&hi, b->v[r] + 8, 8);
            o->items[o->nitems++] = (CaseItem){CR_V, r, lo, hi};
        }
    if (q->sig == SIGILL || q->sig == SIGTRAP)
        o->items[o->nitems++] = (CaseItem){CR_TRAP, 0, q->sig == SIGILL ? TRAP_UNDEF : TRAP_BRK, 0};
    /* Changed bytes: runs less than 8 bytes apart are joined, up to 64 bytes. */
    uint8_t init[DT_WINDOW_SIZE];
    dt_initial_window(&c, init);
    for (size_t i = 0; i < DT_WINDOW_SIZE;) {
        if (q->window[i] == init[i]) {
            i++;
            continue;
        }
        if (o->nmem == CASE_MAX_MEM) {
            fprintf(out, "    (more than %d changed memory runs: not expressible as a case)\n", CASE_MAX_MEM);
            return false;
        }
        CaseMem *mm = &o->mem[o->nmem++];
        mm->addr = DT_WINDOW_BASE + i;
        size_t end = i;
        for (size_t j = i; j < DT_WINDOW_SIZE && j - i < CASE_MAX_MEM_BYTES; j++) {
            if (q->window[j] != init[j])
                end = j + 1;
            else if (j - end >= 7)
                break;
        }
        mm->len = end - i;
        memcpy(mm->bytes, q->window + i, mm->len);
        i = end;
    }
    return true;
}

static void format_side(char *buf, size_t n, const CaseSide *s)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t k = 0; k < s->nitems && used < n; k++) {
        char name[16], val[64];
        case_item_name(&s->items[k], name, sizeof name);
        case_format_value(&s->items[k], s->items[k].lo, s->items[k].hi, val, sizeof val);
        used += (size_t)snprintf(buf + used, n - used, "%s%s=%s", used ? " " : "", name, val);
    }
    for (size_t k = 0; k < s->nmem && used < n; k++) {
        used += (size_t)snprintf(buf + used, n - used, "%smem[0x%llx]=", used ? " " : "",
                                 (unsigned long long)s->mem[k].addr);
        for (size_t b = 0; b < s->mem[k].len && used < n; b++)
            used += (size_t)snprintf(buf + used, n - used, "%02x", s->mem[k].bytes[b]);
    }
}

/* Reduce MC, print it as a case line; false if it does not fail with WANT. */
static bool emit_case(MinCtx *m, const GenSeq *s, MinCase *mc, enum DtVerdict want, unsigned k, FILE *out)
{
    DtOutcome *q = malloc(sizeof *q);
    bool ok = reduce(m, mc, want, q, out);
    CaseSide o;
    if (ok && outputs_of(mc, q, (s->cls->flags & GC_VREGS) != 0, m->cmp, &o, out)) {
        char words[DT_MAX_WORDS * 12] = "", in[4096], outs[4096], dis[512] = "";
        size_t used = 0, dused = 0;
        for (unsigned i = 0; i < mc->n; i++) {
            char d[128];
            used += (size_t)snprintf(words + used, sizeof words - used, "%s%08x", i ? " ; " : "", mc->words[i]);
            gen_disasm(mc->words[i], 0, d, sizeof d);
            if (dused < sizeof dis)
                dused += (size_t)snprintf(dis + dused, sizeof dis - dused, "%s%s", i ? "; " : "", d);
        }
        format_side(in, sizeof in, &mc->in);
        format_side(outs, sizeof outs, &o);
        char line[10000];
        snprintf(line, sizeof line, "%s | %s | %s   # %s (difftest %s seed %lu #%llu word %u)", words, in, outs, dis,
                 s->cls->name, m->seed, (unsigned long long)s->index, k);
        fprintf(out, "    case: %s\n", line);
        TestCase *tc = malloc(sizeof *tc);
        char err[256];
        if (case_parse_line(line, tc, err, sizeof err) != 1)
            fprintf(out, "    (the case line does not parse: %s)\n", err);
        free(tc);
    }
    free(q);
    return ok;
}

int min_sequence(MinCtx *m, const GenSeq *s, FILE *out)
{
    unsigned L = s->c.nwords;
    if (L == 0)
        return -1;
    DtCase *pre = malloc(L * sizeof *pre);
    DtOutcome *q = malloc(L * sizeof *q), *t = malloc(L * sizeof *t);
    int k = -1;
    enum DtVerdict want = DT_SAME;
    for (unsigned p = 1; p <= L; p++) {
        pre[p - 1] = s->c;
        for (unsigned i = p; i < L; i++)
            pre[p - 1].words[i] = A64_NOP;
    }
    if (run_both(m, pre, L, q, t, out) != 0)
        goto out;
    for (unsigned p = 1; p <= L && k < 0; p++) {
        enum DtVerdict v = dt_compare(&pre[p - 1], &q[p - 1], &t[p - 1], m->cmp);
        if (v != DT_SAME) {
            k = (int)p - 1;
            want = v;
        }
    }
    if (k < 0) {
        fprintf(out, "    no prefix of the sequence fails on its own (did not reproduce)\n");
        goto out;
    }
    char dis[128];
    gen_disasm(s->c.words[k], dt_entry(0) + 4 * (unsigned)k, dis, sizeof dis);
    fprintf(out, "    first failing word: #%d %08x  %s  (%s; %s)\n", k, s->c.words[k], dis, s->form[k],
            dt_verdict_name(want));

    /* The state word k starts from: qemu's result of prefix k. */
    const DtState *st = k == 0 ? &s->c.in : &q[k - 1].out;
    uint8_t *win0 = malloc(DT_WINDOW_SIZE);
    dt_initial_window(&s->c, win0);
    const uint8_t *win = k == 0 ? win0 : q[k - 1].window;
    bool vregs = (s->cls->flags & GC_VREGS) != 0;
    bool done = false;
    if (s->posdep[k]) {
        fprintf(out, "    (its result depends on its address: no case line; reproduce with difftest --only)\n");
        done = true;
    }
    MinCase mc;
    if (!done && refs_inside(&s->c.words[k], 1)) {
        memset(&mc, 0, sizeof mc);
        mc.words[0] = s->c.words[k];
        mc.n = 1;
        side_from_state(&mc.in, st, vregs, m->cmp);
        if (add_mem(&mc.in, s->acc[k], s->nacc[k], win))
            done = emit_case(m, s, &mc, want, (unsigned)k, out);
    }
    if (!done) {
        /* Words [0, k] (and up to the farthest target) on the initial state. */
        memset(&mc, 0, sizeof mc);
        mc.n = (unsigned)k + 1;
        memcpy(mc.words, s->c.words, 4 * mc.n);
        while (!refs_inside(mc.words, mc.n) && mc.n < L)
            mc.words[mc.n++] = A64_NOP;
        bool posdep = false;
        GenAccess acc[DT_MAX_WORDS * GEN_MAX_ACC];
        unsigned nacc = 0;
        for (int i = 0; i <= k; i++) {
            posdep |= s->posdep[i];
            for (unsigned a = 0; a < s->nacc[i]; a++)
                acc[nacc++] = s->acc[i][a];
        }
        side_from_state(&mc.in, &s->c.in, vregs, m->cmp);
        if (posdep)
            fprintf(out, "    (needs a word whose result depends on its address: no case line)\n");
        else if (!refs_inside(mc.words, mc.n))
            fprintf(out, "    (branches or literals reach outside words 0..%d: no case line)\n", k);
        else if (!add_mem(&mc.in, acc, nacc, win0))
            fprintf(out, "    (touches more memory than a case can list: no case line)\n");
        else if (!emit_case(m, s, &mc, want, (unsigned)k, out))
            fprintf(out, "    (words 0..%d on the initial state do not fail as a case)\n", k);
    }
    free(win0);
out:
    free(pre);
    free(q);
    free(t);
    return k;
}
