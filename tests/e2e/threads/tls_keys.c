/* Thread-local storage: __thread variables (static TLS through
 * TPIDR_EL0), pthread keys with destructors, errno per thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { THREADS = 8, ROUNDS = 100000 };

static __thread unsigned long counter;
static __thread int tag = -1;
static pthread_key_t key;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned destructed;
static unsigned long sum_destructed;

static void destroy(void *p)
{
    pthread_mutex_lock(&mu);
    destructed++;
    sum_destructed += *(unsigned long *)p;
    pthread_mutex_unlock(&mu);
    free(p);
}

static void *body(void *arg)
{
    int id = (int)(long)arg;
    tag = id;
    errno = 1000 + id;
    unsigned long *v = malloc(sizeof *v);
    *v = (unsigned long)id * 10;
    pthread_setspecific(key, v);
    for (int i = 0; i < ROUNDS; i++)
        counter += (unsigned long)id + 1;
    int ok = tag == id && errno == 1000 + id && *(unsigned long *)pthread_getspecific(key) == (unsigned long)id * 10;
    return (void *)(long)(ok ? (long)counter : -1);
}

int main(void)
{
    pthread_key_create(&key, destroy);
    pthread_t th[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, body, (void *)i);
    counter = 7;
    tag = 99;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(th[i], &r);
        printf("thread %d: counter %ld\n", i, (long)r);
    }
    printf("main: counter %lu, tag %d\n", counter, tag);
    printf("destructors: %u, sum %lu\n", destructed, sum_destructed);
    return 0;
}
