/*
 * test_elf_input.c - unit tests of the guest ELF reader (aot/elf_input.c).
 *
 * Fixtures (built by tests/CMakeLists.txt from fixtures/tiny.c):
 *   DBT_FIXTURE_EXE   aarch64-linux-gnu-gcc -O2 -static: a valid guest
 *   DBT_FIXTURE_OBJ   the same source compiled with -c: an ET_REL file
 *   DBT_FIXTURE_PIE   the same with -static-pie: ET_DYN without interpreter
 *   DBT_FIXTURE_HOST  a real host x86-64 program (/bin/true)
 *
 * Every malformed input is derived from the valid executable (truncated or
 * with one header field patched) and must be refused with a message that
 * names the problem; the expected phrase is checked, not just the failure.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_input.h"
#include "meta.h"
#include "slurp.h"

#ifndef DBT_FIXTURE_EXE
#error "DBT_FIXTURE_EXE must name the static AArch64 fixture"
#endif
#ifndef DBT_FIXTURE_OBJ
#error "DBT_FIXTURE_OBJ must name the AArch64 object-file fixture"
#endif
#ifndef DBT_FIXTURE_PIE
#error "DBT_FIXTURE_PIE must name the static-pie AArch64 fixture"
#endif
#ifndef DBT_FIXTURE_HOST
#define DBT_FIXTURE_HOST "/bin/true"
#endif

/* The bytes of tiny_magic, see fixtures/tiny.c. */
#define MOVZ_X0_0x1234 0xd2824680u
#define RET            0xd65f03c0u

/* ---- helpers ---- */

static Elf64_Ehdr ehdr_of(const Blob *b)
{
    Elf64_Ehdr eh;
    assert_true(b->size >= sizeof eh);
    memcpy(&eh, b->data, sizeof eh);
    return eh;
}

static Elf64_Phdr phdr_of(const Blob *b, unsigned i)
{
    Elf64_Ehdr eh = ehdr_of(b);
    Elf64_Phdr ph;
    assert_true(i < eh.e_phnum);
    memcpy(&ph, b->data + eh.e_phoff + (size_t)i * eh.e_phentsize, sizeof ph);
    return ph;
}

static void put_phdr(Blob *b, unsigned i, const Elf64_Phdr *ph)
{
    Elf64_Ehdr eh = ehdr_of(b);
    memcpy(b->data + eh.e_phoff + (size_t)i * eh.e_phentsize, ph, sizeof *ph);
}

/* Index of the Nth PT_LOAD program header (-1 if none). */
static int load_index(const Blob *b, unsigned nth)
{
    Elf64_Ehdr eh = ehdr_of(b);
    for (unsigned i = 0; i < eh.e_phnum; i++)
        if (phdr_of(b, i).p_type == PT_LOAD && nth-- == 0)
            return (int)i;
    return -1;
}

