/*
 * profile.c - where a translated program spends its time, for the tool's
 * tiers: DBT_PROFILE=FILE ./out.elf ... writes FILE at exit, and
 * `dbt-aot --profile FILE` compiles the functions it names with the full
 * pipeline and all others the cheapest way (docs/architecture.md, "Tiers").
 *
 * Sampling, not instrumentation: the translated code is the same with or
 * without a profile, and costs nothing when DBT_PROFILE is not set.  A
 * host SIGPROF every millisecond of process CPU time (setitimer
 * ITIMER_PROF) reads the interrupted host pc; if it lies in the translated
 * code (the output section .dbt.text, between __dbt_code_start and
 * __dbt_code_end), the function containing it - the last function entry
 * at or below it, in the table of translated functions sorted by host
 * address - gets a sample.  Samples in the runtime, in host libraries or
 * in JIT code are counted apart.
 *
 * The file, text, one function per line, sorted by guest address:
 *
 *     # dbt-aot profile 1: prog, 5230 samples (4980 in translated code)
 *     0x400530 12
 *     0x4011b0 4711
 *
 * A guest that installs its own SIGPROF handler takes the signal over (the
 * runtime then stops sampling, and the file says so in its header).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "runtime.h"

extern const char __dbt_code_start[] __attribute__((visibility("hidden")));
extern const char __dbt_code_end[] __attribute__((visibility("hidden")));

/* One translated function, by host address. */
typedef struct ProfFn {
    uint64_t host;        /* its code's address */
    uint64_t guest;       /* its guest entry */
    uint64_t samples;     /* updated by the signal handler */
} ProfFn;

/* The sampler's state: the signal handler has no argument, so this is
 * the runtime's second process-wide variable (after signal.c's thread
 * pointer); written once at start-up, then only its counters. */
static struct {
    ProfFn *fns;
    size_t n;
    uint64_t total, in_code;
    const char *path;
    const Runtime *rt;
} prof;

static int cmp_host(const void *a, const void *b)
{
    const ProfFn *x = a, *y = b;
    return x->host < y->host ? -1 : x->host > y->host;
}

static void on_sample(int sig, siginfo_t *si, void *ucv)
{
    const ucontext_t *uc = ucv;
    uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    __atomic_fetch_add(&prof.total, 1, __ATOMIC_RELAXED);
    if (pc < (uint64_t)__dbt_code_start || pc >= (uint64_t)__dbt_code_end || prof.n == 0)
        return;
    size_t lo = 0, hi = prof.n; /* the last entry at or below pc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (prof.fns[mid].host <= pc)
            lo = mid;
        else
            hi = mid;
    }
    if (prof.fns[lo].host <= pc) {
        __atomic_fetch_add(&prof.fns[lo].samples, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&prof.in_code, 1, __ATOMIC_RELAXED);
    }
}

void profile_start(Runtime *rt)
{
    const char *path = getenv("DBT_PROFILE");
    if (path == NULL || *path == '\0')
        return;
    const DbtMeta *m = rt->meta;
    prof.fns = calloc(m->nfns ? m->nfns : 1, sizeof *prof.fns);
    if (prof.fns == NULL)
        rt_fatal("DBT_PROFILE: out of memory");
    for (size_t i = 0; i < m->nfns; i++)
        prof.fns[i] = (ProfFn){(uint64_t)(uintptr_t)m->fns[i].fn, m->fns[i].guest_pc, 0};
    prof.n = m->nfns;
    qsort(prof.fns, prof.n, sizeof *prof.fns, cmp_host);
    prof.path = path;
    prof.rt = rt;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sample;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    if (sigaction(SIGPROF, &sa, NULL) != 0 || setitimer(ITIMER_PROF, &it, NULL) != 0)
        rt_fatal("DBT_PROFILE: cannot start the sampling timer: %s", strerror(errno));
    rt_log(rt, LOG_LOAD, "profiling %zu functions into %s", prof.n, path);
}

static int cmp_guest(const void *a, const void *b)
{
    const ProfFn *x = a, *y = b;
    return x->guest < y->guest ? -1 : x->guest > y->guest;
}

void profile_finish(void)
{
    if (prof.path == NULL)
        return;
    const Runtime *rt = prof.rt;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    const char *path = prof.path;
    prof.path = NULL; /* once */
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        rt_msg("DBT_PROFILE: cannot write %s: %s", path, strerror(errno));
        return;
    }
    qsort(prof.fns, prof.n, sizeof *prof.fns, cmp_guest);
    const char *name = rt->meta->guest_name ? rt->meta->guest_name : "?";
    fprintf(f, "# dbt-aot profile 1: %s, %llu samples (%llu in translated code)%s\n", name,
            (unsigned long long)prof.total, (unsigned long long)prof.in_code,
            rt->sigact[A64_SIGPROF].handler > A64_SIG_IGN ? ", stopped: the guest handles SIGPROF" : "");
    for (size_t i = 0; i < prof.n; i++)
        if (prof.fns[i].samples)
            fprintf(f, "0x%llx %llu\n", (unsigned long long)prof.fns[i].guest,
                    (unsigned long long)prof.fns[i].samples);
    if (fclose(f) != 0)
        rt_msg("DBT_PROFILE: cannot write %s: %s", path, strerror(errno));
}
