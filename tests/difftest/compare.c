/*
 * compare.c - the verdict on one run: the translated outcome against
 * qemu's, over X0-X30, SP, NZCV, FPCR, V0-V31, the window, the trap (signal
 * and faulting word) and, with CMP_FPSR, FPSR.
 */
#include <signal.h>
#include <string.h>

#include "difftest.h"

const char *dt_verdict_name(enum DtVerdict v)
{
    switch (v) {
    case DT_SAME: return "same";
    case DT_MISMATCH: return "mismatch";
    case DT_UNTRANSLATED: return "untranslated";
    case DT_CRASH: return "crash";
    case DT_ERROR: return "error";
    case DT_ORACLE_FAULT: return "oracle-fault";
    }
    return "?";
}

static bool same_state(const DtState *a, const DtState *b, unsigned cmp)
{
    return memcmp(a->x, b->x, sizeof a->x) == 0 && a->sp == b->sp && a->nzcv == b->nzcv && a->fpcr == b->fpcr &&
           (!(cmp & CMP_FPSR) || a->fpsr == b->fpsr) && memcmp(a->v, b->v, sizeof a->v) == 0;
}

enum DtVerdict dt_compare(const DtCase *c, const DtOutcome *q, const DtOutcome *t, unsigned cmp)
{
    if (q->sig == SIGSEGV || q->sig == SIGBUS)
        return DT_ORACLE_FAULT;
    if (t->crash_sig != 0)
        return DT_CRASH;
    if (t->error[0] != 0)
        return DT_ERROR;
    if (t->untranslated && t->sig == SIGILL && t->fault_idx >= 0 &&
        (q->sig != SIGILL || q->fault_idx != t->fault_idx))
        return DT_UNTRANSLATED;
    if (q->sig != t->sig || (q->sig && q->fault_idx != t->fault_idx))
        return DT_MISMATCH;
    if (!same_state(&q->out, &t->out, cmp) || memcmp(q->window, t->window, DT_WINDOW_SIZE) != 0)
        return DT_MISMATCH;
    return DT_SAME;
}

static void vhex(char *buf, size_t n, const uint8_t *v)
{
    uint64_t lo, hi;
    memcpy(&lo, v, 8);
    memcpy(&hi, v + 8, 8);
    snprintf(buf, n, "0x%016llx_%016llx", (unsigned long long)hi, (unsigned long long)lo);
}

static void nzcv_text(char *buf, size_t n, uint64_t nzcv)
{
    snprintf(buf, n, "0b%u%u%u%u", (unsigned)(nzcv >> 31 & 1), (unsigned)(nzcv >> 30 & 1), (unsigned)(nzcv >> 29 & 1),
             (unsigned)(nzcv >> 28 & 1));
}

static void print_trap(FILE *f, const char *who, const DtOutcome *o)
{
    if (o->sig == 0)
        fprintf(f, "%s: no trap", who);
    else
        fprintf(f, "%s: signal %d (%s) at word %d", who, o->sig, o->sig > 0 ? strsignal(o->sig) : "?", o->fault_idx);
}

void dt_print_diff(FILE *f, const DtOutcome *q, const DtOutcome *t, unsigned cmp)
{
    if (t->crash_sig != 0)
        fprintf(f, "      translated side died with signal %d (%s) in stage %d (1 lift, 2 optimize, 3 codegen, 4 run)\n",
                t->crash_sig, t->crash_sig > 0 ? strsignal(t->crash_sig) : "exit", t->crash_stage);
    if (t->error[0])
        fprintf(f, "      translated side: %s\n", t->error);
    if (t->crash_sig != 0)
        return;
    if (q->sig != t->sig || (q->sig && q->fault_idx != t->fault_idx)) {
        fprintf(f, "      trap: ");
        print_trap(f, "qemu", q);
        fprintf(f, "; ");
        print_trap(f, "translated", t);
        fprintf(f, "%s\n", t->untranslated ? " (the lifter did not translate a word)" : "");
    }
    const DtState *a = &q->out, *b = &t->out;
    for (unsigned r = 0; r < 31; r++)
        if (a->x[r] != b->x[r])
            fprintf(f, "      x%u: qemu 0x%llx, translated 0x%llx\n", r, (unsigned long long)a->x[r],
                    (unsigned long long)b->x[r]);
    if (a->sp != b->sp)
        fprintf(f, "      sp: qemu 0x%llx, translated 0x%llx\n", (unsigned long long)a->sp, (unsigned long long)b->sp);
    if (a->nzcv != b->nzcv) {
        char x[8], y[8];
        nzcv_text(x, sizeof x, a->nzcv);
        nzcv_text(y, sizeof y, b->nzcv);
        fprintf(f, "      nzcv: qemu %s, translated %s\n", x, y);
    }
    if (a->fpcr != b->fpcr)
        fprintf(f, "      fpcr: qemu 0x%x, translated 0x%x\n", a->fpcr, b->fpcr);
    if (a->fpsr != b->fpsr)
        fprintf(f, "      fpsr: qemu 0x%x, translated 0x%x%s\n", a->fpsr, b->fpsr,
                cmp & CMP_FPSR ? "" : " (not compared: --fpsr)");
    for (unsigned r = 0; r < 32; r++)
        if (memcmp(a->v[r], b->v[r], 16) != 0) {
            char x[40], y[40];
            vhex(x, sizeof x, a->v[r]);
            vhex(y, sizeof y, b->v[r]);
            fprintf(f, "      v%u: qemu %s, translated %s\n", r, x, y);
        }
    for (size_t i = 0; i < DT_WINDOW_SIZE;) {
        if (q->window[i] == t->window[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < DT_WINDOW_SIZE && j - i < 32 && q->window[j] != t->window[j])
            j++;
        fprintf(f, "      mem[0x%llx]: qemu ", (unsigned long long)(DT_WINDOW_BASE + i));
        for (size_t k = i; k < j; k++)
            fprintf(f, "%02x", q->window[k]);
        fprintf(f, ", translated ");
        for (size_t k = i; k < j; k++)
            fprintf(f, "%02x", t->window[k]);
        fprintf(f, "\n");
        i = j;
    }
}

void dt_print_state(FILE *f, const char *indent, const DtState *s, bool vregs)
{
    for (unsigned r = 0; r < 31; r++)
        fprintf(f, "%sx%u=0x%llx%s", r % 4 == 0 ? indent : "", r, (unsigned long long)s->x[r],
                r % 4 == 3 ? "\n" : " ");
    char nz[8];
    nzcv_text(nz, sizeof nz, s->nzcv);
    fprintf(f, "sp=0x%llx nzcv=%s", (unsigned long long)s->sp, nz);
    if (s->fpcr || s->fpsr)
        fprintf(f, " fpcr=0x%x fpsr=0x%x", s->fpcr, s->fpsr);
    fprintf(f, "\n");
    if (vregs)
        for (unsigned r = 0; r < 32; r++) {
            char v[40];
            vhex(v, sizeof v, s->v[r]);
            fprintf(f, "%sv%u=%s%s", r % 3 == 0 ? indent : "", r, v, r % 3 == 2 || r == 31 ? "\n" : " ");
        }
}
