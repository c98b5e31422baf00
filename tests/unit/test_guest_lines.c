/*
 * test_guest_lines.c - unit tests of the guest line-table reader
 * (aot/guest_lines.c) on files without usable DWARF, and on one with.
 *
 * Fixtures (built by tests/CMakeLists.txt from fixtures/tiny.c):
 *   DBT_FIXTURE_EXE     aarch64-linux-gnu-gcc -O2 -static (no -g)
 *   DBT_FIXTURE_DEBUG   the same with -g -gdwarf-5
 *
 * A file without DWARF, or one libdwarf refuses, has no lines and is no
 * error (-g then gives the output no guest lines).  The refused files are
 * the fixture with its section headers damaged in memory and written to a
 * temporary file.  Under ASan (DBT_SANITIZE=ON, DBT_FUZZ=ON) LeakSanitizer
 * also checks that nothing of libdwarf's is left behind: the regression
 * test guest_lines_bad_elf_no_leak pins the error record dwarf_init_b
 * allocates for such a file, which fuzz_elf found leaking, and
 * guest_lines_dwarf5_huge_count the calloc of 0x7fff37fffff6ff0 bytes
 * libdwarf attempts for a line header that claims that many directories
 * (ASan aborts on it; also found by fuzz_elf).
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
#include <libdwarf/dwarf.h>

#include "guest_lines.h"
#include "slurp.h"

#if !defined DBT_FIXTURE_EXE || !defined DBT_FIXTURE_DEBUG
#error "DBT_FIXTURE_EXE and DBT_FIXTURE_DEBUG must name the static AArch64 fixtures"
#endif

/* Read the lines of B's bytes (through a temporary file): must succeed;
 * returns the number of rows. */
static size_t count_lines(const Blob *b)
{
    char path[] = "/tmp/test_guest_lines.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b->data, b->size), (ssize_t)b->size);
    close(fd);
    GuestLines gl;
    Diag d = {0};
    int rc = guest_lines_read(&gl, path, 0, &d);
    unlink(path);
    if (rc != 0)
        fail_msg("guest_lines_read: %s", d.msg);
    size_t n = gl.nrows;
    guest_lines_free(&gl);
    return n;
}

static void expect_no_lines(const Blob *b)
{
    assert_int_equal(count_lines(b), 0);
}

static void fixture_without_debug_info(void **state)
{
    Blob b = slurp(DBT_FIXTURE_EXE);
    expect_no_lines(&b);
    free(b.data);
}

/* The section headers of the fixture made unreadable in several ways:
 * libdwarf fails with an error record it allocated (freed, not leaked). */
static void guest_lines_bad_elf_no_leak(void **state)
{
    Blob b = slurp(DBT_FIXTURE_EXE);
    Elf64_Ehdr eh;
    memcpy(&eh, b.data, sizeof eh);
    const Elf64_Ehdr bad[] = {
        {.e_shoff = b.size + 4096, .e_shnum = eh.e_shnum, .e_shstrndx = eh.e_shstrndx},  /* past the end */
        {.e_shoff = eh.e_shoff, .e_shnum = 0xff00, .e_shstrndx = eh.e_shstrndx},         /* too many */
        {.e_shoff = eh.e_shoff, .e_shnum = eh.e_shnum, .e_shstrndx = eh.e_shnum + 5},   /* no names */
        {.e_shoff = 3, .e_shnum = eh.e_shnum, .e_shstrndx = eh.e_shstrndx},             /* misaligned */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Elf64_Ehdr h = eh;
        h.e_shoff = bad[i].e_shoff;
        h.e_shnum = bad[i].e_shnum;
        h.e_shstrndx = bad[i].e_shstrndx;
        memcpy(b.data, &h, sizeof h);
        expect_no_lines(&b);
    }
    free(b.data);
}

/* The file offset of section NAME's contents in B. */
static size_t section_offset(const Blob *b, const char *name, size_t *size)
{
    Elf64_Ehdr eh;
    memcpy(&eh, b->data, sizeof eh);
    Elf64_Shdr strtab, sh;
    memcpy(&strtab, b->data + eh.e_shoff + eh.e_shstrndx * sizeof sh, sizeof sh);
    for (unsigned i = 1; i < eh.e_shnum; i++) {
        memcpy(&sh, b->data + eh.e_shoff + i * sizeof sh, sizeof sh);
        if (strcmp((const char *)b->data + strtab.sh_offset + sh.sh_name, name) == 0) {
            *size = sh.sh_size;
            return sh.sh_offset;
        }
    }
    fail_msg("no %s in the fixture", name);
    return 0;
}

/* The -g fixture has lines; the same file whose first line header claims
 * 2^63 - 1 directories has none (before the fix libdwarf asked calloc for
 * them all). */
static void guest_lines_dwarf5_huge_count(void **state)
{
    Blob b = slurp(DBT_FIXTURE_DEBUG);
    assert_true(count_lines(&b) > 0);
    size_t size;
    uint8_t *h = b.data + section_offset(&b, ".debug_line", &size);
    /* unit length (4), version (2), address and selector sizes (2), header
     * length (4), 5 one-byte fields, opcode_base, the opcode lengths */
    assert_int_equal(h[4] | h[5] << 8, 5);
    size_t at = 4 + 2 + 2 + 4 + 5;
    at += 1 + (h[at] - 1);
    size_t formats = at;
    unsigned nformats = h[at++];
    for (unsigned i = 0; i < 2 * nformats; i++)   /* one-byte ULEB128s in GCC's headers */
        assert_true(h[at++] < 0x80);
    assert_true(at + 9 < size);
    uint8_t count[9];
    memcpy(count, h + at, sizeof count);
    memset(h + at, 0xff, 8);   /* the count: nine bytes of ULEB128 */
    h[at + 8] = 0x7f;
    expect_no_lines(&b);
    /* The directories' names as DW_FORM_data16 (16 bytes each, skipped
     * without their value: UBSan saw a shift by 64 and more there). */
    memcpy(h + at, count, sizeof count);
    assert_int_equal(h[formats + 2], DW_FORM_line_strp);
    h[formats + 2] = DW_FORM_data16;
    count_lines(&b);   /* lines or none: what matters is getting through */
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_without_debug_info),
        cmocka_unit_test(guest_lines_bad_elf_no_leak),
        cmocka_unit_test(guest_lines_dwarf5_huge_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
