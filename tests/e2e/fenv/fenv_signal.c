/*
 * fenv_signal.c - FPCR and FPSR across a signal handler: the handler runs
 * with the interrupted code's rounding mode and flags, finds them in the
 * fpsimd_context record of its ucontext, and what it writes there is what
 * the interrupted code continues with after sigreturn (as on the arm64
 * kernel).
 */
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "fenv_util.h"

#define FPSIMD_MAGIC_ 0x46508001u

struct fpsimd_record {
    uint32_t magic, size;
    uint32_t fpsr, fpcr;
};

static volatile double sink;

static struct fpsimd_record *find_fpsimd(ucontext_t *uc)
{
    uint8_t *p = (uint8_t *)uc->uc_mcontext.__reserved;
    for (;;) {
        struct fpsimd_record *r = (struct fpsimd_record *)p;
        if (r->magic == FPSIMD_MAGIC_)
            return r;
        if (r->magic == 0 || r->size == 0)
            return NULL;
        p += r->size;
    }
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
    struct fpsimd_record *r = find_fpsimd(ctx);
    if (r == NULL) {
        printf("handler: no fpsimd_context\n");
        return;
    }
    printf("handler: frame fpsr=%08x fpcr=%08x\n", r->fpsr & 0x1fu, r->fpcr);
    printf("handler: fegetround()=%d flags=%02x\n", fegetround(), fetestexcept(FE_ALL_EXCEPT));
    uint64_t u;
    double x = opaque(1.0) / opaque(3.0);
    memcpy(&u, &x, sizeof u);
    printf("handler: 1/3 = %016llx\n", (unsigned long long)u);
    /* what the interrupted code continues with */
    r->fpcr = (r->fpcr & ~(3u << 22)) | 3u << 22; /* round toward zero */
    r->fpsr = FE_OVERFLOW;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    sink = opaque(1.0) / opaque(0.0);
    sink = opaque(1.0) / opaque(3.0);
    raise(SIGUSR1);
    printf("after: fegetround()=%d flags=%02x\n", fegetround(), fetestexcept(FE_ALL_EXCEPT));
    uint64_t u;
    double x = opaque(1.0) / opaque(3.0);
    memcpy(&u, &x, sizeof u);
    printf("after: 1/3 = %016llx\n", (unsigned long long)u);
    fesetround(FE_TONEAREST);
    return 0;
}
