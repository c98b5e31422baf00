/* 8 worker threads take 20,000 jobs from a queue guarded by a mutex and
 * two condition variables (producer blocks when the queue is full);
 * results are summed per worker and in total, then joined. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum { WORKERS = 8, JOBS = 20000, QCAP = 64 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static uint64_t queue[QCAP];
static unsigned head, count, done;
static uint64_t total;
static unsigned jobs_done;

static uint64_t work(uint64_t x)
{
    for (int i = 0; i < 50; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 40;
}

static void *worker(void *arg)
{
    uint64_t mine = 0;
    unsigned n = 0;
    for (;;) {
        pthread_mutex_lock(&mu);
        while (count == 0 && !done)
            pthread_cond_wait(&not_empty, &mu);
        if (count == 0 && done) {
            pthread_mutex_unlock(&mu);
            break;
        }
        uint64_t job = queue[head];
        head = (head + 1) % QCAP;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&mu);
        mine += work(job);
        n++;
    }
    pthread_mutex_lock(&mu);
    total += mine;
    jobs_done += n;
    pthread_mutex_unlock(&mu);
    return (void *)(uintptr_t)n;
}

int main(void)
{
    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&th[i], NULL, worker, NULL) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    for (uint64_t j = 0; j < JOBS; j++) {
        pthread_mutex_lock(&mu);
        while (count == QCAP)
            pthread_cond_wait(&not_full, &mu);
        queue[(head + count) % QCAP] = j;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&mu);
    }
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&mu);
    unsigned joined = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *r;
        if (pthread_join(th[i], &r) != 0) {
            puts("pthread_join failed");
            return 1;
        }
        joined += (unsigned)(uintptr_t)r;
    }
    printf("jobs %u (joined %u), total %llu\n", jobs_done, joined, (unsigned long long)total);
    return 0;
}
