/*
 * echo.c - the process start-up state: argc, argv and environment variables.
 *
 * Prints argc and every argument, then the value of DBT_EXAMPLE_VAR and of
 * each environment variable named by an argument of the form "env:NAME".
 * Only variables named this way are printed, so the output is the same under
 * qemu-aarch64 and translated even though their environments differ.
 * Exit status: the number of "env:NAME" arguments whose variable is unset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show(const char *name)
{
    const char *v = getenv(name);
    if (v != NULL)
        printf("env %s=\"%s\"\n", name, v);
    else
        printf("env %s unset\n", name);
}

int main(int argc, char **argv)
{
    int unset = 0;
    printf("argc=%d\n", argc);
    /* argv[0] is the path each runner was given: print only its base name. */
    const char *base = strrchr(argv[0], '/');
    printf("argv[0] base=%s\n", base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    if (argv[argc] != NULL)
        printf("argv is not NULL-terminated\n");
    show("DBT_EXAMPLE_VAR");
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "env:", 4) == 0) {
            show(argv[i] + 4);
            if (getenv(argv[i] + 4) == NULL)
                unset++;
        }
    }
    return unset;
}
