/*
 * translated.c - run a batch through the lifter and the JIT.
 *
 * The batch is lifted into one LLVM module (jit_batch_compile: one guest
 * function per case, at the address of the oracle's code slot, so
 * PC-relative results agree) and compiled once; the per-case cost is then
 * the run alone.  Everything happens in a forked child that writes the
 * outcomes into shared memory and says which case it is in: if it dies
 * while compiling, the batch is split in halves and retried until the case
 * that kills the compiler is alone; if it dies running case i, case i gets
 * the crash and the cases after it are run again in a new child.
 *
 * After each case the scratch area outside the window must still hold the
 * pattern: a store the oracle did not make would otherwise go unnoticed.
 */
#include "translated.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu_state.h"
#include "jit_run.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

enum { CHILD_TIMEOUT_SECONDS = 1200 };

/* Shared with the child. */
typedef struct Progress {
    volatile int stage;       /* enum JitStage */
    volatile long current;    /* case being run, -1 while compiling */
} Progress;

int trans_map_scratch(char *err, size_t errlen)
{
    /* The words, at their guest addresses (identity mapping): a literal load
     * reads them like the runner's. */
    void *code = mmap((void *)(uintptr_t)DT_CODE_BASE, DT_MAX_SLOTS * DT_SLOT_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (code != (void *)(uintptr_t)DT_CODE_BASE) {
        snprintf(err, errlen, "cannot map the code slots at 0x%llx: %s", (unsigned long long)DT_CODE_BASE,
                 code == MAP_FAILED ? strerror(errno) : "address taken");
        return -1;
    }
    void *p = mmap((void *)(uintptr_t)DT_SCRATCH_BASE, DT_SCRATCH_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)(uintptr_t)DT_SCRATCH_BASE) {
        snprintf(err, errlen, "cannot map the scratch area at 0x%llx: %s", (unsigned long long)DT_SCRATCH_BASE,
                 p == MAP_FAILED ? strerror(errno) : "address taken");
        return -1;
    }
    for (uint64_t a = DT_SCRATCH_BASE; a < DT_SCRATCH_BASE + DT_SCRATCH_SIZE; a++)
        *(uint8_t *)(uintptr_t)a = dt_pattern_byte(a);
    return 0;
}

/* Outside the window, the scratch area must hold the pattern; restore it
 * and say where it did not. */
static bool outside_intact(uint64_t *where)
{
    bool ok = true;
    for (uint64_t a = DT_SCRATCH_BASE; a < DT_SCRATCH_BASE + DT_SCRATCH_SIZE; a++) {
        if (a == DT_WINDOW_BASE) {
            a += DT_WINDOW_SIZE - 1;
            continue;
        }
        uint8_t *p = (uint8_t *)(uintptr_t)a;
        if (*p != dt_pattern_byte(a)) {
            if (ok)
                *where = a;
            ok = false;
            *p = dt_pattern_byte(a);
        }
    }
    return ok;
}

static void run_one(JitBatch *b, size_t slot, size_t k, const DtCase *c, DtOutcome *oc)
{
    uint8_t *win = (uint8_t *)(uintptr_t)DT_WINDOW_BASE;
    dt_initial_window(c, win);
    uint64_t entry = dt_entry((unsigned)slot);
    memcpy((void *)(uintptr_t)entry, c->words, 4 * c->nwords);
    CpuState s;
    dt_to_cpu(&c->in, &s);
    RtLog log;
    memset(&log, 0, sizeof log);
    jit_batch_run(b, k, &s, &log);
    dt_from_cpu(&s, &oc->out);
    memcpy(oc->window, win, DT_WINDOW_SIZE);
    oc->sig = 0;
    oc->fault_idx = -1;
    if (log.traps) {
        oc->sig = log.trap_kind == TRAP_UNDEF ? SIGILL : log.trap_kind == TRAP_BRK ? SIGTRAP : -(int)log.trap_kind;
        if (log.trap_pc >= entry && log.trap_pc < entry + 4 * c->nwords)
            oc->fault_idx = (int)((log.trap_pc - entry) / 4);
    }
    uint64_t where;
    if (log.lookups)
        snprintf(oc->error, sizeof oc->error, "branched out of the sequence to 0x%llx",
                 (unsigned long long)log.lookup_pc);
    else if (log.syscalls)
        snprintf(oc->error, sizeof oc->error, "made a system call");
    else if (!outside_intact(&where))
        snprintf(oc->error, sizeof oc->error, "changed memory outside the window at 0x%llx",
                 (unsigned long long)where);
}

