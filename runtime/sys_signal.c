/*
 * sys_signal.c - signal system calls (the machinery is in signal.c, the
 * frame in signal_frame.c).
 *
 * rt_sigaction keeps the guest's struct sigaction (AArch64 kernel layout:
 * handler, flags, restorer, mask) in Runtime.sigact and returns the old one,
 * so the guest reads back exactly what it set; the host disposition follows
 * (sig_set_host_action):
 *
 *   guest sets        host disposition
 *   SIG_IGN           SIG_IGN          (the kernel discards the signal)
 *   SIG_DFL           SIG_DFL          (the kernel kills, stops, ignores)
 *   a handler         host_catch       records it; the runtime delivers it
 *                                      to the guest handler (signal.c)
 *                     SIG_DFL          for SIGSEGV/SIGBUS/SIGILL/SIGFPE
 *
 * Dispositions inherited across exec (SIG_IGN, e.g. from nohup) are read
 * from the host at start-up by sig_init.
 *
 * The blocked mask is the runtime's (Thread.sig.blocked), mirrored on the
 * host: rt_sigprocmask updates both; rt_sigpending and rt_sigtimedwait ask
 * the host and add what the runtime caught but has not delivered;
 * rt_sigsuspend suspends on the host with the new mask, and the frame of
 * the handler that wakes it saves the old one.  sigaltstack is the
 * runtime's (frames go there with SA_ONSTACK).  rt_sigreturn restores the
 * registers and the mask from the frame at sp.  The sigset is 8 bytes and
 * siginfo_t has the same layout on both ABIs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "runtime.h"

static Thread *thread_of(CpuState *s) { return s->thread; }

/* rt_sigaction(sig, const struct a64_sigaction *act, struct a64_sigaction
 * *oact, size_t sigsetsize) */
int64_t sys_rt_sigaction(Runtime *rt, CpuState *s, const uint64_t *a)
{
    int sig = (int)a[0];
    const struct a64_sigaction *act = (const struct a64_sigaction *)a[1];
    struct a64_sigaction *oact = (struct a64_sigaction *)a[2];
    if (a[3] != A64_SIGSET_SIZE || sig < 1 || sig > A64_NSIG)
        return -EINVAL;
    if (act && (sig == A64_SIGKILL || sig == A64_SIGSTOP))
        return -EINVAL;
    struct a64_sigaction old = rt->sigact[sig];
    if (act) {
        struct a64_sigaction new = *act;
        new.mask &= ~A64_SIG_UNBLOCKABLE;
        rt->sigact[sig] = new;
        int r = sig_set_host_action(rt, sig);
        if (r < 0) {
            rt->sigact[sig] = old;
            return r;
        }
        /* POSIX: ignoring a pending signal discards it. */
        if (new.handler == A64_SIG_IGN)
            __atomic_fetch_and(&thread_of(s)->sig.pending, ~a64_sigbit(sig), __ATOMIC_RELEASE);
    }
    if (oact)
        *oact = old;
    return 0;
}

/* rt_sigprocmask(how, const sigset *set, sigset *oset, size_t sigsetsize) */
int64_t sys_rt_sigprocmask(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = thread_of(s);
    if (a[3] != A64_SIGSET_SIZE)
        return -EINVAL;
    uint64_t old = t->sig.blocked;
    if (a[1]) {
        uint64_t set = *(const uint64_t *)a[1];
        uint64_t new;
        switch (a[0]) {
        case A64_SIG_BLOCK: new = old | set; break;
        case A64_SIG_UNBLOCK: new = old & ~set; break;
        case A64_SIG_SETMASK: new = set; break;
        default: return -EINVAL;
        }
        /* Unblocking a signal pending on the host runs host_catch before
         * the host call returns; dbt_rt_syscall then delivers it. */
        sig_set_blocked(t, new);
    }
    if (a[2])
        *(uint64_t *)a[2] = old;
    return 0;
}

/* rt_sigpending(sigset *set, size_t sigsetsize): pending and blocked. */
int64_t sys_rt_sigpending(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = thread_of(s);
    if (a[1] > A64_SIGSET_SIZE)
        return -EINVAL;
    uint64_t host = 0;
    int64_t r = host_syscall6(SYS_rt_sigpending, (uint64_t)&host, sizeof host, 0, 0, 0, 0);
    if (r < 0)
        return r;
    uint64_t set = (host | __atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE)) & t->sig.blocked;
    memcpy((void *)a[0], &set, a[1]);
    return 0;
}

/* rt_sigtimedwait(const sigset *set, siginfo *info, const timespec *timeout,
 * size_t sigsetsize): a signal the runtime already caught first, else the
 * host's (the guest blocks the signals it waits for, so they are pending
 * on the host). */
int64_t sys_rt_sigtimedwait(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (a[3] != A64_SIGSET_SIZE)
        return -EINVAL;
    uint64_t set = *(const uint64_t *)a[0] & ~A64_SIG_UNBLOCKABLE;
    struct a64_siginfo info;
    int sig = sig_take_pending(thread_of(s), set, &info);
    if (sig) {
        if (a[1])
            memcpy((void *)a[1], &info, sizeof info);
        return sig;
    }
    return host_syscall6(SYS_rt_sigtimedwait, (uint64_t)&set, a[1], a[2], A64_SIGSET_SIZE, 0, 0);
}

/* rt_sigsuspend(const sigset *mask, size_t sigsetsize): always -EINTR,
 * after a handler was entered; the mask before the call comes back with
 * that handler's sigreturn (or right away if none runs). */
int64_t sys_rt_sigsuspend(Runtime *rt, CpuState *s, const uint64_t *a)
{
    Thread *t = thread_of(s);
    if (a[1] != A64_SIGSET_SIZE)
        return -EINVAL;
    uint64_t mask = *(const uint64_t *)a[0] & ~A64_SIG_UNBLOCKABLE;
    t->sig.suspend_saved = t->sig.blocked;
    t->sig.suspend_active = 1;
    t->sig.blocked = mask;
    if (__atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE) & ~mask)
        return -EINTR;   /* already caught, unblocked by the new mask */
    /* The host restores its own mask when the call returns; the runtime's
     * is put back by sig_deliver_pending. */
    uint64_t host_mask = sig_host_mask(mask);
    int64_t r;
    do
        r = host_syscall6(SYS_rt_sigsuspend, (uint64_t)&host_mask, sizeof host_mask, 0, 0, 0, 0);
    while (r == -EINTR && !(__atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE) & ~mask));
    return -EINTR;
}

/* rt_sigreturn(): the frame at sp; the result is the restored x0, so
 * dbt_rt_syscall's write of x0 changes nothing, and s->pc is the restored
 * pc (the lifted code leaves for the dispatcher unless it is the next
 * instruction). */
int64_t sys_rt_sigreturn(Runtime *rt, CpuState *s, const uint64_t *a)
{
    return sig_return(s);
}

/* sigaltstack(const struct a64_stack *ss, struct a64_stack *old) */
int64_t sys_sigaltstack(Runtime *rt, CpuState *s, const uint64_t *a)
{
    const struct a64_stack *ss = (const struct a64_stack *)a[0];
    struct a64_stack *old = (struct a64_stack *)a[1];
    struct a64_stack prev;
    sig_get_altstack(s->thread, s->sp, &prev);
    if (ss) {
        struct a64_stack new = *ss;
        int r = sig_set_altstack(s->thread, &new, s->sp);
        if (r < 0)
            return r;
    }
    if (old)
        *old = prev;
    return 0;
}
