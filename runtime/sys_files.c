/*
 * sys_files.c - file system calls.
 *
 * Most file calls take integers, path pointers and buffers whose layout is
 * the same on AArch64 and x86-64 (iovec, linux_dirent64, statx, termios,
 * winsize, flock, pollfd, timespec, statfs), and the AT_* flags and errno
 * values are shared: those pass straight to the host kernel.  Guest
 * pointers are host pointers (identity mapping), so nothing is copied.
 *
 * What differs, and is translated here:
 *   - open flags (openat, fcntl F_GETFL/F_SETFL, pipe2): O_DIRECTORY,
 *     O_NOFOLLOW, O_DIRECT and O_LARGEFILE sit at different bits
 *     (table open_flags; see a64_abi.h);
 *   - struct stat (newfstatat, fstat): host_to_guest_stat;
 *   - ioctl: only requests known to carry the same data on both ABIs are
 *     forwarded; any other request fails with -ENOTTY ("inappropriate
 *     ioctl for device") rather than risk a mistranslated structure;
 *   - fcntl: only the commands listed (all identical) are forwarded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "runtime.h"

/* glibc defines O_LARGEFILE as 0 on x86-64 (it is implied); the kernel's
 * bit, which F_GETFL reports, is 0100000. */
#define HOST_O_LARGEFILE 0100000

static const FlagMap open_flags[] = {
    {A64_O_WRONLY, O_WRONLY},
    {A64_O_RDWR, O_RDWR},
    {A64_O_CREAT, O_CREAT},
    {A64_O_EXCL, O_EXCL},
    {A64_O_NOCTTY, O_NOCTTY},
    {A64_O_TRUNC, O_TRUNC},
    {A64_O_APPEND, O_APPEND},
    {A64_O_NONBLOCK, O_NONBLOCK},
    {A64_O_DSYNC, O_DSYNC},
    {A64_O_ASYNC, O_ASYNC},
    {A64_O_DIRECTORY, O_DIRECTORY},
    {A64_O_NOFOLLOW, O_NOFOLLOW},
    {A64_O_DIRECT, O_DIRECT},
    {A64_O_LARGEFILE, HOST_O_LARGEFILE},
    {A64_O_NOATIME, O_NOATIME},
    {A64_O_CLOEXEC, O_CLOEXEC},
    {A64_O_SYNC_BIT, O_SYNC & ~O_DSYNC},
    {A64_O_PATH, O_PATH},
    {A64_O_TMPFILE_BIT, O_TMPFILE & ~O_DIRECTORY},
};

static uint64_t guest_to_host_open_flags(const Runtime *rt, uint64_t v)
{
    uint64_t unknown;
    uint64_t host = flags_guest_to_host(open_flags, ARRAY_LEN(open_flags), v, &unknown);
    if (unknown)
        rt_log(rt, LOG_SYSCALL, "open flags 0%llo not translatable: dropped",
               (unsigned long long)unknown);
    return host;
}

static uint64_t host_to_guest_open_flags(uint64_t v)
{
    return flags_host_to_guest(open_flags, ARRAY_LEN(open_flags), v, NULL);
}

static void host_to_guest_stat(struct a64_stat *g, const struct stat *h)
{
    memset(g, 0, sizeof *g);
    g->st_dev = h->st_dev;
    g->st_ino = h->st_ino;
    g->st_mode = h->st_mode;
    g->st_nlink = (uint32_t)h->st_nlink;
    g->st_uid = h->st_uid;
    g->st_gid = h->st_gid;
    g->st_rdev = h->st_rdev;
    g->st_size = h->st_size;
    g->st_blksize = (int32_t)h->st_blksize;
    g->st_blocks = h->st_blocks;
    g->st_atime_sec = h->st_atim.tv_sec;
    g->st_atime_nsec = (uint64_t)h->st_atim.tv_nsec;
    g->st_mtime_sec = h->st_mtim.tv_sec;
    g->st_mtime_nsec = (uint64_t)h->st_mtim.tv_nsec;
    g->st_ctime_sec = h->st_ctim.tv_sec;
    g->st_ctime_nsec = (uint64_t)h->st_ctim.tv_nsec;
}

