/* exec_other --exec PATH: print a line, then execl(PATH, "child-name",
 * "arg1", "two words"); without --exec: print argv[0] and the arguments,
 * exit 5.  tests/e2e/exec/run.sh runs it translated to exec itself, another
 * AArch64 program, a host program and a missing file. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--exec") == 0) {
        printf("exec %s\n", argv[2]);
        fflush(stdout);
        execl(argv[2], "child-name", "arg1", "two words", (char *)NULL);
        perror("execl");
        return 1;
    }
    printf("argv0 %s argc %d:", argv[0], argc);
    for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");
    return 5;
}
