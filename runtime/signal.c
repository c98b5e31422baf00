/*
 * signal.c - guest signal delivery: which signal, when, with which mask.
 *
 * The guest's view of signals lives here: its dispositions
 * (Runtime.sigact, set by rt_sigaction in sys_signal.c), its blocked mask
 * and its caught-but-undelivered signals (Thread.sig).  The frame a
 * handler receives is built by signal_frame.c, in the arm64 kernel's
 * layout.
 *
 * Delivering a signal is what the kernel does on the way back to user
 * space: push a frame on the guest stack and point CpuState at the
 * handler (x0 = signo, x1 = &info, x2 = &uc, sp = frame, x30 = the return
 * trampoline, pc = handler).  The handler returns to the trampoline
 * (signal_frame.c), whose "code" is tramp_sigreturn here: the registers,
 * the mask and the alternate stack come back from the frame.
 *
 * Where the runtime delivers, the handler runs nested: dispatch.c's
 * dispatch_signal_handlers runs the guest from the handler on top of the
 * host stack of the translated code that called the runtime (a system call,
 * or the safe point of a loop header), until the handler returns through
 * its frame's sigreturn; then the translated code simply goes on - after a
 * system call it reloads the registers (the handler may have changed them
 * in the frame), at a safe point it goes on only if the state came back
 * unchanged.  Translated functions have a single entry, so any other way
 * back into the interrupted code goes through the dispatcher and the JIT:
 *
 *   the handler ...                          the guest goes on
 *   returns (sigreturn), state unchanged     in the interrupted code
 *   returns to the SVC (restart, or a        the SVC is made then, and the
 *   signal that came before the call)        code goes on after it
 *   changes the interrupted pc or, at a      the interrupted code returns to
 *   safe point, any register, in the frame   the dispatcher: the JIT compiles
 *                                            a region at the restored pc
 *   leaves by siglongjmp / setcontext        the same, from the new pc (or
 *   (sp above its frame)                     the frame of the setjmp lands it)
 *
 * Traps (UDF, BRK) and signals found pending when the dispatcher loop
 * itself gets control are delivered the plain way: CpuState points at the
 * handler, the lifted code leaves, the dispatcher runs it, and after
 * sigreturn it continues at the restored pc (a function entry, or the
 * JIT).  Nesting is bounded (MAX_NESTED in dispatch.c); beyond it, delivery
 * is also the plain way.

 * Where signals come from, and when the guest sees them:
 *
 *   synchronous traps   UDF/undefined instruction -> SIGILL (ILL_ILLOPC),
 *                       BRK -> SIGTRAP (TRAP_BRKPT), si_addr = the pc
 *                       (dbt_rt_trap -> sig_trap).  Ignored or blocked,
 *                       the kernel's force_sig rule applies: back to
 *                       SIG_DFL, unblocked, the process dies by the signal.
 *
 *   everything else     (raise, kill from another process, alarm, SIGCHLD,
 *                       ...) arrives on the host.  For every signal the
 *                       guest has a handler for, the host disposition is
 *                       host_catch, which only records the signal and its
 *                       siginfo in Thread.sig (async-signal-safe: a copy
 *                       and an atomic or) and sets CpuState.intr.
 *                       dbt_rt_syscall delivers what the guest does not
 *                       block, before the call (the signal arrived while
 *                       the guest computed: the frame shows pc = the SVC,
 *                       which runs when the handler returns) and after it
 *                       (the frame shows the result in x0 and pc = the
 *                       next instruction); the loop headers' safe points
 *                       deliver through dbt_rt_safepoint.  Several
 *                       deliverable signals get stacked frames, the last
 *                       one's handler runs first, as on Linux.

 * Interrupted system calls.  Host handlers never have SA_RESTART: a caught
 * signal makes a blocking host call fail with EINTR, so the guest handler
 * runs while the guest is "inside" the call, as on Arm.  dbt_rt_syscall
 * then applies the kernel's restart rule: calls with R in column r of
 * syscall_table.h are made again after a handler
 * with SA_RESTART (the frame shows pc = the SVC and the original x0),
 * everything else returns -EINTR.
 *
 * The mask.  Thread.sig.blocked is the guest's mask; the host mask mirrors
 * it (sig_set_blocked), so a blocked signal stays pending in the host
 * kernel - a blocked SIGTERM with SIG_DFL must not kill - and
 * rt_sigpending/rt_sigtimedwait/rt_sigsuspend can use the host's calls.
 * The mirror never blocks SIGSEGV, SIGBUS, SIGILL and SIGFPE (RESERVED):
 * the runtime will need them for guest faults on the host.  During a
 * handler the mask is old | sa_mask | sig (without SA_NODEFER), put back
 * by sigreturn from uc_sigmask; SA_RESETHAND resets the disposition on
 * delivery.
 *
 * Death by signal.  A signal whose guest action is SIG_DFL has host action
 * SIG_DFL, so the host kernel kills (or stops) the process exactly as the
 * arm64 kernel would.  The runtime only applies a default action itself
 * for traps and for a signal caught while it had a handler that was reset
 * before delivery; rt_die_by_signal then re-raises it with SIG_DFL.
 *
 * Limitations (today):
 *   - delivery points are system calls, traps, sigreturn and the safe
 *     points of translated code: the top of every loop header (a target
 *     of a back edge of the function's control-flow graph, lifter/loops.c)
 *     reads CpuState.intr, which host_catch sets - every 1024th visit, or
 *     the first after a call (lifter.c: safe_point) - and if a signal
 *     waits calls dbt_rt_safepoint with pc = the header.  A cycle the
 *     lifter does not see as one has no safe point and sees the signal at
 *     its next system call: through an unrecognized BR, through calls
 *     (mutual recursion), or between JIT regions;
 *   - a signal that arrives between the entry check of dbt_rt_syscall and
 *     the host system call itself is delivered after that call: a racy
 *     pause() can block for good (sigsuspend-based waiting is exact,
 *     because the host mask mirrors the guest's);
 *   - SIGILL/SIGFPE sent by kill()/raise() take their default action even
 *     if the guest has a handler (a guest SIGILL from an undefined
 *     instruction does reach its handler: sig_trap);
 *   - a host fault in translated code (host_fault below) reaches the
 *     guest's handler with the pc of the faulting guest instruction (or of
 *     the function's entry, for an access without an entry in the output's
 *     map) but the registers CpuState last held, not those of the moment:
 *     handlers that leave by siglongjmp or exit work, and so does one that
 *     returns with the registers unchanged (the access is retried), but
 *     one that returns with other registers is refused (the process dies
 *     by the signal);
 *   - a handler that returns to a trap with pc moved past the faulting
 *     instruction (pc += 4) needs the JIT: that address is not a
 *     function entry;
 *   - one siginfo per signal number: real-time signals queued several
 *     times before delivery are delivered once;
 *   - ppoll/pselect6/epoll_pwait apply their temporary mask on the host
 *     only; the frame of a handler they let in saves the normal mask.
 *
 * The host handler finds the guest thread through a thread-local pointer
 * (signal handlers have no context argument) - the one mutable global.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "runtime.h"
#include "enter_x86_64.h"
#include "jit_host.h"

/* Signals the host mask never blocks (see above). */
#define RESERVED (a64_sigbit(A64_SIGSEGV) | a64_sigbit(A64_SIGBUS) | a64_sigbit(A64_SIGILL) | \
                  a64_sigbit(A64_SIGFPE))

