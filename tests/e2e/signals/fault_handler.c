/*
 * fault_handler.c - SIGSEGV and SIGBUS raised by the guest's own memory
 * accesses (host faults in translated code), with and without handlers.
 *
 *   fault_handler segv-longjmp    handler recovers with siglongjmp: a write to
 *                                 an unmapped page (SEGV_MAPERR), a write to a
 *                                 read-only page (SEGV_ACCERR), a read through
 *                                 a wild pointer, then 1000 faults in a loop
 *   fault_handler segv-default    no handler: a null dereference kills by SIGSEGV
 *   fault_handler segv-ignored    SIG_IGN: the kernel forces SIGSEGV anyway
 *   fault_handler segv-blocked    handler installed, SIGSEGV blocked: dies
 *   fault_handler segv-resethand  SA_RESETHAND: the second fault kills
 *   fault_handler segv-exit       handler prints and calls _exit(7)
 *   fault_handler stack-overflow  unbounded recursion; the handler runs on the
 *                                 sigaltstack and siglongjmps out
 *   fault_handler stack-noalt     the same without an alternate stack: dies
 *   fault_handler bus             a page of a file mapping beyond the file's
 *                                 end: SIGBUS (BUS_ADRERR), recovered
 *   fault_handler nested          a SIGUSR1 handler faults and recovers inside
 *                                 itself, then returns normally
 *   fault_handler thread          a second thread faults and recovers; the
 *                                 main thread is not disturbed
 *   fault_handler segv-return     the handler makes the page writable and
 *                                 returns: the write is retried
 *   fault_handler write-barrier   a garbage collector's write barrier: a loop
 *                                 stores into read-only pages, the handler
 *                                 makes each writable and returns; the loop's
 *                                 registers survive, and the handler sees the
 *                                 pc of the faulting store (printed as an
 *                                 offset in the function, equal to qemu's)
 *
 * e2e-modes: segv-longjmp segv-default segv-ignored segv-blocked segv-resethand
 * e2e-modes: segv-exit stack-overflow stack-noalt bus nested thread segv-return
 * e2e-modes: write-barrier

 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile uintptr_t expect_addr;
static volatile int faults;
static char *altstack_lo, *altstack_hi;
static volatile int on_altstack;

static void report(const char *what, int sig, const siginfo_t *si)
{
    printf("%s: signo %d code %d addr %s\n", what, sig, si->si_code,
           expect_addr == 0                         ? "not compared"
           : (uintptr_t)si->si_addr == expect_addr ? "as expected"
                                                    : "UNEXPECTED");
}

static void on_fault_longjmp(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    faults++;
    if (faults <= 3)
        report("handler", sig, si);
    char here;
    on_altstack = &here >= altstack_lo && &here < altstack_hi;
    siglongjmp(env, 1);
}

static void on_fault_exit(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    report("exit handler", sig, si);
    fflush(stdout);
    _exit(7);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

__attribute__((noinline)) static void store(volatile int *p, int v) { *p = v; }
__attribute__((noinline)) static int load(volatile int *p) { return *p; }

/* Unmapped: a page mapped and then unmapped again. */
static volatile int *unmapped_page(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, 4096);
    return p;
}

static void try_store(const char *what, volatile int *p)
{
    expect_addr = (uintptr_t)p;
    if (sigsetjmp(env, 1) == 0) {
        store(p, 1);
        printf("%s: no fault\n", what);
    } else {
        printf("%s: recovered\n", what);
    }
}

