/*
 * minimize.h - from a failing sequence to the first instruction whose
 * result differs, written as a ready-to-paste tests/lifter case line.
 */
#ifndef DT_MINIMIZE_H
#define DT_MINIMIZE_H

#include <stdbool.h>
#include <stdio.h>

#include "gen.h"
#include "lifter.h"
#include "oracle.h"

typedef struct MinCtx {
    Oracle *oracle;       /* the worker's runner */
    const char *pipeline; /* translated side: LLVM pipeline (NULL: none) */
    enum LiftRegs regs;   /* translated side: where the registers live */
    unsigned cmp;         /* CMP_* */
    unsigned long seed;   /* for the comment of the case line */
} MinCtx;

/* Rerun the prefixes of S on both sides to find the first word whose
 * result differs; print it and a case line for it (expected values from
 * qemu, inputs reduced to those that matter) to OUT.  Returns the index of
 * that word, or -1 if no prefix fails (the failure did not reproduce). */
int min_sequence(MinCtx *m, const GenSeq *s, FILE *out);

#endif
