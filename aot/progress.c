/* progress.c - the progress line (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void progress_init(Progress *p, const char *what, size_t insns_total, size_t funcs_total, bool enabled)
{
    pthread_mutex_init(&p->mu, NULL);
    p->on = enabled && isatty(STDERR_FILENO);
    p->what = what;
    p->insns_total = insns_total;
    p->funcs_total = funcs_total;
    p->insns_done = p->funcs_done = 0;
    p->t0 = p->last = mono_s();
    p->drawn = false;
}

void progress_add(Progress *p, size_t insns, size_t funcs)
{
    pthread_mutex_lock(&p->mu);
    p->insns_done += insns;
    p->funcs_done += funcs;
    double now = mono_s();
    if (p->on && now - p->last >= 0.25 && p->insns_done < p->insns_total) {
        p->last = now;
        double frac = (double)p->insns_done / (double)p->insns_total;
        double left = frac > 0 ? (now - p->t0) * (1 - frac) / frac : 0;
        fprintf(stderr, "\rdbt-aot: translating %s: %zu/%zu functions, %d%%, about %.0f s left\033[K", p->what,
                p->funcs_done, p->funcs_total, (int)(frac * 100), left);
        fflush(stderr);
        p->drawn = true;
    }
    pthread_mutex_unlock(&p->mu);
}

void progress_end(Progress *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = false;
    }
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_destroy(&p->mu);
}
