/*
 * test_bind.c - the table of host-library bindings (include/bind_table.h):
 * every row's signature is one the lifter can call and its host function
 * exists in the host's libc; guest symbol names map to their rows; the
 * --bind / DBT_BIND selection syntax.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bind_table.h"
#include "lifter.h"

/* runtime/bind_a64.c against values glibc 2.36's aarch64 code returned
 * under qemu-aarch64 for the same bytes at the same alignments (the
 * strings sit in 0x5a-filled 16-byte-aligned buffers at offsets OA, OB). */
int dbt_rt_a64_strcmp(const char *s1, const char *s2);
int dbt_rt_a64_memcmp(const void *s1, const void *s2, size_t n);
int dbt_rt_a64_strncmp(const char *s1, const char *s2, size_t n);
int dbt_rt_a64_wcscmp(const uint32_t *s1, const uint32_t *s2);
int dbt_rt_a64_wcsncmp(const uint32_t *s1, const uint32_t *s2, size_t n);
int dbt_rt_a64_wmemcmp(const uint32_t *s1, const uint32_t *s2, size_t n);

/* runtime/bind_a64.c's functions, by name. */
static const struct {
    const char *name;
    const void *fn;
} a64_functions[] = {
    {"dbt_rt_a64_strcmp", (const void *)dbt_rt_a64_strcmp},   {"dbt_rt_a64_memcmp", (const void *)dbt_rt_a64_memcmp},
    {"dbt_rt_a64_wcscmp", (const void *)dbt_rt_a64_wcscmp},   {"dbt_rt_a64_wcsncmp", (const void *)dbt_rt_a64_wcsncmp},
    {"dbt_rt_a64_wmemcmp", (const void *)dbt_rt_a64_wmemcmp}, {"dbt_rt_a64_strncmp", (const void *)dbt_rt_a64_strncmp},
};
static int a64_strcmp_at(int oa, int ob, const char *a, size_t na, const char *b, size_t nb)
{
    static _Alignas(16) char A[64], B[64];
    memset(A, 0x5a, sizeof A);
    memset(B, 0x5a, sizeof B);
    memcpy(A + oa, a, na);
    memcpy(B + ob, b, nb);
    return dbt_rt_a64_strcmp(A + oa, B + ob);
}

static void a64_magnitudes(void **state)
{
    (void)state;
    assert_int_equal(a64_strcmp_at(0, 0, "\x01" "a", 3, "aa", 3), -192);    /* bit window 0x02 - 0xc2 */
    assert_int_equal(a64_strcmp_at(0, 0, "abcdefg\x01", 9, "abcdefga", 9), -192); /* last byte of a word */
    assert_int_equal(a64_strcmp_at(1, 3, "\x01" "a", 3, "aa", 3), -96);     /* byte loop: misaligned */
    assert_int_equal(a64_strcmp_at(0, 3, "abc", 4, "abd", 4), -32);
    assert_int_equal(a64_strcmp_at(0, 0, "ab", 3, "abc", 4), -99);         /* NUL of the first */
    assert_int_equal(a64_strcmp_at(0, 3, "abc", 4, "ab", 3), 99);          /* NUL of the second */
    assert_int_equal(dbt_rt_a64_memcmp("a", "c", 1), -2);
    assert_int_equal(dbt_rt_a64_memcmp("aba", "abc", 3), -2);
    assert_int_equal(dbt_rt_a64_memcmp("aab", "abb", 3), -1);
    assert_int_equal(dbt_rt_a64_memcmp("abcdefgh", "abcdefgz", 8), -1);
    /* The wide ones (values read off Debian's aarch64 code: bind_table.h). */
    static const uint32_t a[] = {'a', 0x80000000u, 0}, b[] = {'a', 'b', 0}, c[] = {'a', 0};
    assert_int_equal(dbt_rt_a64_wcscmp(a, b), 1);                  /* unsigned: above 'b' */
    assert_int_equal(dbt_rt_a64_wcscmp(b, a), -1);
    assert_int_equal(dbt_rt_a64_wcscmp(b, c), 'b');                /* the second ended: the character */
    assert_int_equal(dbt_rt_a64_wcscmp(a, c), (int)0x80000000u);   /* ... as an int */
    assert_int_equal(dbt_rt_a64_wcscmp(c, b), -1);
    assert_int_equal(dbt_rt_a64_wcscmp(b, b), 0);
    assert_int_equal(dbt_rt_a64_wcsncmp(a, b, 1), 0);
    assert_int_equal(dbt_rt_a64_wcsncmp(a, b, 2), 1);
    assert_int_equal(dbt_rt_a64_wcsncmp(b, c, 3), 1);
    assert_int_equal(dbt_rt_a64_wcsncmp(c, c, 9), 0);               /* stops at the end */
    static const uint32_t m1[] = {1, 2, 3, 4, 5, 6, 0xffffffffu}, m2[] = {1, 2, 3, 4, 5, 6, 7};
    assert_int_equal(dbt_rt_a64_wmemcmp(m1, m2, 6), 0);
    assert_int_equal(dbt_rt_a64_wmemcmp(m1, m2, 7), 1);
    assert_int_equal(dbt_rt_a64_wmemcmp(m2, m1, 7), -1);
    assert_int_equal(dbt_rt_a64_wmemcmp(m2 + 1, m1, 2), 1);          /* in the first four */
}