static _Thread_local Thread *cur_thread __attribute__((tls_model("initial-exec")));
/* scripts/dbt-gdb.py reads cur_thread->cpu without running code in the program. */
_Static_assert(offsetof(Thread, cpu) == 8, "scripts/dbt-gdb.py: OFF_THREAD_CPU");

/* The registers of the guest thread this host thread runs, or NULL: for
 * the debugger (scripts/dbt-gdb.py calls it in the stopped program). */
__attribute__((used, noinline)) CpuState *dbt_gdb_cpu(void) { return cur_thread ? cur_thread->cpu : NULL; }

static const struct {
    const char *name;
    enum A64SigDefault dfl;
} signals[32] = {
#define SIG_ROW_(name, nr, dfl) [nr] = {#name, A64_SIGDFL_##dfl},
    A64_SIGNALS(SIG_ROW_)
#undef SIG_ROW_
};

const char *sig_name(int sig)
{
    if (sig > 0 && sig < 32)
        return signals[sig].name;
    return sig >= 32 && sig <= A64_NSIG ? "SIGRT" : "SIG?";
}

static enum A64SigDefault sig_default(int sig)
{
    return sig > 0 && sig < 32 ? signals[sig].dfl : A64_SIGDFL_TERM;
}

/* ------------------------------------------------------------------------
 * Host: x86-64 Linux.  Raw rt_sigaction (it reaches signals 32 and 33,
 * which glibc keeps for itself) needs SA_RESTORER and our own restorer.
 * ------------------------------------------------------------------------ */

