/*
 * test_cfg_input.c - the guest ELF reader and control-flow recovery
 * (aot/elf_input.c, aot/cfg.c) on hand-made inputs that the fuzz targets
 * found wrong (tests/fuzz/), each test named for its bug, and what
 * cfg_noreturn.c finds in a hand-made call graph.
 *
 * The executables are made in memory around a few instruction words
 * (tests/fuzz/elf_skeleton.h).  Most of these bugs are undefined behaviour
 * or leaks that only the sanitizers see: the tests pass vacuously in a
 * plain build and mean something under DBT_SANITIZE=ON (or DBT_FUZZ=ON);
 * a hang fails everywhere (ctest's timeout).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "elf_input.h"
#include "../fuzz/elf_skeleton.h"

static const uint8_t nop_ret[] = {
    0x1f, 0x20, 0x03, 0xd5,   /* nop */
    0xc0, 0x03, 0x5f, 0xd6,   /* ret */
};

/* FILE (SIZE bytes, freed here) loaded into IMG; a load error fails the test. */
static void load_file(uint8_t *file, size_t size, GuestImage *img)
{
    Diag d = {0};
    if (elf_load_mem(img, file, size, &d) != 0)
        fail_msg("elf_load_mem: %s", d.msg);
    free(file);
}

/* FILE (freed here) loaded and recovered: cfg_recover's result, CFG
 * filled when 0. */
static int recover_file(uint8_t *file, size_t size, Cfg *cfg)
{
    GuestImage img;
    Diag d = {0};
    load_file(file, size, &img);
    int rc = cfg_recover(cfg, &img, false, false, &d);
    elf_free(&img);
    return rc;
}

/* Load the skeleton around CODE entered at ENTRY_OFF with .text claiming
 * TEXT_SIZE bytes (0: LEN), without its symbol table if NO_SYMBOLS,
 * recover; returns cfg_recover's result, CFG filled when 0. */
static int recover_sized(const uint8_t *code, size_t len, uint64_t entry_off, uint64_t text_size, bool no_symbols,
                         Cfg *cfg)
{
    size_t size;
    uint8_t *file = elf_skeleton(code, len, entry_off, 0, &size);
    assert_non_null(file);
    if (text_size != 0) {
        Elf64_Ehdr eh;
        memcpy(&eh, file, sizeof eh);
        Elf64_Shdr text;   /* section 1 */
        memcpy(&text, file + eh.e_shoff + sizeof text, sizeof text);
        text.sh_size = text_size;
        memcpy(file + eh.e_shoff + sizeof text, &text, sizeof text);
    }
    if (no_symbols) {   /* .symtab and .strtab are the last two sections */
        Elf64_Ehdr eh;
        memcpy(&eh, file, sizeof eh);
        eh.e_shnum -= 2;
        memcpy(file, &eh, sizeof eh);
    }
    return recover_file(file, size, cfg);
}

static int recover(const uint8_t *code, size_t len, uint64_t entry_off, Cfg *cfg)
{
    return recover_sized(code, len, entry_off, 0, false, cfg);
}

static void skeleton_recovers_entry(void **state)
{
    Cfg cfg;
    assert_int_equal(recover(nop_ret, sizeof nop_ret, 0, &cfg), 0);
    assert_int_equal(cfg.nfuncs, 1);
    assert_int_equal(cfg.funcs[0].entry, SKEL_BASE + SKEL_TEXT);
    assert_int_equal(cfg.ninsns, 2);
    cfg_free(&cfg);
}

/* cfg_noreturn: a function ending in BRK (a) and one tail-calling it (d)
 * never return; one ending in BR (c) may, and so main, by its RET after
 * the call to c.  Main's calls to a and d are listed, the one to c is not
 * (the call to d is after the call to a: a block all the same). */
static void cfg_noreturn_calls(void **state)
{
    static const uint32_t words[] = {
        0xb4000080, /* 0x00 main: cbz x0, 0x10 */
        0x9400000b, /* 0x04  bl c (0x30) */
        0xd65f03c0, /* 0x08  ret */
        0xd65f03c0, /* 0x0c  ret */
        0x94000006, /* 0x10  bl a (0x28) */
        0x94000006, /* 0x14  bl d (0x2c) */
        0xd503201f, 0xd503201f, 0xd503201f, 0xd503201f, /* 0x18 nop padding */
        0xd4200000, /* 0x28 a: brk #0 */
        0x17ffffff, /* 0x2c d: b a */
        0xd61f0020, /* 0x30 c: br x1 */
    };
    Cfg cfg;
    const uint64_t text = SKEL_BASE + SKEL_TEXT;
    assert_int_equal(recover_sized((const uint8_t *)words, sizeof words, 0, 0, true, &cfg), 0);
    assert_int_equal(cfg.nnoreturn, 2);
    const CfgFunc *main_ = cfg_find(&cfg, text), *a = cfg_find(&cfg, text + 0x28), *c = cfg_find(&cfg, text + 0x30),
                  *d = cfg_find(&cfg, text + 0x2c);
    assert_non_null(main_);
    assert_non_null(a);
    assert_non_null(c);
    assert_non_null(d);
    assert_int_equal(main_->nnoreturn_calls, 2);
    assert_int_equal(main_->noreturn_calls[0], text + 0x10);
    assert_int_equal(main_->noreturn_calls[1], text + 0x14);
    assert_int_equal(a->nnoreturn_calls + c->nnoreturn_calls + d->nnoreturn_calls, 0);
    cfg_free(&cfg);
}

