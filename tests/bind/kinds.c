/*
 * kinds.c - the bindings' argument and result kinds, with the functions of
 * runtime/bind_selftest.c (compiled into this program for the guest; the
 * translation binds them to the runtime's host copies).  Prints every
 * result exactly (integers in decimal, floating point in %a), so the lines
 * of qemu, of the bound translation and of DBT_BIND=none must be equal.
 *
 *   kinds [CASES] [SEED]     the random calls (default 2000 1)
 *   kinds fenv               FP flags raised in the host code reach the
 *                            guest's FPSR; the guest's rounding mode holds
 *   kinds null               dbt_bindtest_store(NULL, 1): the fault the
 *                            guest would see (SIGSEGV)
 *   kinds segv               bad pointers to bound functions under a
 *                            SIGSEGV handler: it runs, with the address
 *   kinds callbacks          guest functions called back by bound ones:
 *                            dbt_bindtest_apply, qsort and bsearch; a
 *                            callback that calls bound functions again (with
 *                            a callback of its own), the same called from
 *                            two threads the host library starts, qsort in
 *                            two threads at once, a longjmp out of a
 *                            comparator
 */
#include <fenv.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind_selftest.h"
#include "guest_rand.h"

/* Values that reach every bit: full 64-bit words, small ones, extremes. */
static uint64_t any(void)
{
    static const uint64_t edge[] = {0, 1, ~0ull, 0x80, 0x7f, 0xff, 0x8000, 0xffff, 0x80000000ull, 0xffffffffull,
                                    0x8000000000000000ull};
    return next() % 4 == 0 ? edge[next() % (sizeof edge / sizeof *edge)] : next();
}
static double anyd(void)
{
    double d = (double)(int64_t)next() / (double)(1 + (next() & 0xffffff));
    return next() % 8 == 0 ? -d : d;
}
static float anyf(void) { return (float)anyd(); }

/* Arguments of a narrow type reach the callee with garbage above them in
 * the X register when they come from a wider computation; volatile words
 * truncated here make GCC pass them as it would any narrowed value. */
static int kinds(long cases)
{
    for (long k = 0; k < cases; k++) {
        uint64_t a = any(), b = any(), c = any(), d = any(), e = any(), f = any(), g = any(), h = any();
        printf("ints %" PRId64 "\n", dbt_bindtest_ints((int8_t)a, (uint8_t)b, (int16_t)c, (uint16_t)d, (int32_t)e,
                                                       (uint32_t)f, (int64_t)g, h));
        printf("ret %d %u %d %u %" PRId32 " %" PRIu32 "\n", dbt_bindtest_ret_b((int64_t)a), dbt_bindtest_ret_B((int64_t)a),
               dbt_bindtest_ret_h((int64_t)b), dbt_bindtest_ret_H((int64_t)b), dbt_bindtest_ret_i((int64_t)c),
               dbt_bindtest_ret_u((int64_t)c));
        printf("fp %a\n", dbt_bindtest_fp(anyf(), anyd(), anyf(), anyd(), anyf(), anyd(), anyf(), anyd()));
        printf("fret %a\n", (double)dbt_bindtest_fret(anyf(), anyf()));
        double pd = anyd();
        printf("mixed %a\n", dbt_bindtest_mixed((int32_t)a, anyf(), &pd, anyd(), (int64_t)b, (int8_t)c, anyf(), (uint16_t)d));
        printf("many %" PRId64 "\n", dbt_bindtest_many((int64_t)a, (int64_t)b, (int64_t)c, (int64_t)d, (int64_t)e,
                                                      (int64_t)f, (int64_t)g, (int64_t)h, (int64_t)any(),
                                                      (int64_t)any(), (int64_t)any(), (int64_t)any()));
        printf("many_fp %a\n", dbt_bindtest_many_fp(anyd(), anyd(), anyd(), anyd(), anyd(), anyd(), anyd(), anyd(),
                                                    anyd(), anyd()));
        printf("many_mixed %a\n",
               dbt_bindtest_many_mixed((int64_t)a, (int64_t)b, (int64_t)c, (int64_t)d, (int64_t)e, (int64_t)f,
                                       (int64_t)g, (int64_t)h, (int64_t)any(), anyd(), anyd(), anyd(), anyd(), anyd(),
                                       anyd(), anyd(), anyd(), anyd(), anyf()));
        int64_t cell = 0;
        dbt_bindtest_store(&cell, (int64_t)a);
        printf("store %" PRId64 "\n", cell);
    }
    return 0;
}