static void rows_are_callable(void **state)
{
    (void)state;
    for (unsigned i = 1; i < BIND_COUNT; i++) {
        const BindRow *r = &bind_rows[i];
        assert_true(lift_bind_signature_ok(r->sig));
        assert_true(r->lib < BIND_NLIBRARIES);
        /* The host function the thunk calls is there (the output links
         * the same libc; the bindtest ones are in the runtime archive). */
        if (strncmp(r->host, "dbt_rt_a64_", 11) == 0) { /* runtime/bind_a64.c, linked here too */
            size_t k = 0;
            while (k < sizeof a64_functions / sizeof *a64_functions && strcmp(a64_functions[k].name, r->host) != 0)
                k++;
            assert_true(k < sizeof a64_functions / sizeof *a64_functions);
        } else if (r->lib == BIND_LIB_LIBC) {
            assert_non_null(dlsym(RTLD_DEFAULT, r->host));
        } else if (bind_library_sonames[r->lib] != NULL) {
            /* Opened by the runtime when needed: here too, if the host
             * has it (it has libz.so.1 wherever the tests run). */
            void *lib = dlopen(bind_library_sonames[r->lib], RTLD_NOW | RTLD_LOCAL);
            assert_non_null(lib);
            assert_non_null(dlsym(lib, r->host));
            dlclose(lib);
        } else {
            assert_memory_equal(r->host, "dbt_bindtest_", 13);
        }
    }
    assert_false(lift_bind_signature_ok("p"));
    assert_false(lift_bind_signature_ok("p:px"));
    assert_false(lift_bind_signature_ok("x:p"));
    assert_true(lift_bind_signature_ok("d:llllllllldddddddddf"));
    assert_true(lift_bind_signature_ok("v:pzz{i:pp}"));
    assert_false(lift_bind_signature_ok("v:pzz{i:pp}{i:pp}")); /* two callbacks */
    assert_false(lift_bind_signature_ok("v:pzz{x:yy}"));       /* not a callback kind */
    assert_false(lift_bind_signature_ok("v:pzz{i:pp"));        /* unclosed */
    assert_false(lift_bind_signature_ok("v:v"));
    assert_false(lift_bind_signature_ok("p:ppppppppppppppppppppppppp")); /* 25 arguments */
}

