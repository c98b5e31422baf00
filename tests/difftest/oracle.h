/*
 * oracle.h - the oracle side: the AArch64 runner (runner/dt_runner.c) under
 * qemu-aarch64, kept alive and fed whole batches through pipes.
 */
#ifndef DT_ORACLE_H
#define DT_ORACLE_H

#include <stddef.h>
#include <sys/types.h>

#include "difftest.h"

typedef struct Oracle {
    pid_t pid;       /* qemu-aarch64 running the runner */
    int to, from;    /* its stdin, its stdout */
} Oracle;

/* Start QEMU RUNNER.  Returns 0, or -1 with a message in ERR. */
int oracle_start(Oracle *o, const char *qemu, const char *runner, char *err, size_t errlen);
/* Run CASES[i] in code slot i (i < DT_MAX_SLOTS) and fill OUT[i]. */
int oracle_run(Oracle *o, const DtCase *const *cases, size_t n, DtOutcome *out, char *err, size_t errlen);
void oracle_stop(Oracle *o);

#endif
