/*
 * slurp.h - read a whole fixture file into memory (unit tests only;
 * include after <cmocka.h>).
 */
#ifndef DBT_TEST_SLURP_H
#define DBT_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

typedef struct Blob {
    uint8_t *data;
    size_t size;
} Blob;

static inline Blob slurp(const char *path)
{
    Blob b = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    b.size = (size_t)n;
    b.data = malloc(b.size);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.size, f), b.size);
    fclose(f);
    return b;
}

#endif
