/*
 * zlib.c - the zlib bindings against the guest's own zlib (Debian's arm64
 * libz.a, linked in): random data of every compressibility through
 * deflate with every level, window, memory level and strategy, fed and
 * drained in random pieces with random flushes, parameters changed and
 * dictionaries set midway, streams copied, then inflated in random pieces
 * (and corrupted: error codes and messages); adler32 and crc32 of random
 * buffers; a stream with the guest's own allocators, which must stay with
 * the guest's zlib (the count of its calls is printed); deflateInit_ with
 * an older version string, which must too.  Prints one hash line per case
 * group: the lines of qemu, of the bound translation and of DBT_BIND=none
 * must be equal.
 *
 *   zlib [CASES] [SEED]      (default 200 1)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "guest_rand.h"

static void mix_i(int64_t v) { mix_u64((uint64_t)v); }
static void mix_s(const char *s) { s ? mix(s, strlen(s)) : mix_i(-1); }

enum { MAXIN = 1 << 17 };
static unsigned char in[MAXIN], packed[MAXIN * 2], back[MAXIN + 64], dict[1024];

/* Data from random to very compressible. */
static size_t fill(void)
{
    size_t n = below(MAXIN);
    unsigned alphabet = 1u << below(9); /* 1 .. 256 symbols */
    for (size_t i = 0; i < n; i++)
        in[i] = below(8) == 0 && i > 64 ? in[i - 1 - below(64)] : (unsigned char)below(alphabet);
    return n;
}

static int allocs;
static void *my_alloc(void *opaque, uInt items, uInt size)
{
    (void)opaque;
    allocs++;
    return calloc(items, size);
}
static void my_free(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

/* Deflate in[0..n) in random pieces; returns the packed size. */
static size_t pack(size_t n, z_stream *zs, int copy_midway)
{
    size_t at = 0, out = 0;
    int flush, ret = Z_OK;
    do {
        size_t piece = below(n - at + 1);
        zs->next_in = in + at;
        zs->avail_in = (uInt)piece;
        at += piece;
        flush = at == n ? Z_FINISH : (int[]){Z_NO_FLUSH, Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_PARTIAL_FLUSH, Z_BLOCK}[below(6)];
        do {
            zs->next_out = packed + out;
            zs->avail_out = (uInt)(1 + below(sizeof packed - out < 4096 ? sizeof packed - out : 4096));
            size_t before = zs->avail_out;
            ret = deflate(zs, flush);
            out += before - zs->avail_out;
            mix_i(ret);
        } while (zs->avail_out == 0 && out < sizeof packed);
        if (copy_midway && below(4) == 0 && flush != Z_FINISH) {
            z_stream twin;
            mix_i(deflateCopy(&twin, zs));
            mix_i(deflateEnd(&twin));
        }
        if (below(8) == 0 && flush != Z_FINISH && zs->avail_in == 0)
            mix_i(deflateParams(zs, (int)below(10), (int)below(5)));
        unsigned pending = 0;
        int bits = 0;
        mix_i(deflatePending(zs, &pending, &bits));
        mix_i(pending), mix_i(bits);
    } while (flush != Z_FINISH && ret != Z_STREAM_ERROR);
    mix_i(ret);
    mix_i((int64_t)zs->total_in), mix_i((int64_t)zs->total_out), mix_i((int64_t)zs->adler);
    return out;
}

static void unpack(size_t packed_n, int window, int use_dict, size_t dict_n)
{
    z_stream zs = {0};
    mix_i(inflateInit2(&zs, window));
    size_t at = 0, out = 0;
    int ret;
    do {
        zs.next_in = packed + at;
        size_t piece = 1 + below(packed_n - at + 1);
        if (piece > packed_n - at)
            piece = packed_n - at;
        zs.avail_in = (uInt)piece;
        zs.next_out = back + out;
        zs.avail_out = (uInt)(1 + below(sizeof back - out));
        size_t before_in = zs.avail_in, before_out = zs.avail_out;
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret == Z_NEED_DICT && use_dict) {
            mix_i(inflateSetDictionary(&zs, dict, (uInt)dict_n));
            ret = inflate(&zs, Z_NO_FLUSH);
        }
        at += before_in - zs.avail_in;
        out += before_out - zs.avail_out;
        mix_i(ret);
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            break;
        if (ret == Z_BUF_ERROR && at >= packed_n)
            break;
    } while (1);
    mix_s(zs.msg);
    mix(back, out);
    mix_i((int64_t)zs.total_out), mix_i((int64_t)zs.adler);
    mix_i(inflateMark(&zs));
    mix_i(inflateEnd(&zs));
}

