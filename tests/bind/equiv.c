/*
 * equiv.c - every bound libc function against the guest's own code.
 *
 * For each function of include/bind_table.h this program runs CASES calls
 * on pseudo-random inputs (lengths 0-300, every alignment, a small
 * alphabet so that searches find something, bytes with the high bit set,
 * characters given as ints outside 0-255, overlapping moves) and prints one
 * line: the function, the number of calls and an FNV-1a hash of every
 * result (pointers as offsets into the buffer) and of the whole destination
 * buffer after each writing call.  tests/bind/run.sh compares the lines of
 * three runs: qemu-aarch64 (glibc's aarch64 code, the oracle), the
 * translation with its bindings (the host's functions) and the translation
 * with DBT_BIND=none (glibc's aarch64 code, translated).  Built with
 * -fno-builtin, so that every call is a call.
 *
 *   equiv [CASES] [SEED]      (default 20000 1)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "guest_rand.h"

enum { BUF = 1024, MAXLEN = 300 };

static unsigned char src[BUF], dst[BUF], pat[64];
static wchar_t wsrc[BUF / 4], wdst[BUF / 4];

/* Offsets into the buffer the result points into, or -1 for NULL. */
static void mix_ptr(const void *r, const void *base) { mix_u64(r ? (uint64_t)((const char *)r - (const char *)base) : ~0ull); }

/* Fill with bytes from a small alphabet (and some high ones), NUL-terminated
 * strings of random lengths scattered through it. */
static void fill(unsigned char *b, size_t n)
{
    static const unsigned char alpha[] = "abcab\x80\xff\x7f";
    for (size_t i = 0; i < n; i++)
        b[i] = below(16) == 0 ? (unsigned char)next() : alpha[below(sizeof alpha - 1)];
    for (size_t i = 0; i < n; i += 1 + below(2 * MAXLEN))
        b[i] = 0;
    b[n - 1] = 0;
}
static void wfill(wchar_t *b, size_t n)
{
    static const uint32_t alpha[] = {'a', 'b', 0x80000000u, 0xffffffffu, 0x7fffffffu, 0x100};
    for (size_t i = 0; i < n; i++)
        b[i] = (wchar_t)(below(16) == 0 ? next() : alpha[below(6)]);
    for (size_t i = 0; i < n; i += 1 + below(MAXLEN / 2))
        b[i] = 0;
    b[n - 1] = 0;
}
/* A character argument: usually one of the alphabet, sometimes any int. */
static int pick_c(void)
{
    static const int cs[] = {'a', 'b', 'c', 0, 0x80, 0xff, 0x17f, -1, -0x80, 0x7fffff61};
    return below(4) == 0 ? (int)next() : cs[below(sizeof cs / sizeof *cs)];
}
static wchar_t pick_wc(void)
{
    static const uint32_t cs[] = {'a', 'b', 0, 0x80000000u, 0xffffffffu, 0x100};
    return (wchar_t)(below(4) == 0 ? next() : cs[below(6)]);
}
static size_t off(void) { return below(64); }
static size_t len(void) { return below(MAXLEN + 1); }

/* A string of the buffer: an offset that leaves room for MAXLEN bytes and
 * the terminators fill() placed. */
static const char *str(const unsigned char *b) { return (const char *)b + off() + below(BUF - MAXLEN - 128); }

#define RUN(name, ...)                                 \
    do {                                               \
        h = 0xcbf29ce484222325ull;                     \
        for (long k = 0; k < cases; k++) {             \
            if (k % 64 == 0) {                         \
                fill(src, BUF), fill(dst, BUF);        \
                wfill(wsrc, BUF / 4), wfill(wdst, BUF / 4); \
            }                                          \
            __VA_ARGS__;                                \
        }                                              \
        printf("%-10s %ld %016llx\n", name, cases, (unsigned long long)h); \
    } while (0)

