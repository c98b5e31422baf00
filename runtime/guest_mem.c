/*
 * guest_mem.c - which memory is the guest's, and the check of every guest
 * pointer a system call is given.
 *
 * Identity mapping puts the runtime's memory (its image, heap, thread
 * stacks, JIT code) in the guest's address space.  A guest passing one of
 * those addresses to read(2) would have the kernel write into the runtime;
 * on a real Arm machine the same address is not mapped and the call fails
 * with EFAULT.  So the runtime keeps the set of ranges that are the
 * guest's, and refuses a pointer that reaches memory outside them which
 * the host has mapped:
 *
 *   guest ranges   the image segments (loader.c), the initial stack
 *                  (stack.c), the program break and every mmap/mremap of
 *                  the guest less its munmaps (sys_mem.c)
 *
 *   check(p, len)  inside one guest range            -> fine (fast path)
 *                  else, a page of [p, p+len) that /proc/self/maps shows
 *                  mapped and no guest range covers  -> EFAULT
 *                  else (unmapped holes only)        -> the kernel decides,
 *                                                       EFAULT as natively
 *
 * The slow path runs only for pointers that leave guest memory, which a
 * correct program does not pass.  Addresses below 64 KiB are never mapped
 * (vm.mmap_min_addr), so NULL and small integers skip the check.
 *
 * Which arguments are pointers, and how long: the fifth column of
 * syscall_table.h, a short spec interpreted by guest_mem_check_args
 * (see there).  Handlers whose pointers depend on another argument (ioctl,
 * fcntl, prctl, clone, futex) call guest_mem_check themselves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "runtime.h"

/* Below this the host never maps anything (vm.mmap_min_addr). */
#define LOW_UNMAPPED 0x10000ull

/* The guest ranges: sorted, disjoint, adjacent ones merged.  Grown with
 * raw mmap (not malloc: a fault handler's mmap may run inside the host's
 * signal handler).  Guarded by mem_lock. */
static AddrRange *granges;
static size_t ngranges, gcap;

static int grow(void)
{
    size_t cap = gcap ? gcap * 2 : 256;
    int64_t p = host_syscall6(SYS_mmap, 0, cap * sizeof *granges, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0);
    if (p < 0)
        return (int)p;
    if (ngranges)
        memcpy((void *)p, granges, ngranges * sizeof *granges);
    if (gcap)
        host_syscall6(SYS_munmap, (uint64_t)granges, gcap * sizeof *granges, 0, 0, 0, 0);
    granges = (AddrRange *)p;
    gcap = cap;
    return 0;
}

