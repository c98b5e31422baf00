/*
 * bind_a64.c - host functions that return exactly what glibc 2.36's
 * aarch64 code returns, where C fixes only the sign (bind_table.h's
 * bind_needs_known_code: bound only in a guest whose function is that
 * very code).
 *
 * memcmp and strcmp may return any value of the right sign; programs print
 * it, hash it, subtract it.  The host's functions return byte differences,
 * glibc's aarch64 ones other magnitudes.  These compute the aarch64 value
 * from the first difference, found with SSE2 at the host's speed:
 *
 * memcmp (sysdeps/aarch64/memcmp.S, 456 bytes): for a length of 1, or 3
 *   with the first two bytes equal, the byte difference of the last byte;
 *   otherwise it compares 8- or 16-byte words in big-endian order and
 *   returns 1 or -1 (0 when equal).
 *
 * strcmp (sysdeps/aarch64/strcmp.S, 308 bytes): when the two pointers are
 *   not equally aligned mod 8, it first compares bytes one at a time until
 *   the first string is aligned, returning the byte difference on a
 *   difference or a NUL.  Then it loads 8-byte words aligned to the first
 *   string and locates the first position P where the strings differ or
 *   reach a NUL; its "has a NUL" test looks at the first string when the
 *   two are equally aligned, at the second otherwise.  If that string has
 *   its NUL at P, the result is the byte difference.  Otherwise it shifts
 *   both words so that the highest differing bit of byte P is the top bit
 *   and subtracts the top 8 bits: bits of byte P from that bit down,
 *   followed by the top bits of byte P+1 - or zeros when P is the last
 *   byte of its word.  E.g. "\x01a" against "aa" gives -192 (0x02 - 0xc2),
 *   not -96.
 *
 * tests/bind/equiv.c checks both against the guest's own code (qemu) on
 * every alignment, common prefixes and bytes after the terminator.
 */
#include <emmintrin.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* dbt_rt_*: exported, for translated libraries in shared objects of their own
 * (--shared-libs; rewriter/link.c) */
#define EXPORT __attribute__((visibility("default")))

/* Whether 16 bytes from P stay in P's 4 KiB page (a load cannot fault
 * where the C code's byte accesses would not). */
static inline int fits_page(const unsigned char *p) { return ((uintptr_t)p & 4095) <= 4096 - 16; }

/* The first index from P on where A and B differ or A has a NUL.  Reads
 * past the terminators only within pages the strings touch. */
__attribute__((no_sanitize_address)) static size_t first_stop(const unsigned char *a, const unsigned char *b,
                                                               size_t p)
{
    const __m128i zero = _mm_setzero_si128();
    for (;;) {
        if (fits_page(a + p) && fits_page(b + p)) {
            __m128i x = _mm_loadu_si128((const __m128i *)(a + p)), y = _mm_loadu_si128((const __m128i *)(b + p));
            unsigned stop = (unsigned)(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) ^ 0xffff) |
                            (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero));
            if (stop != 0)
                return p + (size_t)__builtin_ctz(stop);
            p += 16;
        } else {
            if (a[p] == 0 || a[p] != b[p])
                return p;
            p++;
        }
    }
}

EXPORT int dbt_rt_a64_strcmp(const char *s1, const char *s2)
{
    const unsigned char *a = (const unsigned char *)s1, *b = (const unsigned char *)s2;
    int same_alignment = (((uintptr_t)a ^ (uintptr_t)b) & 7) == 0;
    /* The byte loop of unequally aligned strings stops where this does:
     * within its bytes (up to A's 8-byte alignment) the result is the
     * byte difference. */
    size_t p = first_stop(a, b, 0);
    if (a[p] == b[p])
        return 0;
    if (!same_alignment && p < ((8 - ((uintptr_t)a & 7)) & 7))
        return a[p] - b[p];
    const unsigned char *nul_tested = same_alignment ? a : b;
    if (nul_tested[p] == 0)
        return a[p] - b[p];
    unsigned bit = 31 - (unsigned)__builtin_clz((unsigned)(a[p] ^ b[p]));
    int last = ((uintptr_t)(a + p) & 7) == 7;
    unsigned wa = ((unsigned)a[p] << 8 | (last ? 0 : a[p + 1])) >> (bit + 1) & 0xff;
    unsigned wb = ((unsigned)b[p] << 8 | (last ? 0 : b[p + 1])) >> (bit + 1) & 0xff;
    return (int)wa - (int)wb;
}