static void segv_longjmp(void)
{
    install(SIGSEGV, on_fault_longjmp, 0);
    try_store("unmapped write", unmapped_page());
    int *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    try_store("read-only write", ro);
    volatile int *wild = (volatile int *)(uintptr_t)0x10;
    expect_addr = (uintptr_t)wild;
    if (sigsetjmp(env, 1) == 0)
        printf("wild read: %d\n", load(wild));
    else
        printf("wild read: recovered\n");
    /* The mask is restored by siglongjmp (savesigs = 1): SIGSEGV is not
     * left blocked after a recovery. */
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("SIGSEGV blocked after recovery: %d\n", sigismember(&cur, SIGSEGV));
    int before = faults;
    volatile int *p = unmapped_page();
    expect_addr = (uintptr_t)p;
    for (int i = 0; i < 1000; i++)
        if (sigsetjmp(env, 1) == 0)
            store(p, i);
    printf("loop: %d faults\n", faults - before);
}

static void stack_overflow(int alt)
{
    if (alt) {
        size_t size = 64 * 1024;
        altstack_lo = malloc(size);
        altstack_hi = altstack_lo + size;
        stack_t ss = {.ss_sp = altstack_lo, .ss_size = size, .ss_flags = 0};
        sigaltstack(&ss, NULL);
    }
    install(SIGSEGV, on_fault_longjmp, SA_ONSTACK);
    expect_addr = 0;   /* somewhere below the stack: not compared */
    extern int recurse(volatile char *, int);
    if (sigsetjmp(env, 1) == 0) {
        printf("recursing\n");
        fflush(stdout);
        char top;
        recurse(&top, 0);
        printf("no overflow\n");
    } else {
        printf("stack overflow caught: %d fault(s), on the alternate stack: %d\n", faults,
               on_altstack);
    }
}

/* Each frame keeps a buffer alive, so the recursion cannot become a loop. */
__attribute__((noinline)) int recurse(volatile char *prev, int depth)
{
    volatile char buf[512];
    buf[0] = (char)depth;
    buf[511] = prev[0];
    return recurse(buf, depth + 1) + buf[1];
}

static void bus(void)
{
    char path[] = "/tmp/fault_handlerXXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        printf("cannot make the file\n");
        return;
    }
    /* Two pages of a one-page file: the second is beyond the end. */
    volatile int *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    install(SIGBUS, on_fault_longjmp, 0);
    store(map, 5);
    printf("first page: %d\n", load(map));
    volatile int *beyond = map + 4096 / sizeof(int);
    expect_addr = (uintptr_t)beyond;
    if (sigsetjmp(env, 1) == 0)
        printf("beyond the end: %d\n", load(beyond));
    else
        printf("beyond the end: recovered\n");
}

static sigjmp_buf inner_env;

static void on_fault_inner(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    report("inner handler", sig, si);
    siglongjmp(inner_env, 1);
}

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    (void)si;
    (void)ctx;
    printf("SIGUSR1 handler: signo %d\n", sig);
    volatile int *p = unmapped_page();
    expect_addr = (uintptr_t)p;
    if (sigsetjmp(inner_env, 1) == 0)
        store(p, 1);
    else
        printf("SIGUSR1 handler: recovered, returning\n");
}

static void nested(void)
{
    install(SIGSEGV, on_fault_inner, SA_NODEFER);
    install(SIGUSR1, on_usr1, 0);
    volatile long sum = 0;
    for (int i = 0; i < 100; i++) {
        sum += i;
        if (i == 50)
            raise(SIGUSR1);
    }
    printf("after the handler: sum %ld\n", (long)sum);
}

static __thread sigjmp_buf thread_env;

static void on_fault_thread(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    report("thread handler", sig, si);
    siglongjmp(thread_env, 1);
}

static void *thread_main(void *arg)
{
    (void)arg;
    volatile int *p = unmapped_page();   /* here: a new thread's stack may reuse a hole */
    expect_addr = (uintptr_t)p;
    if (sigsetjmp(thread_env, 1) == 0)
        store(p, 1);
    else
        printf("thread: recovered\n");
    return NULL;
}

static void thread(void)
{
    install(SIGSEGV, on_fault_thread, 0);
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    printf("main: joined\n");
}

static volatile int *retry_page;

static void on_fault_return(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    report("return handler", sig, si);
    mprotect((void *)retry_page, 4096, PROT_READ | PROT_WRITE);
}