/* ---- calls that translate ---------------------------------------------- */

/* openat(dirfd, path, flags, mode) */
int64_t sys_openat(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t flags = guest_to_host_open_flags(rt, a[2]);
    int64_t r = proc_open(rt, a[1], flags);   /* /proc/self/auxv, maps (sys_proc.c) */
    if (r == PROC_NOT_OURS)
        r = objects_open(rt, a[1], flags);    /* embedded libraries (sys_objects.c) */
    if (r != PROC_NOT_OURS)
        return r;
    return host_syscall6(SYS_openat, a[0], a[1], flags, a[3], 0, 0);
}

/* pipe2(fds[2], flags): O_CLOEXEC, O_NONBLOCK, O_DIRECT (packet mode). */
int64_t sys_pipe2(Runtime *rt, CpuState *s, const uint64_t *a)
{
    return host_syscall6(SYS_pipe2, a[0], guest_to_host_open_flags(rt, a[1]), 0, 0, 0, 0);
}

/* newfstatat(dirfd, path, struct a64_stat *, flags) */
int64_t sys_newfstatat(Runtime *rt, CpuState *s, const uint64_t *a)
{
    struct stat h;
    int64_t r = host_syscall6(SYS_newfstatat, a[0], a[1], (uint64_t)&h, a[3], 0, 0);
    if (r == 0)
        host_to_guest_stat((struct a64_stat *)a[2], &h);
    return r;
}

/* fstat(fd, struct a64_stat *) */
int64_t sys_fstat(Runtime *rt, CpuState *s, const uint64_t *a)
{
    struct stat h;
    int64_t r = host_syscall6(SYS_fstat, a[0], (uint64_t)&h, 0, 0, 0, 0);
    if (r == 0)
        host_to_guest_stat((struct a64_stat *)a[1], &h);
    return r;
}

/* The fcntl commands forwarded unchanged: same numbers, same argument
 * (int, or struct flock / f_owner_ex with the same layout). */
static const int fcntl_same[] = {
    A64_F_DUPFD, A64_F_GETFD, A64_F_SETFD, A64_F_GETLK, A64_F_SETLK, A64_F_SETLKW,
    A64_F_SETOWN, A64_F_GETOWN, A64_F_SETSIG, A64_F_GETSIG, A64_F_SETOWN_EX,
    A64_F_GETOWN_EX, A64_F_OFD_GETLK, A64_F_OFD_SETLK, A64_F_OFD_SETLKW,
    A64_F_SETLEASE, A64_F_GETLEASE, A64_F_NOTIFY, A64_F_DUPFD_CLOEXEC,
    A64_F_SETPIPE_SZ, A64_F_GETPIPE_SZ, A64_F_ADD_SEALS, A64_F_GET_SEALS,
};

/* fcntl(fd, cmd, arg) */
int64_t sys_fcntl(Runtime *rt, CpuState *s, const uint64_t *a)
{
    int cmd = (int)a[1];
    if (cmd == A64_F_GETFL) {
        int64_t r = host_syscall6(SYS_fcntl, a[0], F_GETFL, 0, 0, 0, 0);
        return r < 0 ? r : (int64_t)host_to_guest_open_flags((uint64_t)r);
    }
    if (cmd == A64_F_SETFL)
        return host_syscall6(SYS_fcntl, a[0], F_SETFL, guest_to_host_open_flags(rt, a[2]), 0, 0, 0);
    /* struct flock: 32 bytes on both; f_owner_ex: 8. */
    uint64_t size = cmd == A64_F_GETLK || cmd == A64_F_SETLK || cmd == A64_F_SETLKW ||
                            cmd == A64_F_OFD_GETLK || cmd == A64_F_OFD_SETLK || cmd == A64_F_OFD_SETLKW
                        ? 32
                    : cmd == A64_F_GETOWN_EX || cmd == A64_F_SETOWN_EX ? 8 : 0;
    if (size && guest_mem_check(rt, a[2], size) != 0)
        return -EFAULT;
    for (unsigned i = 0; i < ARRAY_LEN(fcntl_same); i++)
        if (fcntl_same[i] == cmd)
            return host_pass(SYS_fcntl, a);
    rt_log(rt, LOG_SYSCALL, "fcntl command %d not supported", cmd);
    return -EINVAL;
}

