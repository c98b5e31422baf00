/*
 * sys_proc.c - /proc/self as the guest would see it on Arm.
 *
 * Most of /proc is the host kernel's and means the same to the guest
 * (status, fd/, cmdline, stat).  Three files describe the process image
 * and would show the x86-64 host instead:
 *
 *   /proc/self/auxv  the host's auxiliary vector; the guest gets the one
 *                    its stack was built with (stack.c, a copy kept in
 *                    Runtime.auxv as the kernel keeps saved_auxv);
 *   /proc/self/maps  the host's mappings: the runtime's, the host libc and
 *                    ld.so, the host stack, [vdso], and the guest's memory
 *                    as anonymous ranges; the guest gets the host's lines
 *                    minus every range of host memory (Runtime.host, which
 *                    sys_mem.c keeps for exactly this distinction), with
 *                    the guest image named by the program's path and the
 *                    guest stack and brk area named [stack] and [heap];
 *   /proc/self/exe   a link to this output; when the runtime runs another
 *                    AArch64 program through the JIT (exec.c), to that one.
 *
 * The same for /proc/thread-self/ and /proc/PID/ with our own pid.  The
 * generated files are memfds holding the text at open time, like the
 * kernel's snapshot at first read.  Paths relative to a directory
 * descriptor are not recognized.
 *
 * Not done: the guest image's lines keep the host's device, inode and
 * offset fields - "anonymous" for copied segments, this output file's for
 * a read-only segment the loader maps from it (the offset is then where
 * the guest bytes lie in the output, not in the guest's file) - and its
 * code shows r-- (the runtime maps guest code as data); where the host kernel merged the image's last segment
 * with the brk area into one anonymous range, that line has no name; host
 * memory mapped after start-up by host libraries (large host malloc
 * blocks, LLVM's JIT code) is not in Runtime.host and shows through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"

/* Which /proc/self file PATH names: "auxv", "maps", "exe", or NULL. */
static const char *self_file(const char *path)
{
    static const char *const dirs[] = {"/proc/self/", "/proc/thread-self/"};
    for (unsigned i = 0; i < ARRAY_LEN(dirs); i++) {
        size_t n = strlen(dirs[i]);
        if (strncmp(path, dirs[i], n) == 0)
            return path + n;
    }
    char own[32];
    int n = snprintf(own, sizeof own, "/proc/%d/", (int)getpid());
    if (strncmp(path, own, (size_t)n) == 0)
        return path + n;
    return NULL;
}

int64_t proc_memfd(const char *name, const void *data, size_t len, uint64_t host_flags)
{
    int fd = (int)host_syscall6(SYS_memfd_create, (uint64_t)name,
                                (host_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0, 0, 0, 0, 0);
    if (fd < 0)
        return fd;
    size_t done = 0;
    while (done < len) {
        int64_t w = host_syscall6(SYS_write, (uint64_t)fd, (uint64_t)data + done, len - done, 0, 0, 0);
        if (w == -EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return w < 0 ? w : -EIO;
        }
        done += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* The whole of a host /proc file, NUL-terminated, in a malloc'ed buffer. */
static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL)
            break;
        if (n + 1 >= cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (buf != NULL)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int is_host(const Runtime *rt, uint64_t lo, uint64_t hi)
{
    for (int i = 0; i < rt->nhost; i++)
        if (lo < rt->host[i].hi && rt->host[i].lo < hi)
            return 1;
    return 0;
}

/* The path /proc/self/exe shows the guest: the program run through the JIT,
 * else this output. */
static int exe_path(char *buf, size_t size)
{
    const char *other = exec_guest_path();
    if (other != NULL) {
        if (realpath(other, buf) == NULL) {
            if (strlen(other) >= size)
                return -ENAMETOOLONG;
            strcpy(buf, other);
        }
        return 0;
    }
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n < 0)
        return -errno;
    buf[n] = '\0';
    return 0;
}

static int64_t guest_maps(Runtime *rt, uint64_t host_flags)
{
    size_t len;
    char *host = slurp("/proc/self/maps", &len);
    if (host == NULL)
        return -ENOMEM;
    char exe[PATH_MAX];
    if (exe_path(exe, sizeof exe) != 0)
        exe[0] = '\0';
    char *out = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&out, &n);
    uint64_t heap_hi = page_up(rt->brk_cur);
    for (char *line = host, *next; m != NULL && *line; line = next) {
        char *eol = strchr(line, '\n');
        next = eol ? eol + 1 : line + strlen(line);
        char *end;
        uint64_t lo = strtoull(line, &end, 16);
        uint64_t hi = *end == '-' ? strtoull(end + 1, &end, 16) : 0;
        if (hi <= lo || is_host(rt, lo, hi))
            continue;
        const char *name = NULL;
        if (lo >= rt->image.lo && hi <= rt->image.hi)
            name = exe;
        else if (lo >= rt->stack_lo && hi <= rt->stack_hi)
            name = "[stack]";
        else if (lo >= rt->brk_start && hi <= heap_hi)
            name = "[heap]";
        if (name == NULL) {   /* the host's line, unchanged */
            fwrite(line, 1, (size_t)(next - line), m);
            continue;
        }
        /* The first five fields (range, perms, offset, dev, inode) as the
         * host wrote them, then our name, padded to column 73 as the
         * kernel does on 64-bit machines. */
        char *p = end;
        for (int field = 0; field < 4 && p < next; field++) {
            while (p < next && *p == ' ')
                p++;
            while (p < next && *p != ' ' && *p != '\n')
                p++;
        }
        int head = (int)(p - line);
        fprintf(m, "%.*s%*s%s\n", head, line, head < 73 ? 73 - head : 1, "", name);
    }
    free(host);
    if (m == NULL || fclose(m) != 0) {
        free(out);
        return -ENOMEM;
    }
    int64_t fd = proc_memfd("maps", out, n, host_flags);
    free(out);
    return fd;
}

int64_t proc_open(Runtime *rt, uint64_t path, uint64_t host_flags)
{
    const char *name = self_file((const char *)path);
    if (name == NULL)
        return PROC_NOT_OURS;
    if (strcmp(name, "auxv") == 0) {
        size_t len = 0;
        while (len < RT_AUXV_ENTRIES && rt->auxv[len][0] != A64_AT_NULL)
            len++;
        return proc_memfd("auxv", rt->auxv, (len + 1) * sizeof rt->auxv[0], host_flags);
    }
    if (strcmp(name, "maps") == 0)
        return guest_maps(rt, host_flags);
    return PROC_NOT_OURS;
}

/* readlinkat(dirfd, path, buf, size) */
int64_t sys_readlinkat(Runtime *rt, CpuState *s, const uint64_t *a)
{
    const char *name = self_file((const char *)a[1]);
    if (name == NULL || strcmp(name, "exe") != 0 || exec_guest_path() == NULL)
        return host_syscall6(SYS_readlinkat, a[0], a[1], a[2], a[3], 0, 0);
    char exe[PATH_MAX];
    int r = exe_path(exe, sizeof exe);
    if (r != 0)
        return r;
    size_t n = strlen(exe) < a[3] ? strlen(exe) : a[3];   /* truncated, not terminated */
    memcpy((void *)a[2], exe, n);
    return (int64_t)n;
}
