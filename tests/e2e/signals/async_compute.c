/*
 * async_compute.c - asynchronous signals that arrive while the guest
 * computes and makes no system call: translated code must see them at its
 * safe points (loop headers), not only at the next system call.
 *
 *   async_compute spin-flag   alarm(1), then `while (!flag);`: the handler
 *                             sets the flag and the loop ends
 *   async_compute spin-exit   alarm(1), then an endless loop without memory
 *                             accesses (`b .` after optimization); the
 *                             handler calls _exit(0), as gcc.dg/vect's
 *                             pr101145inf does
 *   async_compute interrupted a 1 ms interval timer interrupts a long
 *                             integer, FP and vector computation many
 *                             times; the handler does FP and vector work of
 *                             its own.  The result must not change: the
 *                             loop resumes at its header with every
 *                             register as it was
 *   async_compute flags-live  the same timer, and a loop whose header reads
 *                             the flags the previous iteration set (NZCV live
 *                             across the safe point): the count must not
 *                             change
 *   async_compute jit-spin    spin-flag in code the guest writes at run time
 *                             (translated by the runtime's JIT: its loop
 *                             headers are safe points too)
 *   async_compute call-loop   the same timer, and loops of 1000 that call
 *                             loops of 1000 that call loops of 100: no
 *                             single call runs a header 1024 times, so the
 *                             timer is seen only because a loop looks at
 *                             cpu->intr after every call (lifter.c:
 *                             safe_point counts header visits down from
 *                             1024 and reads it only at zero)
 *   async_compute context     a loop on registers only waits until X20 is
 *                             nonzero; the timer's handler sets X19 and
 *                             X20 in the interrupted context.  The loop
 *                             must go on with the handler's registers:
 *                             the safe point's call sees the state
 *                             changed and leaves for the dispatcher,
 *                             instead of going on with the registers the
 *                             translated code holds (it would never end)
 *
 * e2e-modes: spin-flag spin-exit interrupted flags-live jit-spin call-loop context
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t flag;
static volatile unsigned long ticks;
static volatile double handler_sink;

static void on_alarm_flag(int sig)
{
    (void)sig;
    flag = 1;
}

static void on_alarm_exit(int sig)
{
    (void)sig;
    static const char msg[] = "handler: exiting from the loop\n";
    ssize_t w = write(1, msg, sizeof msg - 1);
    (void)w;
    _exit(0);
}

/* Clobbers FP and vector registers: the interrupted loop must not notice. */
static void on_tick(int sig)
{
    (void)sig;
    double v[8];
    for (int i = 0; i < 8; i++)
        v[i] = handler_sink * 1.5 + i;
    double s = 0;
    for (int i = 0; i < 8; i++)
        s += v[i] * v[7 - i];
    handler_sink = s * 1e-9;
    ticks++;
}

/* Changes the registers of the interrupted context (mode context). */
static void on_tick_context(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    ucontext_t *uc = ctx;
    uc->uc_mcontext.regs[19] = 0x1234;
    uc->uc_mcontext.regs[20] = 1;
}

static void install(void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigaction(SIGALRM, &sa, NULL);
}

__attribute__((noinline)) static void spin_forever(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory");
}

/* Integer, scalar FP and (vectorized) array work, long enough for many
 * timer ticks: a fixed result whatever interrupts it. */
static char result[128];

__attribute__((noinline)) static void compute(unsigned rounds)
{
    static float a[1024], b[1024];
    uint64_t x = 88172645463325252ull, h = 0;
    double acc = 0;
    for (int i = 0; i < 1024; i++) {
        a[i] = (float)i * 0.25f;
        b[i] = 1.0f / (float)(i + 1);
    }
    for (unsigned r = 0; r < rounds; r++) {
        for (int i = 0; i < 1024; i++)
            a[i] = a[i] * 0.999f + b[i];
        for (int k = 0; k < 64; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            h = h * 31 + (x >> 11);
            acc += (double)(x >> 11) * 0x1p-53;
        }
    }
    float s = 0;
    for (int i = 0; i < 1024; i++)
        s += a[i];
    snprintf(result, sizeof result, "h %016llx acc %.17g sum %.9g", (unsigned long long)h, acc, (double)s);
}

/* Counts the iterations whose predecessor left Z set: CINC at the loop
 * header reads the flags of the previous iteration's TST. */
