/*
 * signal_frame.c - the AArch64 Linux signal frame (guest-specific half of
 * signal delivery; signal.c decides when and which signal).
 *
 * sigframe_push does to a CpuState what arch/arm64/kernel/signal.c does to
 * the user registers when it enters a handler; sigframe_pop undoes it for
 * rt_sigreturn.  The layout is the kernel's, byte for byte (the structs and
 * a picture are in a64_abi.h), so guest code that reads or edits the
 * ucontext - glibc's getcontext users, libgcc's unwinder, language
 * runtimes that patch uc_mcontext.pc - finds what it would on Arm:
 *
 *     sp_top  = interrupted sp, or the top of the sigaltstack
 *     record  = round_down(sp_top - 16, 16)        {x29, x30}
 *     frame   = record - round_up(4688, 16)        rt_sigframe, new sp
 *
 *     x0 = signo, x1 = &frame->info, x2 = &frame->uc (SA_SIGINFO only),
 *     x29 = record, x30 = sa_restorer (SA_RESTORER) or the trampoline,
 *     pc = handler
 *
 * The trampoline is one page of guest memory holding the two instructions
 * of the vDSO's __kernel_rt_sigreturn (mov x8, #139; svc #0).  The guest
 * can read them (libgcc's unwinder recognizes a signal frame that way);
 * dbt_rt_lookup maps the page's address to a runtime function that does
 * rt_sigreturn (signal.c), so no translation of it is needed.  The page is
 * placed by the host kernel and recorded as a host range.
 *
 * FPSR and FPCR: the host MXCSR holds the rounding mode and part of the
 * FPSR flags while guest code runs (include/fpenv.h), so the frame
 * reads FPSR with rt_fpsr_read and sigreturn restores both with
 * rt_fpcr_write / rt_fpsr_write (which also set MXCSR).  The handler runs
 * with the interrupted code's FPCR and FPSR, as on arm64.
 *
 * Frames are written with plain stores: the guest stack is host memory.
 * A frame that does not fit (stack overflow into a guard page) faults on
 * the host, and the process dies by SIGSEGV - which is what the arm64
 * kernel's force_sigsegv does in that case, unless the guest handles
 * SIGSEGV on an alternate stack (not supported yet).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime.h"
#include "fpenv.h"

#define FRAME_SIZE ((sizeof(struct a64_rt_sigframe) + 15) & ~(uint64_t)15)

uint64_t sigframe_setup_tramp(Runtime *rt)
{
    void *p = mmap(NULL, A64_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        rt_fatal("cannot map the signal return trampoline: %s", strerror(errno));
    const uint32_t insns[2] = {A64_INSN_MOV_X8_139, A64_INSN_SVC_0};
    memcpy(p, insns, sizeof insns);
    mprotect(p, A64_PAGE_SIZE, PROT_READ);
    mem_host_add(rt, (uint64_t)p, (uint64_t)p + A64_PAGE_SIZE);
    return (uint64_t)p;
}

uint64_t sigframe_push(CpuState *s, int sig, const struct a64_siginfo *info,
                       const struct a64_sigaction *act, uint64_t saved_mask)
{
    Thread *t = s->thread;
    uint64_t sp = s->sp;
    struct a64_stack uc_stack;
    sig_get_altstack(t, sp, &uc_stack);
    if ((act->flags & A64_SA_ONSTACK) && (uc_stack.ss_flags & ~(int32_t)A64_SS_AUTODISARM) == 0)
        /* enabled, and not already on it */
        sp = t->altstack.ss_sp + t->altstack.ss_size;
    else if (t->frame_below != 0 && t->frame_below < sp)
        sp = t->frame_below;   /* a fault handled in place (dispatch_fault_in_place) */
    if (t->altstack.ss_flags & A64_SS_AUTODISARM)
        t->altstack = (struct a64_stack){0, 0, 0, 0};  /* saved in uc_stack, back on sigreturn */

    uint64_t rec_addr = (sp - sizeof(struct a64_frame_record)) & ~(uint64_t)15;
    uint64_t frame_addr = rec_addr - FRAME_SIZE;
    struct a64_frame_record *rec = (struct a64_frame_record *)rec_addr;
    struct a64_rt_sigframe *f = (struct a64_rt_sigframe *)frame_addr;

    memset(f, 0, sizeof *f);
    rec->fp = s->x[29];
    rec->lr = s->x[30];
    if (act->flags & A64_SA_SIGINFO)
        f->info = *info;
    f->uc.uc_flags = 0;
    f->uc.uc_link = 0;
    f->uc.uc_stack = uc_stack;
    f->uc.uc_sigmask = saved_mask;

    struct a64_sigcontext *mc = &f->uc.uc_mcontext;
    /* Memory faults report the address (the kernel's FAR); undefined
     * instructions, BRK and signals sent by kill report none. */
    mc->fault_address = (sig == A64_SIGSEGV || sig == A64_SIGBUS) && info->si_code > 0
                            ? info->u.fault.addr
                            : 0;
    memcpy(mc->regs, s->x, sizeof mc->regs);
    mc->sp = s->sp;
    mc->pc = s->pc;
    mc->pstate = cpu_get_nzcv(s);

    struct a64_fpsimd_context *fp = (struct a64_fpsimd_context *)mc->reserved;
    fp->head.magic = A64_FPSIMD_MAGIC;
    fp->head.size = sizeof *fp;
    fp->fpsr = rt_fpsr_read(s);
    fp->fpcr = s->fpcr;
    memcpy(fp->vregs, s->vreg, sizeof fp->vregs);
    /* The terminating {0, 0} record follows at reserved + 528 (zeroed). */

    s->x[0] = (uint64_t)sig;
    if (act->flags & A64_SA_SIGINFO) {
        s->x[1] = frame_addr + offsetof(struct a64_rt_sigframe, info);
        s->x[2] = frame_addr + offsetof(struct a64_rt_sigframe, uc);
    }
    s->sp = frame_addr;
    s->x[29] = rec_addr;
    s->x[30] = (act->flags & A64_SA_RESTORER) ? act->restorer : t->rt->sig_tramp;
    s->pc = act->handler;
    s->excl_size = 0;   /* taking an exception clears the exclusive monitor */
    return frame_addr;
}

