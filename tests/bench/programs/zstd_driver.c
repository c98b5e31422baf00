/*
 * zstd_driver.c - libzstd compress and decompress, a workload of
 * tests/bench/workloads.sh.
 *
 *   zstd_driver [MIB]        (MIB >= 1, default 2)
 *
 * Makes MIB MiB of text (gen_text.h), compresses it in one call of
 * ZSTD_compress at level 19 (single-threaded), decompresses that with
 * ZSTD_decompress and compares the round trip.  Prints the sizes and the
 * FNV-1a checksums of the text and of the compressed frame: zstd's output
 * depends only on its version and parameters, so the same library version
 * prints the same bytes natively, under qemu-aarch64 and translated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "gen_text.h"

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 2;
    if (mib < 1) {
        fprintf(stderr, "usage: zstd_driver [MIB>=1]\n");
        return 2;
    }
    size_t n = (size_t)mib << 20;
    size_t cap = ZSTD_compressBound(n);
    unsigned char *text = malloc(n), *packed = malloc(cap), *back = malloc(n);
    if (!text || !packed || !back) {
        fprintf(stderr, "zstd_driver: out of memory\n");
        return 1;
    }
    gen_text(text, n, 3);

    size_t packed_size = ZSTD_compress(packed, cap, text, n, 19);
    if (ZSTD_isError(packed_size)) {
        fprintf(stderr, "zstd_driver: ZSTD_compress: %s\n", ZSTD_getErrorName(packed_size));
        return 1;
    }
    size_t back_size = ZSTD_decompress(back, n, packed, packed_size);
    if (ZSTD_isError(back_size) || back_size != n) {
        fprintf(stderr, "zstd_driver: ZSTD_decompress: %s, %zu of %zu bytes\n",
                ZSTD_isError(back_size) ? ZSTD_getErrorName(back_size) : "short", back_size, n);
        return 1;
    }

    printf("zstd %s, level 19, %d MiB\n", ZSTD_versionString(), mib);
    printf("text: %zu bytes, fnv1a %016llx\n", n, (unsigned long long)gen_fnv1a(text, n));
    return gen_finish(text, n, packed, packed_size, back);
}
