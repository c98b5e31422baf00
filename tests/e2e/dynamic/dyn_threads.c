/*
 * dyn_threads.c - threads in a dynamically linked program: libc's
 * pthread_create, a mutex, and thread-local storage of the program
 * (__thread, the static TLS block ld.so lays out) and of libc (errno).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static __thread int mine = 100;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void *work(void *arg)
{
    long id = (long)arg;
    mine += (int)id;
    errno = (int)id;
    for (int i = 0; i < 10000; i++) {
        pthread_mutex_lock(&lock);
        total += id;
        pthread_mutex_unlock(&lock);
    }
    return (void *)(long)(mine * 10 + errno);
}

int main(void)
{
    pthread_t t[4];
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, (void *)(i + 1));
    long sum = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    printf("total %ld, results %ld, main's TLS still %d\n", total, sum, mine);
    return 0;
}
