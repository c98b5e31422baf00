/*
 * raise_handler.c - handlers entered at a system call (raise = tgkill):
 * siginfo, the frame's contents, the mask during the handler, registers
 * surviving the handler, nested and SA_NODEFER deliveries.
 *
 *   raise_handler basic     SA_SIGINFO handler for SIGUSR1
 *   raise_handler nested    a SIGUSR1 handler raising SIGUSR2 (plain handler)
 *   raise_handler nodefer   SA_NODEFER: the handler re-enters itself
 *   raise_handler restorer  SA_RESTORER with our own rt_sigreturn stub
 *   raise_handler samask    sa_mask holds SIGUSR2: raised in the handler, it
 *                           waits for the return; the handler also adds
 *                           SIGUSR1 to uc_sigmask, which sigreturn installs
 *   raise_handler segv      raise(SIGSEGV) with a handler
 *
 * e2e-modes: basic nested nodefer restorer samask segv
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int depth, max_depth, calls;
static char log_buf[4096];
static volatile size_t log_len; /* written by handlers: volatile */

static void logf_(const char *fmt, long a, long b)
{
    log_len += (size_t)snprintf(log_buf + log_len, sizeof log_buf - log_len, fmt, a, b);
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig);
}

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    mcontext_t *mc = &uc->uc_mcontext;
    calls++;
    logf_("handler: sig %ld code %ld\n", sig, si->si_code);
    logf_("  si_signo %ld pid ok %ld\n", si->si_signo, si->si_pid == getpid());
    logf_("  uid ok %ld errno %ld\n", si->si_uid == getuid(), si->si_errno);
    logf_("  uc - info = %ld, stack aligned %ld\n", (long)((char *)uc - (char *)si),
          ((uintptr_t)__builtin_frame_address(0) & 15) == 0);
    logf_("  SIGUSR1 blocked in handler %ld, in uc_sigmask %ld\n", blocked(SIGUSR1),
          sigismember(&uc->uc_sigmask, SIGUSR1));
    /* The interrupted instruction: right after the tgkill SVC. */
    uint32_t prev;
    memcpy(&prev, (const void *)(mc->pc - 4), 4);
    logf_("  insn before pc 0x%lx, x8 %ld\n", prev, (long)mc->regs[8]);
    logf_("  x0 (tgkill result) %ld, nzcv 0x%lx\n", (long)mc->regs[0], (long)(mc->pstate >> 28));
    logf_("  fault_address %ld, sp ok %ld\n", (long)mc->fault_address, mc->sp > (uintptr_t)uc);
    uint32_t magic, size;
    memcpy(&magic, mc->__reserved, 4);
    memcpy(&size, mc->__reserved + 4, 4);
    logf_("  first record magic 0x%lx size %ld\n", magic, size);
    struct fpsimd_context *fp = (struct fpsimd_context *)mc->__reserved;
    logf_("  fpcr 0x%lx, uc_flags %ld\n", fp->fpcr, (long)uc->uc_flags);
    logf_("  uc_link %ld, uc_stack.ss_flags %ld\n", (long)(uintptr_t)uc->uc_link, uc->uc_stack.ss_flags);
    /* Clobber FP/SIMD registers; the interrupted code must not notice. */
    volatile double d = 1.0;
    for (int i = 0; i < 10; i++)
        d = d * 3.5 + 0.25;
    logf_("  handler computed %ld (%ld)\n", (long)d, 0);
}

static void on_usr2(int sig)
{
    logf_("usr2 handler: sig %ld, depth %ld\n", sig, depth);
}

static void on_usr1_nested(int sig, siginfo_t *si, void *ctx)
{
    depth++;
    logf_("usr1 enter depth %ld (usr2 blocked %ld)\n", depth, blocked(SIGUSR2));
    raise(SIGUSR2);
    logf_("usr1 leave depth %ld (%ld)\n", depth, 0);
    depth--;
}

static void on_usr1_nodefer(int sig, siginfo_t *si, void *ctx)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    logf_("nodefer enter depth %ld blocked %ld\n", depth, blocked(SIGUSR1));
    if (depth < 3)
        raise(SIGUSR1);
    logf_("nodefer leave depth %ld (%ld)\n", depth, 0);
    depth--;
}

static void on_usr1_samask(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    logf_("samask enter: SIGUSR2 blocked %ld (%ld)\n", blocked(SIGUSR2), 0);
    raise(SIGUSR2);
    logf_("samask leave: usr2 not run yet (%ld%ld)\n", 0, 0);
    sigaddset(&uc->uc_sigmask, SIGUSR1);
}

static void on_segv(int sig)
{
    logf_("SIGSEGV handler %ld (%ld)\n", sig, 0);
}

/* Registers that live across raise(): integer and FP, computed from
 * values the compiler cannot see. */
static volatile long seed = 7;
static volatile double fseed = 1.25;

__attribute__((noinline)) static void survive(void)
{
    long a = seed, b = a * 3, c = b ^ 0x5555, d = c + a, e = d * d, f = e - b;
    double x = fseed, y = x * 2.5, z = y - 0.125, w = z * z;
    raise(SIGUSR1);
    printf("after raise: %ld %ld %ld %ld %ld %ld\n", a, b, c, d, e, f);
    printf("fp after raise: %.6f %.6f %.6f %.6f\n", x, y, z, w);
}

/* rt_sigreturn through the system call, as musl does it. */
extern void my_restorer(void);
__asm__(".text\n.globl my_restorer\n.type my_restorer,%function\nmy_restorer:\n"
        "\tmov x8, #139\n\tsvc #0\n.size my_restorer, .-my_restorer\n");

struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "basic";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO;
    if (strcmp(mode, "basic") == 0) {
        sa.sa_sigaction = on_usr1;
        sigaction(SIGUSR1, &sa, NULL);
        survive();
        printf("SIGUSR1 blocked after handler: %d\n", blocked(SIGUSR1));
    } else if (strcmp(mode, "nested") == 0) {
        sa.sa_sigaction = on_usr1_nested;
        sigaction(SIGUSR1, &sa, NULL);
        signal(SIGUSR2, on_usr2);
        raise(SIGUSR1);
    } else if (strcmp(mode, "nodefer") == 0) {
        sa.sa_sigaction = on_usr1_nodefer;
        sa.sa_flags |= SA_NODEFER;
        sigaction(SIGUSR1, &sa, NULL);
        raise(SIGUSR1);
        printf("max depth %d\n", max_depth);
    } else if (strcmp(mode, "restorer") == 0) {
        struct kernel_sigaction k = {(void *)on_usr1, SA_SIGINFO | 0x04000000 /* SA_RESTORER */,
                                     my_restorer, 0};
        long r = syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 8);
        printf("rt_sigaction %ld\n", r);
        survive();
        printf("SIGUSR1 blocked after handler: %d\n", blocked(SIGUSR1));
    } else if (strcmp(mode, "samask") == 0) {
        sa.sa_sigaction = on_usr1_samask;
        sigemptyset(&sa.sa_mask);
        sigaddset(&sa.sa_mask, SIGUSR2);
        sigaction(SIGUSR1, &sa, NULL);
        signal(SIGUSR2, on_usr2);
        raise(SIGUSR1);
        logf_("after: SIGUSR1 blocked %ld, SIGUSR2 blocked %ld\n", blocked(SIGUSR1), blocked(SIGUSR2));
    } else if (strcmp(mode, "segv") == 0) {
        signal(SIGSEGV, on_segv);
        raise(SIGSEGV);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    fputs(log_buf, stdout);
    printf("calls %d\n", calls);
    return 0;
}
