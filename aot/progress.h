/*
 * progress.h - "how far, how long still" on the terminal during a long
 * translation:
 *
 *     dbt-aot: translating prog: 412/1093 functions, 41%, about 12 s left
 *
 * redrawn in place (carriage return) at most four times a second, by
 * whichever worker thread finishes a unit, and erased at the end.  Silent
 * when stderr is not a terminal, so logs and CI output stay clean.  The
 * estimate extrapolates the guest instructions done so far over the wall
 * time spent on them.
 */
#ifndef DBT_PROGRESS_H
#define DBT_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct Progress {
    pthread_mutex_t mu;        /* one worker draws at a time */
    bool on;                   /* drawing at all (stderr is a terminal) */
    const char *what;          /* the input's name */
    size_t insns_total, insns_done;
    size_t funcs_total, funcs_done;
    double t0, last;           /* start, last redraw (monotonic seconds) */
    bool drawn;                /* a line is on the terminal */
} Progress;

/* ENABLED false: never draws (e.g. -v prints its own lines). */
void progress_init(Progress *p, const char *what, size_t insns_total, size_t funcs_total, bool enabled);
/* A unit of INSNS instructions in FUNCS functions is done (thread-safe). */
void progress_add(Progress *p, size_t insns, size_t funcs);
/* Erase the line. */
void progress_end(Progress *p);

#endif