/* Write N bytes to a fresh temporary file; the caller unlinks it. */
static char *temp_file(const void *data, size_t n)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(4096);
    assert_non_null(path);
    snprintf(path, 4096, "%s/dbt-test-elf-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (n > 0)
        assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static void assert_msg_contains(const Diag *d, const char *phrase)
{
    assert_true(d->set);
    if (strstr(d->msg, phrase) == NULL)
        fail_msg("message \"%s\" does not contain \"%s\"", d->msg, phrase);
}

/* elf_load_mem of the first N bytes of B must fail with PHRASE. */
static void expect_mem_fail(const Blob *b, size_t n, const char *phrase)
{
    GuestImage img;
    Diag d = {0};
    int rc = elf_load_mem(&img, b->data, n, &d);
    if (rc == 0)
        fail_msg("elf_load_mem accepted %zu bytes (expected \"%s\")", n, phrase);
    assert_int_equal(rc, -1);
    assert_msg_contains(&d, phrase);
    /* A failed load leaves an empty image that elf_free accepts. */
    assert_null(img.data);
    assert_int_equal(img.nsegs, 0);
    elf_free(&img);
}

/* elf_load of a file holding the first N bytes of B must fail with PHRASE. */
static void expect_file_fail(const Blob *b, size_t n, const char *phrase)
{
    char *path = temp_file(b->data, n);
    GuestImage img;
    Diag d = {0};
    int rc = elf_load(&img, path, &d);
    unlink(path);
    free(path);
    if (rc == 0)
        fail_msg("elf_load accepted a %zu-byte file (expected \"%s\")", n, phrase);
    assert_msg_contains(&d, phrase);
    elf_free(&img);
}

static int setup_exe(void **state)
{
    Blob *b = malloc(sizeof *b);
    *b = slurp(DBT_FIXTURE_EXE);
    *state = b;
    return 0;
}

static int teardown_blob(void **state)
{
    Blob *b = *state;
    free(b->data);
    free(b);
    return 0;
}

static const GuestSymbol *find_symbol(const GuestImage *img, const char *name)
{
    for (size_t i = 0; i < img->nsyms; i++)
        if (strcmp(img->syms[i].name, name) == 0)
            return &img->syms[i];
    return NULL;
}

/* ---- the valid executable ---- */

static void valid_static_executable(void **state)
{
    const Blob *b = *state;
    Elf64_Ehdr eh = ehdr_of(b);
    GuestImage img;
    Diag d = {0};
    int rc = elf_load(&img, DBT_FIXTURE_EXE, &d);
    if (rc != 0)
        fail_msg("elf_load failed: %s", d.msg);
    assert_false(d.set);

    /* Header facts, cross-checked against the raw bytes. */
    assert_int_equal(img.size, b->size);
    assert_memory_equal(img.data, b->data, b->size);
    assert_int_equal(img.type, ET_EXEC);
    assert_int_equal(img.entry, eh.e_entry);
    assert_false(img.has_interp);

    /* Segments: every PT_LOAD, in file order; code is R+X, data R+W with bss. */
    size_t nload = 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr_of(b, i);
        if (ph.p_type != PT_LOAD)
            continue;
        assert_true(nload < img.nsegs);
        const GuestSegment *s = &img.segs[nload++];
        assert_int_equal(s->vaddr, ph.p_vaddr);
        assert_int_equal(s->offset, ph.p_offset);
        assert_int_equal(s->filesz, ph.p_filesz);
        assert_int_equal(s->memsz, ph.p_memsz);
        assert_int_equal(s->flags, ph.p_flags);
    }
    assert_int_equal(nload, img.nsegs);
    assert_true(img.nsegs >= 2);
    const GuestSegment *code = NULL, *data = NULL;
    for (size_t i = 0; i < img.nsegs; i++) {
        if (img.segs[i].flags & PF_X)
            code = &img.segs[i];
        else if (img.segs[i].flags & PF_W)
            data = &img.segs[i];
    }
    assert_non_null(code);
    assert_non_null(data);
    assert_true(data->memsz > data->filesz); /* tiny_bss */

    /* Symbols: sorted by address, one per address, the ones we know present. */
    assert_true(img.nsyms > 10);
    for (size_t i = 1; i < img.nsyms; i++)
        assert_true(img.syms[i - 1].addr < img.syms[i].addr);
    const GuestSymbol *magic = find_symbol(&img, "tiny_magic");
    const GuestSymbol *main_sym = find_symbol(&img, "main");
    const GuestSymbol *start = find_symbol(&img, "_start");
    assert_non_null(magic);
    assert_non_null(main_sym);
    assert_non_null(start);
    assert_int_equal(magic->size, 8);
    assert_int_equal(start->addr, img.entry);

    /* elf_symbol_at / elf_symbol_containing. */
    assert_ptr_equal(elf_symbol_at(&img, main_sym->addr), main_sym);
    assert_ptr_equal(elf_symbol_at(&img, magic->addr), magic);
    assert_ptr_equal(elf_symbol_at(&img, img.entry), start);
    assert_null(elf_symbol_at(&img, magic->addr + 4));
    assert_null(elf_symbol_at(&img, 0));
    assert_ptr_equal(elf_symbol_containing(&img, magic->addr), magic);
    assert_ptr_equal(elf_symbol_containing(&img, magic->addr + 4), magic);
    assert_ptr_not_equal(elf_symbol_containing(&img, magic->addr + 8), magic);
    assert_true(main_sym->size > 4);
    assert_ptr_equal(elf_symbol_containing(&img, main_sym->addr + 4), main_sym);
    assert_null(elf_symbol_containing(&img, 0));

    /* elf_read of code: the two known instructions, little-endian. */
    uint32_t words[2] = {0, 0};
    assert_true(elf_read(&img, magic->addr, words, sizeof words));
    assert_int_equal(words[0], MOVZ_X0_0x1234);
    assert_int_equal(words[1], RET);
    /* The same bytes through the file offset. */
    uint64_t off = code->offset + (magic->addr - code->vaddr);
    assert_memory_equal(b->data + off, words, sizeof words);

    /* elf_read: bytes past p_filesz read as zero, past p_memsz fail. */
    uint8_t tail[16];
    memset(tail, 0xAA, sizeof tail);
    assert_true(elf_read(&img, data->vaddr + data->memsz - sizeof tail, tail, sizeof tail));
    for (size_t i = 0; i < sizeof tail; i++)
        assert_int_equal(tail[i], 0);
    assert_false(elf_read(&img, data->vaddr + data->memsz - 4, tail, 8));
    assert_false(elf_read(&img, 0, tail, 4));
    assert_true(elf_read(&img, code->vaddr, tail, 4));
    assert_memory_equal(tail, "\x7f" "ELF", 4); /* the static code segment maps the header */

    /* elf_is_code: the code segment's file part only. */
    assert_true(elf_is_code(&img, img.entry));
    assert_true(elf_is_code(&img, magic->addr));
    assert_true(elf_is_code(&img, code->vaddr + code->filesz - 1));
    assert_false(elf_is_code(&img, code->vaddr + code->filesz));
    assert_false(elf_is_code(&img, data->vaddr));
    assert_false(elf_is_code(&img, 0));

    elf_free(&img);
    assert_null(img.data);
    assert_int_equal(img.nsyms, 0);
}