static void symbols_map_to_rows(void **state)
{
    (void)state;
    for (unsigned i = 1; i < BIND_COUNT; i++)
        assert_int_equal(bind_by_symbol(bind_rows[i].name), i);
    assert_int_equal(bind_by_symbol("__memcpy_simd"), BIND_memcpy);
    assert_int_equal(bind_by_symbol("__strlen_asimd"), BIND_strlen);
    assert_int_equal(bind_by_symbol("__memchr_generic"), BIND_memchr);
    assert_int_equal(bind_by_symbol("deflate"), BIND_deflate);
    assert_int_equal(bind_by_symbol("strtoull"), BIND_strtoul);
    assert_true(bind_sets_errno(BIND_strtol));
    assert_false(bind_sets_errno(BIND_strlen));
    assert_int_equal(bind_by_symbol("inflateBackInit_"), BIND_NONE); /* its inflateBack takes callbacks */
    unsigned varg;
    assert_int_equal(bind_gate(BIND_deflateInit2_, &varg), BIND_GATE_ZINIT);
    assert_int_equal(varg, 6);
    assert_int_equal(bind_gate(BIND_crc32, &varg), BIND_GATE_NONE);
    /* Every zlib function of a stream is gated, so that the guest's code
     * never sees a state the host's zlib made. */
    for (unsigned i = 1; i < BIND_COUNT; i++)
        if (bind_rows[i].lib == BIND_LIB_ZLIB && bind_rows[i].sig[2] == 'p')
            assert_int_not_equal(bind_gate(i, &varg), BIND_GATE_NONE);
    /* strcmp and memcmp only where the content is glibc's aarch64 code. */
    assert_int_equal(bind_by_symbol("strcmp"), BIND_strcmp);
    assert_true(bind_needs_known_code(BIND_strcmp));
    assert_int_equal(bind_by_symbol("bcmp"), BIND_memcmp);
    assert_true(bind_needs_known_code(BIND_memcmp));
    assert_false(bind_needs_known_code(BIND_strlen));
    size_t strcmp_sizes = 0, memcmp_sizes = 0; /* glibc 2.36's: 308 and 456 bytes */
    for (size_t k = 0; k < sizeof bind_known_code / sizeof *bind_known_code; k++) {
        strcmp_sizes += bind_known_code[k].id == BIND_strcmp && bind_known_code[k].size == 308;
        memcmp_sizes += bind_known_code[k].id == BIND_memcmp && bind_known_code[k].size == 456;
    }
    assert_int_equal(strcmp_sizes, 1);
    assert_int_equal(memcmp_sizes, 1);
    /* Not bound: results differ from glibc's aarch64 code (bind_table.h). */
    /* The wide comparisons: glibc's aarch64 order is the unsigned one. */
    assert_int_equal(bind_by_symbol("wmemcmp"), BIND_wmemcmp);
    assert_int_equal(bind_by_symbol("__wcscmp"), BIND_wcscmp);
    assert_true(bind_needs_known_code(BIND_wcscmp) && bind_needs_known_code(BIND_wcsncmp) &&
                bind_needs_known_code(BIND_wmemcmp));
    assert_int_equal(bind_by_symbol("sqrt"), BIND_NONE); /* the sign of a fresh NaN */
    assert_int_equal(bind_gate(BIND_exp, &varg), BIND_GATE_FMA);
    assert_int_equal(bind_gate(BIND_cbrtf, &varg), BIND_GATE_FPCR);
    assert_true(bind_sets_errno(BIND_exp));
    assert_int_equal(bind_by_symbol(""), BIND_NONE);
}

static unsigned count_on(const unsigned char *on)
{
    unsigned n = 0;
    for (unsigned i = 1; i < BIND_COUNT; i++)
        n += on[i] != 0;
    return n;
}

static unsigned count_lib(enum BindLibrary lib)
{
    unsigned n = 0;
    for (unsigned i = 1; i < BIND_COUNT; i++)
        n += bind_rows[i].lib == lib;
    return n;
}

static void selection_syntax(void **state)
{
    (void)state;
    unsigned char on[BIND_COUNT];
    size_t len = 0;
    assert_null(bind_parse(NULL, false, on, &len));
    assert_int_equal(count_on(on), BIND_COUNT - 1);
    assert_int_equal(on[BIND_NONE], 0);
    assert_null(bind_parse("", false, on, &len));
    assert_int_equal(count_on(on), BIND_COUNT - 1);
    assert_null(bind_parse("none", false, on, &len));
    assert_int_equal(count_on(on), 0);
    assert_null(bind_parse("-libc", false, on, &len));
    assert_int_equal(count_on(on), BIND_COUNT - 1 - count_lib(BIND_LIB_LIBC));
    assert_int_equal(on[BIND_strlen], 0);
    assert_null(bind_parse("none,strlen", false, on, &len));
    assert_int_equal(count_on(on), 1);
    assert_int_equal(on[BIND_strlen], 1);
    assert_null(bind_parse("-memcpy,,-strlen", false, on, &len));
    assert_int_equal(count_on(on), BIND_COUNT - 3);
    assert_int_equal(on[BIND_memcpy], 0);
    assert_int_equal(on[BIND_strlen], 0);
    assert_null(bind_parse("none,libc,-memmove", false, on, &len));
    assert_int_equal(count_on(on), count_lib(BIND_LIB_LIBC) - 1);
    assert_int_equal(on[BIND_dbt_bindtest_ints], 0);
    assert_null(bind_parse("-all,+memmove", false, on, &len));
    assert_int_equal(count_on(on), 1);
    assert_int_equal(on[BIND_memmove], 1);
    const char *bad = bind_parse("strlen,strcasecmp,memcpy", false, on, &len);
    assert_non_null(bad);
    assert_int_equal(len, 10);
    assert_memory_equal(bad, "strcasecmp", 10);
    bad = bind_parse("-strle", false, on, &len); /* a prefix is not a name */
    assert_non_null(bad);
    assert_int_equal(len, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_callable),
        cmocka_unit_test(a64_magnitudes),
        cmocka_unit_test(symbols_map_to_rows),
        cmocka_unit_test(selection_syntax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
