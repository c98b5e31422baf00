/*
 * bind_selftest.h - the functions of runtime/bind_selftest.c, for it and
 * for the guest test program that calls them (tests/bind/kinds.c).
 */
#ifndef DBT_BIND_SELFTEST_H
#define DBT_BIND_SELFTEST_H

#include <stdint.h>

int64_t dbt_bindtest_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f, int64_t g, uint64_t h);
int8_t dbt_bindtest_ret_b(int64_t x);
uint8_t dbt_bindtest_ret_B(int64_t x);
int16_t dbt_bindtest_ret_h(int64_t x);
uint16_t dbt_bindtest_ret_H(int64_t x);
int32_t dbt_bindtest_ret_i(int64_t x);
uint32_t dbt_bindtest_ret_u(int64_t x);
double dbt_bindtest_fp(float a, double b, float c, double d, float e, double f, float g, double h);
float dbt_bindtest_fret(float a, float b);
double dbt_bindtest_mixed(int32_t a, float b, const double *p, double d, int64_t e, int8_t f, float g, uint16_t h);
int64_t dbt_bindtest_many(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                          int64_t i, int64_t j, int64_t k, int64_t l);
double dbt_bindtest_many_fp(double a, double b, double c, double d, double e, double f, double g, double h,
                            double i, double j);
double dbt_bindtest_many_mixed(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                               int64_t h, int64_t i, double fa, double fb, double fc, double fd, double fe,
                               double ff, double fg, double fh, double fi, float fj);
void dbt_bindtest_store(int64_t *p, int64_t v);
double dbt_bindtest_div(double a, double b);
/* cb(x, 1) + 3 * cb(x, 2): a callback */
int64_t dbt_bindtest_apply(int64_t (*cb)(int64_t, int64_t), int64_t x);
/* the same, each call from a thread of its own, both at once */
int64_t dbt_bindtest_apply_thread(int64_t (*cb)(int64_t, int64_t), int64_t x);

#endif
