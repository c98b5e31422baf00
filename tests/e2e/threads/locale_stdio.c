/* setlocale and stdio's locking go through pthread_once and futexes
 * (this aborted with "The futex facility returned an unexpected error
 * code" before futex existed); then a thread prints through the same
 * FILE while main waits. */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>

static void *say(void *arg)
{
    for (int i = 0; i < 3; i++)
        printf("thread line %d\n", i);
    fflush(stdout);
    return NULL;
}

int main(void)
{
    const char *l = setlocale(LC_ALL, "C");
    printf("locale %s\n", l ? l : "(null)");
    printf("%'d\n", 1234567);
    pthread_t t;
    pthread_create(&t, NULL, say, NULL);
    pthread_join(t, NULL);
    puts("main done");
    return 0;
}
