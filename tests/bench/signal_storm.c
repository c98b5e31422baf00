/*
 * signal_storm.c - a program that takes many signals: it sends itself
 * SIGUSR1 (delivered at the kill system call) and, while it computes, a
 * 500 us interval timer sends SIGALRM (delivered at the loop's safe
 * point).  signal_storm [KILLS] [SPINS]
 *
 * Each delivery interrupts translated code; dbt-aot runs the handler
 * nested and the interrupted code goes on (docs/architecture.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, alrm;

static void on_usr1(int sig) { usr1++; }
static void on_alrm(int sig) { alrm++; }

__attribute__((noinline)) static unsigned long spin(unsigned long n)
{
    unsigned long h = 1;
    for (unsigned long i = 0; i < n; i++)
        h = h * 31 + (i ^ (h >> 7));
    return h;
}

int main(int argc, char **argv)
{
    unsigned long kills = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
    unsigned long spins = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000000;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_alrm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    for (unsigned long i = 0; i < kills; i++)
        kill(getpid(), SIGUSR1);
    struct itimerval it = {{0, 500}, {0, 500}};
    setitimer(ITIMER_REAL, &it, NULL);
    unsigned long h = spin(spins);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    /* The timer's count depends on the speed: print only that it ran. */
    printf("usr1 %d, alarms %s, spin %lu\n", (int)usr1, alrm > 0 ? "yes" : "no", h);
    return 0;
}