__attribute__((noinline)) static uint64_t flags_across_header(uint64_t n)
{
    uint64_t count = 0, x = 0, t;
    __asm__ volatile("cmn  %[n], #0\n"          /* Z = 0 on the way in (n > 0) */
                     "1:\n"
                     "cinc %[count], %[count], eq\n"
                     "add  %[x], %[x], #1\n"
                     "eor  %[t], %[x], %[x], lsr #3\n"
                     "tst  %[t], #7\n"
                     "sub  %[n], %[n], #1\n"
                     "cbnz %[n], 1b\n"
                     : [count] "+r"(count), [x] "+r"(x), [t] "=&r"(t), [n] "+r"(n)
                     :
                     : "cc");
    return count;
}

/* Spins on registers alone until X20 is nonzero; then X19. */
__attribute__((noinline)) static uint64_t wait_for_context(void)
{
    uint64_t out;
    __asm__ volatile("mov x19, #0\n"
                     "mov x20, #0\n"
                     "mov x21, #0\n"
                     "1:\n"
                     "add x21, x21, #1\n"
                     "cbz x20, 1b\n"
                     "mov %[out], x19\n"
                     : [out] "=r"(out)
                     :
                     : "x19", "x20", "x21");
    return out;
}

/* Three nested levels of calls; each loop's own header runs fewer than
 * 1024 times per call. */
__attribute__((noinline)) static uint64_t level1(uint64_t s)
{
    for (unsigned i = 0; i < 100; i++)
        s = s * 6364136223846793005ull + i;
    return s;
}

__attribute__((noinline)) static uint64_t level2(uint64_t s)
{
    for (unsigned i = 0; i < 1000; i++)
        s = level1(s) ^ i;
    return s;
}

__attribute__((noinline)) static uint64_t level3(uint64_t s)
{
    for (unsigned i = 0; i < 1000; i++)
        s = level2(s) + i;
    return s;
}

/* A 1 ms interval timer whose handler clobbers FP and vector registers. */
static void ticks_start(void)
{
    install(on_tick);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Stops it; how many ticks were delivered.  The caller makes no system
 * call between ticks_start() and this, so only ticks delivered at safe
 * points count. */
static unsigned long ticks_stop(void)
{
    unsigned long seen = ticks;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    return seen;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "spin-flag";
    setvbuf(stdout, NULL, _IONBF, 0);
    if (strcmp(mode, "spin-flag") == 0) {
        install(on_alarm_flag);
        alarm(1);
        while (!flag)
            ;
        printf("flag set by the handler\n");
        return 0;
    }
    if (strcmp(mode, "spin-exit") == 0) {
        install(on_alarm_exit);
        alarm(1);
        spin_forever();
    }
    if (strcmp(mode, "interrupted") == 0) {
        ticks_start();
        compute(60000);
        unsigned long seen = ticks_stop();
        printf("%s\ninterrupted during the computation: %s\n", result, seen > 0 ? "yes" : "no");
        return 0;
    }
    if (strcmp(mode, "flags-live") == 0) {
        ticks_start();
        uint64_t count = flags_across_header(40000000);
        unsigned long seen = ticks_stop();
        printf("count %llu\ninterrupted during the loop: %s\n", (unsigned long long)count, seen > 0 ? "yes" : "no");
        return 0;
    }
    if (strcmp(mode, "call-loop") == 0) {
        ticks_start();
        uint64_t s = level3(1);
        unsigned long seen = ticks_stop();
        printf("s %016llx\ninterrupted during the calls: %s\n", (unsigned long long)s, seen > 0 ? "yes" : "no");
        return 0;
    }
    if (strcmp(mode, "context") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_tick_context;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 0}, {0, 10000}}; /* once, after 10 ms */
        setitimer(ITIMER_REAL, &it, NULL);
        uint64_t x19 = wait_for_context();
        printf("X19 %#llx after the handler changed the context\n", (unsigned long long)x19);
        return 0;
    }
    if (strcmp(mode, "jit-spin") == 0) {
        /* 1: ldr w1, [x0]; cbz w1, 1b; ret  (aarch64-linux-gnu-as) */
        static const uint32_t words[] = {0xb9400001, 0x34ffffe1, 0xd65f03c0};
        uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (code == MAP_FAILED) {
            perror("mmap");
            return 2;
        }
        memcpy(code, words, sizeof words);
        __builtin___clear_cache((char *)code, (char *)(code + 3));
        install(on_alarm_flag);
        alarm(1);
        ((void (*)(volatile sig_atomic_t *))code)(&flag);
        printf("flag set by the handler, seen by generated code\n");
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
