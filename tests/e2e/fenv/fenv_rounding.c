/*
 * fenv_rounding.c - the four rounding modes of <fenv.h> (FPCR.RMode) seen
 * by arithmetic, conversions, rint/nearbyint/lrint, libm and printf.
 *
 * Every result is printed as bits (exact) and through printf, whose decimal
 * conversion glibc rounds in the current mode.  Operands go through an
 * empty asm, so neither GCC (for the guest) nor dbt-aot's LLVM (for the
 * host, which sees the constants in the translated code) may fold them
 * under round-to-nearest.
 */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fenv_util.h"

#define SHOW(expr) printf("  %-28s %016llx %.17g\n", #expr, (unsigned long long)bits(expr), (double)(expr))
#define SHOWF(expr) printf("  %-28s %08x %.9g\n", #expr, (unsigned)bitsf(expr), (double)(expr))
#define SHOWI(expr) printf("  %-28s %lld\n", #expr, (long long)(expr))

static const struct { int mode; const char *name; } modes[] = {
    {FE_TONEAREST, "FE_TONEAREST"},
    {FE_UPWARD, "FE_UPWARD"},
    {FE_DOWNWARD, "FE_DOWNWARD"},
    {FE_TOWARDZERO, "FE_TOWARDZERO"},
};

int main(void)
{
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (fesetround(modes[i].mode) != 0) {
            printf("fesetround(%s) failed\n", modes[i].name);
            return 1;
        }
        printf("%s: fegetround() == %s\n", modes[i].name, fegetround() == modes[i].mode ? "yes" : "no");
        double one = opaque(1.0), three = opaque(3.0), tenth = opaque(0.1), m = opaque(-2.5);
        float onef = opaquef(1.0f), threef = opaquef(3.0f);
        SHOW(one / three);
        SHOW(-one / three);
        SHOW(tenth * three);
        SHOW(tenth + opaque(0.2));
        SHOW(one - one);
        SHOW(sqrt(opaque(2.0)));
        SHOW(fma(tenth, three, -opaque(0.3)));
        SHOW(rint(m));
        SHOW(nearbyint(opaque(0.5)));
        SHOWI(lrint(opaque(-1.5)));
        SHOWI(llrint(opaque(2.5)));
        SHOWF(onef / threef);
        SHOWF((float)(one / three));
        SHOWF((float)opaquei(16777217));
        SHOW((double)opaquei(9007199254740993LL));
        SHOW((double)(uint64_t)opaquei(-1));
        SHOWI((long long)(opaque(-7.9)));
        SHOW(exp(one));
        SHOW(log(three));
        SHOW(sin(three));
        SHOW(pow(opaque(1.1), opaque(10.0)));
        SHOW(strtod("0.1", NULL));
        printf("  printf %%.3f of 2.0005: %.3f, of -2.0005: %.3f, %%.0f of 0.5: %.0f\n", opaque(2.0005),
               opaque(-2.0005), opaque(0.5));
    }
    fesetround(FE_TONEAREST);
    return 0;
}
