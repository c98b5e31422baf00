/* System calls given bad guest pointers return EFAULT, whether the kernel
 * or the runtime's own handler touches the memory: an unmapped address and
 * a read-only page (the program's own code) for calls that write.
 *
 * Then the same calls aimed at 0x200000000000, where a translated program
 * has the runtime, the translated code and its data
 * (linker-scripts/x86_64-output.ld) and a real Arm machine (or qemu) has
 * nothing: every one must fail with EFAULT, and none may write there (the
 * program would crash or print garbage afterwards).  (Not
 * here, because qemu-aarch64 7.2 is no oracle for them: nanosleep, where
 * qemu answers EINVAL, and get_robust_list, which qemu does not have.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD ((void *)0x10)

static void show(const char *what, long r)
{
    printf("%-22s %ld %s\n", what, r, r < 0 && errno == EFAULT ? "EFAULT" : r < 0 ? "other error" : "ok");
}

int main(void)
{
    void *ro = (void *)main;   /* mapped, not writable */
    int p[2];
    pipe(p);
    write(p[1], "data", 4);
    int ep = epoll_create1(0);

    show("uname", syscall(SYS_uname, BAD));
    show("uname read-only", syscall(SYS_uname, ro));
    show("rt_sigprocmask set", syscall(SYS_rt_sigprocmask, SIG_SETMASK, BAD, NULL, 8));
    show("rt_sigprocmask old", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, ro, 8));
    show("rt_sigaction act", syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8));
    show("rt_sigaction old", syscall(SYS_rt_sigaction, SIGUSR1, NULL, BAD, 8));
    show("newfstatat", syscall(SYS_newfstatat, AT_FDCWD, ".", BAD, 0));
    show("newfstatat path", syscall(SYS_newfstatat, AT_FDCWD, BAD, BAD, 0));
    show("fstat", syscall(SYS_fstat, 0, ro));
    show("statx", syscall(SYS_statx, AT_FDCWD, ".", 0, 0xfff, BAD));
    show("openat", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
    show("getcwd", syscall(SYS_getcwd, ro, 100));
    show("clock_gettime", syscall(SYS_clock_gettime, 1, BAD));
    show("getrusage", syscall(SYS_getrusage, 0, BAD));
    show("sysinfo", syscall(SYS_sysinfo, ro));
    show("read", syscall(SYS_read, p[0], ro, 4));
    show("write", syscall(SYS_write, p[1], BAD, 4));
    show("pipe2", syscall(SYS_pipe2, BAD, 0));
    show("clock_nanosleep", syscall(SYS_clock_nanosleep, 0, 0, BAD, NULL));
    show("epoll_ctl", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], BAD));
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);   /* ready: the pipe has data */
    show("epoll_pwait", syscall(SYS_epoll_pwait, ep, ro, 4, 0, NULL, 8));
    show("sigaltstack", syscall(SYS_sigaltstack, BAD, NULL));
    show("getrlimit", syscall(SYS_getrlimit, 0, ro));

    /* A path without its NUL before an unmapped page, then with it. */
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);
    memset(m, 'a', 4096);
    show("openat unterminated", syscall(SYS_openat, AT_FDCWD, m + 4000, O_RDONLY));
    m[4095] = '\0';
    show("openat terminated", syscall(SYS_openat, AT_FDCWD, m + 4000, O_RDONLY));

    /* The translated program's own memory, 64 MiB of it, every 64 KiB. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    unsigned tried = 0, not_efault = 0;
    for (unsigned long k = 0; k < 1024; k++) {
        char *rt = (char *)0x200000000000ul + k * 0x10000;
        struct iovec iov = {rt, 4};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        write(p[1], "data", 4);
        send(sv[1], "data", 4, 0);
#define PROBE(call)                                   \
    do {                                              \
        long r_ = (call);                             \
        tried++;                                      \
        not_efault += !(r_ == -1 && errno == EFAULT); \
    } while (0)
        PROBE(syscall(SYS_read, p[0], rt, 4));
        PROBE(syscall(SYS_write, p[1], rt, 4));
        PROBE(syscall(SYS_readv, p[0], &iov, 1));
        PROBE(syscall(SYS_uname, rt));
        PROBE(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, rt));
        PROBE(syscall(SYS_fstat, 0, rt));
        PROBE(syscall(SYS_getcwd, rt, 64));
        PROBE(syscall(SYS_pipe2, rt, 0));
        PROBE(syscall(SYS_recvmsg, sv[0], &msg, 0));
        PROBE(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, rt, 8));
        PROBE(syscall(SYS_newfstatat, AT_FDCWD, ".", rt, 0));
        PROBE(syscall(SYS_getrusage, 0, rt));
        /* drain what the calls above did not read */
        char junk[64];
        while (recv(sv[0], junk, sizeof junk, MSG_DONTWAIT) > 0)
            ;
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        while (read(p[0], junk, sizeof junk) > 0)
            ;
        fcntl(p[0], F_SETFL, 0);
    }
    printf("runtime memory: %u calls, %u not EFAULT\n", tried, not_efault);
    puts("still alive");
    return 0;
}
