/*
 * calls.c - the cost of a call and return: a loop that calls a small leaf
 * function that is never inlined.  Interpreters and databases make tens
 * of millions of such calls per second (lua's driver: 71 million in 0.54 s
 * natively), so what the translation adds to each call and return -
 * the return check, the state kept across it, the values the calling
 * convention does not preserve - shows here undiluted.  Prints the result
 * so the work cannot be optimized away and both builds can be checked for
 * the same answer.
 *
 *   calls [ITERATIONS]
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline, noclone)) long leaf(long a, long b)
{
    return (a ^ b) + (a >> 3);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000000, s = 1;
    for (long i = 0; i < n; i++)
        s = leaf(s, i);
    printf("%ld\n", s);
    return 0;
}