/* The index of the first range with hi > addr (ngranges if none). */
static size_t first_above(uint64_t addr)
{
    size_t lo = 0, hi = ngranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (granges[mid].hi <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void guest_mem_remove_locked(uint64_t lo, uint64_t hi)
{
    lo = page_down(lo);
    hi = page_up(hi);
    if (hi <= lo)
        return;
    size_t i = first_above(lo);
    if (i < ngranges && granges[i].lo < lo && granges[i].hi > hi) {
        /* Splits one range in two. */
        if (ngranges == gcap && grow() != 0)
            return;   /* keeps the range: the check stays permissive, never wrong for the runtime */
        memmove(&granges[i + 1], &granges[i], (ngranges - i) * sizeof *granges);
        ngranges++;
        granges[i].hi = lo;
        granges[i + 1].lo = hi;
        return;
    }
    if (i < ngranges && granges[i].lo < lo) {
        granges[i].hi = lo;
        i++;
    }
    size_t j = i;
    while (j < ngranges && granges[j].hi <= hi)
        j++;
    if (j < ngranges && granges[j].lo < hi)
        granges[j].lo = hi;
    memmove(&granges[i], &granges[j], (ngranges - j) * sizeof *granges);
    ngranges -= j - i;
}

void guest_mem_add_locked(uint64_t lo, uint64_t hi)
{
    lo = page_down(lo);
    hi = page_up(hi);
    if (hi <= lo)
        return;
    /* Ranges touching [lo, hi) (adjacent ones too) merge into it. */
    size_t i = lo ? first_above(lo - 1) : 0;
    size_t j = i;
    while (j < ngranges && granges[j].lo <= hi) {
        lo = granges[j].lo < lo ? granges[j].lo : lo;
        hi = granges[j].hi > hi ? granges[j].hi : hi;
        j++;
    }
    if (j == i) {
        if (ngranges == gcap && grow() != 0)
            rt_fatal("out of memory for the guest's mapping table (%zu ranges)", ngranges);
        memmove(&granges[i + 1], &granges[i], (ngranges - i) * sizeof *granges);
        ngranges++;
    } else {
        memmove(&granges[i + 1], &granges[j], (ngranges - j) * sizeof *granges);
        ngranges -= j - i - 1;
    }
    granges[i] = (AddrRange){lo, hi};
}

void guest_mem_add(uint64_t lo, uint64_t hi)
{
    mem_lock();
    guest_mem_add_locked(lo, hi);
    mem_unlock();
}

void guest_mem_remove(uint64_t lo, uint64_t hi)
{
    mem_lock();
    guest_mem_remove_locked(lo, hi);
    mem_unlock();
}

/* ---- the check ----------------------------------------------------------- */

/* 1 if some byte of [lo, hi) is not in a guest range. */
static int leaves_guest(uint64_t lo, uint64_t hi)
{
    for (size_t i = first_above(lo); i < ngranges && lo < hi; i++) {
        if (granges[i].lo > lo)
            return 1;
        lo = granges[i].hi;
    }
    return lo < hi;
}

typedef struct HostHit {
    uint64_t lo, hi;   /* the range checked */
    int hit;           /* a mapped page in it is not the guest's */
} HostHit;

static void maps_line(uint64_t lo, uint64_t hi, void *arg)
{
    HostHit *h = arg;
    if (h->hit || hi <= h->lo || lo >= h->hi)
        return;
    lo = lo > h->lo ? lo : h->lo;
    hi = hi < h->hi ? hi : h->hi;
    h->hit = leaves_guest(lo, hi);
}

static int check_locked(const Runtime *rt, uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len;
    if (end < addr || end > HOST_USER_TOP)
        end = HOST_USER_TOP;
    if (addr >= end)
        return 0;   /* beyond the user address space: the kernel says EFAULT */
    size_t i = first_above(addr);
    if (i < ngranges && granges[i].lo <= addr && end <= granges[i].hi)
        return 0;
    HostHit h = {page_down(addr), page_up(end), 0};
    if (proc_maps_each(maps_line, &h) < 0)
        h.hit = mem_touches_host_locked(rt, addr, end - addr);   /* no /proc: the recorded host ranges */
    return h.hit ? -EFAULT : 0;
}

int guest_mem_check(const Runtime *rt, uint64_t addr, uint64_t len)
{
    if (len == 0 || addr + len <= LOW_UNMAPPED)
        return 0;
    mem_lock();
    int r = check_locked(rt, addr, len);
    mem_unlock();
    if (r != 0)
        rt_log(rt, LOG_SYSCALL, "guest pointer 0x%llx+0x%llx reaches runtime memory: EFAULT",
               (unsigned long long)addr, (unsigned long long)len);
    return r;
}

/* ---- the table's pointer specs --------------------------------------------- */

/*
 * A spec is a list of items separated by spaces, one per pointer argument:
 *
 *     <dir><arg>:<length>
 *
 * dir is r (the kernel reads), w (writes) or b (both) - documentation and
 * the log only, the check is the same: a pointer into runtime memory is
 * refused whichever way, as the memory is not the guest's.  arg is the
 * pointer's argument index (0-5).  length is one of:
 *
 *     123        a fixed size in bytes (the AArch64 structure's)
 *     aJ         the value of argument J;  aJ*N  that times N
 *     s          a NUL-terminated string, up to its NUL (at most
 *                STRING_MAX bytes, where the kernel gives up anyway)
 *     pJ         the 32-bit value argument J points to (socklen_t *)
 *     fJ         an fd_set for argument J descriptors
 *     vJ         an array of argument J iovecs, and each buffer
 *     m          one msghdr, its name, iovecs and control buffer
 *     MJ         an array of argument J mmsghdrs, each as m
 *     F          futex(2): the word (4 bytes), and the timeout and the
 *                second word when the operation in argument 1 uses them
 *
 * Items that read a length or a nested pointer from guest memory come
 * after the item that checks that memory, and run with the fault guard of
 * dbt_rt_syscall armed (a bad nested pointer gives EFAULT, not a crash).
 */

/* AArch64 layouts (the same on x86-64): iovec {base, len}; msghdr {name,
 * namelen, pad, iov, iovlen, control, controllen, flags, pad}; mmsghdr
 * {msghdr, msg_len, pad}. */
enum { IOVEC_SIZE = 16, MSGHDR_SIZE = 56, MMSGHDR_SIZE = 64, UIO_MAXIOV = 1024, MMSG_MAX = 1024 };

static int check_iovecs(const Runtime *rt, uint64_t iov, uint64_t n)
{
    if (n > UIO_MAXIOV)
        return 0;   /* EINVAL from the kernel */
    int r = guest_mem_check(rt, iov, n * IOVEC_SIZE);
    for (uint64_t k = 0; r == 0 && k < n && iov >= LOW_UNMAPPED; k++) {
        const uint64_t *v = (const uint64_t *)(iov + k * IOVEC_SIZE);
        r = guest_mem_check(rt, v[0], v[1]);
    }
    return r;
}

static int check_msghdr(const Runtime *rt, uint64_t msg)
{
    int r = guest_mem_check(rt, msg, MSGHDR_SIZE);
    if (r != 0 || msg < LOW_UNMAPPED)
        return r;
    const uint64_t *m = (const uint64_t *)msg;
    r = guest_mem_check(rt, m[0], (uint32_t)m[1]);
    if (r == 0)
        r = check_iovecs(rt, m[2], m[3]);
    if (r == 0)
        r = guest_mem_check(rt, m[4], m[5]);
    return r;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
static int check_futex(const Runtime *rt, const uint64_t *a)
{
    enum { WAIT = 0, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, LOCK_PI = 6, WAIT_BITSET = 9,
           WAIT_REQUEUE_PI = 11, CMP_REQUEUE_PI = 12, LOCK_PI2 = 13 };
    unsigned cmd = (unsigned)a[1] & 127;   /* without FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME */
    int timeout = cmd == WAIT || cmd == WAIT_BITSET || cmd == LOCK_PI || cmd == LOCK_PI2 ||
                  cmd == WAIT_REQUEUE_PI;
    int second = cmd == REQUEUE || cmd == CMP_REQUEUE || cmd == WAKE_OP || cmd == CMP_REQUEUE_PI ||
                 cmd == WAIT_REQUEUE_PI;
    int r = guest_mem_check(rt, a[0], 4);
    if (r == 0 && timeout)
        r = guest_mem_check(rt, a[3], 16);
    if (r == 0 && second)
        r = guest_mem_check(rt, a[4], 4);
    return r;
}

/* A string: the guest range it starts in is scanned for the NUL outside
 * the lock (the scan may fault: EFAULT through the guard); a string that
 * runs past the range's end is checked on from there. */
enum { STRING_MAX = 4096 + 1 };   /* PATH_MAX and its NUL */

static int check_string(const Runtime *rt, uint64_t p)
{
    if (p < LOW_UNMAPPED)
        return 0;
    mem_lock();
    size_t i = first_above(p);
    uint64_t hi = i < ngranges && granges[i].lo <= p ? granges[i].hi : p;
    mem_unlock();
    if (hi == p)
        return guest_mem_check(rt, p, 1);
    uint64_t n = hi - p < STRING_MAX ? hi - p : STRING_MAX;
    if (strnlen((const char *)p, n) < n || n == STRING_MAX)
        return 0;
    return guest_mem_check(rt, hi, 1);
}

static uint64_t parse_num(const char **p)
{
    char *end;
    uint64_t v = strtoull(*p, &end, 10);
    *p = end;
    return v;
}

int guest_mem_check_args(const Runtime *rt, const char *spec, const uint64_t *a)
{
    for (const char *p = spec; *p != '\0';) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        p++;   /* r, w or b */
        uint64_t ptr = a[*p++ - '0'];
        p++;   /* ':' */
        char kind = *p;
        uint64_t len;
        int r = 0;
        if (kind >= '0' && kind <= '9') {
            r = guest_mem_check(rt, ptr, parse_num(&p));
        } else {
            p++;
            uint64_t j = (uint64_t)(*p >= '0' && *p <= '5' ? *p++ - '0' : 0);
            switch (kind) {
            case 'a':
                len = a[j];
                if (*p == '*') {
                    p++;
                    uint64_t n = parse_num(&p);
                    len = len > UINT64_MAX / n ? UINT64_MAX : len * n;
                }
                r = guest_mem_check(rt, ptr, len);
                break;
            case 's':
                r = check_string(rt, ptr);
                break;
            case 'p':
                len = a[j] >= LOW_UNMAPPED && guest_mem_check(rt, a[j], 4) == 0 ? *(const uint32_t *)a[j] : 1;
                r = guest_mem_check(rt, ptr, len);
                break;
            case 'f':
                r = guest_mem_check(rt, ptr, ((uint32_t)a[j] + 63) / 64 * 8);
                break;
            case 'v':
                r = check_iovecs(rt, ptr, a[j]);
                break;
            case 'm':
                r = check_msghdr(rt, ptr);
                break;
            case 'M':
                len = a[j] > MMSG_MAX ? MMSG_MAX : a[j];
                r = guest_mem_check(rt, ptr, len * MMSGHDR_SIZE);
                for (uint64_t k = 0; r == 0 && k < len && ptr >= LOW_UNMAPPED; k++)
                    r = check_msghdr(rt, ptr + k * MMSGHDR_SIZE);
                break;
            case 'F':
                r = check_futex(rt, a);
                break;
            default:
                rt_fatal("syscall_table.h: bad pointer spec \"%s\"", spec);
            }
        }
        if (r != 0)
            return r;
    }
    return 0;
}