EXPORT int dbt_rt_a64_memcmp(const void *s1, const void *s2, size_t n)
{
    const unsigned char *a = s1, *b = s2;
    int r = memcmp(a, b, n);
    if (r == 0)
        return 0;
    if (n == 1 || (n == 3 && a[0] == b[0] && a[1] == b[1]))
        return a[n - 1] - b[n - 1];
    return r < 0 ? -1 : 1;
}

/* strncmp (sysdeps/aarch64/strncmp.S, 480 bytes) as its machine code does
 * it, word for word:
 *
 * - S1 and S2 equally aligned mod 8: it reads 8-byte words aligned to them
 *   (the bytes before the strings set to 0xff, the count made to start at
 *   the word) and stops at the first word with a difference, a NUL of S1
 *   or the end of the count.
 * - Not equally aligned and N < 16: byte by byte; the result is the
 *   difference of the last two bytes read.
 * - Not equally aligned, N >= 16: byte by byte until S1 is aligned (the
 *   byte difference on a difference or a NUL), then S1's aligned words
 *   against S2's bytes, taken from aligned 16-byte pairs: first the part
 *   of S2's current pair that lines up with the word's start ("part B",
 *   the word's other bytes zero), then the rest from the next pair.
 *
 * At a stop the result comes from the syndrome (a bit for each differing
 * bit and for the top bit of a NUL of S1) and the two words as they are
 * (zeros where part B has none): both are shifted so that the syndrome's
 * first bit, in memory order, is the top bit, and their top 8 bits are
 * subtracted - or 0 when that byte is beyond the count.  Shifts are by
 * their amount mod 64, as on Arm.  Reads only the aligned words and pairs
 * the guest's code reads (never across a page the strings do not touch). */
static inline uint64_t ld64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline uint64_t shl(uint64_t x, uint64_t n) { return x << (n & 63); }
static inline uint64_t shr(uint64_t x, uint64_t n) { return x >> (n & 63); }

/* The bytes of W that are NUL (bit 7 of each; above the first one, false
 * ones may follow). */
static inline uint64_t nul_bits(uint64_t w) { return (w - 0x0101010101010101ull) & ~(w | 0x7f7f7f7f7f7f7f7full); }

/* Whether the code stops at W1, a word of S1, against W2, S2's bytes for
 * it (little-endian, memory order): a difference or a NUL of S1 among the
 * bytes of MASK, or a count N (left from the word's first byte) of at most
 * LIMIT.  Then the result into *R: both words shifted so that the
 * syndrome's first bit in memory order is the top bit, their top 8 bits
 * subtracted - 0 when that byte is beyond the count. */
static bool stops(uint64_t w1, uint64_t w2, uint64_t mask, uint64_t limit, uint64_t n, int *r)
{
    uint64_t syn = ((w1 ^ w2) | nul_bits(w1)) & mask;
    if (n > limit && syn == 0)
        return false;
    syn = __builtin_bswap64(syn);
    unsigned at = syn ? (unsigned)__builtin_clzll(syn) : 64;
    uint64_t a = shl(__builtin_bswap64(w1), at) >> 56, b = shl(__builtin_bswap64(w2), at) >> 56;
    *r = n > at / 8 ? (int)(a - b) : 0;
    return true;
}

