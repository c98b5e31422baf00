/*
 * fpenv.h - the guest's FPCR and FPSR on the host's MXCSR: the one place
 * that says how they map (x86-64 host).
 *
 * Shared by the lifted code (lifter/a64_fp_util.c emits the same mapping as
 * IR for MRS/MSR) and the runtime's C (runtime/host_x86_64_fpenv.c: signal frames,
 * thread start, the test runners).
 *
 * Who holds what, while a guest thread runs:
 *
 *   FPCR   cpu->fpcr is the truth.  MXCSR's control bits always equal
 *          fpenv_mxcsr_control(cpu->fpcr) while translated code runs
 *          (MSR FPCR keeps them in step; rt_fpenv_enter establishes it).
 *
 *   FPSR   split in two, ORed on every read (cumulative flags are sticky,
 *          so the union is exact):
 *            cpu->fpsr        bits written by MSR FPSR, QC, and the flags
 *                             the lifted code raises itself where x86 and
 *                             AArch64 disagree (e.g. FCVTZU of -1.0, IDC,
 *                             UFC by tininess before rounding);
 *            MXCSR flags      what the host FP instructions raised since
 *                             the last MSR FPSR (which clears them).
 *          MRS FPSR = cpu->fpsr | fpenv_fpsr_from_mxcsr(MXCSR).
 *
 *   FPCR (AArch64)                           MXCSR (x86-64)
 *   26 AHP  (half conversions, lifted code)   15 FTZ  flush tiny results
 *   25 DN   default NaN (lifted NaN fix-ups)  14:13 RC 00 nearest 01 down
 *   24 FZ   -> FTZ + DAZ                              10 up      11 zero
 *   23:22 RMode 00 RN 01 RP 10 RM 11 RZ       12:7 exception masks (all set)
 *   21:20 Stride, 18:16 Len (no effect)       6 DAZ  denormal inputs are 0
 *   19 FZ16 (runtime/fp16.c)
 *                                              5 PE 4 UE 3 OE 2 ZE 1 DE 0 IE
 *   FPSR                                     flags -> FPSR
 *   31:28 NZCV (AArch32; kept)                IE -> IOC (0)   ZE -> DZC (1)
 *   27 QC   (lifted saturating ops)           OE -> OFC (2)   UE -> UFC (3)
 *   7 IDC   (lifted code, see below)          PE -> IXC (4)   DE -> nothing
 *   4 IXC 3 UFC 2 OFC 1 DZC 0 IOC
 *
 * Writable bits are those qemu-aarch64 (its default CPU) keeps: FPCR
 * 0x07ff0000, FPSR 0xf800009f.  FZ16 only matters to the scalar half-
 * precision arithmetic, which runtime/fp16.c does in software (reading
 * cpu->fpcr) and which has no MXCSR counterpart.  The trap enables
 * (FPCR 15, 12:8) and FEAT_AFP's AH/FIZ/NEP (2:0) read as zero.
 *
 * DE has no AArch64 meaning (IDC is "input denormal flushed by FZ", and with
 * DAZ set x86 never raises DE): the lifted code raises IDC itself, in
 * cpu->fpsr, when FZ is set and an operand is denormal.  With FZ it also
 * corrects what FTZ does to tiny results (lifter/a64_fp_util.c): the
 * mapping above is only the host's part.
 */
#ifndef DBT_FPENV_H
#define DBT_FPENV_H

#include <stdint.h>

#include "cpu_state.h"

/* FPCR */
enum {
    A64_FPCR_AHP = 1u << 26,
    A64_FPCR_DN = 1u << 25,
    A64_FPCR_FZ = 1u << 24,
    A64_FPCR_RMODE_SHIFT = 22,   /* 2 bits */
    A64_FPCR_FZ16 = 1u << 19,    /* half precision's FZ (runtime/fp16.c) */
    A64_FPCR_MASK = 0x07ff0000u, /* AHP DN FZ RMode Stride FZ16 Len */
};

