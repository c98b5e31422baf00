/*
 * strings.c - a program whose time goes into the C library's string and
 * memory functions: memcpy of a text, memchr to split it into lines,
 * strlen and strstr over each line, and a qsort of the lines with a strcmp
 * comparator.  The measure of the host-library bindings (issue 15,
 * docs/bindings.md): run.sh --base-opts=--bind=none puts the translation
 * without them side by side.  Prints a checksum of what it found.
 *
 *   strings [LINES] [ROUNDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_strcmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    size_t nlines = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    static const char *words[] = {"alpha", "beta", "gamma", "delta", "needle", "epsilon", "zeta",
                                  "eta", "theta", "iota", "kappa", "lambda", "haystack", "mu"};
    const size_t nwords = sizeof words / sizeof *words;
    size_t cap = nlines * 160 + 1;
    char *text = malloc(cap), *copy = malloc(cap);
    char **lines = malloc(nlines * sizeof *lines);
    if (!text || !copy || !lines)
        return 1;
    /* Lines of 4 to 20 words, deterministic. */
    uint32_t r = 12345;
    size_t at = 0;
    for (size_t i = 0; i < nlines; i++) {
        size_t nw = 4 + (r = r * 1103515245 + 12345) % 17;
        for (size_t w = 0; w < nw; w++) {
            r = r * 1103515245 + 12345;
            const char *word = words[(r >> 16 & 0xff) % nwords];
            size_t n = strlen(word);
            memcpy(text + at, word, n);
            at += n;
            text[at++] = w + 1 < nw ? ' ' : '\n';
        }
    }
    text[at] = '\0';
    uint64_t sum = 0;
    for (int round = 0; round < rounds; round++) {
        memcpy(copy, text, at + 1);
        copy[round % at] = 'x'; /* each round a little different */
        size_t n = 0;
        for (char *p = copy, *e = copy + at; p < e && n < nlines;) {
            char *nl = memchr(p, '\n', (size_t)(e - p));
            if (nl == NULL)
                break;
            *nl = '\0';
            lines[n++] = p;
            p = nl + 1;
        }
        for (size_t i = 0; i < n; i++) {
            sum += strlen(lines[i]);
            const char *hit = strstr(lines[i], "needle hay");
            sum += hit ? (uint64_t)(hit - lines[i]) : 7;
        }
        qsort(lines, n, sizeof *lines, by_strcmp);
        sum = sum * 31 + strlen(lines[0]) + strlen(lines[n / 2]) + (uint64_t)(lines[n - 1] - copy) % 1000;
    }
    printf("%llu\n", (unsigned long long)sum);
    return 0;
}