/* elf_load_mem copies: the image outlives the caller's buffer. */
static void load_mem_copies(void **state)
{
    const Blob *b = *state;
    uint8_t *copy = malloc(b->size);
    assert_non_null(copy);
    memcpy(copy, b->data, b->size);
    GuestImage img;
    Diag d = {0};
    assert_int_equal(elf_load_mem(&img, copy, b->size, &d), 0);
    memset(copy, 0, b->size);
    free(copy);
    const GuestSymbol *magic = find_symbol(&img, "tiny_magic");
    assert_non_null(magic);
    uint32_t w = 0;
    assert_true(elf_read(&img, magic->addr, &w, 4));
    assert_int_equal(w, MOVZ_X0_0x1234);
    elf_free(&img);
}

/* A stripped executable loads, with no symbols (recovery starts at the entry). */
static void stripped_has_no_symbols(void **state)
{
    const Blob *b = *state;
    Blob c = {malloc(b->size), b->size};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->size);
    /* Drop the section headers, as `strip --strip-section-headers` would. */
    Elf64_Ehdr eh = ehdr_of(&c);
    eh.e_shoff = 0;
    eh.e_shnum = 0;
    eh.e_shstrndx = 0;
    memcpy(c.data, &eh, sizeof eh);
    GuestImage img;
    Diag d = {0};
    if (elf_load_mem(&img, c.data, c.size, &d) != 0)
        fail_msg("stripped load failed: %s", d.msg);
    assert_int_equal(img.nsyms, 0);
    assert_null(elf_symbol_at(&img, img.entry));
    assert_true(elf_is_code(&img, img.entry));
    elf_free(&img);
    free(c.data);
}

/* ---- files that are not there or not ELF ---- */

static void missing_file(void **state)
{
    (void)state;
    GuestImage img;
    Diag d = {0};
    assert_int_equal(elf_load(&img, "/nonexistent/dbt-aot-test/no-such-file", &d), -1);
    assert_msg_contains(&d, "cannot open: No such file or directory");
    assert_false(d.has_addr);
}

static void directory_is_not_a_file(void **state)
{
    (void)state;
    GuestImage img;
    Diag d = {0};
    /* fopen succeeds on a directory; the read fails. */
    assert_int_equal(elf_load(&img, "/", &d), -1);
    assert_msg_contains(&d, "cannot read");
}

static void empty_file(void **state)
{
    Blob *b = *state;
    expect_file_fail(b, 0, "not an ELF file");
    expect_mem_fail(b, 0, "not an ELF file");
}