struct host_ksigaction {
    uint64_t handler;    /* SIG_DFL, SIG_IGN or host_catch */
    uint64_t flags;      /* host SA_* */
    uint64_t restorer;   /* dbt_rt_host_sigreturn when handler is a function */
    uint64_t mask;       /* blocked while host_catch runs: everything */
};

_Static_assert(sizeof(siginfo_t) == sizeof(struct a64_siginfo), "siginfo layout");

/* SA_* flags with a host meaning; a64 and x86-64 values are the same, the
 * table says which ones pass. */
static const FlagMap sa_flags[] = {
    {A64_SA_NOCLDSTOP, SA_NOCLDSTOP},
    {A64_SA_NOCLDWAIT, SA_NOCLDWAIT},
    {A64_SA_RESTART, 0},   /* never: dbt_rt_syscall restarts (syscall_table.h, column r) */
};

static int64_t host_sigmask(int how, uint64_t set, uint64_t *old)
{
    return host_syscall6(SYS_rt_sigprocmask, (uint64_t)how, (uint64_t)&set, (uint64_t)old,
                         sizeof(uint64_t), 0, 0);
}

/* The host handler: record, nothing else.  It runs with every host signal
 * blocked, so it is never interrupted by itself. */
static void host_catch(int sig, siginfo_t *si, void *uc)
{
    Thread *t = cur_thread;
    if (!t || sig < 1 || sig > A64_NSIG)
        return;
    memcpy(&t->sig.info[sig], si, sizeof t->sig.info[sig]);
    __atomic_fetch_or(&t->sig.pending, a64_sigbit(sig), __ATOMIC_RELEASE);
    /* Translated code reads this at its safe points (loop headers). */
    __atomic_store_n(&t->cpu->intr, 1, __ATOMIC_RELEASE);
}

/* Signals the host can catch for the guest now (see Limitations). */
static int host_catchable(int sig)
{
    return !(a64_sigbit(sig) & RESERVED);
}

/* Host SIGSEGV and SIGBUS.  A system-call handler that dereferences a bad
 * guest pointer runs with Thread.fault_env armed (syscall.c): the fault
 * ends the handler and the call returns -EFAULT, as the kernel's own copy
 * to or from user memory would.
 *
 * A fault in guest code - the output's translated code (codemap.c), a
 * JIT region (code in no loaded object once the JIT runs), or the host's
 * code of a bound function (CpuState.bound_pc: reported at that
 * function's guest pc, with the registers of its entry) - whose guest
 * disposition is a handler the guest does not block is the guest's own
 * fault: the host handler records it in Thread.fault and runs the guest's
 * handler in place (dispatch_fault_in_place), returning to retry the
 * access if the handler returned; too deeply nested, it jumps to the
 * innermost dispatcher loop of the thread (Thread.loop_env), abandoning
 * the host frames of the translated code, and the loop delivers it
 * (sig_host_fault).  Everything else - no guest handler, SIG_IGN or
 * blocked (the kernel's force_sig rule), a fault in the runtime itself -
 * takes the default action: the host disposition goes back to SIG_DFL and
 * the access is made again, which kills the process by the signal, core
 * dump and all.  A SIGSEGV or SIGBUS sent by kill is an ordinary signal:
 * recorded like host_catch does (delivered at the next system call or safe
 * point, kept pending while blocked), dropped if ignored, and with SIG_DFL
 * and not blocked it kills. */
