/*
 * dyn_libc.c - a dynamically linked program (PIE, ld-linux-aarch64 +
 * libc.so.6): the guest's ld.so binds it at run time.  Calls through the
 * PLT (lazily bound: the first call goes through ld.so's resolver), data
 * imported from libc (stdout, environ, errno in TLS), a callback from
 * libc into the program (qsort), varargs formatting, atexit handlers that
 * run at exit, and an error on stderr with a non-zero exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void bye(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv)
{
    atexit(bye);
    const char *words[] = {"pear", "apple", "fig", "banana", "cherry"};
    qsort(words, 5, sizeof words[0], cmp);
    for (int i = 0; i < 5; i++)
        printf("%s%c", words[i], i == 4 ? '\n' : ' ');
    printf("%d %5.2f %-6s| %x %lld %zu %c\n", 42, 3.14159, "left", 0xbeef, -1234567890123ll,
           strlen(argv[0]) > 0 ? (size_t)1 : (size_t)0, 'z');
    errno = 0;
    long v = strtol("99999999999999999999", NULL, 10);
    printf("strtol overflow: %ld, ERANGE %d\n", v, errno == ERANGE);
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    printf("environment entries: %s\n", n > 0 ? "some" : "none");
    char *big = malloc(1 << 20);
    memset(big, 'x', 1 << 20);
    printf("malloc 1 MiB: %c%c\n", big[0], big[(1 << 20) - 1]);
    free(big);
    fprintf(stderr, "an error message, argc %d\n", argc);
    return 3;
}