static int fenv(void)
{
    static const struct { const char *name; int mode; } modes[] = {
        {"nearest", FE_TONEAREST}, {"up", FE_UPWARD}, {"down", FE_DOWNWARD}, {"zero", FE_TOWARDZERO}};
    for (unsigned m = 0; m < 4; m++) {
        fesetround(modes[m].mode);
        feclearexcept(FE_ALL_EXCEPT);
        double third = dbt_bindtest_div(1.0, 3.0);
        int inexact = fetestexcept(FE_INEXACT) != 0;
        feclearexcept(FE_ALL_EXCEPT);
        double inf = dbt_bindtest_div(1.0, 0.0);
        int divzero = fetestexcept(FE_DIVBYZERO) != 0, inexact2 = fetestexcept(FE_INEXACT) != 0;
        printf("%s: 1/3 = %a inexact %d; 1/0 = %a divbyzero %d inexact %d; mode after %d\n", modes[m].name, third,
               inexact, inf, divzero, inexact2, fegetround() == modes[m].mode);
    }
    return 0;
}

static int64_t lin(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * 7 + (uint64_t)b); }
static const char *const words[] = {"", "a", "bb", "ccc", "dddd"};
/* A callback that calls bound functions again: apply (with a callback of
 * its own) and strlen. */
static int64_t nested(int64_t a, int64_t b)
{
    return dbt_bindtest_apply(lin, a + b) + (int64_t)strlen(words[(uint64_t)a % 5]);
}

typedef struct Rec {
    int key, seq;
} Rec;
static int by_key(const void *x, const void *y)
{
    const Rec *a = x, *b = y;
    return (a->key > b->key) - (a->key < b->key);
}
static int by_key_desc(const void *x, const void *y) { return by_key(y, x); }
static uint64_t hash_recs(const Rec *r, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)(uint32_t)r[i].key ^ (uint64_t)r[i].seq << 32) * 1099511628211ull;
    return h;
}
static void fill_recs(Rec *r, size_t n, unsigned mod)
{
    for (size_t i = 0; i < n; i++)
        r[i] = (Rec){(int)(next() % mod) - (int)mod / 2, (int)i};
}

/* A comparator that sorts a small array itself (qsort inside qsort). */
static int by_key_sorting(const void *x, const void *y)
{
    Rec inner[5];
    fill_recs(inner, 5, 10);
    qsort(inner, 5, sizeof *inner, by_key);
    return by_key(x, y) + (inner[0].key > inner[4].key); /* always 0 extra */
}

typedef struct Job {
    Rec r[3000];
    int desc;
    uint64_t hash;
} Job;
static void *sort_job(void *arg)
{
    Job *j = arg;
    for (int round = 0; round < 20; round++)
        qsort(j->r, 3000, sizeof *j->r, j->desc ? by_key_desc : by_key);
    j->hash = hash_recs(j->r, 3000);
    return NULL;
}

static jmp_buf escape;
static int budget;
static int by_key_escaping(const void *x, const void *y)
{
    if (--budget == 0)
        longjmp(escape, 1);
    return by_key(x, y);
}

