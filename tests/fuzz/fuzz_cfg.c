/*
 * fuzz_cfg.c - libFuzzer target: control-flow recovery and jump-table
 * recognition on arbitrary code bytes.
 *
 * The input becomes the .text of a minimal valid AArch64 executable made
 * in memory (elf_skeleton.h; no committed binary), entered at its first
 * word.  The code bytes are also the
 * data that jump tables, literal pools and pointer scans read.  Odd-sized
 * inputs recover with every symbol as a root (there are none: the same
 * walk), the rest from the entry point; every function's jump tables are
 * asked for again through cfg_jumptable and cfg_br_may_share_table at
 * each BR.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "elf_input.h"
#include "elf_skeleton.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SKEL_MAX_TEXT (1u << 20)

/* Ask again for the tables of every BR in F's blocks (cfg_recover asked
 * once; this also covers the shared-table question it asks only when
 * recognition fails). */
static void recheck_tables(const GuestImage *img, const CfgFunc *f)
{
    for (size_t b = 0; b < f->nleaders; b++) {
        uint64_t last = f->ends[b] - 4;
        uint8_t w[4];
        if (f->ends[b] < f->leaders[b] + 4 || !elf_read(img, last, w, 4))
            continue;
        uint32_t word = (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
        uint64_t target;
        if (a64_classify(word, last, &target) != FLOW_IJUMP)
            continue;
        uint64_t *targets = NULL;
        size_t n = cfg_jumptable(img, f, last, &targets);
        free(targets);
        if (n == 0)
            cfg_br_may_share_table(img, f, last);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = size & ~(size_t)3;
    if (len == 0 || len > SKEL_MAX_TEXT)
        return 0;
    size_t fsize;
    uint8_t *file = elf_skeleton(data, len, 0, 0, &fsize);
    if (file == NULL)
        return 0;
    GuestImage img;
    Diag d = {0};
    if (elf_load_mem(&img, file, fsize, &d) != 0) {
        /* the skeleton is valid: a rejection is a bug of the skeleton or the reader */
        fprintf(stderr, "fuzz_cfg: skeleton rejected: %s\n", d.msg);
        abort();
    }
    free(file);
    Cfg cfg;
    Diag cd = {0};
    if (cfg_recover(&cfg, &img, size % 2 == 1, false, &cd) == 0) {
        for (size_t i = 0; i < cfg.nfuncs; i++)
            recheck_tables(&img, &cfg.funcs[i]);
        cfg_free(&cfg);
    }
    elf_free(&img);
    return 0;
}
