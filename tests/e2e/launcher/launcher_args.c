/*
 * launcher_args.c - what dbt-run must pass through to the program it runs:
 * argv[0] and the other arguments as given, the environment, the exit
 * status (3) or the signal (first argument "abort").  With "reexec" or
 * "reexec-argv0" first it restarts itself - through /proc/self/exe, or
 * through argv[0] looked up in PATH (execvp) - with that argument replaced
 * by "again", as programs that re-exec themselves do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "reexec", 6) == 0) {
        int argv0 = strcmp(argv[1], "reexec-argv0") == 0;
        argv[1] = "again";
        if (argv0)
            execvp(argv[0], argv);
        else
            execv("/proc/self/exe", argv);
        perror("exec");
        return 1;
    }
    printf("argv[0]=%s argc=%d\n", argv[0], argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    const char *v = getenv("LAUNCHER_VAR");
    printf("LAUNCHER_VAR=%s\n", v ? v : "(unset)");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "abort") == 0)
        abort();
    return 3;
}