static int callbacks_test(void)
{
    rng = 7;
    for (int k = 0; k < 200; k++) {
        int64_t a = (int64_t)any();
        printf("apply %" PRId64 " nested %" PRId64 " from two threads %" PRId64 "\n", dbt_bindtest_apply(lin, a),
               dbt_bindtest_apply(nested, a), k % 10 == 0 ? dbt_bindtest_apply_thread(nested, a) : 0);
    }
    static Rec r[5000];
    for (unsigned mod = 2; mod <= 20000; mod *= 10) { /* many equal keys first: stability shows */
        fill_recs(r, 5000, mod);
        qsort(r, 5000, sizeof *r, by_key);
        printf("qsort mod %u: %016" PRIx64 "\n", mod, hash_recs(r, 5000));
        /* Through a pointer: glibc's header has an inline bsearch that
         * would replace the call at -O2. */
        void *(*volatile search)(const void *, const void *, size_t, size_t, int (*)(const void *, const void *)) =
            bsearch;
        int found = 0;
        uint64_t where = 0;
        for (int key = -(int)mod / 2 - 1; key <= (int)mod / 2 && key < 300; key++) {
            Rec want = {key, 0};
            const Rec *hit = search(&want, r, 5000, sizeof *r, by_key);
            found += hit != NULL;
            where = where * 31 + (hit ? (uint64_t)(hit - r) : 7);
            if (hit != NULL && hit->key != key)
                printf("bsearch found the wrong key\n");
        }
        printf("bsearch mod %u: %d keys found at %016" PRIx64 "\n", mod, found, where);
    }
    fill_recs(r, 200, 50);
    qsort(r, 200, sizeof *r, by_key_sorting);
    printf("qsort in qsort: %016" PRIx64 "\n", hash_recs(r, 200));

    static Job jobs[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        fill_recs(jobs[i].r, 3000, 100);
        jobs[i].desc = i;
        pthread_create(&th[i], NULL, sort_job, &jobs[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    printf("threads: %016" PRIx64 " %016" PRIx64 "\n", jobs[0].hash, jobs[1].hash);

    for (int i = 0; i < 100; i++) { /* 100 abandoned qsorts */
        fill_recs(r, 1000, 1000);
        budget = 50 + i;
        if (setjmp(escape) == 0) {
            qsort(r, 1000, sizeof *r, by_key_escaping);
            printf("comparator did not escape\n");
        }
    }
    fill_recs(r, 1000, 1000);
    qsort(r, 1000, sizeof *r, by_key);
    printf("after 100 longjmps out of qsort: %016" PRIx64 "\n", hash_recs(r, 1000));
    return 0;
}

/* Bad pointers to bound functions with a SIGSEGV handler installed: the
 * handler runs with the fault's address and code, as natively, and leaves
 * by siglongjmp; the bindings work on afterwards.  The pointers are
 * page-aligned: the first access of any implementation (the guest's or the
 * host's, which may read in other chunks) faults at that address. */
static sigjmp_buf segv_env;
static volatile uintptr_t segv_addr;
static volatile int segv_code;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    segv_addr = (uintptr_t)si->si_addr;
    segv_code = si->si_code;
    siglongjmp(segv_env, 1);
}

/* A tail call of a bound function (`b strcmp`): the host function is
 * called at the call site, and the CpuState's bound_pc must be set while
 * it runs although the caller returns right after (lifter/bind.c:
 * cpu_barrier; without it LLVM dropped that store and the fault killed
 * the process). */
__attribute__((noinline)) static int tail_strcmp(const char *s) { return strcmp(s, "some"); }

static int segv(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    static char buf[64] = "some text";
    char *const bad[] = {(char *)0x1000, (char *)0x7000, (char *)0x10000};
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 5; k++) {
            if (sigsetjmp(segv_env, 1) == 0) {
                size_t r = 0;
                switch (k) {
                case 0: r = strlen(bad[round]); break;
                case 1: r = (size_t)memchr(bad[round], 0x55, sizeof buf); break;
                case 2: r = (size_t)strcmp(bad[round], buf); break;
                case 3: dbt_bindtest_store((int64_t *)bad[round], 7); break;
                case 4: r = (size_t)tail_strcmp(bad[round]); break;
                }
                printf("call %d/%d returned %zu\n", round, k, r);
            } else {
                printf("call %d/%d: SIGSEGV code %d at %#lx\n", round, k, segv_code, (unsigned long)segv_addr);
            }
        }
    printf("after: strlen %zu, strcmp %d\n", strlen(buf), strcmp(buf, "some"));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "segv") == 0)
        return segv();
    if (argc > 1 && strcmp(argv[1], "callbacks") == 0)
        return callbacks_test();
    if (argc > 1 && strcmp(argv[1], "fenv") == 0)
        return fenv();
    if (argc > 1 && strcmp(argv[1], "null") == 0) {
        fflush(stdout);
        dbt_bindtest_store(NULL, 1);
        puts("not reached");
        return 0;
    }
    long cases = argc > 1 ? atol(argv[1]) : 2000;
    seed(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
    return kinds(cases);
}