/* The ioctl requests forwarded unchanged (asm-generic numbers on both;
 * termios, winsize and int arguments with the same layout), with the size
 * of what their argument points to (0: not a pointer). */
static const struct {
    uint32_t req, size;
} ioctl_same[] = {
    {A64_TCGETS, 36}, {A64_TCSETS, 36}, {A64_TCSETSW, 36}, {A64_TCSETSF, 36}, /* struct termios */
    {A64_TCFLSH, 0}, {A64_TIOCGPGRP, 4}, {A64_TIOCSPGRP, 4},
    {A64_TIOCGWINSZ, 8}, {A64_TIOCSWINSZ, 8}, {A64_FIONREAD, 4}, {A64_FIONBIO, 4},
    {A64_FIONCLEX, 0}, {A64_FIOCLEX, 0},
};

/* ioctl(fd, request, arg) */
int64_t sys_ioctl(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint32_t req = (uint32_t)a[1];
    for (unsigned i = 0; i < ARRAY_LEN(ioctl_same); i++)
        if (ioctl_same[i].req == req) {
            if (ioctl_same[i].size && guest_mem_check(rt, a[2], ioctl_same[i].size) != 0)
                return -EFAULT;
            return host_pass(SYS_ioctl, a);
        }
    rt_log(rt, LOG_SYSCALL, "ioctl request 0x%x not supported", req);
    return -ENOTTY;
}

/* ---- calls with the same meaning on both ABIs -------------------------- */


/* ---- epoll ---------------------------------------------------------------- */

/* struct epoll_event: 16 bytes on AArch64 (data at offset 8), 12 on x86-64,
 * where the kernel's structure is packed. */
struct a64_epoll_event {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
};
struct host_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct host_epoll_event) == 12, "x86-64 epoll_event");

/* epoll_ctl(epfd, op, fd, event) */
int64_t sys_epoll_ctl(Runtime *rt, CpuState *s, const uint64_t *a)
{
    struct host_epoll_event h, *hp = NULL;
    if (a[3] != 0) {
        const struct a64_epoll_event *g = (const void *)a[3];
        h.events = g->events;
        h.data = g->data;
        hp = &h;
    }
    return host_syscall6(SYS_epoll_ctl, a[0], a[1], a[2], (uint64_t)hp, 0, 0);
}

/* epoll_pwait(epfd, events, maxevents, timeout, sigmask, sigsetsize): at
 * most EPOLL_BATCH events a call (fewer than asked is allowed), converted
 * into the guest's array. */
int64_t sys_epoll_pwait(Runtime *rt, CpuState *s, const uint64_t *a)
{
    enum { EPOLL_BATCH = 256 };
    int max = (int)a[2];
    if (max <= 0)
        return -EINVAL;
    struct host_epoll_event h[EPOLL_BATCH];
    int64_t n = host_syscall6(SYS_epoll_pwait, a[0], (uint64_t)h,
                              (uint64_t)(max < EPOLL_BATCH ? max : EPOLL_BATCH), a[3], a[4], a[5]);
    struct a64_epoll_event *g = (struct a64_epoll_event *)a[1];
    for (int64_t i = 0; i < n; i++)
        g[i] = (struct a64_epoll_event){h[i].events, 0, h[i].data};
    return n;
}
