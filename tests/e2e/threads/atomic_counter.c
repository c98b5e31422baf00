/* 8 threads increment C11 atomics (LDADD/LDXR-STXR depending on the
 * target), a plain counter under a spinlock built on atomic_flag, and a
 * CAS loop; every total must be exact. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

enum { THREADS = 8, ROUNDS = 200000 };

static atomic_ulong fetch_add_count;
static atomic_ulong cas_count;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static unsigned long locked_count;
static atomic_int start;

static void *body(void *arg)
{
    while (!atomic_load_explicit(&start, memory_order_acquire))
        ;   /* spin on a plain acquire load until main releases everyone */
    for (int i = 0; i < ROUNDS; i++) {
        atomic_fetch_add_explicit(&fetch_add_count, 1, memory_order_relaxed);
        unsigned long old = atomic_load_explicit(&cas_count, memory_order_relaxed);
        while (!atomic_compare_exchange_weak(&cas_count, &old, old + 2))
            ;
        while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
            ;
        locked_count += 3;
        atomic_flag_clear_explicit(&lock, memory_order_release);
    }
    return NULL;
}

int main(void)
{
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, body, NULL);
    atomic_store_explicit(&start, 1, memory_order_release);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    printf("fetch_add %lu cas %lu locked %lu (expected %lu %lu %lu)\n",
           (unsigned long)fetch_add_count, (unsigned long)cas_count, locked_count,
           (unsigned long)THREADS * ROUNDS, 2ul * THREADS * ROUNDS, 3ul * THREADS * ROUNDS);
    return 0;
}