static void text_file(void **state)
{
    (void)state;
    static const char text[] = "#!/bin/sh\n"
                               "echo this is a shell script, not an ELF program\n";
    Blob t = {(uint8_t *)text, sizeof text - 1};
    expect_file_fail(&t, t.size, "not an ELF file");
}

/* ---- truncations ---- */

static void truncated_in_ident(void **state)
{
    const Blob *b = *state;
    /* Magic present but e_ident incomplete. */
    expect_mem_fail(b, 4, "not an ELF file");
    expect_mem_fail(b, 10, "not an ELF file");
    expect_mem_fail(b, EI_NIDENT - 1, "not an ELF file");
}

static void truncated_in_elf_header(void **state)
{
    const Blob *b = *state;
    expect_mem_fail(b, EI_NIDENT, "truncated ELF header (16 bytes)");
    expect_mem_fail(b, 40, "truncated ELF header (40 bytes)");
    expect_mem_fail(b, sizeof(Elf64_Ehdr) - 1, "truncated ELF header (63 bytes)");
    expect_file_fail(b, 32, "truncated ELF header (32 bytes)");
}

static void truncated_in_program_headers(void **state)
{
    const Blob *b = *state;
    Elf64_Ehdr eh = ehdr_of(b);
    assert_int_equal(eh.e_phoff, sizeof(Elf64_Ehdr));
    const char *phrase = "program headers extend past the end of the file";
    expect_mem_fail(b, eh.e_phoff, phrase);                              /* none at all */
    expect_mem_fail(b, eh.e_phoff + 20, phrase);                         /* inside the first */
    expect_mem_fail(b, eh.e_phoff + (size_t)eh.e_phnum * eh.e_phentsize - 1, phrase); /* one byte short */
    expect_file_fail(b, eh.e_phoff + eh.e_phentsize + 3, phrase);
}

static void truncated_in_segment(void **state)
{
    const Blob *b = *state;
    int i0 = load_index(b, 0), i1 = load_index(b, 1);
    assert_true(i0 >= 0 && i1 >= 0);
    Elf64_Phdr p0 = phdr_of(b, (unsigned)i0), p1 = phdr_of(b, (unsigned)i1);
    char phrase[128];

    /* Inside the code segment. */
    snprintf(phrase, sizeof phrase, "segment %d (vaddr 0x%llx) extends past the end of the file", i0,
             (unsigned long long)p0.p_vaddr);
    expect_mem_fail(b, p0.p_offset + p0.p_filesz / 2, phrase);
    expect_mem_fail(b, p0.p_offset + p0.p_filesz - 1, phrase);
    expect_file_fail(b, 4096, phrase);

    /* Inside the data segment (the code segment is complete). */
    snprintf(phrase, sizeof phrase, "segment %d (vaddr 0x%llx) extends past the end of the file", i1,
             (unsigned long long)p1.p_vaddr);
    expect_mem_fail(b, p1.p_offset + 1, phrase);
    expect_mem_fail(b, p1.p_offset + p1.p_filesz - 1, phrase);
}

/* Cut after the last segment: the symbol table and the section headers are
 * gone.  Must be refused like any other truncation, not loaded as if the
 * program were stripped (which would silently lose every symbol). */
static void truncated_section_headers_are_reported(void **state)
{
    const Blob *b = *state;
    Elf64_Ehdr eh = ehdr_of(b);
    int i1 = load_index(b, 1);
    Elf64_Phdr p1 = phdr_of(b, (unsigned)i1);
    assert_true(eh.e_shoff > p1.p_offset + p1.p_filesz);
    const char *phrase = "past the end of the file (truncated?)";
    expect_mem_fail(b, p1.p_offset + p1.p_filesz, phrase); /* symtab and headers gone */
    expect_mem_fail(b, eh.e_shoff + 10, phrase);            /* inside the first header */
    expect_mem_fail(b, b->size - 1, phrase);                /* one byte short */
}

/* ---- header fields that name something we do not translate ---- */

static void patched_fail(const Blob *b, size_t at, const void *bytes, size_t n, const char *phrase)
{
    Blob c = {malloc(b->size), b->size};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->size);
    memcpy(c.data + at, bytes, n);
    expect_mem_fail(&c, c.size, phrase);
    free(c.data);
}

