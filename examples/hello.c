/*
 * hello.c - formatted output: integers, strings, floating point.
 *
 * The output is fixed; run it under qemu-aarch64 and translated and the two
 * must match byte for byte (printf's floating-point conversion is done by the
 * guest's own libc, so this also exercises FP arithmetic and conversions).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("Hello from AArch64!\n");

    /* Integers: signs, widths, 64-bit extremes, other bases. */
    printf("int: %d %d %i %u\n", 0, 42, -42, 4000000000u);
    printf("width: [%5d] [%-5d] [%05d] [%+d]\n", 7, 7, -7, 7);
    printf("int64: %" PRId64 " %" PRId64 " %" PRIu64 "\n", INT64_MIN, INT64_MAX, UINT64_MAX);
    printf("hex: %x %X %#x %08" PRIx64 " %o\n", 255u, 0xbeefu, 0x1234u, (uint64_t)0xdeadbeefcafeULL, 8u);
    printf("char: %c%c%c\n", 'a', 'b', 'c');

    /* Strings: width and precision. */
    const char *s = "translator";
    printf("str: [%s] [%12s] [%-12s] [%.5s] [%8.3s]\n", s, s, s, s, s);
    printf("%%: 100%%\n");

    /* Doubles in the three notations. */
    const double vals[] = {3.14159, -0.5, 1e300, 1.0 / 3, 0.0, 2.5e-8, 123456789.0};
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
        printf("double: %f %e %g %.3f %10.2e\n", vals[i], vals[i], vals[i], vals[i], vals[i]);
    float f = 1.1f;
    printf("float: %.9g %a\n", f, (double)f);
    return 0;
}