int main(int argc, char **argv)
{
    long cases = argc > 1 ? atol(argv[1]) : 200;
    seed(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
    printf("zlib %s\n", zlibVersion());

    h = 0xcbf29ce484222325ull;
    for (long k = 0; k < cases; k++) {
        size_t n = fill();
        int level = (int)below(11) - 1, window = 9 + (int)below(7), mem = 1 + (int)below(9),
            strategy = (int)below(5), format = (int)below(3); /* zlib, raw, gzip */
        int wbits = format == 0 ? window : format == 1 ? -window : window + 16;
        z_stream zs = {0};
        mix_i(deflateInit2(&zs, level, Z_DEFLATED, wbits, mem, strategy));
        size_t dict_n = 0;
        int use_dict = format == 0 && below(3) == 0;
        if (use_dict) {
            dict_n = 1 + below(sizeof dict);
            memcpy(dict, in + below(n + 1) / 2, dict_n > n ? n : dict_n);
            dict_n = dict_n > n ? n : dict_n;
            mix_i(deflateSetDictionary(&zs, dict, (uInt)dict_n));
        }
        mix_i((int64_t)deflateBound(&zs, n));
        size_t p = pack(n, &zs, 1);
        mix_i(deflateEnd(&zs));
        mix(packed, p);
        if (below(4) == 0 && p > 8) /* corrupt it: error codes and messages */
            packed[4 + below(p - 4)] ^= (unsigned char)(1 + below(255));
        unpack(p, wbits, use_dict, dict_n);
    }
    printf("streams %ld %016" PRIx64 "\n", cases, h);

    h = 0xcbf29ce484222325ull;
    for (long k = 0; k < cases * 10; k++) {
        size_t n = fill(), a = below(n + 1);
        uLong ad = adler32(below(2) ? 1 : (uLong)next() & 0xffffffff, in, (uInt)a);
        mix_i((int64_t)adler32_z(ad, in + a, n - a));
        uLong c = crc32(below(2) ? 0 : (uLong)next() & 0xffffffff, in, (uInt)a);
        mix_i((int64_t)crc32_z(c, in + a, n - a));
    }
    printf("checksums %ld %016" PRIx64 "\n", cases * 10, h);

    /* compress2 and uncompress call deflateInit_ and inflateInit_ inside
     * the guest's zlib: they reach the bindings through it. */
    h = 0xcbf29ce484222325ull;
    for (long k = 0; k < cases; k++) {
        size_t n = fill();
        uLongf pn = sizeof packed, bn = sizeof back;
        mix_i(compress2(packed, &pn, in, n, (int)below(10)));
        mix(packed, pn);
        mix_i(uncompress(back, &bn, packed, pn));
        mix(back, bn);
    }
    printf("compress2/uncompress %ld %016" PRIx64 "\n", cases, h);

    /* The rest of zlib's stream functions, each at least once per case:
     * reset, tune, prime, gzip headers, dictionaries read back, copies,
     * sync points, validation switches. */
    h = 0xcbf29ce484222325ull;
    for (long k = 0; k < cases; k++) {
        size_t n = fill();
        z_stream d = {0};
        mix_i(deflateInit2(&d, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY)); /* gzip */
        gz_header head = {.text = 1, .time = 12345, .os = 3, .name = (Bytef *)"name.txt", .comment = (Bytef *)"c"};
        mix_i(deflateSetHeader(&d, &head));
        mix_i(deflateTune(&d, 4 + (int)below(8), 8 + (int)below(16), 16 + (int)below(64), 32 + (int)below(512)));
        size_t p = pack(n, &d, 0);
        mix(packed, p);
        mix_i(deflateReset(&d));
        mix_i(deflatePrime(&d, 3, 5));
        static unsigned char got[32768]; /* up to the window size */
        uInt got_n = sizeof got;
        mix_i(deflateGetDictionary(&d, got, &got_n));
        mix_i(deflateEnd(&d));

        z_stream i = {0};
        gz_header seen = {0};
        unsigned char name[32], comment[8];
        seen.name = name, seen.name_max = sizeof name, seen.comment = comment, seen.comm_max = sizeof comment;
        mix_i(inflateInit2(&i, 31));
        mix_i(inflateGetHeader(&i, &seen));
        mix_i(inflateValidate(&i, (int)below(2)));
        mix_i(inflateUndermine(&i, 0));
        i.next_in = packed, i.avail_in = (uInt)p / 2, i.next_out = back, i.avail_out = sizeof back;
        mix_i(inflate(&i, Z_NO_FLUSH));
        mix_i(seen.done), mix_i((int64_t)seen.time), mix_s(seen.done == 1 ? (char *)name : NULL);
        mix_i(inflateSyncPoint(&i));
        mix_i((int64_t)inflateCodesUsed(&i));
        z_stream twin;
        mix_i(inflateCopy(&twin, &i));
        twin.next_in = packed + p / 2, twin.avail_in = (uInt)(p - p / 2);
        mix_i(inflate(&twin, Z_FINISH));
        mix(back, sizeof back - twin.avail_out);
        got_n = sizeof got;
        mix_i(inflateGetDictionary(&twin, got, &got_n));
        mix(got, got_n);
        mix_i(inflateEnd(&twin));
        mix_i(inflateSync(&i)); /* no sync point ahead: an error code */
        mix_i(inflateReset2(&i, -15));
        mix_i(inflatePrime(&i, 2, 1));
        mix_i(inflateResetKeep(&i));
        mix_i(inflateEnd(&i));
    }
    printf("other stream functions %ld %016" PRIx64 "\n", cases, h);

    /* The guest's own allocators: the stream stays with the guest's zlib,
     * which calls them. */
    h = 0xcbf29ce484222325ull;
    for (long k = 0; k < 20; k++) {
        size_t n = fill();
        z_stream zs = {.zalloc = my_alloc, .zfree = my_free};
        mix_i(deflateInit(&zs, (int)below(10)));
        mix(packed, pack(n, &zs, 0));
        mix_i(deflateEnd(&zs));
    }
    printf("own allocators %016" PRIx64 ", %d allocations by the guest's zlib\n", h, allocs);

    /* Another version string: the guest's zlib accepts "1.2.11" (only the
     * first digit must agree), the stream must stay with it. */
    z_stream zs = {0};
    int ret = deflateInit_(&zs, 6, "1.2.11", (int)sizeof zs);
    size_t n = fill();
    h = 0xcbf29ce484222325ull;
    mix(packed, pack(n, &zs, 0));
    printf("version 1.2.11: init %d, %016" PRIx64 ", end %d\n", ret, h, deflateEnd(&zs));
    return 0;
}
