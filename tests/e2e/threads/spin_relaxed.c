/* A thread spins on a relaxed atomic load (a plain LDR in a loop, no
 * barrier, no call, no system call) until another thread's relaxed store
 * is seen: the translation must not hoist the load out of the loop.  A
 * second loop spins the same way on a volatile variable. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int flag, started;
static volatile int vflag;

static void *spin(void *arg)
{
    unsigned long n = 0;
    atomic_store(&started, 1);
    while (!atomic_load_explicit(&flag, memory_order_relaxed))
        n++;
    while (!vflag)
        n++;
    return (void *)(n > 0 ? 1L : 0L);
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    while (!atomic_load(&started))
        usleep(1000);
    usleep(20000);
    atomic_store_explicit(&flag, 1, memory_order_relaxed);
    usleep(20000);
    vflag = 1;
    void *r;
    pthread_join(t, &r);
    printf("spinner saw both stores (it spun: %s)\n", r ? "yes" : "no");
    return 0;
}
