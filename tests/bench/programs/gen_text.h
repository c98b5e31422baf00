/*
 * gen_text.h - deterministic English-like text and a checksum, shared by the
 * compression drivers of tests/bench/workloads.sh (xz, bzip2, zstd, zlib).
 *
 * The drivers read no input files: gen_text() makes their input from a
 * fixed 64-bit linear congruential generator and a word list, so that the
 * text (and so every compressed byte) depends only on its length and seed.
 * The words are drawn with a skew towards the start of the list (the
 * smaller of two uniform picks), sentences are 4 to 15 words, start with a
 * capital and end with ". ", and now and then a number or a comma turns up;
 * about every fifth sentence ends a line.  The result compresses roughly
 * like prose (3-4x with the usual tools), not like a repeated block.
 *
 *   unsigned char *buf = malloc(n);
 *   gen_text(buf, n, 1);
 *   printf("%016llx\n", (unsigned long long)gen_fnv1a(buf, n));
 */
#ifndef GEN_TEXT_H
#define GEN_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const gen_words[] = {
    "the",     "of",       "and",      "to",       "in",      "a",        "is",      "that",
    "for",     "it",       "as",       "was",      "with",    "be",       "by",      "on",
    "not",     "he",       "this",     "are",      "or",      "his",      "from",    "at",
    "which",   "but",      "have",     "an",       "had",     "they",     "you",     "were",
    "their",   "one",      "all",      "we",       "can",     "her",      "has",     "there",
    "been",    "if",       "more",     "when",     "will",    "would",    "who",     "so",
    "machine", "register", "branch",   "memory",   "library", "compiler", "signal",  "thread",
    "window",  "river",    "mountain", "language", "number",  "garden",   "history", "question",
};
enum { GEN_NWORDS = sizeof gen_words / sizeof gen_words[0] };

/* A 64-bit LCG (Knuth's MMIX constants); the high bits are the good ones. */
static inline uint32_t gen_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 33);
}

/* Fills buf[0, n) with text; the same n and seed give the same bytes. */
static inline void gen_text(unsigned char *buf, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    size_t pos = 0;
    int left = 0;     /* words left in the current sentence */
    int sentence = 0; /* sentences finished */
    while (pos < n) {
        char word[32];
        uint32_t r = gen_next(&s);
        if (r % 23 == 0) {
            snprintf(word, sizeof word, "%u", gen_next(&s) % 100000);
        } else {
            uint32_t a = r % GEN_NWORDS, b = (r >> 8) % GEN_NWORDS;
            snprintf(word, sizeof word, "%s", gen_words[a < b ? a : b]);
        }
        if (left == 0) {
            left = 4 + (int)(gen_next(&s) % 12);
            if (word[0] >= 'a' && word[0] <= 'z')
                word[0] = (char)(word[0] - 'a' + 'A');
        }
        left--;
        const char *end = " ";
        if (left == 0)
            end = ++sentence % 5 == 0 ? ".\n" : ". ";
        else if (r % 17 == 0)
            end = ", ";
        for (const char *p = word; *p && pos < n; p++)
            buf[pos++] = (unsigned char)*p;
        for (const char *p = end; *p && pos < n; p++)
            buf[pos++] = (unsigned char)*p;
    }
}

/* 64-bit FNV-1a of buf[0, n). */
static inline uint64_t gen_fnv1a(const unsigned char *buf, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= buf[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The common end of the compressor drivers: the compressed size and its
 * checksum, whether BACK (the text decompressed again) equals TEXT, and
 * the three buffers freed.  Returns the exit status: 0 equal, 1 not. */
static inline int gen_finish(unsigned char *text, size_t n, unsigned char *packed, size_t packed_size,
                             unsigned char *back)
{
    printf("compressed: %zu bytes, fnv1a %016llx\n", packed_size,
           (unsigned long long)gen_fnv1a(packed, packed_size));
    int same = memcmp(text, back, n) == 0;
    printf("round trip: %s\n", same ? "ok" : "DIFFERS");
    free(text);
    free(packed);
    free(back);
    return same ? 0 : 1;
}

#endif