/* FPSR */
enum {
    A64_FPSR_IOC = 1u << 0,  /* invalid operation */
    A64_FPSR_DZC = 1u << 1,  /* division by zero */
    A64_FPSR_OFC = 1u << 2,  /* overflow */
    A64_FPSR_UFC = 1u << 3,  /* underflow */
    A64_FPSR_IXC = 1u << 4,  /* inexact */
    A64_FPSR_IDC = 1u << 7,  /* input denormal */
    A64_FPSR_QC = 1u << 27,  /* saturation (integer AdvSIMD) */
    A64_FPSR_MASK = 0xf800009fu,
};

/* MXCSR */
enum {
    X86_MXCSR_FLAGS = 0x3fu,       /* IE DE ZE OE UE PE */
    X86_MXCSR_DAZ = 1u << 6,
    X86_MXCSR_MASKS = 0x1f80u,     /* all exceptions masked */
    X86_MXCSR_RC_SHIFT = 13,       /* 2 bits */
    X86_MXCSR_FTZ = 1u << 15,
    X86_MXCSR_DEFAULT = 0x1f80u,   /* nearest, masked, no FTZ/DAZ, no flags */
};

/* MXCSR control bits (masks, RC, FTZ, DAZ; no flags) for FPCR value FPCR.
 * RMode and RC encode the directed modes the other way round: RP (01) is
 * RC 10 (up), RM (10) is RC 01 (down). */
static inline uint32_t fpenv_mxcsr_control(uint32_t fpcr)
{
    uint32_t rmode = fpcr >> A64_FPCR_RMODE_SHIFT & 3;
    uint32_t rc = (rmode & 1) << 1 | rmode >> 1;
    uint32_t m = X86_MXCSR_MASKS | rc << X86_MXCSR_RC_SHIFT;
    if (fpcr & A64_FPCR_FZ)
        m |= X86_MXCSR_FTZ | X86_MXCSR_DAZ;
    return m;
}

/* FPSR cumulative flags for the MXCSR flags in MXCSR:
 * IE (bit 0) stays bit 0, ZE OE UE PE (bits 2-5) move down to bits 1-4. */
static inline uint32_t fpenv_fpsr_from_mxcsr(uint32_t mxcsr)
{
    return (mxcsr & 1) | (mxcsr >> 1 & 0x1e);
}

/* ---- runtime/host_x86_64_fpenv.c: the calling thread's MXCSR ---------------------------
 * All of these act on the MXCSR of the calling thread, which must be the
 * thread running S.  Inside a host signal handler the interrupted code's
 * MXCSR is in the ucontext (the kernel gives the handler a fresh one):
 * use rt_fpsr_from_mxcsr / rt_fpenv_mxcsr with that value instead. */

/* MRS FPSR: the guest's FPSR. */
uint32_t rt_fpsr_read(const CpuState *s);
/* MSR FPSR: set the guest's FPSR (the host flags are cleared). */
void rt_fpsr_write(CpuState *s, uint32_t v);
/* MSR FPCR: set the guest's FPCR (and the MXCSR control bits). */
void rt_fpcr_write(CpuState *s, uint32_t v);
/* Before running translated code for S on this thread (thread start, a
 * test runner, after the runtime changed s->fpcr/s->fpsr itself): MXCSR
 * from s->fpcr, with no flags (s->fpsr holds the guest's). */
void rt_fpenv_enter(CpuState *s);
/* After running translated code, when the thread stops running guest code
 * (or before the runtime does floating point of its own): fold the host
 * flags into s->fpsr and put MXCSR back to the default. */
void rt_fpenv_leave(CpuState *s);

/* The guest's FPSR when the translated code's MXCSR is MXCSR (e.g. from a
 * signal handler's ucontext). */
static inline uint32_t rt_fpsr_from_mxcsr(const CpuState *s, uint32_t mxcsr)
{
    return s->fpsr | fpenv_fpsr_from_mxcsr(mxcsr);
}

/* The MXCSR translated code must run with for S, flags folded into
 * s->fpsr (for a ucontext the host handler returns to). */
static inline uint32_t rt_fpenv_mxcsr(const CpuState *s)
{
    return fpenv_mxcsr_control(s->fpcr);
}

#endif