__attribute__((no_sanitize_address)) EXPORT int dbt_rt_a64_strncmp(const char *s1, const char *s2, size_t n)
{
    const unsigned char *a = (const unsigned char *)s1, *b = (const unsigned char *)s2;
    uintptr_t k = (uintptr_t)a & 7;
    int r;
    if (n == 0)
        return 0;
    if ((((uintptr_t)a ^ (uintptr_t)b) & 7) == 0) {
        a -= k, b -= k;
        uint64_t w1 = ld64(a), w2 = ld64(b);
        if (k != 0) {
            uint64_t before = shr(~0ull, -(uint64_t)(k << 3)); /* the bytes before the strings */
            w1 |= before, w2 |= before;
            n = n + k < n ? ~(size_t)0 : n + k;
        }
        while (!stops(w1, w2, ~0ull, 8, n, &r)) {
            n -= 8, a += 8, b += 8;
            w1 = ld64(a), w2 = ld64(b);
        }
        return r;
    }
    if (n < 16) {
        for (;; n--) {
            unsigned c1 = *a++, c2 = *b++;
            if (n == 1 || c1 == 0 || c1 != c2)
                return (int)c1 - (int)c2;
        }
    }
    if (k != 0) {
        size_t m = (8 - k) & 7;
        n -= m;
        for (; m > 0; m--) {
            unsigned c1 = *a++, c2 = *b++;
            if (c1 == 0 || c1 != c2)
                return (int)c1 - (int)c2;
        }
    }
    uint64_t sh = (uint64_t)(uintptr_t)b << 3, rest = -sh & 63; /* S2's offset in bits; 64 minus it */
    uint64_t high = shl(~0ull, rest);                             /* the bytes part B lacks */
    const unsigned char *pair = (const unsigned char *)((uintptr_t)b & ~(uintptr_t)15);
    uint64_t w1 = ld64(a), lo = ld64(pair), hi = ld64(pair + 8);
    bool in_high = (sh >> 6) & 1; /* S2 starts in the pair's second word */
    for (;;) {
        if (!in_high) { /* the word from two words of the pair */
            if (stops(w1, shr(lo, sh) | shl(hi, rest), ~0ull, 8, n, &r))
                return r;
            n -= 8, a += 8;
            w1 = ld64(a);
        }
        in_high = false;
        if (stops(w1, shr(hi, sh), ~high, rest / 8, n, &r)) /* part B */
            return r;
        pair += 16;
        lo = ld64(pair), hi = ld64(pair + 8);
        if (stops(w1, shl(lo, rest), high, 8, n, &r))
            return r;
        n -= 8, a += 8;
        w1 = ld64(a);
    }
}

/* The wide comparisons: glibc 2.36's generic C (wcsmbs/), as Debian's
 * aarch64 build compiled it - wchar_t is unsigned there, so the order is
 * the unsigned one (the host's own functions compare signed ints).
 * Elements are read in the guest code's order and no further. */
EXPORT int dbt_rt_a64_wcscmp(const uint32_t *s1, const uint32_t *s2)
{
    for (size_t i = 0;; i++) {
        uint32_t c2 = s2[i], c1 = s1[i];
        if (c2 == 0)
            return (int)c1; /* c1 - c2: the character itself, as an int */
        if (c1 != c2)
            return c1 < c2 ? -1 : 1;
    }
}

EXPORT int dbt_rt_a64_wcsncmp(const uint32_t *s1, const uint32_t *s2, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c1 = s1[i], c2 = s2[i];
        if (c1 == 0 || c1 != c2)
            return c1 < c2 ? -1 : c1 > c2;
    }
    return 0;
}

EXPORT int dbt_rt_a64_wmemcmp(const uint32_t *s1, const uint32_t *s2, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) { /* four at a time: both arrays have n elements */
        __m128i x = _mm_loadu_si128((const __m128i *)(s1 + i)), y = _mm_loadu_si128((const __m128i *)(s2 + i));
        unsigned same = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi32(x, y));
        if (same != 0xffff) {
            i += (size_t)__builtin_ctz(~same) / 4;
            return s1[i] > s2[i] ? 1 : -1;
        }
    }
    for (; i < n; i++)
        if (s1[i] != s2[i])
            return s1[i] > s2[i] ? 1 : -1;
    return 0;
}
