/*
 * syscall_storm.c - the runtime's system-call layer driven by a guest:
 * many raw SVCs with random numbers and random or boundary arguments.
 *
 *     syscall_storm SEED [CALLS [-v]]
 *
 * A freestanding AArch64 program (-nostdlib -static: no libc state to
 * spoil).  From SEED it issues CALLS (default 20000) system calls, numbers
 * 0..459 and a few out of range, each argument drawn from a pool: small
 * integers, the program's own descriptors (a file, a directory, a pipe,
 * a socket pair, an eventfd, a memfd, an epoll, a timerfd, /dev/null),
 * pointers into its own buffer (random bytes) and into a mapped
 * playground, pointers just past them, into the runtime's image around
 * 0x200000000000 (which must give EFAULT), small and huge lengths, the
 * boundary values of every width, random 64-bit words, and a few
 * prepared structures (a short timespec, an iovec, a loopback address).
 * Every call must come back with a value or an errno (or the guest's
 * SIGALRM handler runs); at the end one line on the saved stdout:
 *
 *     syscall_storm: seed S: N calls, K skipped, E errors, F EFAULT, X ENOSYS, A alarms
 *
 * A translated storm that dies, hangs or misses that line is a runtime
 * bug (syscall_storm.sh runs many seeds).  With -v every call is printed
 * before it is made.
 *
 * What it never does, because the guest itself would legitimately end or
 * wreck the run (the list checked by `skip`/`sanitize` below):
 *   - exit, exit_group, execve, execveat, clone, clone3 (new threads and
 *     processes run the storm's own code on random stacks), rt_sigreturn
 *     (a random frame);
 *   - kill, tkill, tgkill other than of itself with signal 0 or SIGALRM
 *     (other processes, fatal signals);
 *   - rt_sigaction for SIGALRM, or with a handler other than its own or
 *     SIG_IGN (SIG_DFL or a random address would end it on the next
 *     signal); rt_sigsuspend, ppoll, pselect6, epoll_pwait with a mask
 *     that blocks SIGALRM (they would sleep for ever); setitimer other
 *     than ITIMER_REAL (SIGPROF/SIGVTALRM kill) - after each call the
 *     storm unblocks SIGALRM and, after setitimer, re-arms its timer;
 *   - setrlimit/prlimit64 with a new limit from its memory (RLIMIT_CPU,
 *     _FSIZE, _NOFILE end or cripple it); sched_setscheduler and
 *     sched_setparam (real-time priority on a shared machine);
 *   - mmap with MAP_FIXED, munmap, mremap, mprotect, madvise, msync and
 *     mlock of ranges that touch its own image, buffer or stack;
 *   - fcntl F_SETOWN/F_SETOWN_EX/F_SETSIG and ioctl FIOASYNC, FIOSETOWN
 *     and socket ioctls 0x89xx (SIGIO kills; network configuration);
 *   - socket domains other than UNIX, INET, INET6 (raw packets, netlink
 *     as root), addresses for bind/connect/sendto/sendmsg other than
 *     loopback or a bad pointer; mknodat other than a FIFO or a file
 *     (device nodes as root); fallocate beyond 1 MiB;
 *   - paths other than names in its scratch directory (the working
 *     directory, no '/' or '.' in its random bytes).
 * SIGPIPE is ignored from the start (a random close of a pipe's reader).
 */
#include <stddef.h>
#include <stdint.h>

/* ---- raw system calls -------------------------------------------------- */

static inline long svc6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
}

