/*
 * fenv_flags.c - the cumulative exception flags of <fenv.h> (FPSR) after
 * the operations that raise them, directly and inside libm, and
 * feraiseexcept/fegetexceptflag/fesetexceptflag, feholdexcept/feupdateenv.
 *
 * Operands go through an empty asm so that nothing is folded: glibc's own
 * math error paths compute such "opaque" constant expressions on purpose
 * (1.0/0.0 for log(0), 0x1p769 * 0x1p769 for exp overflow).
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "fenv_util.h"

static volatile double sink;
static volatile long lsink;

static void show(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-30s%s%s%s%s%s%s\n", what, f ? "" : " none", f & FE_INVALID ? " INVALID" : "",
           f & FE_DIVBYZERO ? " DIVBYZERO" : "", f & FE_OVERFLOW ? " OVERFLOW" : "",
           f & FE_UNDERFLOW ? " UNDERFLOW" : "", f & FE_INEXACT ? " INEXACT" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

#define TRY(expr)       \
    do {                \
        sink = (expr);  \
        show(#expr);    \
    } while (0)
#define TRYL(expr)      \
    do {                \
        lsink = (expr); \
        show(#expr);    \
    } while (0)

int main(void)
{
    feclearexcept(FE_ALL_EXCEPT);
    show("(nothing)");
    TRY(opaque(1.0) / opaque(0.0));
    TRY(opaque(-1.0) / opaque(0.0));
    TRY(opaque(0.0) / opaque(0.0));
    TRY(opaque(INFINITY) - opaque(INFINITY));
    TRY(opaque(DBL_MAX) * opaque(2.0));
    TRY(opaque(DBL_MIN) / opaque(3.0));
    TRY(opaque(DBL_MIN) / opaque(4.0));
    TRY(opaque(1.0) / opaque(3.0));
    TRY(opaque(1.5) + opaque(2.25));
    TRY(opaquef(FLT_MAX) * opaquef(2.0f));
    TRY((float)opaque(1e300));
    TRY((float)opaque(1e-300));
    TRY((float)opaque(0.1));
    TRY(sqrt(opaque(-1.0)));
    TRY(sqrt(opaque(4.0)));
    TRY(fma(opaque(0.0), opaque(INFINITY), opaque(NAN)));
    TRYL((int)opaque(1e10));
    TRYL((int)opaque(-2147483648.5));
    TRYL((unsigned)opaque(-1.0));
    TRYL((unsigned)opaque(-0.5));
    TRYL((long)opaque(NAN));
    TRYL((long)opaque(2.5));
    TRYL(lrint(opaque(1e30)));
    TRYL(lround(opaque(2.5)));
    TRY(rint(opaque(2.5)));
    TRY(nearbyint(opaque(2.5)));
    TRY(round(opaque(2.5)));
    TRY(floor(opaque(-0.5)));
    TRY((double)(long)opaque(3.0));
    TRY((double)opaquef(0.1f));
    TRY(log(opaque(0.0)));
    TRY(log(opaque(-1.0)));
    TRY(exp(opaque(1000.0)));
    TRY(exp(opaque(-1000.0)));
    TRY(exp(opaque(0.0)));
    TRY(pow(opaque(0.0), opaque(-1.0)));
    TRY(atan2(opaque(1.0), opaque(1.0)));
    TRY(fmax(opaque(NAN), opaque(1.0)));
    TRY(fmin(opaque(1.0), opaque(2.0)));
    /* comparisons: < is signalling on NaN, isless and == are quiet */
    TRYL(opaque(NAN) < opaque(1.0));
    TRYL(isless(opaque(NAN), opaque(1.0)));
    TRYL(opaque(NAN) == opaque(1.0));
    TRYL(isunordered(opaque(NAN), opaque(1.0)));

    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    show("feraiseexcept(OVERFLOW|INEXACT)");
    fexcept_t saved;
    sink = opaque(1.0) / opaque(0.0);
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    sink = opaque(0.0) / opaque(0.0);
    fesetexceptflag(&saved, FE_DIVBYZERO);
    show("fesetexceptflag(saved, DIVBYZERO)");

    fenv_t env;
    sink = opaque(1.0) / opaque(3.0);
    feholdexcept(&env);
    show("feholdexcept");
    sink = opaque(0.0) / opaque(0.0);
    feupdateenv(&env);
    show("feupdateenv");
    return 0;
}
