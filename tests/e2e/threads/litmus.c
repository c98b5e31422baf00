/* Litmus tests on two to four threads, in batches started together by a
 * spin barrier; the tested sequences are inline AArch64 assembly, so the
 * guest compiler cannot reorder them.  stdout says, per test, whether an
 * outcome the AArch64 memory model forbids was seen (it must not be);
 * stderr counts the allowed ones (how often each appeared varies).
 *
 *   litmus [ITERATIONS]      (default 100000; the full check: 1000000)
 *
 *   MP+dmb       str x; dmb ish; str y  ||  ldr y; dmb ish; ldr x     forbid y=1,x=0
 *   MP+rel+acq   str x; stlr y          ||  ldar y; ldr x             forbid y=1,x=0
 *   MP           str x; str y           ||  ldr y; ldr x              allowed (count)
 *   SB+dmb       str x; dmb ish; ldr y  ||  str y; dmb ish; ldr x     forbid 0,0
 *   SB+rel+acq   stlr x; ldar y         ||  stlr y; ldar x            forbid 0,0
 *   SB+excl      ldxr/stxr x; dmb; ldr y || the same on y, x          forbid 0,0
 *   SB           str x; ldr y           ||  str y; ldr x              allowed (count)
 *   LB+dmb       ldr x; dmb ish; str y  ||  ldr y; dmb ish; str x     forbid 1,1
 *   IRIW+dmb     str x || str y || ldr x; dmb; ldr y || ldr y; dmb; ldr x
 *                                                                    forbid 1,0,1,0
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A batch: BATCH independent instances of the test, each on its own pair
 * of cache lines; the threads run through them without synchronizing, so
 * neighbouring instances race often, and meet at a barrier per batch. */
enum { BATCH = 512 };
typedef struct Cell {
    _Alignas(64) volatile uint64_t v;
} Cell;

static Cell xs[BATCH], ys[BATCH];
static long iterations;

/* A sense-reversing spin barrier for N threads. */
static atomic_int bar_count, bar_sense;
static int nthreads;

static void barrier(int *sense)
{
    *sense = !*sense;
    if (atomic_fetch_add(&bar_count, 1) == nthreads - 1) {
        atomic_store(&bar_count, 0);
        atomic_store(&bar_sense, *sense);
    } else {
        /* More threads than CPUs: let the others run now and then. */
        for (unsigned spins = 1; atomic_load(&bar_sense) != *sense; spins++)
            if (spins % 256 == 0)
                sched_yield();
    }
}

typedef void (*Body)(int thread, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r);
typedef struct Test {
    const char *name;
    int threads;
    Body body;
    int (*forbidden)(const uint64_t r[4][2]);   /* NULL: nothing forbidden */
    int (*relaxed)(const uint64_t r[4][2]);     /* the interesting allowed outcome */
} Test;

static const Test *cur;
static uint64_t results[BATCH][4][2];
static long seen_forbidden, seen_relaxed;

static void *runner(void *arg)
{
    int t = (int)(intptr_t)arg, sense = 0;
    for (long done = 0; done < iterations; done += BATCH) {
        if (t == 0)
            for (int i = 0; i < BATCH; i++)
                xs[i].v = ys[i].v = 0;
        barrier(&sense);
        for (int i = 0; i < BATCH; i++)
            cur->body(t, &xs[i].v, &ys[i].v, results[i][t]);
        barrier(&sense);
        if (t == 0)
            for (int i = 0; i < BATCH; i++) {
                if (cur->forbidden && cur->forbidden((const uint64_t(*)[2])results[i]))
                    seen_forbidden++;
                if (cur->relaxed && cur->relaxed((const uint64_t(*)[2])results[i]))
                    seen_relaxed++;
            }
        barrier(&sense);
    }
    return NULL;
}

#define X x
#define Y y

static void mp_dmb(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    if (t == 0)
        __asm__ volatile("mov x9, #1\n str x9, [%0]\n dmb ish\n str x9, [%1]" ::"r"(X), "r"(Y) : "x9", "memory");
    else
        __asm__ volatile("ldr %0, [%2]\n dmb ish\n ldr %1, [%3]" : "=&r"(r[0]), "=&r"(r[1]) : "r"(Y), "r"(X) : "memory");
}

static void mp_relacq(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    if (t == 0)
        __asm__ volatile("mov x9, #1\n str x9, [%0]\n stlr x9, [%1]" ::"r"(X), "r"(Y) : "x9", "memory");
    else
        __asm__ volatile("ldar %0, [%2]\n ldr %1, [%3]" : "=&r"(r[0]), "=&r"(r[1]) : "r"(Y), "r"(X) : "memory");
}

