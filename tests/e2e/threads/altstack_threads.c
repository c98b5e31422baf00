/* sigaltstack is per thread: a new thread starts without one, each thread's
 * SA_ONSTACK handler runs on that thread's own alternate stack. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread char *my_stack;
static __thread volatile int on_mine;   /* written by the handler */

static void handler(int sig)
{
    char here;
    on_mine = &here >= my_stack && &here < my_stack + SIGSTKSZ * 4;
}

static int run(const char *who)
{
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("%s: alternate stack at start %s\n", who, ss.ss_flags & SS_DISABLE ? "disabled" : "set");
    my_stack = malloc(SIGSTKSZ * 4);
    ss = (stack_t){.ss_sp = my_stack, .ss_size = SIGSTKSZ * 4};
    sigaltstack(&ss, NULL);
    pthread_kill(pthread_self(), SIGUSR1);
    printf("%s: handler ran on its own alternate stack: %s\n", who, on_mine ? "yes" : "no");
    return on_mine;
}

static void *body(void *arg) { return (void *)(intptr_t)run("thread"); }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    run("main");
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, body, NULL);
    pthread_join(t, NULL);
    on_mine = 0;
    pthread_kill(pthread_self(), SIGUSR1);
    printf("main again: %s\n", on_mine ? "on its own stack" : "elsewhere");
    return 0;
}
