/*
 * fenv_util.h - helpers shared by the test programs of this directory: values the
 * compiler cannot fold (an empty asm hides them, so the operation happens at
 * run time in the current FP environment) and FP values as bits.
 */
#ifndef FENV_UTIL_H
#define FENV_UTIL_H

#include <stdint.h>
#include <string.h>

static inline double opaque(double x)
{
    __asm__ volatile("" : "+w"(x));
    return x;
}

static inline float opaquef(float x)
{
    __asm__ volatile("" : "+w"(x));
    return x;
}

static inline int64_t opaquei(int64_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static inline uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline uint32_t bitsf(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return opaque(x);
}

static inline float from_bitsf(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return opaquef(x);
}

#endif