static void mp_plain(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    if (t == 0)
        __asm__ volatile("mov x9, #1\n str x9, [%0]\n str x9, [%1]" ::"r"(X), "r"(Y) : "x9", "memory");
    else
        __asm__ volatile("ldr %0, [%2]\n ldr %1, [%3]" : "=&r"(r[0]), "=&r"(r[1]) : "r"(Y), "r"(X) : "memory");
}

static int mp_bad(const uint64_t r[4][2]) { return r[1][0] == 1 && r[1][1] == 0; }

static void sb_dmb(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    volatile uint64_t *mine = t ? Y : X, *other = t ? X : Y;
    __asm__ volatile("mov x9, #1\n str x9, [%1]\n dmb ish\n ldr %0, [%2]" : "=&r"(r[0]) : "r"(mine), "r"(other) : "x9", "memory");
}

static void sb_relacq(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    volatile uint64_t *mine = t ? Y : X, *other = t ? X : Y;
    __asm__ volatile("mov x9, #1\n stlr x9, [%1]\n ldar %0, [%2]" : "=&r"(r[0]) : "r"(mine), "r"(other) : "x9", "memory");
}

static void sb_excl(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    volatile uint64_t *mine = t ? Y : X, *other = t ? X : Y;
    __asm__ volatile("mov x9, #1\n"
                     "1: ldxr x10, [%1]\n stxr w11, x9, [%1]\n cbnz w11, 1b\n"
                     "dmb ish\n ldr %0, [%2]"
                     : "=&r"(r[0]) : "r"(mine), "r"(other) : "x9", "x10", "x11", "memory");
}

static void sb_plain(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    volatile uint64_t *mine = t ? Y : X, *other = t ? X : Y;
    __asm__ volatile("mov x9, #1\n str x9, [%1]\n ldr %0, [%2]" : "=&r"(r[0]) : "r"(mine), "r"(other) : "x9", "memory");
}

static int sb_bad(const uint64_t r[4][2]) { return r[0][0] == 0 && r[1][0] == 0; }

static void lb_dmb(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    volatile uint64_t *mine = t ? Y : X, *other = t ? X : Y;
    __asm__ volatile("ldr %0, [%1]\n dmb ish\n mov x9, #1\n str x9, [%2]" : "=&r"(r[0]) : "r"(mine), "r"(other) : "x9", "memory");
}

static int lb_bad(const uint64_t r[4][2]) { return r[0][0] == 1 && r[1][0] == 1; }

static void iriw_dmb(int t, volatile uint64_t *x, volatile uint64_t *y, uint64_t *r)
{
    if (t < 2)
        __asm__ volatile("mov x9, #1\n str x9, [%0]" ::"r"(t ? Y : X) : "x9", "memory");
    else
        __asm__ volatile("ldr %0, [%2]\n dmb ish\n ldr %1, [%3]"
                         : "=&r"(r[0]), "=&r"(r[1]) : "r"(t == 2 ? X : Y), "r"(t == 2 ? Y : X) : "memory");
}

static int iriw_bad(const uint64_t r[4][2])
{
    return r[2][0] == 1 && r[2][1] == 0 && r[3][0] == 1 && r[3][1] == 0;
}

static const Test tests[] = {
    {"MP+dmb", 2, mp_dmb, mp_bad, NULL},
    {"MP+rel+acq", 2, mp_relacq, mp_bad, NULL},
    {"MP", 2, mp_plain, NULL, mp_bad},
    {"SB+dmb", 2, sb_dmb, sb_bad, NULL},
    {"SB+rel+acq", 2, sb_relacq, sb_bad, NULL},
    {"SB+excl", 2, sb_excl, sb_bad, NULL},
    {"SB", 2, sb_plain, NULL, sb_bad},
    {"LB+dmb", 2, lb_dmb, lb_bad, NULL},
    {"IRIW+dmb", 4, iriw_dmb, iriw_bad, NULL},
};

int main(int argc, char **argv)
{
    iterations = argc > 1 ? atol(argv[1]) : 100000;
    for (unsigned k = 0; k < sizeof tests / sizeof tests[0]; k++) {
        cur = &tests[k];
        nthreads = cur->threads;
        seen_forbidden = seen_relaxed = 0;
        atomic_store(&bar_count, 0);
        atomic_store(&bar_sense, 0);
        pthread_t th[4];
        for (int t = 1; t < nthreads; t++)
            pthread_create(&th[t], NULL, runner, (void *)(intptr_t)t);
        runner((void *)0);
        for (int t = 1; t < nthreads; t++)
            pthread_join(th[t], NULL);
        if (cur->forbidden)
            printf("%-11s forbidden outcome %s\n", cur->name, seen_forbidden ? "SEEN" : "never seen");
        else
            printf("%-11s relaxed outcome allowed\n", cur->name);
        fprintf(stderr, "%-11s %ld iterations: forbidden %ld, relaxed %ld\n", cur->name, iterations,
                seen_forbidden, seen_relaxed);
    }
    return 0;
}