static void segv_return(void)
{
    retry_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect_addr = (uintptr_t)retry_page;
    install(SIGSEGV, on_fault_return, 0);
    store(retry_page, 42);
    printf("after the retried write: %d\n", load(retry_page));
}

enum { WB_PAGES = 8, WB_SEEN = 4 };
static char *wb_area;
static volatile int wb_faults;
static uintptr_t wb_pc[WB_SEEN];

__attribute__((noinline)) static long wb_fill(long *a, long n, long seed)
{
    long sum = 0;
    for (long i = 0; i < n; i++) {   /* one store per page */
        long v = seed * (i + 1) ^ (sum >> 3);
        a[i * (4096 / sizeof(long))] = v;
        sum += v * (i | 1);
    }
    return sum;
}

static void on_fault_wb(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    ucontext_t *uc = ctx;
    if (wb_faults < WB_SEEN)
        wb_pc[wb_faults] = uc->uc_mcontext.pc;
    wb_faults++;
    uintptr_t page = (uintptr_t)si->si_addr & ~(uintptr_t)4095;
    if (page < (uintptr_t)wb_area || page >= (uintptr_t)wb_area + WB_PAGES * 4096)
        _exit(9);   /* not the barrier's fault */
    mprotect((void *)page, 4096, PROT_READ | PROT_WRITE);
}

static void write_barrier(void)
{
    wb_area = mmap(NULL, WB_PAGES * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    install(SIGSEGV, on_fault_wb, 0);
    long sum = wb_fill((long *)wb_area, WB_PAGES, 0x9e3779b97f4a7c15);
    printf("sum %ld, faults %d\n", sum, wb_faults);
    for (int i = 0; i < WB_SEEN && i < wb_faults; i++)
        printf("fault %d at wb_fill+0x%lx\n", i, (unsigned long)(wb_pc[i] - (uintptr_t)wb_fill));
    long check = 0;
    for (int i = 0; i < WB_PAGES; i++)
        check += ((long *)wb_area)[i * (4096 / sizeof(long))];
    printf("stored values add up to %ld\n", check);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "segv-longjmp";
    printf("mode %s\n", mode);
    fflush(stdout);
    if (strcmp(mode, "segv-longjmp") == 0) {
        segv_longjmp();
    } else if (strcmp(mode, "segv-default") == 0) {
        store((volatile int *)0, 1);
    } else if (strcmp(mode, "segv-ignored") == 0) {
        signal(SIGSEGV, SIG_IGN);
        store((volatile int *)0, 1);
    } else if (strcmp(mode, "segv-blocked") == 0) {
        install(SIGSEGV, on_fault_exit, 0);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGSEGV);
        sigprocmask(SIG_BLOCK, &set, NULL);
        store((volatile int *)0, 1);
    } else if (strcmp(mode, "segv-resethand") == 0) {
        install(SIGSEGV, on_fault_longjmp, SA_RESETHAND);
        try_store("first fault", unmapped_page());
        fflush(stdout);
        try_store("second fault", unmapped_page());
    } else if (strcmp(mode, "segv-exit") == 0) {
        install(SIGSEGV, on_fault_exit, 0);
        volatile int *p = unmapped_page();
        expect_addr = (uintptr_t)p;
        store(p, 1);
    } else if (strcmp(mode, "stack-overflow") == 0) {
        stack_overflow(1);
    } else if (strcmp(mode, "stack-noalt") == 0) {
        stack_overflow(0);
    } else if (strcmp(mode, "bus") == 0) {
        bus();
    } else if (strcmp(mode, "nested") == 0) {
        nested();
    } else if (strcmp(mode, "thread") == 0) {
        thread();
    } else if (strcmp(mode, "segv-return") == 0) {
        segv_return();
    } else if (strcmp(mode, "write-barrier") == 0) {
        write_barrier();
    } else {
        printf("unknown mode\n");
        return 2;
    }
    printf("done\n");
    return 0;
}
