/* Control flow whose function boundaries only symbols or .eh_frame tell:
 * functions reached only by tail calls (B), a call to a noreturn function
 * as the last instruction before the next function, functions whose
 * address is only stored in a table or passed to a callee (qsort), and a
 * jump table.  tests/e2e/stripped.sh runs it stripped too: recovery must
 * then find the same functions instead of pulling each tail-called one
 * into its callers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int sink;

/* Mutual recursion in tail position: B even <-> B odd, 10,000 deep. */
__attribute__((noinline)) static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* Ends in a call that does not return: the next function follows the BL. */
__attribute__((noinline, noreturn)) static void die(const char *why, int code)
{
    printf("die: %s\n", why);
    fflush(stdout);
    exit(code);
}

__attribute__((noinline)) static int checked_div(int a, int b)
{
    if (b == 0)
        die("division by zero", 7);
    return a / b;
}

__attribute__((noinline)) static long step_a(long x) { sink++; return x * 3 + 1; }
__attribute__((noinline)) static long step_b(long x) { sink++; return x / 2; }

/* Tail calls into step_a/step_b from the cases of a jump table. */
__attribute__((noinline)) static long step(int op, long x)
{
    switch (op) {
    case 0: return step_a(x);
    case 1: return step_b(x);
    case 2: return step_a(x + 1);
    case 3: return step_b(x - 1);
    case 4: return step_a(-x);
    case 5: return step_b(x * 5);
    case 6: return x ^ 0x5a;
    case 7: return step_a(x ^ 0x33);
    case 8: return step_b(x + 1000);
    case 9: return x - 77;
    case 10: return step_a(x >> 3);
    default: return step_b(step_a(x));
    }
}

typedef long (*unary)(long);
__attribute__((noinline)) static long twice(long x) { return 2 * x; }
__attribute__((noinline)) static long negate(long x) { return -x; }
__attribute__((noinline)) static long square(long x) { return x * x; }
/* Address taken only here: stored pointers in .data.rel.ro. */
static const unary table[] = {twice, negate, square, step_a, step_b};

static int by_value(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("even(10000)=%d odd(7777)=%d\n", is_even(10000), is_odd(7777));

    long x = 27;
    for (int i = 0; i < 40; i++)
        x = step((int)((x + i) % 13), x);
    printf("steps: %ld\n", x);

    long v[8];
    for (int i = 0; i < 8; i++)
        v[i] = table[i % 5](i * 7 - 20 + argc);
    qsort(v, 8, sizeof v[0], by_value);
    for (int i = 0; i < 8; i++)
        printf("%ld%c", v[i], i == 7 ? '\n' : ' ');

    printf("div: %d\n", checked_div(100, argc + 3));
    if (argc > 2)
        return 0;
    return checked_div(1, argc - 1);  /* argc 1: dies with status 7 */
}
