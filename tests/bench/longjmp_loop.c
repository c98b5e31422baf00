/*
 * longjmp_loop.c - error handling the way Lua does it: a protected call
 * sets a jmp_buf, runs work some frames deep, and the innermost frame
 * raises an error every ERR-th time by longjmp.  longjmp_loop [N] [ERR]
 *
 * This is the program that resumes most often after non-local control
 * flow: a translator must make the longjmp cheap (dbt-aot lands it in the
 * frame of the setjmp, docs/architecture.md "One entry").
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

struct ctx {
    jmp_buf *err;      /* the innermost protected call's buffer */
    unsigned long acc; /* work done */
};

__attribute__((noinline)) static void leaf(struct ctx *c, unsigned long i, unsigned long every)
{
    c->acc = c->acc * 6364136223846793005ul + i;
    if (i % every == 0)
        longjmp(*c->err, (int)(i % 7) + 1);
}

__attribute__((noinline)) static void middle(struct ctx *c, unsigned long i, unsigned long every)
{
    leaf(c, i, every);
    c->acc ^= c->acc >> 17;
}

__attribute__((noinline)) static void outer(struct ctx *c, unsigned long i, unsigned long every)
{
    middle(c, i, every);
    c->acc += 3;
}

/* Like lua's luaD_rawrunprotected: 0 if the work returned, else the error. */
__attribute__((noinline)) static int protected_call(struct ctx *c, unsigned long i, unsigned long every)
{
    jmp_buf here;
    jmp_buf *saved = c->err;
    c->err = &here;
    int status = setjmp(here);
    if (status == 0)
        outer(c, i, every);
    c->err = saved;
    return status;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
    unsigned long every = argc > 2 ? strtoul(argv[2], NULL, 0) : 3;
    struct ctx c = {NULL, 1};
    unsigned long errors = 0, codes = 0;
    for (unsigned long i = 1; i <= n; i++) {
        int st = protected_call(&c, i, every ? every : 1);
        errors += st != 0;
        codes += (unsigned long)st;
    }
    printf("%lu errors, codes %lu, acc %lu\n", errors, codes, c.acc);
    return 0;
}
