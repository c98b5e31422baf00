/*
 * zlib_driver.c - zlib deflate and inflate, a workload of
 * tests/bench/workloads.sh.
 *
 *   zlib_driver [MIB]        (MIB 1 to 1024, default 8)
 *
 * Makes MIB MiB of text (gen_text.h), deflates it with compress2 at level
 * 9 into a zlib stream, inflates that with uncompress and compares the
 * round trip.  Prints the sizes, the FNV-1a checksums of the text and of
 * the compressed stream, and zlib's own adler32 of the text: the same
 * library version prints the same bytes natively, under qemu-aarch64 and
 * translated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gen_text.h"

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 8;
    if (mib < 1 || mib > 1024) {
        fprintf(stderr, "usage: zlib_driver [MIB, 1 to 1024]\n");
        return 2;
    }
    uLong n = (uLong)mib << 20;
    uLong cap = compressBound(n);
    unsigned char *text = malloc(n), *packed = malloc(cap), *back = malloc(n);
    if (!text || !packed || !back) {
        fprintf(stderr, "zlib_driver: out of memory\n");
        return 1;
    }
    gen_text(text, n, 4);

    uLongf packed_size = cap;
    int ret = compress2(packed, &packed_size, text, n, 9);
    if (ret != Z_OK) {
        fprintf(stderr, "zlib_driver: compress2: error %d\n", ret);
        return 1;
    }
    uLongf back_size = n;
    ret = uncompress(back, &back_size, packed, packed_size);
    if (ret != Z_OK || back_size != n) {
        fprintf(stderr, "zlib_driver: uncompress: error %d, %lu of %lu bytes\n", ret, back_size, n);
        return 1;
    }

    printf("zlib %s, level 9, %d MiB\n", zlibVersion(), mib);
    printf("text: %lu bytes, fnv1a %016llx, adler32 %08lx\n", n, (unsigned long long)gen_fnv1a(text, n),
           adler32(adler32(0, NULL, 0), text, (uInt)n));
    return gen_finish(text, n, packed, packed_size, back);
}
