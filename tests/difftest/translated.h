/*
 * translated.h - the translated side: the lifter and the JIT of
 * tests/lifter/jit_run.c, one module per batch, in a child process.
 */
#ifndef DT_TRANSLATED_H
#define DT_TRANSLATED_H

#include <stdbool.h>
#include <stddef.h>

#include "difftest.h"
#include "lifter.h"

/* Lift CASES[i] at dt_entry(i) (the oracle's slot i), compile them all
 * as one module with default<O2> (unless !OPTIMIZE), run each on its state
 * with the window initialized, and fill OUT[i].  A crash of the lifter, LLVM
 * or the translated code is recorded in the outcome of the case it happened
 * in (the batch runs in a child; the rest of the batch is rerun).  The
 * scratch area must be mapped at DT_SCRATCH_BASE holding the pattern.
 * Returns 0, or -1 with a message in ERR if the child cannot be run. */
int trans_run(const DtCase *const *cases, size_t n, const char *pipeline, enum LiftRegs regs, DtOutcome *out, char *err,
              size_t errlen);

/* Map the scratch area at DT_SCRATCH_BASE (holding the pattern) and the
 * code slots at DT_CODE_BASE (the words are copied to their guest address
 * before they run, for literal loads).  0, or -1 with a message in ERR. */
int trans_map_scratch(char *err, size_t errlen);

#endif
