/*
 * trap_handler.c - synchronous signals from instructions: UDF -> SIGILL
 * (ILL_ILLOPC), BRK (__builtin_trap) -> SIGTRAP (TRAP_BRKPT), with and
 * without handlers, ignored, blocked; handlers that read and edit the
 * ucontext.
 *
 *   trap_handler ill-exit      SIGILL handler prints si_addr - function, _exit(0)
 *   trap_handler ill-redirect  handler sets uc pc = recover(), x0 = 42, returns
 *   trap_handler ill-skip      handler sets x0 and pc += 4, returns (continues through the JIT)
 *   trap_handler ill-default   no handler: dies by SIGILL
 *   trap_handler ill-ignored   SIG_IGN: the kernel forces SIGILL anyway
 *   trap_handler ill-blocked   handler installed but SIGILL blocked: dies
 *   trap_handler ill-resethand SA_RESETHAND: second UDF dies by SIGILL
 *   trap_handler brk-default   __builtin_trap(), no handler: dies by SIGTRAP
 *   trap_handler brk-ignored   SIG_IGN: dies by SIGTRAP anyway
 *   trap_handler brk-handler   SIGTRAP handler prints si_code, si_addr, _exit(3)
 *
 * e2e-modes: ill-exit ill-redirect ill-skip ill-default ill-ignored ill-blocked
 * e2e-modes: ill-resethand brk-default brk-ignored brk-handler
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

__attribute__((noinline)) long undefined_insn(long v)
{
    __asm__ volatile(".inst 0x00000000" ::: "memory");   /* UDF #0 */
    return v + 1;
}

/* x0 goes through the UDF: a handler that skips it may change x0. */
__attribute__((noinline)) long undefined_in_x0(long v)
{
    register long x0 __asm__("x0") = v;
    __asm__ volatile(".inst 0x00000000" : "+r"(x0) : : "memory");
    return x0;
}

__attribute__((noinline)) void breakpoint(void)
{
    __builtin_trap();
}

static uintptr_t fn_base;
static volatile int ill_count;

static void on_ill_exit(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    /* Linux gives ILL_ILLOPC (arch/arm64/kernel/traps.c), qemu-aarch64
     * ILL_ILLOPN: accept both so the oracle agrees. */
    printf("SIGILL handler: signo %d, code ILL_ILLOPC %d, errno %d\n", si->si_signo,
           si->si_code == ILL_ILLOPC || si->si_code == ILL_ILLOPN, si->si_errno);
    printf("si_addr = fn + %ld\n", (long)((uintptr_t)si->si_addr - fn_base));
    printf("uc pc == si_addr: %d, fault_address %llu\n", uc->uc_mcontext.pc == (uintptr_t)si->si_addr,
           (unsigned long long)uc->uc_mcontext.fault_address);
    uint32_t insn;
    memcpy(&insn, si->si_addr, 4);
    printf("insn at si_addr 0x%08x\n", insn);
    fflush(stdout);
    _exit(0);
}

__attribute__((noinline)) void recover(long x0)
{
    printf("recovered with x0 = %ld after %d SIGILL(s)\n", x0, ill_count);
    fflush(stdout);
    exit(0);
}

static void on_ill_redirect(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    ill_count++;
    printf("redirect: uc pc - fn = %ld\n", (long)(uc->uc_mcontext.pc - fn_base));
    uc->uc_mcontext.pc = (uintptr_t)recover;
    uc->uc_mcontext.regs[0] = 42;
}

static void on_ill_skip(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    ill_count++;
    uc->uc_mcontext.regs[0] = 1234;
    uc->uc_mcontext.pc += 4;
}

static void on_ill_resethand(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    struct sigaction cur;
    sigaction(SIGILL, NULL, &cur);
    printf("resethand: now %s\n", cur.sa_handler == SIG_DFL ? "SIG_DFL" : "still a handler");
    fflush(stdout);
    uc->uc_mcontext.pc = (uintptr_t)undefined_insn;   /* run the UDF again */
}

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    printf("SIGTRAP handler: signo %d code %d, si_addr = fn + %ld\n", si->si_signo, si->si_code,
           (long)((uintptr_t)si->si_addr - fn_base));
    uint32_t insn;
    memcpy(&insn, si->si_addr, 4);
    printf("insn at si_addr 0x%08x\n", insn);
    fflush(stdout);
    _exit(3);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "ill-exit";
    printf("mode %s\n", mode);
    fflush(stdout);
    if (strncmp(mode, "ill-", 4) == 0) {
        fn_base = (uintptr_t)undefined_insn;
        if (strcmp(mode, "ill-exit") == 0) {
            install(SIGILL, on_ill_exit, 0);
        } else if (strcmp(mode, "ill-redirect") == 0) {
            install(SIGILL, on_ill_redirect, 0);
        } else if (strcmp(mode, "ill-skip") == 0) {
            install(SIGILL, on_ill_skip, 0);
            long r = undefined_in_x0(5);
            printf("after skip: x0 = %ld, %d SIGILL(s)\n", r, ill_count);
            return 0;
        } else if (strcmp(mode, "ill-ignored") == 0) {
            signal(SIGILL, SIG_IGN);
        } else if (strcmp(mode, "ill-blocked") == 0) {
            install(SIGILL, on_ill_exit, 0);
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGILL);
            sigprocmask(SIG_BLOCK, &set, NULL);
        } else if (strcmp(mode, "ill-resethand") == 0) {
            install(SIGILL, on_ill_resethand, SA_RESETHAND);
        }
        long r = undefined_insn(1);
        printf("undefined_insn returned %ld\n", r);
        return 1;
    }
    fn_base = (uintptr_t)breakpoint;
    if (strcmp(mode, "brk-ignored") == 0)
        signal(SIGTRAP, SIG_IGN);
    else if (strcmp(mode, "brk-handler") == 0)
        install(SIGTRAP, on_trap, 0);
    breakpoint();
    printf("breakpoint returned\n");
    return 1;
}
