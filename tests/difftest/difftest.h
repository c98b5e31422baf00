/*
 * difftest.h - the host side's types: one run of words on a state (DtCase)
 * and what one side - qemu or the translation - made of it (DtOutcome).
 *
 *   gen*.c       random sequences per instruction class (gen.h)
 *   oracle.c     the runner under qemu-aarch64 (oracle.h)
 *   translated.c the lifter + JIT, in a child process (translated.h)
 *   minimize.c   first differing instruction, as a tests/lifter case line
 *   difftest.c   command line, workers, comparison, reports
 */
#ifndef DT_DIFFTEST_H
#define DT_DIFFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu_state.h"
#include "dt_proto.h"

/* One run: words on a state, the same for both sides. */
typedef struct DtCase {
    DtState in;                       /* registers before */
    uint32_t words[DT_MAX_WORDS];     /* the instructions */
    unsigned nwords;
    uint64_t mem_seed;                /* window contents (dt_fill_window) */
    DtPatch patch[DT_MAX_PATCH];      /* bytes written over the window */
    unsigned npatch;
} DtCase;

/* What one side made of a DtCase. */
typedef struct DtOutcome {
    DtState out;                      /* registers after, or at the faulting word */
    int sig;                          /* 0, or SIGILL/SIGTRAP/... raised by word fault_idx */
    int fault_idx;                    /* -1 if none or not one of the words */
    uint8_t window[DT_WINDOW_SIZE];   /* the window after */
    /* Translated side only: */
    unsigned untranslated;            /* words the lifter turned into a trap */
    int crash_sig;                    /* the child died with this signal ... */
    int crash_stage;                  /* ... in this enum JitStage */
    char error[200];                  /* a compile error, or what the code did that it must not */
} DtOutcome;

/* The window contents a case starts with (dtcase.c). */
void dt_initial_window(const DtCase *c, uint8_t *w);
/* Between the exchanged state and the lifter's CpuState. */
void dt_to_cpu(const DtState *d, CpuState *s);
void dt_from_cpu(const CpuState *s, DtState *d);

/* ---- comparison (compare.c) ------------------------------------------------ */

enum {
    CMP_FPSR = 1,     /* compare FPSR too (the lifter does not update it yet) */
};

/* How a translated outcome differs from the oracle's. */
enum DtVerdict {
    DT_SAME,          /* identical */
    DT_MISMATCH,      /* different registers, flags, memory or traps */
    DT_UNTRANSLATED,  /* the lifter turned a word qemu executes into SIGILL */
    DT_CRASH,         /* the lifter, LLVM or the translated code crashed */
    DT_ERROR,         /* compile error, branch out, memory outside the window */
    DT_ORACLE_FAULT,  /* qemu faulted (SIGSEGV/SIGBUS): the generator's fault */
};
enum DtVerdict dt_compare(const DtCase *c, const DtOutcome *q, const DtOutcome *t, unsigned cmp);
const char *dt_verdict_name(enum DtVerdict v);
/* Print every difference, one per line: "      x3: qemu 0x.., translated 0x..". */
void dt_print_diff(FILE *f, const DtOutcome *q, const DtOutcome *t, unsigned cmp);
/* Print a state: x0-x30, sp, nzcv (and v0-v31, fpsr if VREGS) on a few lines. */
void dt_print_state(FILE *f, const char *indent, const DtState *s, bool vregs);

#endif