int main(int argc, char **argv)
{
    long cases = argc > 1 ? atol(argv[1]) : 20000;
    seed(argc > 2 ? strtoull(argv[2], NULL, 0) : 1);

    RUN("memcpy", { size_t n = len(), d = off(), s = off();
        mix_ptr(memcpy(dst + d, src + s, n), dst); mix(dst, BUF); });
    RUN("memmove", { size_t n = len(), d = off(), s = off();
        mix_ptr(memmove(dst + d, dst + s, n), dst); mix(dst, BUF); });
    RUN("mempcpy", { size_t n = len(), d = off(), s = off();
        mix_ptr(mempcpy(dst + d, src + s, n), dst); mix(dst, BUF); });
    RUN("memset", { size_t n = len(), d = off();
        mix_ptr(memset(dst + d, pick_c(), n), dst); mix(dst, BUF); });
    RUN("memchr", { size_t n = len(), a = off();
        mix_ptr(memchr(src + a, pick_c(), n), src); });
    RUN("memrchr", { size_t n = len(), a = off();
        mix_ptr(memrchr(src + a, pick_c(), n), src); });
    RUN("rawmemchr", { size_t a = off(); int c = pick_c();
        src[a + below(MAXLEN)] = (unsigned char)c;
        mix_ptr(rawmemchr(src + a, c), src); });
    RUN("memmem", { size_t n = len(), a = off(), m = below(8), p = off();
        memcpy(pat, src + p, m);
        if (below(4) == 0 && m) pat[below(m)] ^= 1;
        mix_ptr(memmem(src + a, n, pat, m), src); });
    RUN("strlen", { mix_u64(strlen(str(src))); });
    RUN("strnlen", { mix_u64(strnlen(str(src), len())); });
    RUN("strchr", { const char *s = str(src); mix_ptr(strchr(s, pick_c()), src); });
    RUN("strrchr", { const char *s = str(src); mix_ptr(strrchr(s, pick_c()), src); });
    RUN("strchrnul", { const char *s = str(src); mix_ptr(strchrnul(s, pick_c()), src); });
    RUN("strcpy", { size_t d = off(); mix_ptr(strcpy((char *)dst + d, str(src)), dst); mix(dst, BUF); });
    RUN("stpcpy", { size_t d = off(); mix_ptr(stpcpy((char *)dst + d, str(src)), dst); mix(dst, BUF); });
    RUN("strncpy", { size_t d = off(), n = len();
        mix_ptr(strncpy((char *)dst + d, str(src), n), dst); mix(dst, BUF); });
    RUN("stpncpy", { size_t d = off(), n = len();
        mix_ptr(stpncpy((char *)dst + d, str(src), n), dst); mix(dst, BUF); });
    RUN("strcat", { size_t d = off(); dst[d + below(MAXLEN)] = 0;
        const char *s = (const char *)src + BUF - MAXLEN - 1 - below(100); /* short: the result fits */
        mix_ptr(strcat((char *)dst + d, s), dst); mix(dst, BUF); });
    RUN("strncat", { size_t d = off(), n = len(); dst[d + below(MAXLEN)] = 0;
        mix_ptr(strncat((char *)dst + d, str(src), n), dst); mix(dst, BUF); });
    RUN("strstr", { size_t m = below(6), p = off();
        memcpy(pat, src + p, m); pat[m] = 0;
        if (below(4) == 0 && m) pat[below(m)] ^= 1;
        mix_ptr(strstr(str(src), (const char *)pat), src); });
    RUN("strspn", { size_t m = below(5); memcpy(pat, src + off(), m); pat[m] = 0;
        mix_u64(strspn(str(src), (const char *)pat)); });
    RUN("strcspn", { size_t m = below(5); memcpy(pat, src + off(), m); pat[m] = 0;
        mix_u64(strcspn(str(src), (const char *)pat)); });
    RUN("strpbrk", { size_t m = below(5); memcpy(pat, src + off(), m); pat[m] = 0;
        mix_ptr(strpbrk(str(src), (const char *)pat), src); });
    /* The comparisons: a string against a copy of itself (and of the bytes
     * after its terminator, which glibc's aarch64 strcmp may read into its
     * result) at another alignment, changed at one place or cut short. */
    RUN("strcmp", { const char *s = str(src); size_t n = strnlen(s, MAXLEN), d = off();
        memcpy(dst + d, s, n + 9);
        if (below(4)) dst[d + below(n + 2)] = (unsigned char)next();
        if (below(4) == 0) dst[d + below(n + 1)] = 0;
        mix_u64((uint64_t)(int64_t)strcmp(s, (const char *)dst + d));
        mix_u64((uint64_t)(int64_t)strcmp((const char *)dst + d, s)); });
    /* strncmp: the same strings, with counts around where they differ or
     * end (and 0, and very large ones), so that the count's end falls in
     * every byte of a word. */
    RUN("strncmp", { const char *s = str(src); size_t n = strnlen(s, MAXLEN), d = off();
        memcpy(dst + d, s, n + 9);
        if (below(4)) dst[d + below(n + 2)] = (unsigned char)next();
        if (below(4) == 0) dst[d + below(n + 1)] = 0;
        size_t m = below(8) == 0 ? (size_t)-1 - below(16) : below(4) == 0 ? below(4) : below(n + 24);
        mix_u64((uint64_t)(int64_t)strncmp(s, (const char *)dst + d, m));
        mix_u64((uint64_t)(int64_t)strncmp((const char *)dst + d, s, m)); });
    RUN("memcmp", { size_t n = below(8) ? below(40) : len(), a = off(), d = off();
        memcpy(dst + d, src + a, n);
        if (below(4) && n) dst[d + below(n)] = (unsigned char)next();
        mix_u64((uint64_t)(int64_t)memcmp(src + a, dst + d, n));
        mix_u64((uint64_t)(int64_t)memcmp(dst + d, src + a, n)); });
    /* The wide comparisons, the same way: values from 0x80000000 up are
     * above 'a' on aarch64 (wchar_t is unsigned there) and below it on
     * x86-64. */
    RUN("wcscmp", { const wchar_t *s = wsrc + below(BUF / 4 - MAXLEN / 2 - 8);
        size_t n = wcsnlen(s, MAXLEN / 2), d = below(64);
        wmemcpy(wdst + d, s, n + 1);
        if (below(4)) wdst[d + below(n + 1)] = pick_wc();
        if (below(4) == 0) wdst[d + below(n + 1)] = 0;
        mix_u64((uint64_t)(int64_t)wcscmp(s, wdst + d));
        mix_u64((uint64_t)(int64_t)wcscmp(wdst + d, s)); });
    RUN("wcsncmp", { const wchar_t *s = wsrc + below(BUF / 4 - MAXLEN / 2 - 8);
        size_t n = wcsnlen(s, MAXLEN / 2), d = below(64), m = below(n + 4);
        wmemcpy(wdst + d, s, n + 1);
        if (below(4)) wdst[d + below(n + 1)] = pick_wc();
        if (below(4) == 0) wdst[d + below(n + 1)] = 0;
        mix_u64((uint64_t)(int64_t)wcsncmp(s, wdst + d, m));
        mix_u64((uint64_t)(int64_t)wcsncmp(wdst + d, s, m)); });
    RUN("wmemcmp", { size_t a = below(64), d = below(64), n = below(8) ? below(12) : below(BUF / 4 - 64);
        wmemcpy(wdst + d, wsrc + a, n);
        if (below(4) && n) wdst[d + below(n)] = pick_wc();
        mix_u64((uint64_t)(int64_t)wmemcmp(wsrc + a, wdst + d, n));
        mix_u64((uint64_t)(int64_t)wmemcmp(wdst + d, wsrc + a, n)); });
    RUN("wcslen", { mix_u64(wcslen(wsrc + below(BUF / 4 - MAXLEN / 2 - 8))); });
    RUN("wcsnlen", { mix_u64(wcsnlen(wsrc + below(BUF / 4 - MAXLEN / 2 - 8), below(MAXLEN / 2))); });
    RUN("wmemchr", { size_t a = below(64), n = below(BUF / 4 - 64);
        mix_ptr(wmemchr(wsrc + a, pick_wc(), n), wsrc); });
    RUN("wmemset", { size_t a = below(64), n = below(BUF / 4 - 64);
        mix_ptr(wmemset(wdst + a, pick_wc(), n), wdst); mix(wdst, sizeof wdst); });
    RUN("wmemcpy", { size_t a = below(64), b = below(64), n = below(BUF / 4 - 64);
        mix_ptr(wmemcpy(wdst + a, wsrc + b, n), wdst); mix(wdst, sizeof wdst); });
    RUN("wmemmove", { size_t a = below(64), b = below(64), n = below(BUF / 4 - 64);
        mix_ptr(wmemmove(wdst + a, wdst + b, n), wdst); mix(wdst, sizeof wdst); });
    /* strtol and strtoul: random numerals in every base, with signs,
     * spaces, prefixes and overflow; the result, where parsing stopped and
     * errno (set to a marker first: unchanged when the call succeeds). */
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCXYZ";
    char num[80];
    RUN("strtol", {
        size_t n = 0, len = below(40);
        if (below(4) == 0) num[n++] = " \t\n"[below(3)];
        if (below(3) == 0) num[n++] = "+-"[below(2)];
        if (below(4) == 0) num[n++] = '0', num[n++] = "xXb"[below(3)];
        for (size_t i = 0; i < len; i++) num[n++] = digits[below(sizeof digits - 1)];
        num[n] = '\0';
        int base = below(5) == 0 ? 0 : (int)(2 + below(35));
        char *end;
        errno = 4321;
        long v = strtol(num, &end, base);
        mix_u64((uint64_t)v), mix_u64((uint64_t)(end - num)), mix_u64((uint64_t)errno);
        errno = 4321;
        unsigned long u = strtoul(num, &end, base);
        mix_u64(u), mix_u64((uint64_t)(end - num)), mix_u64((uint64_t)errno);
    });
    return 0;
}
