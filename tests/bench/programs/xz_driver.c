/*
 * xz_driver.c - liblzma compress and decompress, a workload of
 * tests/bench/workloads.sh.
 *
 *   xz_driver [MIB]        (MIB >= 1, default 2)
 *
 * Makes MIB MiB of text (gen_text.h), compresses it with
 * lzma_easy_buffer_encode at preset 6 (xz's default) into an .xz stream
 * with a CRC64 check, decompresses that with lzma_stream_buffer_decode and
 * compares the round trip.  Prints the sizes and the FNV-1a checksums of
 * the text and of the compressed stream: liblzma's encoder is the same C on
 * every architecture, so the same library version prints the same bytes
 * natively, under qemu-aarch64 and translated.
 */
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_text.h"

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 2;
    if (mib < 1) {
        fprintf(stderr, "usage: xz_driver [MIB>=1]\n");
        return 2;
    }
    size_t n = (size_t)mib << 20;
    size_t cap = lzma_stream_buffer_bound(n);
    unsigned char *text = malloc(n), *packed = malloc(cap), *back = malloc(n);
    if (!text || !packed || !back) {
        fprintf(stderr, "xz_driver: out of memory\n");
        return 1;
    }
    gen_text(text, n, 1);

    size_t packed_size = 0;
    lzma_ret ret = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, text, n, packed, &packed_size, cap);
    if (ret != LZMA_OK) {
        fprintf(stderr, "xz_driver: lzma_easy_buffer_encode: error %d\n", (int)ret);
        return 1;
    }
    uint64_t memlimit = UINT64_MAX;
    size_t in_pos = 0, out_pos = 0;
    ret = lzma_stream_buffer_decode(&memlimit, 0, NULL, packed, &in_pos, packed_size, back, &out_pos, n);
    if (ret != LZMA_OK || in_pos != packed_size || out_pos != n) {
        fprintf(stderr, "xz_driver: lzma_stream_buffer_decode: error %d, %zu of %zu in, %zu of %zu out\n",
                (int)ret, in_pos, packed_size, out_pos, n);
        return 1;
    }

    printf("xz %s, preset 6, %d MiB\n", lzma_version_string(), mib);
    printf("text: %zu bytes, fnv1a %016llx\n", n, (unsigned long long)gen_fnv1a(text, n));
    return gen_finish(text, n, packed, packed_size, back);
}
