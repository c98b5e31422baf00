/*
 * mask_handler.c - the blocked mask, pending signals, dispositions that
 * change, the alternate stack, and deaths by signal.
 *
 *   mask_handler pending     block SIGUSR1, raise: pending, not delivered;
 *                            unblock: delivered inside sigprocmask
 *   mask_handler ignore      a blocked pending SIGTERM (SIG_DFL) is discarded
 *                            by SIG_IGN, so unblocking it does not kill
 *   mask_handler resethand   SA_RESETHAND: the handler runs once with
 *                            SIG_DFL in place; the second raise kills (SIGUSR1)
 *   mask_handler altstack    SA_ONSTACK on a sigaltstack: the handler runs on
 *                            it and sees SS_ONSTACK
 *   mask_handler abort       abort() with a SIGABRT handler that returns:
 *                            dies by SIGABRT anyway
 *   mask_handler term        kill(getpid(), SIGTERM), no handler: dies by SIGTERM
 *   mask_handler timedwait   sigtimedwait for a blocked, raised SIGUSR2
 *
 * e2e-modes: pending ignore resethand altstack abort term timedwait
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int handled;

static void say(const char *s)
{
    ssize_t w = write(1, s, strlen(s));
    (void)w;
}

static void on_usr1(int sig)
{
    handled++;
    say("handler: SIGUSR1\n");
}

static void on_usr1_resethand(int sig)
{
    struct sigaction cur;
    sigset_t now;
    sigaction(SIGUSR1, NULL, &cur);
    sigprocmask(SIG_BLOCK, NULL, &now);
    handled++;
    printf("resethand handler: disposition %s, SIGUSR1 blocked %d\n",
           cur.sa_handler == SIG_DFL ? "SIG_DFL" : "handler", sigismember(&now, SIGUSR1));
}

static char *alt_base;
static size_t alt_size = 64 * 1024;

static void on_usr1_altstack(int sig)
{
    char here;
    stack_t cur;
    sigaltstack(NULL, &cur);
    handled++;
    printf("altstack handler: on the alternate stack %d, ss_flags SS_ONSTACK %d\n",
           &here >= alt_base && &here < alt_base + alt_size, (cur.ss_flags & SS_ONSTACK) != 0);
}

static void on_abrt(int sig)
{
    say("handler: SIGABRT, returning\n");
}

static void print_pending(const char *when)
{
    sigset_t p;
    sigpending(&p);
    printf("%s: SIGUSR1 pending %d, SIGUSR2 pending %d, SIGTERM pending %d, handled %d\n", when,
           sigismember(&p, SIGUSR1), sigismember(&p, SIGUSR2), sigismember(&p, SIGTERM), handled);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "pending";
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("mode %s\n", mode);
    sigset_t set;
    sigemptyset(&set);
    if (strcmp(mode, "pending") == 0) {
        signal(SIGUSR1, on_usr1);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGUSR1);
        print_pending("blocked");
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        print_pending("unblocked");
    } else if (strcmp(mode, "ignore") == 0) {
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGTERM);
        print_pending("blocked");
        signal(SIGTERM, SIG_IGN);
        print_pending("ignored");
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        printf("still alive\n");
    } else if (strcmp(mode, "resethand") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1_resethand;
        sa.sa_flags = SA_RESETHAND;
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
        printf("first raise handled %d\n", handled);
        raise(SIGUSR1);
        printf("second raise returned\n");
    } else if (strcmp(mode, "altstack") == 0) {
        alt_base = malloc(alt_size);
        stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0}, old;
        printf("sigaltstack %d\n", sigaltstack(&ss, &old));
        printf("old: ss_flags SS_DISABLE %d\n", (old.ss_flags & SS_DISABLE) != 0);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1_altstack;
        sa.sa_flags = SA_ONSTACK;
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
        stack_t cur;
        sigaltstack(NULL, &cur);
        printf("after: ss_flags %d, size ok %d, handled %d\n", cur.ss_flags, cur.ss_size == alt_size,
               handled);
    } else if (strcmp(mode, "abort") == 0) {
        signal(SIGABRT, on_abrt);
        abort();
    } else if (strcmp(mode, "term") == 0) {
        kill(getpid(), SIGTERM);
        printf("SIGTERM did not kill\n");
    } else if (strcmp(mode, "timedwait") == 0) {
        signal(SIGUSR2, on_usr1);   /* must not run: sigtimedwait takes it */
        sigaddset(&set, SIGUSR2);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGUSR2);
        print_pending("raised");
        struct timespec ts = {1, 0};
        siginfo_t si;
        int sig = sigtimedwait(&set, &si, &ts);
        /* Linux reports raise()'s SI_TKILL; qemu-aarch64 SI_USER. */
        printf("sigtimedwait %d, si_signo %d, si_code SI_TKILL %d, handled %d\n", sig, si.si_signo,
               si.si_code == SI_TKILL || si.si_code == SI_USER, handled);
        print_pending("taken");
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
