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
 * code, the function containing it (codemap.c) gets a sample.  Samples
 * in the runtime, in host libraries or in JIT code are counted apart.
 *
 * The file, text, one function per line, sorted by guest address:
 *
 *     # dbt-aot profile 1: prog, 5230 samples (4980 in translated code)
 *     0x400530 12
 *     0x4011b0 4711
 *
 * A guest that installs its own SIGPROF handler takes the signal over (the
 * runtime then stops sampling, and the file says so in its header).
 *
 * Counting, for the question "why does this program leave its translated
 * code so often": DBT_STATS=1 ./out.elf counts the runtime's events
 * (runtime.h: enum RtStat - dispatcher round trips, lookups that missed
 * the indirect-branch cache, JIT compiles and their time, safe points,
 * system calls) in all threads and prints them to stderr at exit, one
 * "dbt-stats:" line.  Off, each count costs a test of one global.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "runtime.h"

/* The sampler's state: the signal handler has no argument, so this is
 * the runtime's second process-wide variable (after signal.c's thread
 * pointer); written once at start-up, then only its counters. */
static struct {
    CodeMap map;          /* translated functions by host address */
    uint64_t *samples;    /* per map entry, updated by the signal handler */
    uint64_t total, in_code;
    const char *path;
    const Runtime *rt;
} prof;

int rt_stats_on;
uint64_t rt_stats[ST_NSTATS];

static void on_sample(int sig, siginfo_t *si, void *ucv)
{
    long i = codemap_find(&prof.map, host_context_pc(ucv));
    __atomic_fetch_add(&prof.total, 1, __ATOMIC_RELAXED);
    if (i >= 0) {
        __atomic_fetch_add(&prof.samples[i], 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&prof.in_code, 1, __ATOMIC_RELAXED);
    }
}

void profile_start(Runtime *rt)
{
    const char *stats = getenv("DBT_STATS");
    rt_stats_on = stats != NULL && *stats != '\0' && strcmp(stats, "0") != 0;
    const char *path = getenv("DBT_PROFILE");
    if (path == NULL || *path == '\0')
        return;
    if (codemap_build(&prof.map, rt->meta) != 0 ||
        (prof.samples = calloc(prof.map.n ? prof.map.n : 1, sizeof *prof.samples)) == NULL)
        rt_fatal("DBT_PROFILE: out of memory");
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
    rt_log(rt, LOG_LOAD, "profiling %zu functions into %s", prof.map.n, path);
}

/* One line of the file. */
typedef struct ProfLine {
    uint64_t guest, samples;
} ProfLine;

static int cmp_guest(const void *a, const void *b)
{
    const ProfLine *x = a, *y = b;
    return x->guest < y->guest ? -1 : x->guest > y->guest;
}

static void profile_finish(void)
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
    ProfLine *lines = calloc(prof.map.n ? prof.map.n : 1, sizeof *lines);
    size_t n = 0;
    for (size_t i = 0; lines != NULL && i < prof.map.n; i++)
        if (prof.samples[i])
            lines[n++] = (ProfLine){prof.map.fns[i].guest, prof.samples[i]};
    qsort(lines, n, sizeof *lines, cmp_guest);
    const char *name = rt->meta->guest_name ? rt->meta->guest_name : "?";
    fprintf(f, "# dbt-aot profile 1: %s, %llu samples (%llu in translated code)%s\n", name,
            (unsigned long long)prof.total, (unsigned long long)prof.in_code,
            rt->sigact[A64_SIGPROF].handler > A64_SIG_IGN ? ", stopped: the guest handles SIGPROF" : "");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "0x%llx %llu\n", (unsigned long long)lines[i].guest,
                (unsigned long long)lines[i].samples);
    free(lines);
    if (fclose(f) != 0)
        rt_msg("DBT_PROFILE: cannot write %s: %s", path, strerror(errno));
}

static void stats_finish(void)
{
    if (!rt_stats_on)
        return;
    rt_stats_on = 0; /* once */
    uint64_t c[ST_NSTATS];
    for (int k = 0; k < ST_NSTATS; k++)
        c[k] = __atomic_load_n(&rt_stats[k], __ATOMIC_RELAXED);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    rt_msg("dbt-stats: %.3f s CPU; dispatcher loop %llu, lookups %llu (indirect-branch cache misses %llu), "
           "frame-leaving BR lookups %llu, cache flushes %llu, JIT cache hits %llu, JIT compiles %llu "
           "(%.3f s), safe points %llu, system calls %llu",
           cpu, (unsigned long long)c[ST_LOOP], (unsigned long long)c[ST_LOOKUP],
           (unsigned long long)(c[ST_LOOKUP] > c[ST_LOOP] ? c[ST_LOOKUP] - c[ST_LOOP] : 0),
           (unsigned long long)c[ST_LOOKUP_ENTRY], (unsigned long long)c[ST_ICACHE_FLUSH],
           (unsigned long long)c[ST_JIT_HIT], (unsigned long long)c[ST_JIT_COMPILE], (double)c[ST_JIT_NS] / 1e9,
           (unsigned long long)c[ST_SAFEPOINT], (unsigned long long)c[ST_SYSCALL]);
}

void rt_exit_reports(void)
{
    const Thread *t = sig_current();
    if (t != NULL && t->vfork_child)
        return;   /* its memory is the parent's, and so are the reports (printed once, by it) */
    profile_finish();
    stats_finish();
}
