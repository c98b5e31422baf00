/*
 * sys_signal.c - signal system calls.
 *
 * Status: dispositions are recorded, handlers are not run yet.
 *
 * rt_sigaction keeps the guest's struct sigaction (AArch64 kernel layout:
 * handler, flags, restorer, mask) in Runtime.sigact and returns the old one,
 * so the guest reads back exactly what it set.  On the host:
 *
 *   guest sets        host disposition
 *   SIG_IGN           SIG_IGN          (the kernel discards the signal)
 *   SIG_DFL           SIG_DFL
 *   a handler         SIG_DFL          TODO(signals): install a host handler
 *                                      that builds an AArch64 rt_sigframe
 *                                      and runs the guest handler
 *
 * so "ignore" and "default" behave exactly like on Arm, and a signal for
 * which the guest installed a handler takes its default action.
 * Dispositions inherited across exec (SIG_IGN, e.g. from nohup) are read
 * from the host at start-up by sig_init.
 *
 * rt_sigprocmask, rt_sigpending and rt_sigtimedwait pass through: the
 * sigset is 8 bytes and siginfo_t has the same layout on both ABIs.
 * sigaltstack is recorded and reported back only (used when handlers run).
 * rt_sigreturn is not implemented (no frames to return from yet).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "runtime.h"

/* The x86-64 kernel's struct sigaction (not glibc's).  Raw rt_sigaction
 * also reaches signals 32 and 33, which glibc's wrapper reserves for itself
 * but a guest may use. */
struct host_ksigaction {
    uint64_t handler;    /* SIG_DFL or SIG_IGN here */
    uint64_t flags;      /* host SA_* */
    uint64_t restorer;   /* unused for SIG_DFL/SIG_IGN */
    uint64_t mask;       /* blocked during a handler */
};

/* SA_* flags that matter for SIG_IGN/SIG_DFL (SIGCHLD reaping, restart). */
static const FlagMap sa_flags[] = {
    {A64_SA_NOCLDSTOP, SA_NOCLDSTOP},
    {A64_SA_NOCLDWAIT, SA_NOCLDWAIT},
    {A64_SA_RESTART, SA_RESTART},
};

void sig_init(Runtime *rt)
{
    memset(rt->sigact, 0, sizeof rt->sigact);
    for (int sig = 1; sig <= A64_NSIG; sig++) {
        struct host_ksigaction old;
        if (host_syscall6(SYS_rt_sigaction, (uint64_t)sig, 0, (uint64_t)&old, sizeof(uint64_t), 0,
                          0) == 0 &&
            old.handler == (uint64_t)SIG_IGN)
            rt->sigact[sig].handler = A64_SIG_IGN;
    }
    rt->altstack = (struct a64_stack){.ss_sp = 0, .ss_flags = A64_SS_DISABLE, .ss_size = 0};
}

/* Mirrors SIG_IGN / SIG_DFL on the host; a guest handler maps to SIG_DFL
 * until guest handlers can run. */
static int set_host_disposition(Runtime *rt, int sig, const struct a64_sigaction *g)
{
    struct host_ksigaction h = {
        .handler = g->handler == A64_SIG_IGN ? (uint64_t)SIG_IGN : (uint64_t)SIG_DFL,
        .flags = flags_guest_to_host(sa_flags, ARRAY_LEN(sa_flags), g->flags, NULL),
    };
    if (g->handler > A64_SIG_IGN)
        rt_log(rt, LOG_SIGNAL, "guest handler 0x%llx for signal %d recorded, not installed "
               "(signal keeps its default action)", (unsigned long long)g->handler, sig);
    else
        rt_log(rt, LOG_SIGNAL, "signal %d: %s", sig, g->handler == A64_SIG_IGN ? "SIG_IGN" : "SIG_DFL");
    return (int)host_syscall6(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)&h, 0, sizeof(uint64_t), 0, 0);
}

/* rt_sigaction(sig, const struct a64_sigaction *act, struct a64_sigaction
 * *oact, size_t sigsetsize) */
int64_t sys_rt_sigaction(Runtime *rt, CpuState *s, const uint64_t *a)
{
    int sig = (int)a[0];
    const struct a64_sigaction *act = (const struct a64_sigaction *)a[1];
    struct a64_sigaction *oact = (struct a64_sigaction *)a[2];
    if (a[3] != sizeof(uint64_t) || sig < 1 || sig > A64_NSIG)
        return -EINVAL;
    if (act && (sig == A64_SIGKILL || sig == A64_SIGSTOP))
        return -EINVAL;
    struct a64_sigaction old = rt->sigact[sig];
    if (act) {
        struct a64_sigaction new = *act;
        int r = set_host_disposition(rt, sig, &new);
        if (r < 0)
            return r;
        rt->sigact[sig] = new;
    }
    if (oact)
        *oact = old;
    return 0;
}

/* sigaltstack(const struct a64_stack *ss, struct a64_stack *old) */
int64_t sys_sigaltstack(Runtime *rt, CpuState *s, const uint64_t *a)
{
    const struct a64_stack *ss = (const struct a64_stack *)a[0];
    struct a64_stack *old = (struct a64_stack *)a[1];
    struct a64_stack prev = rt->altstack;
    if (ss) {
        struct a64_stack new = *ss;
        int mode = new.ss_flags & ~(int32_t)A64_SS_AUTODISARM;
        if (mode != 0 && mode != A64_SS_DISABLE && mode != A64_SS_ONSTACK)
            return -EINVAL;
        if (mode == A64_SS_DISABLE) {
            new.ss_sp = 0;
            new.ss_size = 0;
            new.ss_flags = A64_SS_DISABLE;
        } else {
            if (new.ss_size < A64_MINSIGSTKSZ)
                return -ENOMEM;
            new.ss_flags &= (int32_t)A64_SS_AUTODISARM;
        }
        rt->altstack = new;
    }
    if (old)
        *old = prev; /* never SS_ONSTACK: no guest handler runs yet */
    return 0;
}

int64_t sys_rt_sigprocmask(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_rt_sigprocmask, a); }
int64_t sys_rt_sigpending(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_rt_sigpending, a); }
int64_t sys_rt_sigtimedwait(Runtime *rt, CpuState *s, const uint64_t *a) { return host_pass(SYS_rt_sigtimedwait, a); }
