/*
 * bzip2_driver.c - libbz2 compress and decompress, a workload of
 * tests/bench/workloads.sh.
 *
 *   bzip2_driver [MIB]        (MIB 1 to 1024, default 6)
 *
 * Makes MIB MiB of text (gen_text.h), compresses it with
 * BZ2_bzBuffToBuffCompress at block size 9 (bzip2 -9, 900 kB blocks),
 * decompresses that with BZ2_bzBuffToBuffDecompress and compares the round
 * trip.  Prints the sizes and the FNV-1a checksums of the text and of the
 * compressed stream: the same library version prints the same bytes
 * natively, under qemu-aarch64 and translated.
 */
#include <bzlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_text.h"

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 6;
    if (mib < 1 || mib > 1024) {
        fprintf(stderr, "usage: bzip2_driver [MIB, 1 to 1024]\n");
        return 2;
    }
    unsigned int n = (unsigned int)mib << 20;
    /* bzip2's documented bound: 1% larger plus 600 bytes. */
    unsigned int cap = n + n / 100 + 600;
    unsigned char *text = malloc(n), *packed = malloc(cap), *back = malloc(n);
    if (!text || !packed || !back) {
        fprintf(stderr, "bzip2_driver: out of memory\n");
        return 1;
    }
    gen_text(text, n, 2);

    unsigned int packed_size = cap;
    int ret = BZ2_bzBuffToBuffCompress((char *)packed, &packed_size, (char *)text, n, 9, 0, 0);
    if (ret != BZ_OK) {
        fprintf(stderr, "bzip2_driver: BZ2_bzBuffToBuffCompress: error %d\n", ret);
        return 1;
    }
    unsigned int back_size = n;
    ret = BZ2_bzBuffToBuffDecompress((char *)back, &back_size, (char *)packed, packed_size, 0, 0);
    if (ret != BZ_OK || back_size != n) {
        fprintf(stderr, "bzip2_driver: BZ2_bzBuffToBuffDecompress: error %d, %u of %u bytes\n", ret,
                back_size, n);
        return 1;
    }

    printf("bzip2 %s, -9, %d MiB\n", BZ2_bzlibVersion(), mib);
    printf("text: %u bytes, fnv1a %016llx\n", n, (unsigned long long)gen_fnv1a(text, n));
    return gen_finish(text, n, packed, packed_size, back);
}
