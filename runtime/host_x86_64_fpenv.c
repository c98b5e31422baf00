/*
 * host_x86_64_fpenv.c - the guest's FPCR/FPSR for the runtime's C: MRS/MSR semantics
 * on the calling thread's MXCSR (the mapping is in include/fpenv.h).
 *
 * The lifted code does the same inline for MRS/MSR FPCR/FPSR
 * (lifter/a64_fp_util.c); the runtime needs it where it reads or writes the
 * guest's FP state itself: signal frames (fpsimd_context holds FPSR and
 * FPCR), sigreturn, thread start, and the test runners that call
 * translated code directly.
 *
 * Example, the signal frame:
 *
 *     ctx.fpsr = rt_fpsr_read(s);  ctx.fpcr = s->fpcr;   // delivery
 *     rt_fpcr_write(s, ctx.fpcr);  rt_fpsr_write(s, ctx.fpsr);  // sigreturn
 *
 * The runtime itself does no floating point while guest code runs; if it
 * ever must, it brackets it with rt_fpenv_leave / rt_fpenv_enter so that
 * neither the guest's rounding mode leaks into it nor its flags into the
 * guest.
 */
#include "fpenv.h"

static inline uint32_t mxcsr_get(void)
{
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    return m;
}

static inline void mxcsr_set(uint32_t m)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
}

uint32_t rt_fpsr_read(const CpuState *s)
{
    return rt_fpsr_from_mxcsr(s, mxcsr_get());
}

void rt_fpsr_write(CpuState *s, uint32_t v)
{
    s->fpsr = v & A64_FPSR_MASK;
    mxcsr_set(mxcsr_get() & ~(uint32_t)X86_MXCSR_FLAGS);
}

void rt_fpcr_write(CpuState *s, uint32_t v)
{
    s->fpcr = v & A64_FPCR_MASK;
    mxcsr_set((mxcsr_get() & X86_MXCSR_FLAGS) | fpenv_mxcsr_control(s->fpcr));
}

void rt_fpenv_enter(CpuState *s)
{
    mxcsr_set(rt_fpenv_mxcsr(s));
}

void rt_fpenv_leave(CpuState *s)
{
    s->fpsr = rt_fpsr_read(s);
    mxcsr_set(X86_MXCSR_DEFAULT);
}