/* An entry point that is not a multiple of 4: no function is found, and
 * the empty function list was passed to qsort as NULL (UBSan: null
 * pointer passed as argument 1). */
static void cfg_misaligned_entry_no_functions(void **state)
{
    Cfg cfg;
    if (recover_sized(nop_ret, sizeof nop_ret, 1, 0, true, &cfg) == 0) {
        assert_int_equal(cfg.nfuncs, 0);
        cfg_free(&cfg);
    }
}

/* A .text section header claiming 2^62 bytes: the code is only what
 * the executable segment maps, not a scan of the whole claim (a hang). */
static void cfg_huge_code_section(void **state)
{
    Cfg cfg;
    assert_int_equal(recover_sized(nop_ret, sizeof nop_ret, 0, 0x4347000000000000ull, false, &cfg), 0);
    assert_int_equal(cfg.nfuncs, 1);
    cfg_free(&cfg);
}

/* An empty executable segment at address 0 and no section headers: the
 * end of that segment, 0, went into the set of function starts, which
 * cannot hold 0 - "out of memory" and exit(1). */
static void cfg_empty_segment_at_zero(void **state)
{
    size_t size;
    uint8_t *file = elf_skeleton(nop_ret, sizeof nop_ret, 0, 0, &size);
    assert_non_null(file);
    Elf64_Ehdr eh;
    memcpy(&eh, file, sizeof eh);
    Elf64_Phdr empty = {.p_type = PT_LOAD, .p_flags = PF_X, .p_align = 0x1000};
    assert_true(eh.e_phoff + 2 * sizeof empty <= SKEL_TEXT);
    memcpy(file + eh.e_phoff + sizeof empty, &empty, sizeof empty);
    eh.e_phnum = 2;
    eh.e_shoff = 0;
    eh.e_shnum = 0;
    eh.e_shstrndx = 0;
    memcpy(file, &eh, sizeof eh);
    Cfg cfg;
    assert_int_equal(recover_file(file, size, &cfg), 0);
    assert_int_equal(cfg.nfuncs, 1);
    cfg_free(&cfg);
}

/* An executable segment whose p_memsz claims 2^44 bytes beyond its few
 * file bytes, a function symbol of 2^40 bytes, a BR: the jump-table
 * summary of the function walked the whole extent, zeros that elf_read
 * supplies (a hang of hours). */
static void cfg_huge_function_extent(void **state)
{
    static const uint8_t nop_br[] = {
        0x1f, 0x20, 0x03, 0xd5,   /* nop */
        0x00, 0x00, 0x1f, 0xd6,   /* br x0 */
    };
    size_t size;
    uint8_t *file = elf_skeleton(nop_br, sizeof nop_br, 0, 1ull << 40, &size);
    assert_non_null(file);
    Elf64_Ehdr eh;
    memcpy(&eh, file, sizeof eh);
    Elf64_Phdr ph;
    memcpy(&ph, file + eh.e_phoff, sizeof ph);
    ph.p_memsz = 1ull << 44;
    memcpy(file + eh.e_phoff, &ph, sizeof ph);
    Cfg cfg;
    assert_int_equal(recover_file(file, size, &cfg), 0);
    assert_int_equal(cfg.nfuncs, 1);
    cfg_free(&cfg);
}

/* Two PT_INTERP program headers: the first path was leaked. */
static void elf_two_interp_no_leak(void **state)
{
    size_t size;
    uint8_t *file = elf_skeleton(nop_ret, sizeof nop_ret, 0, 0, &size);
    assert_non_null(file);
    Elf64_Ehdr eh;
    memcpy(&eh, file, sizeof eh);
    Elf64_Phdr interp = {.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = SKEL_TEXT, .p_filesz = 4};
    assert_true(eh.e_phoff + 3 * sizeof interp <= SKEL_TEXT);
    memcpy(file + eh.e_phoff + sizeof interp, &interp, sizeof interp);
    memcpy(file + eh.e_phoff + 2 * sizeof interp, &interp, sizeof interp);
    eh.e_phnum = 3;
    memcpy(file, &eh, sizeof eh);
    GuestImage img;
    load_file(file, size, &img);
    assert_true(img.has_interp);
    elf_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(skeleton_recovers_entry),
        cmocka_unit_test(cfg_noreturn_calls),
        cmocka_unit_test(cfg_misaligned_entry_no_functions),
        cmocka_unit_test(cfg_huge_code_section),
        cmocka_unit_test(cfg_empty_segment_at_zero),
        cmocka_unit_test(cfg_huge_function_extent),
        cmocka_unit_test(elf_two_interp_no_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
