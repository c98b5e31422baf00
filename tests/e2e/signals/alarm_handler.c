/*
 * alarm_handler.c - a signal that arrives while the guest is blocked in
 * a system call (SIGALRM from alarm(1)): the call is interrupted, the
 * handler runs, the call fails with EINTR or is restarted (SA_RESTART).
 *
 *   alarm_handler pause         alarm(1); pause() -> -1 EINTR after the handler
 *   alarm_handler sigsuspend    SIGALRM blocked, sigsuspend(empty): handler, EINTR,
 *                               SIGALRM blocked again afterwards
 *   alarm_handler read-eintr    read() of an empty pipe, no SA_RESTART: EINTR
 *   alarm_handler read-restart  SA_RESTART: the handler writes to the pipe,
 *                               the restarted read() returns its byte
 *   alarm_handler nanosleep     nanosleep(5 s) interrupted: EINTR, time left
 *   alarm_handler spin          the signal arrives while the guest computes; it
 *                               sees it at (the latest) its next system call
 *
 * e2e-modes: pause sigsuspend read-eintr read-restart nanosleep spin
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int alarms;
static int pipe_fd[2];
static volatile int write_in_handler;

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    alarms++;
    static const char msg[] = "handler: SIGALRM\n";
    ssize_t w = write(1, msg, sizeof msg - 1);
    (void)w;
    if (si->si_signo != SIGALRM || si->si_code != SI_KERNEL) {
        static const char bad[] = "handler: unexpected siginfo\n";
        w = write(1, bad, sizeof bad - 1);
    }
    if (write_in_handler)
        w = write(pipe_fd[1], "x", 1);
}

static void install(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(SIGALRM, &sa, NULL);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "pause";
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("mode %s\n", mode);
    if (strcmp(mode, "pause") == 0) {
        install(0);
        alarm(1);
        int r = pause();
        printf("pause returned %d, %s, alarms %d\n", r, r < 0 ? strerrorname_np(errno) : "-", alarms);
    } else if (strcmp(mode, "sigsuspend") == 0) {
        install(SA_RESTART);
        sigset_t block, empty, now;
        sigemptyset(&block);
        sigaddset(&block, SIGALRM);
        sigprocmask(SIG_BLOCK, &block, NULL);
        alarm(1);
        sigemptyset(&empty);
        int r = sigsuspend(&empty);
        int e = errno;
        sigprocmask(SIG_BLOCK, NULL, &now);
        printf("sigsuspend returned %d, %s, alarms %d, SIGALRM blocked again %d\n", r,
               strerrorname_np(e), alarms, sigismember(&now, SIGALRM));
    } else if (strcmp(mode, "read-eintr") == 0 || strcmp(mode, "read-restart") == 0) {
        int restart = strcmp(mode, "read-restart") == 0;
        if (pipe(pipe_fd) != 0)
            return 1;
        install(restart ? SA_RESTART : 0);
        write_in_handler = restart;
        alarm(1);
        char c = 0;
        ssize_t r = read(pipe_fd[0], &c, 1);
        printf("read returned %zd (%s), byte '%c', alarms %d\n", r,
               r < 0 ? strerrorname_np(errno) : "ok", r > 0 ? c : '-', alarms);
    } else if (strcmp(mode, "nanosleep") == 0) {
        install(SA_RESTART);   /* nanosleep is never restarted */
        alarm(1);
        struct timespec req = {5, 0}, rem = {0, 0};
        int r = nanosleep(&req, &rem);
        printf("nanosleep returned %d (%s), time left between 3 and 5 s: %d, alarms %d\n", r,
               r < 0 ? strerrorname_np(errno) : "ok", rem.tv_sec >= 3 && rem.tv_sec < 5, alarms);
    } else if (strcmp(mode, "spin") == 0) {
        install(0);
        alarm(1);
        volatile unsigned long x = 0;
        long rounds = 0;
        while (!alarms) {
            for (int i = 0; i < 1000000; i++)
                x += (unsigned long)i * 3;
            rounds++;
            getppid();   /* a system call: where the translated program delivers */
        }
        printf("spun until the alarm: %d, alarms %d\n", rounds > 0, alarms);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