/* The records in __reserved: one fpsimd_context is required; esr_context
 * is ignored; anything else (SVE, extra_context: never generated here)
 * makes the frame invalid, as on a kernel without those features. */
static const struct a64_fpsimd_context *find_fpsimd(const struct a64_sigcontext *mc)
{
    const struct a64_fpsimd_context *fp = NULL;
    uint64_t off = 0;
    for (;;) {
        if (A64_SIGCONTEXT_RESERVED - off < sizeof(struct a64_ctx_head) || (off & 15))
            return NULL;
        const struct a64_ctx_head *h = (const struct a64_ctx_head *)(mc->reserved + off);
        if (h->size > A64_SIGCONTEXT_RESERVED - off)
            return NULL;
        switch (h->magic) {
        case 0:
            return h->size == 0 ? fp : NULL;
        case A64_FPSIMD_MAGIC:
            if (fp || h->size < sizeof *fp)
                return NULL;
            fp = (const struct a64_fpsimd_context *)h;
            break;
        case A64_ESR_MAGIC:
            break;
        default:
            return NULL;
        }
        if (h->size < sizeof *h)
            return NULL;
        off += h->size;
    }
}

int sigframe_pop(CpuState *s, uint64_t *mask, struct a64_stack *uc_stack)
{
    if (s->sp & 15)
        return -EINVAL;
    const struct a64_rt_sigframe *f = (const struct a64_rt_sigframe *)s->sp;
    const struct a64_sigcontext *mc = &f->uc.uc_mcontext;
    const struct a64_fpsimd_context *fp = find_fpsimd(mc);
    if (!fp)
        return -EINVAL;
    *mask = f->uc.uc_sigmask;
    *uc_stack = f->uc.uc_stack;
    memcpy(s->x, mc->regs, sizeof s->x);
    s->pc = mc->pc;
    cpu_set_nzcv(s, (uint32_t)mc->pstate);   /* the rest of PSTATE is not the guest's to set */
    rt_fpcr_write(s, fp->fpcr);
    rt_fpsr_write(s, fp->fpsr);
    memcpy(s->vreg, fp->vregs, sizeof s->vreg);
    s->sp = mc->sp;
    s->excl_size = 0;
    return 0;
}