#define SYS1(nr, a) svc6(nr, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(nr, a, b) svc6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(nr, a, b, c) svc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(nr, a, b, c, d) svc6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* asm-generic numbers and constants (the guest ABI, written out: no libc) */
enum {
    NR_eventfd2 = 19, NR_epoll_create1 = 20, NR_epoll_pwait = 22, NR_dup3 = 24, NR_fcntl = 25, NR_ioctl = 29,
    NR_mknodat = 33, NR_mkdirat = 34, NR_fallocate = 47, NR_openat = 56, NR_close = 57, NR_pipe2 = 59,
    NR_write = 64, NR_pselect6 = 72, NR_ppoll = 73, NR_timerfd_create = 85, NR_exit = 93, NR_exit_group = 94,
    NR_setitimer = 103, NR_sched_setparam = 118, NR_sched_setscheduler = 119, NR_kill = 129, NR_tkill = 130,
    NR_tgkill = 131, NR_rt_sigsuspend = 133, NR_rt_sigaction = 134, NR_rt_sigprocmask = 135,
    NR_rt_sigreturn = 139, NR_setrlimit = 164, NR_getpid = 172, NR_gettid = 178, NR_socket = 198,
    NR_socketpair = 199, NR_bind = 200, NR_connect = 203, NR_sendto = 206, NR_sendmsg = 211, NR_brk = 214,
    NR_munmap = 215, NR_mremap = 216, NR_clone = 220, NR_execve = 221, NR_mmap = 222, NR_mprotect = 226,
    NR_msync = 227, NR_mlock = 228, NR_munlock = 229, NR_madvise = 233, NR_prlimit64 = 261,
    NR_sendmmsg = 269, NR_execveat = 281, NR_memfd_create = 279, NR_clone3 = 435, NR_MAX = 460,
};
#define AT_FDCWD (-100)
#define O_RDWR 02
#define O_CREAT 0100
#define O_DIRECTORY 040000
#define O_NONBLOCK 04000
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22
#define MAP_FIXED 0x10
#define MREMAP_FIXED 2
#define SIGALRM 14
#define SIGPIPE 13
#define SA_RESTORER 0x04000000
#define SIG_IGN 1
#define SIG_UNBLOCK 1
#define F_SETOWN 8
#define F_SETSIG 10
#define F_SETOWN_EX 15
#define FIOASYNC 0x5452
#define STORM_OUT 1000       /* the saved stdout: the final line goes there */
#define BUF_SIZE 65536
#define PLAY_SIZE (1 << 20)
#define RUNTIME_BASE 0x200000000000ull

/* ---- state ------------------------------------------------------------- */

static uint64_t rng;
static uint8_t *buf;                  /* BUF_SIZE mapped, then an unmapped page */
static uint64_t play;                 /* the playground mapping */
static uint64_t stack_lo, stack_hi;   /* the stack, kept out of reach */
static int fds[16];
static int nfds;
static volatile unsigned long alarms;
static unsigned long ncalls, nskipped, nerrors, nefault, nenosys;
extern char __executable_start[], _end[];

/* The prepared structures, at the start of the buffer (calls write over
 * them: prepare() makes them again before every call).  Nothing the storm
 * itself needs lies where a call can write: its counters and descriptors
 * are in .bss, which no argument points to. */
typedef struct Prep {
    struct { long sec, nsec; } short_ts;
    struct { uint64_t base, len; } iov[2];
    struct { uint16_t family, port; uint32_t addr; uint8_t zero[8]; } sin_lo;
    struct { uint16_t family; char path[14]; } sun_scratch;
    struct { uint64_t name; uint32_t namelen, pad; uint64_t iov, iovlen, control, controllen; int flags; } msg_ok;
    uint64_t mask_no_alarm;
    struct { uint64_t handler, flags, restorer, mask; } act;
} Prep;
#define P ((Prep *)buf)
static const char *names[] = {"f0", "f1", "d0", "p0", "sock0", "missing", ""};

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t below(uint64_t n) { return rnd() % n; }

