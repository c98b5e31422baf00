/*
 * hash_driver.c - OpenSSL's SHA-256, SHA-1, MD5 and SHA-512, a workload of
 * tests/bench/workloads.sh.
 *
 *   hash_driver [MIB]        (MIB 1 to 1024, default 48)
 *
 * Makes MIB MiB of bytes (splitmix64: the digests do not care what the
 * bytes say, and gen_text.h's snprintf per word would cost a third of the
 * native time) and hashes them with libcrypto's low-level API (deprecated
 * in OpenSSL 3, still there: SHA256_Init, SHA256_Update, SHA256_Final, the
 * same for SHA1_, MD5_, SHA512_), per algorithm:
 *   - the one-shot function (SHA256(), SHA1(), MD5(), SHA512()) of the
 *     whole buffer; in OpenSSL 3.0 all but MD5() go through EVP_Q_digest,
 *     the provider machinery, and so the library's initialisation
 *   - Init/Update/Final with the buffer fed in chunks of 65536, 1000 and
 *     64 bytes, and in a fixed cycle of mixed sizes (1 to 65536), each of
 *     which must give the one-shot digest
 *   - Update one byte at a time over the first 256 KiB (per-call cost)
 *   - one-shot digests of many short messages (32 to 287 bytes at every
 *     4099th byte), folded together by XOR: Init/Final cost
 * Prints the library's major.minor version (not its patch level: Debian's
 * arm64 and amd64 packages may be at different patch releases) and every
 * digest in hex: the same bytes natively, under qemu-aarch64 and
 * translated.  Exit status 1 when a chunked digest differs from the
 * one-shot one.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* the low-level API is what we measure */
#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills p[0, n) from splitmix64 (Steele, Lea, Flood): 8 bytes a step,
 * the same bytes for the same n and seed on every host. */
static void gen_bytes(unsigned char *p, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        /* Byte stores, no memcpy of a variable size: aarch64 gcc makes
         * that a call per 8 bytes. */
        for (size_t k = 0; k < 8 && i + k < n; k++)
            p[i + k] = (unsigned char)(z >> (8 * k));
    }
}

/* One algorithm through its own low-level functions.  The wrappers take
 * a void * context so that one loop drives all four. */
struct algo {
    const char *name;
    size_t len; /* digest bytes */
    int (*init)(void *);
    int (*update)(void *, const void *, size_t);
    int (*final)(unsigned char *, void *);
    unsigned char *(*oneshot)(const unsigned char *, size_t, unsigned char *);
};

#define WRAP(lower, UPPER)                                                                      \
    static int lower##_init(void *c) { return UPPER##_Init(c); }                                \
    static int lower##_update(void *c, const void *p, size_t n) { return UPPER##_Update(c, p, n); } \
    static int lower##_final(unsigned char *md, void *c) { return UPPER##_Final(md, c); }
WRAP(sha256, SHA256)
WRAP(sha1, SHA1)
WRAP(md5, MD5)
WRAP(sha512, SHA512)

static const struct algo algos[] = {
    {"sha256", SHA256_DIGEST_LENGTH, sha256_init, sha256_update, sha256_final, SHA256},
    {"sha1", SHA_DIGEST_LENGTH, sha1_init, sha1_update, sha1_final, SHA1},
    {"md5", MD5_DIGEST_LENGTH, md5_init, md5_update, md5_final, MD5},
    {"sha512", SHA512_DIGEST_LENGTH, sha512_init, sha512_update, sha512_final, SHA512},
};

/* Big enough and aligned for every context. */
union ctx {
    SHA256_CTX sha256;
    SHA_CTX sha1;
    MD5_CTX md5;
    SHA512_CTX sha512;
};

static void hex(const char *what, const unsigned char *md, size_t len)
{
    printf("  %-14s ", what);
    for (size_t i = 0; i < len; i++)
        printf("%02x", md[i]);
    printf("\n");
}

/* Init, Update in chunks of CHUNK bytes (0: the mixed cycle), Final. */
static void chunked(const struct algo *a, const unsigned char *p, size_t n, size_t chunk,
                    unsigned char *md)
{
    static const size_t cycle[] = {1, 64, 1000, 65536, 7, 127, 4096, 3, 55, 56, 63, 65, 8191, 111, 128, 129};
    union ctx c;
    size_t k = 0;
    if (a->init(&c) != 1)
        abort();
    for (size_t off = 0; off < n;) {
        size_t m = chunk ? chunk : cycle[k++ % (sizeof cycle / sizeof cycle[0])];
        if (m > n - off)
            m = n - off;
        if (a->update(&c, p + off, m) != 1)
            abort();
        off += m;
    }
    if (a->final(md, &c) != 1)
        abort();
}

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 48;
    if (mib < 1 || mib > 1024) {
        fprintf(stderr, "usage: hash_driver [MIB, 1 to 1024]\n");
        return 2;
    }
    size_t n = (size_t)mib << 20;
    unsigned char *buf = malloc(n);
    if (!buf) {
        fprintf(stderr, "hash_driver: out of memory\n");
        return 1;
    }
    gen_bytes(buf, n, 5);

    printf("OpenSSL %u.%u, %d MiB\n", OPENSSL_version_major(), OPENSSL_version_minor(), mib);
    int status = 0;
    for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++) {
        const struct algo *a = &algos[i];
        unsigned char whole[SHA512_DIGEST_LENGTH], md[SHA512_DIGEST_LENGTH];
        printf("%s:\n", a->name);

        if (a->oneshot(buf, n, whole) != whole) {
            fprintf(stderr, "hash_driver: %s() failed\n", a->name);
            return 1;
        }
        hex("one-shot", whole, a->len);

        static const size_t chunks[] = {65536, 1000, 64, 0};
        for (size_t j = 0; j < sizeof chunks / sizeof chunks[0]; j++) {
            char what[32];
            chunked(a, buf, n, chunks[j], md);
            if (chunks[j])
                snprintf(what, sizeof what, "chunks %zu", chunks[j]);
            else
                snprintf(what, sizeof what, "chunks mixed");
            if (memcmp(md, whole, a->len) == 0) {
                printf("  %-14s same\n", what);
            } else {
                hex(what, md, a->len);
                status = 1;
            }
        }

        size_t bytewise = n < ((size_t)256 << 10) ? n : (size_t)256 << 10;
        chunked(a, buf, bytewise, 1, md);
        hex("bytes 256 KiB", md, a->len);

        unsigned char fold[SHA512_DIGEST_LENGTH] = {0};
        size_t count = 0;
        for (size_t off = 0; off + 287 <= n; off += 4099, count++) {
            a->oneshot(buf + off, 32 + off % 256, md);
            for (size_t k = 0; k < a->len; k++)
                fold[k] ^= md[k];
        }
        char what[32];
        snprintf(what, sizeof what, "%zu short", count);
        hex(what, fold, a->len);
    }
    free(buf);
    return status;
}
