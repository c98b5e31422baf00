/*
 * dyn_libm.c - a second DT_NEEDED library (libm.so.6, linked with -lm),
 * found in the sysroot and embedded next to libc: its functions are bound
 * by the guest's ld.so, and their results are the guest's bit for bit.
 *
 * cflags: -lm
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    double x = argc > 1 ? atof(argv[1]) : 0.7;
    printf("%.17g %.17g %.17g\n", cos(x), exp(x), pow(x, 3.3));
    printf("%.9g %.17g\n", sqrtf((float)x), lgamma(x + 2.5));
    return 0;
}
