/*
 * pcmap.c - the access map of a linked output in a canonical order
 * (pcmap.h).
 *
 * The section is a sequence of 32-bit words: offsets (negative, from the
 * word to a host pc) until DBT_PCMAP_MARK, followed by the 64-bit guest pc
 * of those offsets (include/meta.h).  LLVM writes one group per metadata
 * node, in an order that depends on where its nodes were allocated, so two
 * translations of the same input differed there.  Here the groups are read
 * as (host pc, guest pc) pairs, sorted, and written back: one group per
 * guest pc, its host pcs ascending, the offsets recomputed for their new
 * places.  The result is never longer (groups of one guest pc merge); the
 * rest of the section is zeroed, which the runtime's reader takes as the
 * end (a zero word is neither an offset nor the mark).
 */
#define _GNU_SOURCE
#include "pcmap.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meta.h"

typedef struct Pair {
    uint64_t guest, host;
} Pair;

typedef struct PairList {
    Pair *v;
    size_t n;
} PairList;

static void add_pair(uint64_t host, uint64_t guest, void *arg)
{
    PairList *l = arg;
    l->v[l->n++] = (Pair){guest, host};
}

static int by_guest_then_host(const void *a, const void *b)
{
    const Pair *x = a, *y = b;
    if (x->guest != y->guest)
        return x->guest < y->guest ? -1 : 1;
    return x->host < y->host ? -1 : x->host > y->host;
}

/* The section's header, or sh_size 0 when there is none. */
static int find_section(int fd, Elf64_Shdr *out)
{
    Elf64_Ehdr eh;
    memset(out, 0, sizeof *out);
    if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum)
        return -1;
    Elf64_Shdr *sh = calloc(eh.e_shnum ? eh.e_shnum : 1, sizeof *sh);
    if (sh == NULL)
        return -1;
    int rc = -1;
    char *names = NULL;
    if (pread(fd, sh, eh.e_shnum * sizeof *sh, (off_t)eh.e_shoff) != (ssize_t)(eh.e_shnum * sizeof *sh))
        goto out;
    const Elf64_Shdr *str = &sh[eh.e_shstrndx];
    names = malloc(str->sh_size + 1);
    if (names == NULL || pread(fd, names, str->sh_size, (off_t)str->sh_offset) != (ssize_t)str->sh_size)
        goto out;
    names[str->sh_size] = '\0';
    for (unsigned i = 0; i < eh.e_shnum; i++)
        if (sh[i].sh_name < str->sh_size && strcmp(names + sh[i].sh_name, DBT_PCMAP_SECTION) == 0 &&
            sh[i].sh_type == SHT_PROGBITS)
            *out = sh[i];
    rc = 0;
out:
    free(names);
    free(sh);
    return rc;
}

int pcmap_canonicalize(const char *path, Diag *d)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return diag_error(d, "cannot reopen %s: %s", path, strerror(errno));
    int rc = -1;
    uint8_t *buf = NULL;
    Pair *pairs = NULL;
    Elf64_Shdr sh;
    if (find_section(fd, &sh) != 0) {
        diag_error(d, "%s: cannot read the linked output's section headers", path);
        goto out;
    }
    if (sh.sh_size == 0) {
        rc = 0;
        goto out;
    }
    size_t size = sh.sh_size;
    buf = malloc(size);
    pairs = malloc((size / 4 + 1) * sizeof *pairs);
    if (buf == NULL || pairs == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    if (pread(fd, buf, size, (off_t)sh.sh_offset) != (ssize_t)size) {
        diag_error(d, "%s: cannot read %s", path, DBT_PCMAP_SECTION);
        goto out;
    }
    PairList pl = {pairs, 0};
    dbt_pcmap_walk(buf, size, sh.sh_addr, add_pair, &pl);
    size_t n = pl.n, p = 0;
    qsort(pairs, n, sizeof *pairs, by_guest_then_host);
    /* Write back, one group per guest pc. */
    memset(buf, 0, size);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        for (; j < n && pairs[j].guest == pairs[i].guest; j++) {
            int64_t off = (int64_t)(pairs[j].host - (sh.sh_addr + p));
            if (j > i && pairs[j].host == pairs[j - 1].host)
                continue;   /* the same instruction twice */
            if (off >= 0 || off < INT32_MIN || p + 4 > size)
                goto bad;
            int32_t w = (int32_t)off;
            memcpy(buf + p, &w, 4);
            p += 4;
        }
        if (p + 12 > size)
            goto bad;
        uint32_t mark = DBT_PCMAP_MARK;
        memcpy(buf + p, &mark, 4);
        memcpy(buf + p + 4, &pairs[i].guest, 8);
        p += 12;
        i = j;
    }
    if (pwrite(fd, buf, size, (off_t)sh.sh_offset) != (ssize_t)size) {
        diag_error(d, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
bad:
    diag_error(d, "%s: the access map %s does not fit its layout (include/meta.h)", path, DBT_PCMAP_SECTION);
out:
    free(pairs);
    free(buf);
    close(fd);
    return rc;
}
