/* fork from a program with running threads: the child has only the
 * forking thread, can use stdio, malloc and create a thread of its own;
 * the parent waits for it and its threads go on. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long spins;

static void *busy(void *arg)
{
    while (!stop) {
        pthread_mutex_lock(&mu);
        spins++;
        void *p = malloc(64);
        free(p);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *child_thread(void *arg)
{
    return (void *)(strlen((const char *)arg) == 5 ? 42L : 0L);
}

int main(void)
{
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, busy, NULL);
    usleep(10000);
    fflush(stdout);
    int statuses = 0;
    for (int k = 0; k < 3; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            pthread_t t;
            void *r = NULL;
            char *s = strdup("child");
            if (pthread_create(&t, NULL, child_thread, s) == 0)
                pthread_join(t, &r);
            printf("child %d: thread returned %ld\n", k, (long)r);
            fflush(stdout);
            exit(10 + k);
        }
        int st;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st))
            statuses += WEXITSTATUS(st);
    }
    stop = 1;
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    printf("parent: exit statuses sum %d, threads spun: %s\n", statuses, spins > 0 ? "yes" : "no");
    return 0;
}