static int guest_fault(const Thread *t, int sig, const siginfo_t *si, const ucontext_t *uc)
{
    const struct a64_sigaction *act = &t->rt->sigact[sig];
    if (t->loop_env == NULL || si->si_code <= 0 || act->handler <= A64_SIG_IGN ||
        (t->sig.blocked & a64_sigbit(sig)))
        return 0;
    uint64_t pc = host_context_pc(uc);
    if (codemap_in_code(pc) || t->cpu->bound_pc != 0)
        return 1;
    Dl_info di;
    return __atomic_load_n(&t->rt->jit, __ATOMIC_ACQUIRE) != NULL && dladdr((void *)pc, &di) == 0;
}

/* Where the frame of a fault handled in place must start, at the latest:
 * below the guest's stack pointer.  CpuState.sp may be stale - translated
 * code keeps SP in a host register, and passes it to its callees in one
 * (cpu_state.h: CPU_PASS), so it can be many frames old - and the function
 * that faulted goes on using its stack after the handler, so the frame
 * goes below every host register that looks like a guest SP a little
 * lower than CpuState.sp (less than 1 MiB below it), and FRAME_GAP lower
 * still for one the code spilled to the host stack (a function's frame
 * bigger than that, allocated since its last call, could be overwritten:
 * a known limit, docs/architecture.md) - but not below the main thread's
 * stack.  A fault just below the stack pointer, or in the guard page
 * below the main thread's stack (whose SP CpuState may not have seen for
 * a long recursion; not further: a mapping of the guest's can be there),
 * is the stack's own overflow: the frame goes at the faulting
 * address, as the kernel's would go at the real SP, and pushing it faults
 * again and kills unless the handler is on an alternate stack. */
enum { FRAME_GAP = 64 << 10, SP_SLACK = 1 << 20 };
static uint64_t frame_limit(const CpuState *s, const Runtime *rt, uint64_t fault_addr, const void *uc)
{
    uint64_t low = s->sp;
    for (unsigned i = 0; i < HOST_CONTEXT_NGPR; i++) {
        uint64_t v = host_context_gpr(uc, i);
        if (v < low && s->sp - v < SP_SLACK)
            low = v;
    }
    uint64_t floor = s->sp >= rt->stack_lo && s->sp <= rt->stack_hi ? rt->stack_lo : 0;
    if ((fault_addr < s->sp && s->sp - fault_addr < SP_SLACK) ||
        (floor && fault_addr < floor && floor - fault_addr <= STACK_GUARD_SIZE))
        return fault_addr < low ? fault_addr : low;
    return low - floor > FRAME_GAP ? (low - FRAME_GAP) & ~(uint64_t)15 : (floor ? floor : low);
}

static void host_fault(int sig, siginfo_t *si, void *ucv)
{
    Thread *t = cur_thread;
    if (t != NULL && t->fault_env != NULL && si->si_code > 0) {
        sigjmp_buf *env = t->fault_env;
        t->fault_env = NULL;
        t->fault_addr = (uint64_t)si->si_addr;
        siglongjmp(*env, 1);
    }
    if (t != NULL && si->si_code <= 0) {   /* sent by kill, tgkill, raise */
        const struct a64_sigaction *act = &t->rt->sigact[sig];
        if (act->handler == A64_SIG_IGN)
            return;
        if (act->handler != A64_SIG_DFL || (t->sig.blocked & a64_sigbit(sig))) {
            host_catch(sig, si, ucv);   /* like any other signal: delivered at the next chance */
            return;
        }
    }
    const ucontext_t *uc = ucv;
    if (t != NULL && guest_fault(t, sig, si, uc)) {
        t->fault.sig = sig;   /* same numbers and si_codes on both */
        t->fault.code = si->si_code;
        t->fault.addr = (uint64_t)si->si_addr;
        t->fault.host_pc = host_context_pc(uc);
        t->fault.bound_pc = t->cpu->bound_pc;
        if (dispatch_fault_in_place(t->cpu, frame_limit(t->cpu, t->rt, t->fault.addr, uc))) {
            /* The handler returned and left the state as it was: the
             * access is made again, with the mask the guest has now. */
            host_context_set_mask(ucv, sig_host_mask(t->sig.blocked));
            return;
        }
        t->cpu->bound_pc = 0; /* the host frames go, guest code runs */
        siglongjmp(*t->loop_env, 1);
    }
    uint64_t dfl[4] = {(uint64_t)SIG_DFL, 0, 0, 0};
    host_syscall6(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)dfl, 0, sizeof(uint64_t), 0, 0);
    if (si->si_code <= 0) /* sent, not a fault: returning would not repeat it */
        host_syscall6(SYS_tgkill, (uint64_t)getpid(), (uint64_t)gettid(), (uint64_t)sig, 0, 0, 0);
    /* A fault: returning re-executes the access, which now kills. */
}

