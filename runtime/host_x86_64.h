/*
 * host_x86_64.h - what the runtime needs from its host, x86-64 Linux: raw
 * system calls, the interrupted pc of a signal context, switching stacks,
 * the signal-return restorer.  The MXCSR (the host's FP environment) is in
 * host_x86_64_fpenv.c, the CPU's feature levels in host_x86_64_cpu.c.
 *
 * Everything else in the runtime is written against these few names, so
 * a second host is a second set of host_<arch> files and one #if in
 * runtime.h.
 */
#ifndef DBT_HOST_X86_64_H
#define DBT_HOST_X86_64_H

#include <stdint.h>
#include <string.h>
#include <ucontext.h>

/* Raw system calls return the kernel's value or -errno, exactly what the
 * guest expects, with no errno round trip. */
static inline int64_t host_syscall6(long nr, uint64_t a0, uint64_t a1, uint64_t a2,
                                    uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* One past the highest user address of the host (47-bit x86-64); AArch64
 * guests with 48-bit addresses above it cannot be mapped. */
#define HOST_USER_TOP (1ull << 47)

/* Forward a guest call whose arguments mean the same on the host. */
static inline int64_t host_pass(long host_nr, const uint64_t *a)
{
    return host_syscall6(host_nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The host pc a signal interrupted (the third argument of an SA_SIGINFO
 * handler). */
#define HOST_GREG_RIP 16   /* REG_RIP, which <sys/ucontext.h> names only with _GNU_SOURCE */
static inline uint64_t host_context_pc(const void *uc)
{
    return (uint64_t)((const ucontext_t *)uc)->uc_mcontext.gregs[HOST_GREG_RIP];
}

/* The general-purpose registers of a signal's context (REG_R8 .. REG_RSP,
 * gregs[0..15]: every register translated code may keep a value in). */
#define HOST_CONTEXT_NGPR 16
static inline uint64_t host_context_gpr(const void *uc, unsigned i)
{
    return (uint64_t)((const ucontext_t *)uc)->uc_mcontext.gregs[i];
}

/* The signal mask the host's sigreturn restores (the kernel's 64 bits). */
static inline void host_context_set_mask(void *uc, uint64_t mask)
{
    memcpy(&((ucontext_t *)uc)->uc_sigmask, &mask, sizeof mask);
}

/* Raw rt_sigaction (it reaches signals 32 and 33, which glibc keeps for
 * itself) needs SA_RESTORER, a kernel-only flag, and a restorer of our own
 * that makes the rt_sigreturn call. */
#define HOST_SA_RESTORER 0x04000000
void dbt_rt_host_sigreturn(void) __attribute__((visibility("hidden")));

/* Continue in fn(arg) on the stack whose top is TOP (16-byte aligned),
 * never to come back. */
_Noreturn void host_switch_stack(uint64_t top, void (*fn)(void *), void *arg);

#endif