/* In the child: compile cases [lo, hi) and run them. */
static void child(const DtCase *const *cases, size_t lo, size_t hi, const char *pipeline, enum LiftRegs regs, DtOutcome *out, Progress *pr)
{
    alarm(CHILD_TIMEOUT_SECONDS);
    size_t n = hi - lo;
    JitSeq *seqs = calloc(n, sizeof *seqs);
    size_t *untranslated = calloc(n, sizeof *untranslated);
    for (size_t i = 0; i < n; i++)
        seqs[i] = (JitSeq){dt_entry((unsigned)(lo + i)), cases[lo + i]->words, cases[lo + i]->nwords};
    JitOptions jo = {.pipeline = pipeline, .stage = &pr->stage, .regs = regs};
    JitBatch *b;
    char err[512];
    pr->current = -1;
    if (jit_batch_compile(seqs, n, &jo, &b, untranslated, err, sizeof err) != 0) {
        for (size_t i = lo; i < hi; i++)
            snprintf(out[i].error, sizeof out[i].error, "%.190s", err);
        _exit(3);
    }
    pr->stage = STAGE_RUN;
    for (size_t i = lo; i < hi; i++) {
        pr->current = (long)i;
        out[i].untranslated = (unsigned)untranslated[i - lo];
        run_one(b, i, i - lo, cases[i], &out[i]);
    }
    pr->stage = STAGE_DONE;
    _exit(0);
}

static int run_range(const DtCase *const *cases, size_t lo, size_t hi, const char *pipeline, enum LiftRegs regs, DtOutcome *out, Progress *pr,
                     char *err, size_t errlen)
{
    if (lo >= hi)
        return 0;
    fflush(stdout);
    fflush(stderr);
    pr->stage = 0;
    pr->current = -1;
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0)
        child(cases, lo, hi, pipeline, regs, out, pr);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3))
        return 0; /* done, or a compile error recorded in every outcome */
    int sig = WIFSIGNALED(st) ? WTERMSIG(st) : -1;
    if (pr->current >= (long)lo) {
        size_t i = (size_t)pr->current;
        out[i].crash_sig = sig;
        out[i].crash_stage = STAGE_RUN;
        return run_range(cases, i + 1, hi, pipeline, regs, out, pr, err, errlen);
    }
    if (hi - lo == 1) {
        out[lo].crash_sig = sig;
        out[lo].crash_stage = pr->stage;
        return 0;
    }
    size_t mid = lo + (hi - lo) / 2;
    if (run_range(cases, lo, mid, pipeline, regs, out, pr, err, errlen) != 0)
        return -1;
    return run_range(cases, mid, hi, pipeline, regs, out, pr, err, errlen);
}

int trans_run(const DtCase *const *cases, size_t n, const char *pipeline, enum LiftRegs regs, DtOutcome *out, char *err, size_t errlen)
{
    if (n > DT_MAX_SLOTS) {
        snprintf(err, errlen, "batch of %zu runs: at most %d", n, DT_MAX_SLOTS);
        return -1;
    }
    size_t bytes = n * sizeof(DtOutcome) + sizeof(Progress);
    void *shm = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shm == MAP_FAILED) {
        snprintf(err, errlen, "mmap: %s", strerror(errno));
        return -1;
    }
    DtOutcome *res = shm;
    Progress *pr = (Progress *)(res + n);
    memset(res, 0, n * sizeof *res);
    for (size_t i = 0; i < n; i++)
        res[i].fault_idx = -1;
    int rc = run_range(cases, 0, n, pipeline, regs, res, pr, err, errlen);
    if (rc == 0)
        memcpy(out, res, n * sizeof *res);
    munmap(shm, bytes);
    return rc;
}
