/*
 * test_guest_lines.c - unit tests of the guest line-table reader
 * (aot/guest_lines.c) on files without usable DWARF.
 *
 * Fixture (built by tests/CMakeLists.txt from fixtures/tiny.c):
 *   DBT_FIXTURE_EXE   aarch64-linux-gnu-gcc -O2 -static (no -g)
 *
 * A file without DWARF, or one libdwarf refuses, has no lines and is no
 * error (-g then gives the output no guest lines).  The refused files are
 * the fixture with its section headers damaged in memory and written to a
 * temporary file.  Under ASan (DBT_SANITIZE=ON, DBT_FUZZ=ON) LeakSanitizer
 * also checks that nothing of libdwarf's is left behind: the regression
 * test guest_lines_bad_elf_no_leak pins the error record dwarf_init_b
 * allocates for such a file, which fuzz_elf found leaking.
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

#include "guest_lines.h"
#include "slurp.h"

#ifndef DBT_FIXTURE_EXE
#error "DBT_FIXTURE_EXE must name the static AArch64 fixture"
#endif

/* Read the lines of B's bytes (through a temporary file): must succeed
 * with no rows. */
static void expect_no_lines(const Blob *b)
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
    assert_int_equal(gl.nrows, 0);
    guest_lines_free(&gl);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_without_debug_info),
        cmocka_unit_test(guest_lines_bad_elf_no_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
