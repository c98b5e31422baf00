/* The guest of tests/e2e/tools/run.sh: a program whose functions, lines
 * and registers the test knows.  Keep the line of "long r = v * v;" in
 * step with run.sh (it looks the line up by that text). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long square(long v)
{
    long r = v * v;
    return r;
}

__attribute__((noinline)) long total(long n)
{
    long t = 0;
    for (long i = 0; i < n; i++)
        t += square(i) % 7;
    return t;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("total %ld\n", total(n));
    return 0;
}
