/* pthread_cancel of a thread blocked in read() on an empty pipe and of
 * one blocked in pthread_cond_wait: both run their cleanup handlers and
 * join with PTHREAD_CANCELED; the mutex the second one held is released. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int cleanups, started;

static void cleanup(void *arg)
{
    __atomic_add_fetch(&cleanups, 1, __ATOMIC_SEQ_CST);
}

static void unlock(void *arg)
{
    pthread_mutex_unlock(&mu);
    cleanup(arg);
}

static void *reader(void *arg)
{
    char c;
    pthread_cleanup_push(cleanup, NULL);
    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    read(fds[0], &c, 1);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *waiter(void *arg)
{
    pthread_mutex_lock(&mu);
    pthread_cleanup_push(unlock, NULL);
    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    for (;;)
        pthread_cond_wait(&cv, &mu);
    pthread_cleanup_pop(1);
    return NULL;
}

int main(void)
{
    pipe(fds);
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, waiter, NULL);
    while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 2)
        usleep(1000);
    usleep(20000);
    pthread_cancel(r);
    pthread_cancel(w);
    void *rr, *rw;
    pthread_join(r, &rr);
    pthread_join(w, &rw);
    int relock = pthread_mutex_trylock(&mu);
    printf("reader %s, waiter %s, cleanups %d, mutex free: %s\n",
           rr == PTHREAD_CANCELED ? "cancelled" : "returned",
           rw == PTHREAD_CANCELED ? "cancelled" : "returned", cleanups, relock == 0 ? "yes" : "no");
    return 0;
}