static int install_fault_handler(int sig)
{
    struct host_ksigaction h = {
        .handler = (uint64_t)host_fault,
        .flags = SA_SIGINFO | HOST_SA_RESTORER,
        .restorer = (uint64_t)dbt_rt_host_sigreturn,
        .mask = ~0ull,
    };
    return (int)host_syscall6(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)&h, 0, sizeof(uint64_t), 0, 0);
}

void sig_fault_returned(Thread *t)
{
    host_sigmask(SIG_SETMASK, sig_host_mask(t->sig.blocked), NULL);
}

int sig_set_host_action(Runtime *rt, int sig)
{
    const struct a64_sigaction *g = &rt->sigact[sig];
    struct host_ksigaction h = {
        .handler = (uint64_t)SIG_DFL,
        .flags = flags_guest_to_host(sa_flags, ARRAY_LEN(sa_flags), g->flags, NULL),
    };
    if (sig == A64_SIGSEGV || sig == A64_SIGBUS)
        return install_fault_handler(sig);   /* whatever the guest's disposition */
    if (g->handler == A64_SIG_IGN) {
        h.handler = (uint64_t)SIG_IGN;
    } else if (g->handler != A64_SIG_DFL && host_catchable(sig)) {
        h.handler = (uint64_t)host_catch;
        h.flags |= SA_SIGINFO | HOST_SA_RESTORER;
        h.restorer = (uint64_t)dbt_rt_host_sigreturn;
        h.mask = ~0ull;
    }
    rt_log(rt, LOG_SIGNAL, "%s (%d): guest %s%s", sig_name(sig), sig,
           g->handler == A64_SIG_IGN   ? "SIG_IGN"
           : g->handler == A64_SIG_DFL ? "SIG_DFL"
                                       : "handler",
           g->handler > A64_SIG_IGN && !host_catchable(sig)
               ? " (runs for traps only; sent by kill it takes the default action)"
               : "");
    return (int)host_syscall6(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)&h, 0, sizeof(uint64_t),
                              0, 0);
}

/* ------------------------------------------------------------------------
 * Start-up, masks, pending signals
 * ------------------------------------------------------------------------ */

void sig_init(Runtime *rt)
{
    memset(rt->sigact, 0, sizeof rt->sigact);
    for (int sig = 1; sig <= A64_NSIG; sig++) {
        struct host_ksigaction old;
        if (host_syscall6(SYS_rt_sigaction, (uint64_t)sig, 0, (uint64_t)&old, sizeof(uint64_t), 0,
                          0) == 0 &&
            old.handler == (uint64_t)SIG_IGN)
            rt->sigact[sig].handler = A64_SIG_IGN; /* inherited across exec (nohup) */
    }
    uint64_t blocked = 0;
    host_sigmask(SIG_BLOCK, 0, &blocked);   /* blocks nothing: reads the mask */
    rt->sig_initial_blocked = blocked & ~A64_SIG_UNBLOCKABLE;
    rt->sig_tramp = sigframe_setup_tramp(rt);
    install_fault_handler(SIGSEGV);
    install_fault_handler(SIGBUS);
    rt_log(rt, LOG_SIGNAL, "sigreturn trampoline at 0x%llx, initial mask 0x%llx",
           (unsigned long long)rt->sig_tramp, (unsigned long long)rt->sig_initial_blocked);
}

void sig_thread_start(Thread *t)
{
    memset(&t->sig, 0, sizeof t->sig);
    cur_thread = t;
    sig_set_blocked(t, t->rt->sig_initial_blocked);
}

void sig_set_current(Thread *t) { cur_thread = t; }

Thread *sig_current(void) { return cur_thread; }

void sig_thread_end(Thread *t)
{
    host_sigmask(SIG_SETMASK, ~0ull, NULL);
    cur_thread = NULL;
}