static void wrong_class(void **state)
{
    const uint8_t cls32 = ELFCLASS32, none = ELFCLASSNONE;
    patched_fail(*state, EI_CLASS, &cls32, 1, "not a 64-bit ELF file (ELF class 1)");
    patched_fail(*state, EI_CLASS, &none, 1, "not a 64-bit ELF file (ELF class 0)");
}

static void big_endian(void **state)
{
    const uint8_t msb = ELFDATA2MSB;
    patched_fail(*state, EI_DATA, &msb, 1, "not a little-endian ELF file");
}

static void wrong_machine_patched(void **state)
{
    const uint16_t x86_64 = EM_X86_64, riscv = 243;
    patched_fail(*state, offsetof(Elf64_Ehdr, e_machine), &x86_64, 2,
                 "wrong machine: ELF e_machine is 62, expected AArch64 (183)");
    patched_fail(*state, offsetof(Elf64_Ehdr, e_machine), &riscv, 2, "wrong machine: ELF e_machine is 243");
}

static void wrong_machine_host_binary(void **state)
{
    (void)state;
    GuestImage img;
    Diag d = {0};
    assert_int_equal(elf_load(&img, DBT_FIXTURE_HOST, &d), -1);
    assert_msg_contains(&d, "wrong machine: ELF e_machine is 62");
}

static void relocatable_object(void **state)
{
    (void)state;
    GuestImage img;
    Diag d = {0};
    assert_int_equal(elf_load(&img, DBT_FIXTURE_OBJ, &d), -1);
    assert_msg_contains(&d, "not an executable (ELF type 1)");
}

static void core_file_type(void **state)
{
    const uint16_t core = ET_CORE;
    patched_fail(*state, offsetof(Elf64_Ehdr, e_type), &core, 2, "not an executable (ELF type 4)");
}

/* ---- inconsistent program headers ---- */

static void entry_outside_code(void **state)
{
    const Blob *b = *state;
    int i1 = load_index(b, 1);
    assert_true(i1 >= 0);
    uint64_t data_vaddr = phdr_of(b, (unsigned)i1).p_vaddr;
    char phrase[96];
    snprintf(phrase, sizeof phrase, "entry point 0x%llx is not in an executable segment",
             (unsigned long long)data_vaddr);
    patched_fail(b, offsetof(Elf64_Ehdr, e_entry), &data_vaddr, 8, phrase);
    const uint64_t zero = 0;
    patched_fail(b, offsetof(Elf64_Ehdr, e_entry), &zero, 8, "entry point 0x0 is not in an executable segment");
}

static void filesz_above_memsz(void **state)
{
    Blob *b = *state;
    Blob c = {malloc(b->size), b->size};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->size);
    int i1 = load_index(&c, 1);
    Elf64_Phdr ph = phdr_of(&c, (unsigned)i1);
    ph.p_memsz = ph.p_filesz - 8;
    put_phdr(&c, (unsigned)i1, &ph);
    char phrase[64];
    snprintf(phrase, sizeof phrase, "segment %d has p_filesz > p_memsz", i1);
    expect_mem_fail(&c, c.size, phrase);
    free(c.data);
}

static void no_loadable_segments(void **state)
{
    Blob *b = *state;
    Blob c = {malloc(b->size), b->size};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->size);
    Elf64_Ehdr eh = ehdr_of(&c);
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr_of(&c, i);
        if (ph.p_type == PT_LOAD) {
            ph.p_type = PT_NULL;
            put_phdr(&c, i, &ph);
        }
    }
    expect_mem_fail(&c, c.size, "no loadable segments");
    free(c.data);
}

static void segment_offset_past_end(void **state)
{
    Blob *b = *state;
    Blob c = {malloc(b->size), b->size};
    assert_non_null(c.data);
    memcpy(c.data, b->data, b->size);
    int i1 = load_index(&c, 1);
    Elf64_Phdr ph = phdr_of(&c, (unsigned)i1);
    ph.p_offset = UINT64_MAX - 4; /* offset + filesz would wrap */
    put_phdr(&c, (unsigned)i1, &ph);
    expect_mem_fail(&c, c.size, "extends past the end of the file");
    free(c.data);
}

