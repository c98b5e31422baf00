/*
 * sqlite_driver.c - a small, deterministic workload over SQLite, for the
 * translation benchmark (tests/bench/translate.sh).
 *
 *   sqlite_driver [SCALE]        (SCALE >= 1, default 1)
 *
 * Built for AArch64 against Debian's static libsqlite3.a, it makes a guest
 * with a large body of real library code (the SQL compiler, the VDBE, the
 * B-tree, the pager over an in-memory database).  It opens ":memory:",
 * creates two tables, inserts 1000 * SCALE customers' orders made by a
 * fixed linear congruential generator (no time, no randomness from the
 * system), and prints the results of a GROUP BY, a JOIN, an index and a
 * query that uses it.  The output depends only on SCALE, so the same binary
 * under qemu-aarch64 and translated must print the same bytes.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Rows per unit of SCALE. */
enum { CUSTOMERS = 200, ORDERS = 3000 };

static const char *const regions[] = {"north", "south", "east", "west", "centre"};
static const char *const products[] = {"bolt", "nut", "washer", "gear", "spring",
                                       "axle", "cam", "lever", "pulley", "chain"};

/* A 64-bit LCG (Knuth's MMIX constants); the high bits are the good ones. */
static uint32_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 33);
}

static void fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_driver: %s: %s\n", what, sqlite3_errmsg(db));
    sqlite3_close(db);
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite_driver: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(db);
        exit(1);
    }
}

/* Runs a query and prints each row as "title: col1 | col2 | ...". */
static void print_query(sqlite3 *db, const char *title, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail(db, sql);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        printf("%s:", title);
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            printf("%s %s", i ? " |" : "", v ? (const char *)v : "NULL");
        }
        printf("\n");
    }
    if (rc != SQLITE_DONE)
        fail(db, sql);
    sqlite3_finalize(st);
}

static void insert_rows(sqlite3 *db, int scale)
{
    uint64_t seed = 20240501;
    sqlite3_stmt *cust, *ord;
    if (sqlite3_prepare_v2(db, "INSERT INTO customer VALUES (?1, ?2, ?3)", -1, &cust, NULL) != SQLITE_OK)
        fail(db, "prepare customer insert");
    if (sqlite3_prepare_v2(db, "INSERT INTO orders VALUES (?1, ?2, ?3, ?4, ?5)", -1, &ord, NULL) != SQLITE_OK)
        fail(db, "prepare orders insert");

    exec(db, "BEGIN");
    int ncust = CUSTOMERS * scale;
    for (int i = 1; i <= ncust; i++) {
        /* One draw per statement: the order in which a call's arguments
         * are evaluated differs between compilers (GCC for x86-64 and for
         * AArch64 do not agree), and both builds must print the same. */
        char name[32];
        unsigned num = next_random(&seed) % 100000;
        int c1 = 'a' + (int)(next_random(&seed) % 26);
        int c2 = 'a' + (int)(next_random(&seed) % 26);
        snprintf(name, sizeof name, "cust%05u-%c%c", num, c1, c2);
        sqlite3_bind_int(cust, 1, i);
        sqlite3_bind_text(cust, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(cust, 3, regions[next_random(&seed) % 5], -1, SQLITE_STATIC);
        if (sqlite3_step(cust) != SQLITE_DONE)
            fail(db, "insert customer");
        sqlite3_reset(cust);
    }
    int nord = ORDERS * scale;
    for (int i = 1; i <= nord; i++) {
        sqlite3_bind_int(ord, 1, i);
        sqlite3_bind_int(ord, 2, 1 + (int)(next_random(&seed) % (uint32_t)ncust));
        sqlite3_bind_text(ord, 3, products[next_random(&seed) % 10], -1, SQLITE_STATIC);
        sqlite3_bind_int(ord, 4, 1 + (int)(next_random(&seed) % 20));
        /* Prices in cents, so that sums are exact integers. */
        sqlite3_bind_int(ord, 5, 50 + (int)(next_random(&seed) % 10000));
        if (sqlite3_step(ord) != SQLITE_DONE)
            fail(db, "insert order");
        sqlite3_reset(ord);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(cust);
    sqlite3_finalize(ord);
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    if (scale < 1) {
        fprintf(stderr, "usage: sqlite_driver [SCALE>=1]\n");
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        fail(db, "open :memory:");
    printf("sqlite %s, scale %d\n", sqlite3_libversion(), scale);

    exec(db, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL)");
    exec(db, "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customer(id),"
             " product TEXT NOT NULL, qty INTEGER NOT NULL, cents INTEGER NOT NULL)");
    insert_rows(db, scale);

    print_query(db, "count", "SELECT (SELECT count(*) FROM customer), count(*), sum(qty * cents) FROM orders");
    print_query(db, "by-product",
                "SELECT product, count(*), sum(qty), sum(qty * cents), printf('%.2f', avg(cents) / 100.0)"
                " FROM orders GROUP BY product ORDER BY product");
    print_query(db, "by-region",
                "SELECT c.region, count(DISTINCT c.id), count(*), sum(o.qty * o.cents)"
                " FROM orders o JOIN customer c ON c.id = o.customer"
                " GROUP BY c.region ORDER BY sum(o.qty * o.cents) DESC, c.region");
    print_query(db, "top-customers",
                "SELECT c.name, upper(substr(c.region, 1, 1)) || substr(c.region, 2), sum(o.qty * o.cents) AS total"
                " FROM customer c JOIN orders o ON o.customer = c.id"
                " GROUP BY c.id ORDER BY total DESC, c.id LIMIT 5");

    exec(db, "CREATE INDEX orders_by_product_qty ON orders (product, qty)");
    print_query(db, "plan",
                "EXPLAIN QUERY PLAN SELECT count(*), sum(cents) FROM orders WHERE product = 'gear' AND qty >= 18");
    print_query(db, "indexed",
                "SELECT product, qty, count(*), sum(cents) FROM orders"
                " WHERE product IN ('gear', 'cam') AND qty >= 18 GROUP BY product, qty ORDER BY product, qty");
    print_query(db, "like",
                "SELECT count(*), min(name), max(name) FROM customer WHERE name LIKE '%-q%' OR name GLOB '*z'");

    exec(db, "UPDATE orders SET cents = cents + 1 WHERE product = 'chain' AND qty < 3");
    exec(db, "DELETE FROM orders WHERE qty = 1");
    print_query(db, "after-update", "SELECT count(*), sum(cents), total_changes() FROM orders");

    sqlite3_close(db);
    return 0;
}
