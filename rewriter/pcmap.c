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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_out.h"
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

int pcmap_canonicalize(const char *path, Diag *d)
{
    ElfOut e;
    if (elf_out_open(&e, path) != 0)
        return diag_error(d, "cannot reopen %s: %s", path, strerror(errno));
    int fd = e.fd, rc = -1;
    uint8_t *buf = NULL;
    Pair *pairs = NULL;
    const Elf64_Shdr *found = elf_out_section(&e, DBT_PCMAP_SECTION, SHT_PROGBITS);
    if (found == NULL || found->sh_size == 0) {
        rc = 0;
        goto out;
    }
    Elf64_Shdr sh = *found;
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
    elf_out_close(&e);
    return rc;
}