void sig_block_all(Thread *t)
{
    t->sig.blocked = ~A64_SIG_UNBLOCKABLE;
    host_sigmask(SIG_SETMASK, ~0ull, NULL);
}

uint64_t sig_host_mask(uint64_t guest_mask)
{
    return guest_mask & ~RESERVED;
}

void sig_set_blocked(Thread *t, uint64_t mask)
{
    t->sig.blocked = mask & ~A64_SIG_UNBLOCKABLE;
    host_sigmask(SIG_SETMASK, sig_host_mask(t->sig.blocked), NULL);
}

int sig_take_pending(Thread *t, uint64_t set, struct a64_siginfo *info)
{
    if (!(__atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE) & set))
        return 0;
    /* host_catch may run between reading the siginfo and clearing the
     * bit: keep it out for these few instructions. */
    uint64_t old;
    host_sigmask(SIG_SETMASK, ~0ull, &old);
    uint64_t p = __atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE) & set;
    int sig = p ? __builtin_ctzll(p) + 1 : 0;
    if (sig) {
        *info = t->sig.info[sig];
        __atomic_fetch_and(&t->sig.pending, ~a64_sigbit(sig), __ATOMIC_RELEASE);
    }
    host_sigmask(SIG_SETMASK, old, NULL);
    return sig;
}

/* ------------------------------------------------------------------------
 * Delivery
 * ------------------------------------------------------------------------ */

/* The default action of `sig`, taken by the runtime (the host disposition
 * is SIG_DFL whenever the guest's is). */
static void default_action(Runtime *rt, int sig)
{
    switch (sig_default(sig)) {
    case A64_SIGDFL_TERM:
    case A64_SIGDFL_CORE:
        rt_log(rt, LOG_SIGNAL, "%s (%d): default action, the process dies", sig_name(sig), sig);
        rt_die_by_signal(sig);
    case A64_SIGDFL_STOP:
        host_syscall6(SYS_kill, (uint64_t)getpid(), (uint64_t)sig, 0, 0, 0, 0);
        return;
    case A64_SIGDFL_IGN:
    case A64_SIGDFL_CONT:
        return;
    }
}

/* Enter the handler of `sig`: push the frame, point CpuState at the
 * handler, set the handler's mask.  Returns the frame's address, or 0 if
 * no handler runs (the action became SIG_IGN or SIG_DFL since the signal
 * was caught). */
static uint64_t enter_handler(CpuState *s, int sig, const struct a64_siginfo *info)
{
    Thread *t = s->thread;
    Runtime *rt = t->rt;
    struct a64_sigaction act = rt->sigact[sig];
    if (act.handler == A64_SIG_IGN)
        return 0;
    if (act.handler == A64_SIG_DFL) {
        default_action(rt, sig);
        return 0;
    }
    uint64_t saved = t->sig.suspend_active ? t->sig.suspend_saved : t->sig.blocked;
    t->sig.suspend_active = 0;
    uint64_t interrupted_pc = s->pc;
    uint64_t frame = sigframe_push(s, sig, info, &act, saved);
    if (frame == t->imprecise_frame)
        t->imprecise_frame = 0;   /* that fault's frame is gone: this one took its place */
    uint64_t mask = t->sig.blocked | act.mask;
    if (!(act.flags & A64_SA_NODEFER))
        mask |= a64_sigbit(sig);
    if (act.flags & A64_SA_RESETHAND) {
        rt->sigact[sig].handler = A64_SIG_DFL;
        sig_set_host_action(rt, sig);
    }
    sig_set_blocked(t, mask);
    rt_log(rt, LOG_SIGNAL, "deliver %s (%d, code %d) at pc 0x%llx: handler 0x%llx, frame 0x%llx",
           sig_name(sig), sig, info->si_code, (unsigned long long)interrupted_pc,
           (unsigned long long)act.handler, (unsigned long long)frame);
    return frame;
}

