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

static void rows_are_callable(void **state)
{
    (void)state;
    for (unsigned i = 1; i < BIND_COUNT; i++) {
        const BindRow *r = &bind_rows[i];
        assert_true(lift_bind_signature_ok(r->sig));
        assert_true(r->lib < BIND_NLIBRARIES);
        /* The host function the thunk calls is there (the output links
         * the same libc; the bindtest ones are in the runtime archive). */
        if (r->lib == BIND_LIB_LIBC) {
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
    /* Not bound: results differ from glibc's aarch64 code (bind_table.h). */
    assert_int_equal(bind_by_symbol("strcmp"), BIND_NONE);
    assert_int_equal(bind_by_symbol("memcmp"), BIND_NONE);
    assert_int_equal(bind_by_symbol("wmemcmp"), BIND_NONE);
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
    const char *bad = bind_parse("strlen,strcmp,memcpy", false, on, &len);
    assert_non_null(bad);
    assert_int_equal(len, 6);
    assert_memory_equal(bad, "strcmp", 6);
    bad = bind_parse("-strle", false, on, &len); /* a prefix is not a name */
    assert_non_null(bad);
    assert_int_equal(len, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_callable),
        cmocka_unit_test(symbols_map_to_rows),
        cmocka_unit_test(selection_syntax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
