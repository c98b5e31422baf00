/*
 * crypto.c - libcrypto's digests (OpenSSL 3's low-level SHA1_*, SHA224_*,
 * SHA256_*, SHA384_*, SHA512_*, MD5_*) against the guest's own code.
 *
 * CASES messages of random lengths (0-5000 bytes, random bytes) per seed,
 * each digested by every algorithm through Init, Updates of random pieces
 * (empty ones too) and Final; prints one line per algorithm: its name, the
 * number of messages and an FNV-1a hash of every digest and return value.
 * tests/bind/run.sh compares qemu-aarch64 (the guest's libcrypto.a, the
 * oracle), the translation with the host's libcrypto.so.3 bound, without,
 * and mixed: some of the functions bound and others not, so that contexts
 * the guest's code began are continued by the host's and the other way
 * round (their layout is the same on both sides: plain arrays of 32- and
 * 64-bit words).
 *
 *   crypto [CASES] [SEED]     (default 2000 1)
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "guest_rand.h"

enum { MAXMSG = 5000 };
static unsigned char msg[MAXMSG];

/* ALG: digest the message in random pieces with CTX's Init/Update/Final. */
#define DIGEST(ALG, CTX, LEN)                                                            \
    do {                                                                                 \
        CTX c;                                                                           \
        unsigned char md[LEN];                                                           \
        mix_u64((uint64_t)ALG##_Init(&c));                                               \
        for (size_t at = 0; at < n;) {                                                   \
            size_t piece = below(4) == 0 ? below(4) : below(n - at + 1);                 \
            if (piece > n - at)                                                          \
                piece = n - at;                                                          \
            mix_u64((uint64_t)ALG##_Update(&c, msg + at, piece));                        \
            at += piece;                                                                 \
        }                                                                                \
        mix_u64((uint64_t)ALG##_Final(md, &c));                                          \
        mix(md, sizeof md);                                                              \
    } while (0)

#define RUN(name, ALG, CTX, LEN)                                                         \
    do {                                                                                 \
        h = 0xcbf29ce484222325ull;                                                       \
        for (long k = 0; k < cases; k++) {                                               \
            size_t n = below(8) == 0 ? below(130) : below(MAXMSG + 1);                   \
            for (size_t i = 0; i < n; i++)                                               \
                msg[i] = (unsigned char)next();                                          \
            DIGEST(ALG, CTX, LEN);                                                       \
        }                                                                                \
        printf("%-7s %ld %016llx\n", name, cases, (unsigned long long)h);                \
    } while (0)

int main(int argc, char **argv)
{
    long cases = argc > 1 ? atol(argv[1]) : 2000;
    seed(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);
    RUN("sha1", SHA1, SHA_CTX, SHA_DIGEST_LENGTH);
    RUN("sha224", SHA224, SHA256_CTX, SHA224_DIGEST_LENGTH);
    RUN("sha256", SHA256, SHA256_CTX, SHA256_DIGEST_LENGTH);
    RUN("sha384", SHA384, SHA512_CTX, SHA384_DIGEST_LENGTH);
    RUN("sha512", SHA512, SHA512_CTX, SHA512_DIGEST_LENGTH);
    RUN("md5", MD5, MD5_CTX, MD5_DIGEST_LENGTH);
    return 0;
}
