/* Calls to functions that never return (aot/cfg_noreturn.c) end their
 * block: no reload after the call, no edge to the next instruction.
 *
 * never_returns has no RET and no BR: it ends in UDF, so recovery finds
 * that it never returns, and so are caller()'s and twice()'s calls to it.
 * Yet it comes back: the SIGILL handler sets the pc to X30, the return
 * site.  The translated caller then leaves as after a longjmp and the run
 * goes on at the return site through the runtime's lookup; the results
 * must be qemu's.  twice() holds values in callee-saved registers across
 * the call (they must be in the CpuState at the call), and fatal() is a
 * real noreturn path (abort()) that is never taken. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

__asm__(".text\n"
        ".global never_returns\n"
        ".type never_returns, %function\n"
        "never_returns:\n"
        "  add x0, x0, #1\n"
        "  .inst 0x00000000\n" /* UDF #0 */
        ".size never_returns, .-never_returns\n");
long never_returns(long x);

static volatile int traps;

static void on_ill(int sig, siginfo_t *si, void *p)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = p;
    uc->uc_mcontext.pc = uc->uc_mcontext.regs[30];
    traps++;
}

__attribute__((noinline, noreturn)) static void fatal(long v)
{
    fprintf(stderr, "fatal %ld\n", v);
    abort();
}

__attribute__((noinline)) long caller(long x)
{
    long r = never_returns(x) * 3;
    if (r < 0)
        fatal(r);
    return r + x;
}

__attribute__((noinline)) long twice(long a, long b)
{
    long k = a * 7 + b, m = a ^ (b << 3);
    long r = never_returns(k);
    r += never_returns(m);
    return r * k - m;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_ill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    long s = 0;
    for (long i = 0; i < 200; i++)
        s += caller(i) + twice(i, 3 * i + 1);
    printf("sum %ld, %d traps\n", s, traps);
    return 0;
}