/* ---- a static-pie: everything at DBT_PIE_BASE, pointers relocated ---- */

static int setup_pie(void **state)
{
    Blob *b = malloc(sizeof *b);
    *b = slurp(DBT_FIXTURE_PIE);
    *state = b;
    return 0;
}

static void static_pie_is_rebased(void **state)
{
    const Blob *b = *state;
    Elf64_Ehdr eh = ehdr_of(b);
    assert_int_equal(eh.e_type, ET_DYN);
    GuestImage img;
    Diag d = {0};
    if (elf_load(&img, DBT_FIXTURE_PIE, &d) != 0)
        fail_msg("elf_load failed: %s", d.msg);
    assert_int_equal(img.type, ET_DYN);
    assert_int_equal(img.bias, DBT_PIE_BASE);
    assert_int_equal(img.entry, eh.e_entry + DBT_PIE_BASE);
    assert_false(img.has_interp);
    size_t nload = 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr_of(b, i);
        if (ph.p_type == PT_LOAD)
            assert_int_equal(img.segs[nload++].vaddr, ph.p_vaddr + DBT_PIE_BASE);
    }
    assert_int_equal(nload, img.nsegs);
    const GuestSymbol *magic = find_symbol(&img, "tiny_magic");
    assert_non_null(magic);
    uint32_t insn[2];
    assert_true(elf_read(&img, magic->addr, insn, sizeof insn));
    assert_int_equal(insn[0], MOVZ_X0_0x1234);
    assert_int_equal(insn[1], RET);

    /* The output gets the file as it is; the analysed image has every
     * RELATIVE slot of .rela.dyn (found here from the section headers,
     * not from PT_DYNAMIC as the reader does) holding base + addend. */
    assert_non_null(img.file);
    assert_memory_equal(img.file, b->data, b->size);
    Elf64_Shdr sh;
    size_t relative = 0;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        memcpy(&sh, b->data + eh.e_shoff + (size_t)i * eh.e_shentsize, sizeof sh);
        if (sh.sh_type != SHT_RELA)
            continue;
        for (uint64_t k = 0; k + sizeof(Elf64_Rela) <= sh.sh_size; k += sizeof(Elf64_Rela)) {
            Elf64_Rela r;
            memcpy(&r, b->data + sh.sh_offset + k, sizeof r);
            if (ELF64_R_TYPE(r.r_info) != R_AARCH64_RELATIVE)
                continue;
            uint64_t slot;
            if (!elf_read(&img, r.r_offset + DBT_PIE_BASE, &slot, sizeof slot))
                fail_msg("RELATIVE slot 0x%llx not in the image", (unsigned long long)r.r_offset);
            /* A slot in bss reads as zero (the guest fills it at
             * start-up); the linker wrote every other one as the addend,
             * link-time value that must have been replaced. */
            if (slot == 0)
                continue;
            assert_int_equal(slot, (uint64_t)r.r_addend + DBT_PIE_BASE);
            relative++;
        }
    }
    assert_true(relative > 100);   /* glibc's own tables */
    elf_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(valid_static_executable, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(load_mem_copies, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(stripped_has_no_symbols, setup_exe, teardown_blob),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(directory_is_not_a_file),
        cmocka_unit_test_setup_teardown(empty_file, setup_exe, teardown_blob),
        cmocka_unit_test(text_file),
        cmocka_unit_test_setup_teardown(truncated_in_ident, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(truncated_in_elf_header, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(truncated_in_program_headers, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(truncated_in_segment, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(truncated_section_headers_are_reported, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(wrong_class, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(big_endian, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(wrong_machine_patched, setup_exe, teardown_blob),
        cmocka_unit_test(wrong_machine_host_binary),
        cmocka_unit_test(relocatable_object),
        cmocka_unit_test_setup_teardown(core_file_type, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(entry_outside_code, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(filesz_above_memsz, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(no_loadable_segments, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(segment_offset_past_end, setup_exe, teardown_blob),
        cmocka_unit_test_setup_teardown(static_pie_is_rebased, setup_pie, teardown_blob),
    };
    return cmocka_run_group_tests_name("elf_input", tests, NULL, NULL);
}
