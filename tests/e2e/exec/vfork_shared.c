/*
 * vfork_shared.c - vfork and clone(CLONE_VM|CLONE_VFORK) share the
 * parent's memory until the child execs or exits, and the parent waits:
 *   - posix_spawn of a missing program returns ENOENT (glibc's child
 *     writes the exec error into the parent's memory before it exits);
 *   - posix_spawn of /bin/true starts it;
 *   - a vfork child's store is seen by the parent.
 * What Linux does on Arm; qemu-aarch64 runs vfork as fork ("started",
 * word 0), so exec/run.sh compares with vfork_shared.expected.
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int shared_word;

int main(void)
{
    pid_t pid;
    char *missing[] = {"/nonexistent/program", NULL};
    int r = posix_spawn(&pid, missing[0], NULL, NULL, missing, environ);
    printf("posix_spawn missing: %s\n", r == 0 ? "started" : strerror(r));
    char *yes[] = {"/bin/true", NULL};
    int st = 0;
    r = posix_spawn(&pid, yes[0], NULL, NULL, yes, environ);
    if (r == 0)
        waitpid(pid, &st, 0);
    printf("posix_spawn /bin/true: %d, exit %d\n", r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    fflush(stdout);
    pid = vfork();
    if (pid == 0) {
        shared_word = 42;
        _exit(3);
    }
    waitpid(pid, &st, 0);
    printf("vfork: child exit %d, word the child wrote %d\n", WEXITSTATUS(st), shared_word);
    return 0;
}
