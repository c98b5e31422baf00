/*
 * longjmp_handler.c - handlers that leave by siglongjmp instead of
 * returning: the interrupted context is abandoned, the mask comes from
 * sigsetjmp's save.
 *
 *   longjmp_handler raise    SIGUSR1 handler siglongjmps back, many times
 *                            (the runtime must not grow with each one)
 *   longjmp_handler probe    OpenSSL-style instruction probing: run an
 *                            instruction the CPU may lack (an undefined one
 *                            here), catch SIGILL, siglongjmp out
 *   longjmp_handler alarm    a timeout: SIGALRM interrupts a blocked read,
 *                            the handler siglongjmps out of it
 *
 * e2e-modes: raise probe alarm
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int jumps;

static void jump_out(int sig)
{
    jumps++;
    siglongjmp(env, sig);
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig);
}

__attribute__((noinline)) static void undefined_insn(void)
{
    __asm__ volatile(".inst 0x00000000" ::: "memory");
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "raise";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = jump_out;
    if (strcmp(mode, "raise") == 0) {
        sigaction(SIGUSR1, &sa, NULL);
        volatile int i = 0, landed = 0;
        for (i = 0; i < 20000; i++) {
            if (sigsetjmp(env, 1) == 0)
                raise(SIGUSR1);
            else
                landed++;
        }
        printf("landed %d times, jumps %d, SIGUSR1 blocked after %d\n", landed, jumps,
               blocked(SIGUSR1));
    } else if (strcmp(mode, "probe") == 0) {
        sigaction(SIGILL, &sa, NULL);
        int have = 1;
        if (sigsetjmp(env, 1) == 0)
            undefined_insn();
        else
            have = 0;
        printf("instruction available: %d, jumps %d, SIGILL blocked after %d\n", have, jumps,
               blocked(SIGILL));
    } else if (strcmp(mode, "alarm") == 0) {
        sigaction(SIGALRM, &sa, NULL);
        int fd[2];
        if (pipe(fd) != 0)
            return 1;
        char c;
        if (sigsetjmp(env, 1) == 0) {
            alarm(1);
            ssize_t r = read(fd[0], &c, 1);
            printf("read returned %zd\n", r);
        } else {
            printf("timed out: jumps %d, SIGALRM blocked after %d\n", jumps, blocked(SIGALRM));
        }
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
