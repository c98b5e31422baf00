/* Processes the C library starts: system() and popen() (fork or vfork,
 * then exec of /bin/sh), posix_spawn (clone with CLONE_VM|CLONE_VFORK on
 * a separate stack), waitpid statuses, and a pipe read back.  (posix_spawn
 * of a missing program is in tests/e2e/exec/vfork_shared.c: qemu-aarch64
 * runs vfork as fork and cannot be the oracle there.) */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    fflush(stdout);
    int st = system("echo from system; exit 3");
    printf("system: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));

    FILE *p = popen("echo popen line one; echo popen line two", "r");
    char buf[128];
    while (p && fgets(buf, sizeof buf, p))
        printf("read: %s", buf);
    printf("pclose: %d\n", p ? WEXITSTATUS(pclose(p)) : -1);

    pid_t pid;
    char *argv[] = {"sh", "-c", "echo spawned $0 $1; exit 5", "x", "y", NULL};
    fflush(stdout);
    int rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
    if (rc == 0 && waitpid(pid, &st, 0) == pid)
        printf("posix_spawn: status %d\n", WEXITSTATUS(st));
    else
        printf("posix_spawn failed: %s\n", strerror(rc));

    int fds[2];
    pipe(fds);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        write(fds[1], "through the pipe", 16);
        _exit(9);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    waitpid(pid, &st, 0);
    printf("fork: read '%s', child status %d\n", buf, WEXITSTATUS(st));
    return 0;
}