int sig_deliver_pending(CpuState *s, uint64_t *outer_frame)
{
    Thread *t = s->thread;
    struct a64_siginfo info;
    int sig, entered = 0;
    /* Cleared before the pending set is read: a signal caught from here on
     * sets it again. */
    __atomic_store_n(&s->intr, 0, __ATOMIC_RELEASE);
    while ((sig = sig_take_pending(t, ~t->sig.blocked, &info)) != 0) {
        uint64_t frame = enter_handler(s, sig, &info);
        if (frame != 0 && entered++ == 0 && outer_frame != NULL)
            *outer_frame = frame; /* the first frame: it returns to the interrupted state */
    }
    if (t->sig.suspend_active) {   /* rt_sigsuspend, and no handler entered */
        t->sig.suspend_active = 0;
        sig_set_blocked(t, t->sig.suspend_saved);
    }
    return entered > 0;
}

int sig_restarts_call(const CpuState *s)
{
    const Thread *t = s->thread;
    uint64_t p = __atomic_load_n(&t->sig.pending, __ATOMIC_ACQUIRE) & ~t->sig.blocked;
    if (!p)
        return 1;
    const struct a64_sigaction *act = &t->rt->sigact[__builtin_ctzll(p) + 1];
    return act->handler <= A64_SIG_IGN || (act->flags & A64_SA_RESTART);
}

void sig_trap(CpuState *s, int sig, int code)
{
    Thread *t = s->thread;
    Runtime *rt = t->rt;
    struct a64_siginfo info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = code;
    info.u.fault.addr = s->pc;
    /* force_sig: an ignored or blocked synchronous signal kills. */
    if (rt->sigact[sig].handler == A64_SIG_IGN || (t->sig.blocked & a64_sigbit(sig))) {
        rt_log(rt, LOG_SIGNAL, "%s (%d) at pc 0x%llx is %s: forced to the default action",
               sig_name(sig), sig, (unsigned long long)s->pc,
               rt->sigact[sig].handler == A64_SIG_IGN ? "ignored" : "blocked");
        rt->sigact[sig].handler = A64_SIG_DFL;
    }
    enter_handler(s, sig, &info);
}

/* Translated code by host address, built at the first guest fault. */
static CodeMap fault_map;
static pthread_once_t fault_map_once = PTHREAD_ONCE_INIT;
static const DbtMeta *fault_meta;
static void build_fault_map(void) { codemap_build(&fault_map, fault_meta); }

/* The guest pc a fault at HOST_PC is reported at: the guest instruction
 * whose access faulted, from the output's map of guest memory accesses
 * (codemap_access_pc; *PRECISE = 1), else - an access the map does not
 * know (LLVM merged it with another), a JIT region - the entry of the
 * guest function or region containing it.  The registers in the frame are
 * as CpuState last held them, not those of the moment: translated code
 * may keep them in host registers. */
static uint64_t fault_guest_pc(Runtime *rt, uint64_t host_pc, int *precise)
{
    *precise = 0;
    if (codemap_in_code(host_pc)) {
        fault_meta = rt->meta;
        pthread_once(&fault_map_once, build_fault_map);
        uint64_t pc = codemap_access_pc(&fault_map, host_pc);
        if (pc != 0) {
            *precise = 1;
            return pc;
        }
        long i = codemap_find(&fault_map, host_pc);
        return i >= 0 ? fault_map.fns[i].guest : 0;
    }
    return jit_guest_at(rt, host_pc);
}

uint64_t sig_fault_frame(CpuState *s)
{
    Thread *t = s->thread;
    Runtime *rt = t->rt;
    int sig = t->fault.sig, precise;
    sig_fault_returned(t);   /* the host handler ran with every signal blocked */
    uint64_t pc = t->fault.bound_pc;   /* the host code of a bound function: its entry */
    precise = pc != 0;
    if (pc == 0)
        pc = fault_guest_pc(rt, t->fault.host_pc, &precise);
    t->fault.guest_pc = pc;
    if (pc != 0)
        s->pc = pc;
    struct a64_siginfo info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = t->fault.code;
    info.u.fault.addr = t->fault.addr;
    rt_log(rt, LOG_SIGNAL, "%s (code %d) at address 0x%llx in %s (host pc 0x%llx, guest %s 0x%llx)",
           sig_name(sig), t->fault.code, (unsigned long long)t->fault.addr,
           t->fault.bound_pc ? "the host code of a bound function" : "guest code",
           (unsigned long long)t->fault.host_pc, precise ? "pc" : "function", (unsigned long long)pc);
    return enter_handler(s, sig, &info);
}

