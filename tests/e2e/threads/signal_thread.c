/* pthread_kill: SIGUSR1 to one thread spinning in a loop; its handler
 * runs on that thread (gettid matches) and ends the loop.  The other
 * thread, blocked in a condition wait, is not disturbed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static volatile pid_t handler_tid, spinner_tid;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int released;

static void on_usr1(int sig)
{
    handler_tid = gettid();
    stop = 1;
}

static void *spinner(void *arg)
{
    spinner_tid = gettid();
    unsigned long n = 0;
    while (!stop)
        n++;
    return (void *)(n > 0 ? 1L : 0L);
}

static void *waiter(void *arg)
{
    pthread_mutex_lock(&mu);
    while (!released)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return (void *)2L;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t s, w;
    pthread_create(&w, NULL, waiter, NULL);
    pthread_create(&s, NULL, spinner, NULL);
    while (spinner_tid == 0)
        usleep(1000);
    usleep(20000);
    pthread_kill(s, SIGUSR1);
    void *rs, *rw;
    pthread_join(s, &rs);
    pthread_mutex_lock(&mu);
    released = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(w, &rw);
    printf("spinner returned %ld, waiter %ld, handler on the spinner: %s, not on main: %s\n",
           (long)rs, (long)rw, handler_tid == spinner_tid ? "yes" : "no",
           handler_tid != gettid() ? "yes" : "no");
    return 0;
}
