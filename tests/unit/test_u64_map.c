/*
 * test_u64_map.c - unit tests of include/u64_map.h (the JIT's
 * caches): insertions through several growths, removals from the middle of
 * probe clusters, checked against a plain array of what must be there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "u64_map.h"

enum { N = 20000 };

/* Keys shaped like guest PCs (multiples of 4) and like pages + 1. */
static uint64_t key_of(unsigned i) { return i % 2 ? 0x400000 + 4ull * i : (0x7f0000000000ull + (uint64_t)i * 4096) + 1; }

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void check_all(const U64Map *m, const bool *present)
{
    size_t n = 0;
    for (unsigned i = 0; i < N; i++) {
        U64Entry *e = u64map_find(m, key_of(i));
        if (present[i]) {
            assert_non_null(e);
            assert_int_equal(e->val, (uint64_t)i * 7 + 1);
            n++;
        } else {
            assert_null(e);
        }
    }
    assert_int_equal(m->n, n);
}

static void insert_remove_find(void **state)
{
    (void)state;
    static bool present[N];
    memset(present, 0, sizeof present);
    U64Map m = {0};
    for (unsigned round = 0; round < 4; round++) {
        for (unsigned k = 0; k < N; k++) {
            unsigned i = (unsigned)(next() % N);
            bool added;
            U64Entry *e = u64map_insert(&m, key_of(i), &added);
            assert_non_null(e);
            assert_int_equal(added, !present[i]);
            if (added)
                e->val = (uint64_t)i * 7 + 1;
            present[i] = true;
        }
        check_all(&m, present);
        for (unsigned k = 0; k < N / 2; k++) {
            unsigned i = (unsigned)(next() % N);
            U64Entry *e = u64map_find(&m, key_of(i));
            assert_int_equal(e != NULL, present[i]);
            if (e != NULL)
                u64map_remove(&m, e);
            present[i] = false;
        }
        check_all(&m, present);
        assert_true(2 * m.n <= m.cap);
    }
    u64map_free(&m);
    assert_int_equal(m.n, 0);
    assert_null(u64map_find(&m, key_of(1)));
}

/* Key 0 means "empty": never found, never inserted. */
static void key_zero(void **state)
{
    (void)state;
    U64Map m = {0};
    bool added = true;
    assert_null(u64map_insert(&m, 0, &added));
    assert_false(added);
    assert_non_null(u64map_insert(&m, 8, NULL));
    assert_null(u64map_find(&m, 0));
    u64map_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insert_remove_find),
        cmocka_unit_test(key_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