void sig_host_fault(CpuState *s)
{
    Thread *t = s->thread;
    t->imprecise_frame = sig_fault_frame(s);
}

/* ------------------------------------------------------------------------
 * Return from a handler
 * ------------------------------------------------------------------------ */

int64_t sig_return(CpuState *s)
{
    Thread *t = s->thread;
    Runtime *rt = t->rt;
    uint64_t frame = s->sp;
    uint64_t mask;
    struct a64_stack uc_stack;
    if (frame == t->imprecise_frame && frame != 0) {
        rt_msg("the guest's handler of a fault in translated code returned into it "
               "(guest pc 0x%llx, fault address 0x%llx) with %u handlers nested: translated "
               "code cannot resume at the faulting instruction; the process dies by %s",
               (unsigned long long)t->fault.guest_pc, (unsigned long long)t->fault.addr,
               t->nested, sig_name(t->fault.sig));
        rt_die_by_signal(t->fault.sig);
    }
    if (sigframe_pop(s, &mask, &uc_stack) < 0) {
        rt_log(rt, LOG_SIGNAL, "rt_sigreturn with a bad frame at sp 0x%llx: SIGSEGV",
               (unsigned long long)frame);
        rt_die_by_signal(SIGSEGV);
    }
    sig_set_blocked(t, mask);
    sig_set_altstack(t, &uc_stack, s->sp);   /* errors ignored, as the kernel does */
    rt_log(rt, LOG_SIGNAL, "rt_sigreturn from frame 0x%llx to pc 0x%llx, mask 0x%llx",
           (unsigned long long)frame, (unsigned long long)s->pc, (unsigned long long)mask);
    return (int64_t)s->x[0];
}

/* The trampoline page "executes" mov x8, #139; svc #0: a system call, so
 * signals the restored mask unblocks are delivered on the way out. */
__attribute__((used)) static void tramp_sigreturn_c(CpuState *s)
{
    sig_return(s);
    if (sig_pending_work(s))
        sig_deliver_pending(s, NULL);
}
DBT_FAST_TO_C(tramp_sigreturn, tramp_sigreturn_c);

GuestFn sig_lookup_runtime(const Runtime *rt, uint64_t pc)
{
    return pc == rt->sig_tramp ? &tramp_sigreturn : NULL;
}

/* ------------------------------------------------------------------------
 * The alternate stack (kernel/signal.c: on_sig_stack, sas_ss_flags,
 * do_sigaltstack).  Disabled is ss_size == 0; ss_flags keeps only
 * SS_AUTODISARM.
 * ------------------------------------------------------------------------ */

static int on_altstack(const Thread *t, uint64_t sp)
{
    if (t->altstack.ss_flags & A64_SS_AUTODISARM)
        return 0;
    return sp > t->altstack.ss_sp && sp - t->altstack.ss_sp <= t->altstack.ss_size;
}

void sig_get_altstack(const Thread *t, uint64_t sp, struct a64_stack *out)
{
    *out = t->altstack;
    int mode = t->altstack.ss_size == 0 ? A64_SS_DISABLE : on_altstack(t, sp) ? A64_SS_ONSTACK : 0;
    out->ss_flags = mode | (t->altstack.ss_flags & (int32_t)A64_SS_AUTODISARM);
    out->pad = 0;
}

int sig_set_altstack(Thread *t, const struct a64_stack *ss, uint64_t sp)
{
    if (t->altstack.ss_size && on_altstack(t, sp))
        return -EPERM;
    int mode = ss->ss_flags & ~(int32_t)A64_SS_AUTODISARM;
    if (mode != 0 && mode != A64_SS_DISABLE && mode != A64_SS_ONSTACK)
        return -EINVAL;
    if (mode == A64_SS_DISABLE) {
        t->altstack = (struct a64_stack){0, 0, 0, 0};
        return 0;
    }
    if (ss->ss_size < A64_MINSIGSTKSZ)
        return -ENOMEM;
    t->altstack = (struct a64_stack){
        .ss_sp = ss->ss_sp,
        .ss_flags = ss->ss_flags & (int32_t)A64_SS_AUTODISARM,
        .ss_size = ss->ss_size,
    };
    return 0;
}
