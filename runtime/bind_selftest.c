/*
 * bind_selftest.c - the "bindtest" library of include/bind_table.h: one
 * function per kind of argument and result the bindings pass (integers of
 * every width and signedness, pointers, float and double, mixed, more
 * arguments than registers, void).  The same file is compiled twice: into
 * the runtime archive (the host side, which an output links only when it
 * binds one of these) and by tests/bind/run.sh for the guest, into its
 * test program (the guest side, whose symbols the tool binds).  The test
 * compares what the guest's own code returns (qemu, DBT_BIND=none) with
 * what the host's returns through the binding.  Both sides are built
 * without FMA contraction, so the floating-point results are the same
 * IEEE operations.
 */
#include "bind_selftest.h"

#include <pthread.h>

#define W(x) ((uint64_t)(x)) /* wrapping arithmetic, no signed overflow */

int64_t dbt_bindtest_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f, int64_t g, uint64_t h)
{
    return (int64_t)(W(a) * 3 + W(b) * 5 + W(c) * 7 + W(d) * 11 + W(e) * 13 + W(f) * 17 + W(g) * 19 + h * 23);
}

int8_t dbt_bindtest_ret_b(int64_t x) { return (int8_t)(W(x) * 3 + 1); }
uint8_t dbt_bindtest_ret_B(int64_t x) { return (uint8_t)(W(x) * 3 + 1); }
int16_t dbt_bindtest_ret_h(int64_t x) { return (int16_t)(W(x) * 3 + 1); }
uint16_t dbt_bindtest_ret_H(int64_t x) { return (uint16_t)(W(x) * 3 + 1); }
int32_t dbt_bindtest_ret_i(int64_t x) { return (int32_t)(W(x) * 3 + 1); }
uint32_t dbt_bindtest_ret_u(int64_t x) { return (uint32_t)(W(x) * 3 + 1); }

double dbt_bindtest_fp(float a, double b, float c, double d, float e, double f, float g, double h)
{
    return a + b * 2 - c * 3.0f + d / 4 + e * 5.0f - f / 6 + g + h * 7;
}

float dbt_bindtest_fret(float a, float b) { return a / b + a; }

double dbt_bindtest_mixed(int32_t a, float b, const double *p, double d, int64_t e, int8_t f, float g, uint16_t h)
{
    return a + b * 2.0f + *p * 3 + d * 4 + (double)e + f * 5 + g * 6.0f + h * 7;
}

int64_t dbt_bindtest_many(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                          int64_t i, int64_t j, int64_t k, int64_t l)
{
    return (int64_t)(W(a) + W(b) * 2 + W(c) * 3 + W(d) * 4 + W(e) * 5 + W(f) * 6 + W(g) * 7 + W(h) * 8 + W(i) * 9 +
                     W(j) * 10 + W(k) * 11 + W(l) * 12);
}

double dbt_bindtest_many_fp(double a, double b, double c, double d, double e, double f, double g, double h,
                            double i, double j)
{
    return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10;
}

double dbt_bindtest_many_mixed(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                               int64_t h, int64_t i, double fa, double fb, double fc, double fd, double fe,
                               double ff, double fg, double fh, double fi, float fj)
{
    int64_t s = (int64_t)(W(a) + W(b) * 2 + W(c) * 3 + W(d) * 4 + W(e) * 5 + W(f) * 6 + W(g) * 7 + W(h) * 8 +
                          W(i) * 9);
    return (double)s + fa + fb * 2 + fc * 3 + fd * 4 + fe * 5 + ff * 6 + fg * 7 + fh * 8 + fi * 9 + fj * 10.0f;
}

void dbt_bindtest_store(int64_t *p, int64_t v) { *p = (int64_t)(W(v) * 2 + 1); }

double dbt_bindtest_div(double a, double b) { return a / b; }

int64_t dbt_bindtest_apply(int64_t (*cb)(int64_t, int64_t), int64_t x)
{
    return (int64_t)(W(cb(x, 1)) + 3 * W(cb(x, 2)));
}

/* The same, each call made from a thread of its own - a host library that
 * calls back from its worker threads - the two at once. */
typedef struct ApplyJob {
    int64_t (*cb)(int64_t, int64_t);
    int64_t x, y, r;
} ApplyJob;
static void *apply_job(void *arg)
{
    ApplyJob *j = arg;
    j->r = j->cb(j->x, j->y);
    return NULL;
}
int64_t dbt_bindtest_apply_thread(int64_t (*cb)(int64_t, int64_t), int64_t x)
{
    ApplyJob j[2] = {{cb, x, 1, 0}, {cb, x, 2, 0}};
    pthread_t t[2];
    int started[2];
    for (int k = 0; k < 2; k++)
        started[k] = pthread_create(&t[k], NULL, apply_job, &j[k]) == 0;
    for (int k = 0; k < 2; k++) {
        if (started[k])
            pthread_join(t[k], NULL);
        else
            apply_job(&j[k]); /* no thread to be had: the same value */
    }
    return (int64_t)(W(j[0].r) + 3 * W(j[1].r));
}