static size_t len_of(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void out(const char *s) { SYS3(NR_write, STORM_OUT, s, len_of(s)); }

static void out_num(unsigned long v)
{
    char d[24];
    int k = 23;
    d[k] = 0;
    do
        d[--k] = (char)('0' + v % 10);
    while ((v /= 10) != 0 && k > 0);
    out(&d[k]);
}

static void out_hex(uint64_t v)
{
    char d[20] = "0x";
    for (int i = 0; i < 16; i++)
        d[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    d[18] = 0;
    out(d);
}

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* The signal return trampoline (SA_RESTORER) and the entry point, in
 * assembly: GCC has no naked functions on AArch64. */
void storm_restorer(void);
__asm__(".text\n"
        "storm_restorer: mov x8, #139\n svc 0\n"
        ".globl _start\n"
        "_start: mov x0, sp\n bl storm_main\n brk #0\n");

static void arm_timer(void)
{
    struct { long isec, iusec, sec, usec; } it = {0, 5000, 0, 5000};   /* every 5 ms */
    SYS3(NR_setitimer, 0, &it, 0);
}

/* Random bytes into the buffer, without '/' or '.' (paths stay in the
 * scratch directory) and with a NUL now and then (strings end). */
static void refill(void)
{
    for (size_t i = 0; i < BUF_SIZE; i++) {
        uint8_t b = (uint8_t)rnd();
        buf[i] = b == '/' || b == '.' ? 'x' : i % 61 == 60 ? 0 : b;
    }
}

/* ---- arguments --------------------------------------------------------- */

static uint64_t boundary(void)
{
    static const uint64_t v[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
                                 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                 ~0ull, ~0ull - 4095, 4095, 4096, 1ull << 47, (1ull << 47) - 4096,
                                 0xffff800000000000ull, RUNTIME_BASE - 4096, RUNTIME_BASE - 1};
    return v[below(sizeof v / sizeof v[0])];
}

static uint64_t bad_pointer(void)
{
    switch (below(5)) {
    case 0: return 0;
    case 1: return RUNTIME_BASE + below(32u << 20);             /* the runtime's image */
    case 2: return 8 + below(0x10000);                          /* never mapped */
    case 3: return (1ull << 47) - 8;
    default: return ~0ull - below(4096);
    }
}

static uint64_t arg(void)
{
    switch (below(14)) {
    case 0: return below(65);
    case 1: return nfds ? (uint64_t)fds[below(nfds)] : 3;
    case 2: return (uint64_t)(buf + below(BUF_SIZE));
    case 3: return (uint64_t)(buf + (below(BUF_SIZE) & ~7ull));
    case 4: return play + (below(PLAY_SIZE) & ~4095ull);
    case 5: return play + below(PLAY_SIZE);
    case 6: return (uint64_t)(buf + BUF_SIZE - below(64));       /* crossing the end */
    case 7: return bad_pointer();
    case 8: return boundary();
    case 9: return rnd();
    case 10: return below(8193);
    case 11: return (uint64_t)names[below(sizeof names / sizeof names[0])];
    case 12: {
        const void *structs[] = {&P->short_ts, P->iov, &P->sin_lo, &P->sun_scratch, &P->msg_ok, &P->mask_no_alarm};
        return (uint64_t)structs[below(sizeof structs / sizeof structs[0])];
    }
    default: return (uint64_t)-1 - below(200);                  /* negative fds, -errno-looking */
    }
}

/* Whether [A, A+LEN) touches the storm's image, buffer or stack. */
static int touches_self(uint64_t a, uint64_t len)
{
    uint64_t end = len > ~0ull - a ? ~0ull : a + len;
    if (len == 0)
        end = a + 1;
    uint64_t lo = (uint64_t)__executable_start & ~4095ull, hi = ((uint64_t)_end + 4095) & ~4095ull;
    uint64_t blo = (uint64_t)buf, bhi = blo + BUF_SIZE + 4096;
    return (a < hi && end > lo) || (a < stack_hi && end > stack_lo) || (a < bhi && end > blo);
}

/* Make the call harmless to the run (see the list at the top); false:
 * not to be made at all. */
static int sanitize(long nr, uint64_t *a)
{
    switch (nr) {
    case NR_exit: case NR_exit_group: case NR_execve: case NR_execveat: case NR_clone: case NR_clone3:
    case NR_rt_sigreturn: case NR_sched_setscheduler: case NR_sched_setparam:
        return 0;
    case NR_kill: case NR_tkill: case NR_tgkill: {
        uint64_t sig = below(3) == 0 ? SIGALRM : below(2) ? 0 : 65;
        uint64_t pid = below(4) ? (uint64_t)SYS1(NR_getpid, 0) : 0x7ffffff0;
        if (nr == NR_kill) {
            a[0] = pid;
            a[1] = sig;
        } else if (nr == NR_tkill) {
            a[0] = below(4) ? (uint64_t)SYS1(NR_gettid, 0) : 0x7ffffff0;
            a[1] = sig;
        } else {
            a[0] = pid;
            a[1] = below(4) ? (uint64_t)SYS1(NR_gettid, 0) : 0x7ffffff0;
            a[2] = sig;
        }
        return 1;
    }
    case NR_rt_sigaction:
        if (a[0] == SIGALRM)
            return 0;
        P->act.handler = below(2) ? (uint64_t)on_alarm : SIG_IGN;
        P->act.flags = SA_RESTORER | (rnd() & 0x50000004ull);   /* SA_RESTART, SA_NODEFER, SA_SIGINFO at random; never SA_ONSTACK (a random sigaltstack) */
        P->act.restorer = (uint64_t)storm_restorer;
        P->act.mask = rnd();
        a[1] = below(2) ? (uint64_t)&P->act : below(2) ? 0 : bad_pointer();
        if (a[3] != 8 && below(2))
            a[3] = 8;
        return 1;
    case NR_rt_sigsuspend:
        a[0] = below(2) ? (uint64_t)&P->mask_no_alarm : bad_pointer();
        return a[0] != 0;
    case NR_ppoll:
        a[3] = below(2) ? 0 : bad_pointer();
        return 1;
    case NR_pselect6:
        a[5] = below(2) ? 0 : bad_pointer();
        return 1;
    case NR_epoll_pwait:
        a[4] = below(2) ? 0 : bad_pointer();
        return 1;
    case NR_setitimer:
        a[0] = below(2) ? 0 : 3 + below(10);
        return 1;
    case NR_setrlimit:
        a[1] = below(2) ? 0 : bad_pointer();
        return 1;
    case NR_prlimit64:
        a[2] = below(2) ? 0 : bad_pointer();
        return 1;
    case NR_mmap:
        if (a[3] & MAP_FIXED)
            return !touches_self(a[0], a[1]);
        return 1;
    case NR_mremap:
        return !touches_self(a[0], a[1]) && (!(a[3] & MREMAP_FIXED) || !touches_self(a[4], a[2]));
    case NR_munmap: case NR_mprotect: case NR_madvise: case NR_msync: case NR_mlock: case NR_munlock:
        return !touches_self(a[0], a[1]);
    case NR_fcntl:
        return a[1] != F_SETOWN && a[1] != F_SETSIG && a[1] != F_SETOWN_EX;
    case NR_ioctl:
        return a[1] != FIOASYNC && (a[1] & 0xff00) != 0x8900;
    case NR_socket: case NR_socketpair: {
        static const uint64_t dom[] = {1, 2, 10, 12345};
        a[0] = dom[below(4)];
        return 1;
    }
    case NR_bind: case NR_connect:
        a[1] = below(2) ? (uint64_t)&P->sin_lo : below(2) ? (uint64_t)&P->sun_scratch : bad_pointer();
        return 1;
    case NR_sendto:
        a[4] = below(3) == 0 ? 0 : below(2) ? (uint64_t)&P->sin_lo : bad_pointer();
        return 1;
    case NR_sendmsg: case NR_sendmmsg:
        a[1] = below(2) ? (uint64_t)&P->msg_ok : bad_pointer();
        return 1;
    case NR_mknodat:
        a[2] = (below(2) ? 0010000 : 0100000) | (a[2] & 0777);   /* S_IFIFO or S_IFREG */
        return 1;
    case NR_fallocate:
        a[3] &= (1u << 20) - 1;
        return 1;
    }
    return 1;
}

static long number(void)
{
    switch (below(50)) {
    case 0: return (long)boundary();
    case 1: return (long)((1ull << 32) | below(NR_MAX));   /* high bits set */
    case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10: case 11: case 12: case 13:
        return (long)below(NR_MAX);
    default: return (long)below(294);   /* where most of the calls are */
    }
}

/* ---- the run ------------------------------------------------------------ */

/* The prepared structures as they should be. */
static void prepare(void)
{
    Prep *p = P;
    uint8_t *b = (uint8_t *)p;
    for (size_t i = 0; i < sizeof *p; i++)
        b[i] = 0;
    p->short_ts.nsec = 100000;
    p->iov[0].base = (uint64_t)buf + 4096;
    p->iov[0].len = 100;
    p->iov[1].base = (uint64_t)buf + 8192;
    p->iov[1].len = 4096;
    p->sin_lo.family = 2;
    p->sin_lo.port = (uint16_t)rnd();
    p->sin_lo.addr = 0x0100007f;   /* 127.0.0.1 */
    p->sun_scratch.family = 1;
    for (int i = 0; i < 5; i++)
        p->sun_scratch.path[i] = "sock0"[i];
    p->msg_ok.iov = (uint64_t)p->iov;
    p->msg_ok.iovlen = 2;
    p->mask_no_alarm = ~(1ull << (SIGALRM - 1));
}

static void setup(void)
{
    if (SYS3(NR_dup3, 1, STORM_OUT, 0) != STORM_OUT)
        SYS1(NR_exit_group, 3);
    buf = (uint8_t *)svc6(NR_mmap, 0, BUF_SIZE + 4096, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
    if ((int64_t)buf < 0)
        SYS1(NR_exit_group, 4);
    SYS2(NR_munmap, buf + BUF_SIZE, 4096);   /* writes past the end fault */
    prepare();
    P->act.handler = (uint64_t)on_alarm;
    P->act.flags = SA_RESTORER;
    P->act.restorer = (uint64_t)storm_restorer;
    SYS4(NR_rt_sigaction, SIGALRM, &P->act, 0, 8);
    P->act.handler = SIG_IGN;
    SYS4(NR_rt_sigaction, SIGPIPE, &P->act, 0, 8);
    play = (uint64_t)svc6(NR_mmap, 0, PLAY_SIZE, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
    if ((int64_t)play < 0)
        SYS1(NR_exit_group, 4);
    int fd;
    if ((fd = (int)SYS4(NR_openat, AT_FDCWD, "f0", O_RDWR | O_CREAT, 0600)) >= 0)
        fds[nfds++] = fd;
    SYS3(NR_mkdirat, AT_FDCWD, "d0", 0700);
    if ((fd = (int)SYS4(NR_openat, AT_FDCWD, "d0", O_DIRECTORY, 0)) >= 0)
        fds[nfds++] = fd;
    int p[2];
    if (SYS2(NR_pipe2, p, O_NONBLOCK * 0) == 0) {
        fds[nfds++] = p[0];
        fds[nfds++] = p[1];
    }
    if (SYS4(NR_socketpair, 1, 1, 0, p) == 0) {
        fds[nfds++] = p[0];
        fds[nfds++] = p[1];
    }
    if ((fd = (int)SYS2(NR_eventfd2, 0, 0)) >= 0)
        fds[nfds++] = fd;
    if ((fd = (int)SYS2(NR_memfd_create, "storm", 0)) >= 0)
        fds[nfds++] = fd;
    if ((fd = (int)SYS1(NR_epoll_create1, 0)) >= 0)
        fds[nfds++] = fd;
    if ((fd = (int)SYS2(NR_timerfd_create, 1, 0)) >= 0)
        fds[nfds++] = fd;
    if ((fd = (int)SYS4(NR_openat, AT_FDCWD, "/dev/null", O_RDWR, 0)) >= 0)
        fds[nfds++] = fd;
    refill();
    arm_timer();
}

static uint64_t parse(const char *s)
{
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

__attribute__((used)) static void storm_main(uint64_t *sp)
{
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1);
    if (argc < 2) {
        SYS3(NR_write, 2, "usage: syscall_storm SEED [CALLS [-v]]\n", 39);
        SYS1(NR_exit_group, 2);
    }
    uint64_t seed = parse(argv[1]);
    unsigned long calls = argc > 2 ? parse(argv[2]) : 20000;
    int verbose = argc > 3;
    rng = seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
    stack_lo = ((uint64_t)sp & ~4095ull) - (16u << 20);
    stack_hi = ((uint64_t)sp & ~4095ull) + (16u << 20);
    setup();
    for (unsigned long i = 0; i < calls; i++) {
        if (i % 512 == 511)
            refill();
        prepare();
        long nr = number();
        uint64_t a[6];
        for (int k = 0; k < 6; k++)
            a[k] = arg();
        /* the kernel reads the number from w8: high bits of x8 do not count */
        if (!sanitize((long)(uint32_t)nr, a)) {
            nskipped++;
            continue;
        }
        if (verbose) {
            out_num(i);
            out(": ");
            out_num((unsigned long)nr & 0xffffffffffff);
            for (int k = 0; k < 6; k++) {
                out(" ");
                out_hex(a[k]);
            }
            out("\n");
        }
        long r = svc6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
        ncalls++;
        if (r < 0 && r >= -4095) {
            nerrors++;
            nefault += r == -14;
            nenosys += r == -38;
        }
        /* the storm's own signal state back, whatever the call did */
        uint64_t alrm = 1ull << (SIGALRM - 1);
        SYS4(NR_rt_sigprocmask, SIG_UNBLOCK, &alrm, 0, 8);
        if ((uint32_t)nr == NR_setitimer)
            arm_timer();
    }
    out("syscall_storm: seed ");
    out_num(seed);
    out(": ");
    out_num(ncalls);
    out(" calls, ");
    out_num(nskipped);
    out(" skipped, ");
    out_num(nerrors);
    out(" errors, ");
    out_num(nefault);
    out(" EFAULT, ");
    out_num(nenosys);
    out(" ENOSYS, ");
    out_num(alarms);
    out(" alarms\n");
    SYS1(NR_exit_group, 0);
}
