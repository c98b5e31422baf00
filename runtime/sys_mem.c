/*
 * sys_mem.c - memory system calls, the host ranges and the guest brk.
 *
 * Identity mapping makes most of this family a pass-through: a guest
 * mmap() is a host mmap() at the same address, and the guest then loads
 * and stores there directly.  Two things need care.
 *
 * 1. The guest must not clobber the host.  At start-up mem_host_init
 *    records every mapping the host process already has (this program's
 *    image with the runtime and the translated code, libc, ld.so, vdso,
 *    the host stack) plus a window after the image for the host's malloc
 *    heap; the runtime adds its own later mappings (dispatch stack, CPU
 *    state).  A guest MAP_FIXED mmap, munmap, mprotect, mremap or madvise
 *    touching one of them fails with -ENOMEM ("not mapped in this
 *    process", which is the truth from the guest's point of view).
 *    Non-fixed mmaps need no check: the kernel never hands out an
 *    occupied range.
 *
 * 2. brk is emulated.  The host kernel's brk belongs to the host's malloc,
 *    so the guest's program break is our own: it starts at the page-
 *    aligned end of the guest image, and moving it maps or unmaps
 *    anonymous pages with MAP_FIXED_NOREPLACE.  Like Linux, brk returns
 *    the new break on success and the old one on failure, and brk(0) (or
 *    any value below the start) just returns the current break.
 *
 *       image ... | brk_start ...... brk_cur | (page_up) ... free
 *                 <----- mapped RW anonymous ---->
 *
 * Guest PROT_EXEC is granted as asked (new code is found by the JIT when
 * control reaches it, and dropped from its cache on IC IVAU); PROT_BTI/PROT_MTE are dropped, x86-64's MAP_32BIT never set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"
#include "jit_host.h"

/* The host's malloc heap grows from the end of this program's image (the
 * kernel's brk, randomized by up to a few GiB); guests stay out of it. */
#define HOST_HEAP_WINDOW (1ull << 40)

/* Not in glibc's headers; the x86-64 kernel's value (asm-generic). */
#define HOST_PROT_SEM 0x8

/* Linker-defined bounds of this program's image. */
extern const char __executable_start[] __attribute__((weak, visibility("hidden")));
extern const char _end[] __attribute__((weak, visibility("hidden")));

static const FlagMap prot_map[] = {
    {A64_PROT_READ, PROT_READ},
    {A64_PROT_WRITE, PROT_WRITE},
    {A64_PROT_EXEC, PROT_EXEC},
    {A64_PROT_SEM, HOST_PROT_SEM},
    {A64_PROT_BTI, 0},          /* no branch target checks on the host */
    {A64_PROT_MTE, 0},          /* no memory tagging on the host */
    {A64_PROT_GROWSDOWN, PROT_GROWSDOWN},
    {A64_PROT_GROWSUP, PROT_GROWSUP},
};

static const FlagMap map_map[] = {
    {A64_MAP_SHARED, MAP_SHARED},
    {A64_MAP_PRIVATE, MAP_PRIVATE},
    {A64_MAP_FIXED, MAP_FIXED},
    {A64_MAP_ANONYMOUS, MAP_ANONYMOUS},
    {A64_MAP_GROWSDOWN, MAP_GROWSDOWN},
    {A64_MAP_DENYWRITE, MAP_DENYWRITE},
    {A64_MAP_EXECUTABLE, MAP_EXECUTABLE},
    {A64_MAP_LOCKED, MAP_LOCKED},
    {A64_MAP_NORESERVE, MAP_NORESERVE},
    {A64_MAP_POPULATE, MAP_POPULATE},
    {A64_MAP_NONBLOCK, MAP_NONBLOCK},
    {A64_MAP_STACK, MAP_STACK},
    {A64_MAP_HUGETLB, MAP_HUGETLB},
    {A64_MAP_SYNC, MAP_SYNC},
    {A64_MAP_FIXED_NOREPLACE, MAP_FIXED_NOREPLACE},
    {A64_MAP_HUGE_MASK, A64_MAP_HUGE_MASK}, /* page-size field, same encoding */
};

/* ---- host ranges ------------------------------------------------------- */

static int cmp_range(const void *x, const void *y)
{
    const AddrRange *a = x, *b = y;
    return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static void merge_ranges(Runtime *rt)
{
    qsort(rt->host, (size_t)rt->nhost, sizeof rt->host[0], cmp_range);
    int out = 0;
    for (int i = 0; i < rt->nhost; i++) {
        if (out && rt->host[i].lo <= rt->host[out - 1].hi) {
            if (rt->host[i].hi > rt->host[out - 1].hi)
                rt->host[out - 1].hi = rt->host[i].hi;
        } else {
            rt->host[out++] = rt->host[i];
        }
    }
    rt->nhost = out;
}

/* Guest threads call brk and the mmap family at once, and the JIT adds
 * host ranges while they do: one lock.  A plain mutex (no owner check):
 * a fork child unlocks what its parent thread locked before the fork. */
static pthread_mutex_t mem_mutex = PTHREAD_MUTEX_INITIALIZER;

void mem_lock(void) { pthread_mutex_lock(&mem_mutex); }
void mem_unlock(void) { pthread_mutex_unlock(&mem_mutex); }

int mem_host_add(Runtime *rt, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return -EINVAL;
    mem_lock();
    if (rt->nhost == RT_MAX_HOST_RANGES) {
        /* Full: widen the nearest range instead (over-protecting is safe). */
        AddrRange *r = &rt->host[rt->nhost - 1];
        for (int i = 0; i < rt->nhost; i++)
            if (rt->host[i].hi >= lo) {
                r = &rt->host[i];
                break;
            }
        r->lo = lo < r->lo ? lo : r->lo;
        r->hi = hi > r->hi ? hi : r->hi;
    } else {
        rt->host[rt->nhost++] = (AddrRange){page_down(lo), page_up(hi)};
    }
    merge_ranges(rt);
    mem_unlock();
    return 0;
}

/* Calls FN(lo, hi, ARG) for each "lo-hi ..." line of /proc/self/maps, with
 * raw system calls and no allocation.  Returns -errno if the file cannot
 * be read (no /proc). */
int proc_maps_each(void (*fn)(uint64_t lo, uint64_t hi, void *arg), void *arg)
{
    int fd = (int)host_syscall6(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)"/proc/self/maps",
                                O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return fd;
    char buf[8192];
    size_t have = 0;
    int skip = 0;   /* in the rest of a line longer than buf (a long path) */
    for (;;) {
        int64_t n = host_syscall6(SYS_read, (uint64_t)fd, (uint64_t)(buf + have),
                                  sizeof buf - have - 1, 0, 0, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
        buf[have] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            char *end;
            uint64_t lo = strtoull(line, &end, 16);
            if (!skip && *end == '-')
                fn(lo, strtoull(end + 1, NULL, 16), arg);
            skip = 0;
            line = nl + 1;
        }
        have = (size_t)(buf + have - line);
        if (have == sizeof buf - 1) {   /* no newline in a full buffer */
            char *end;
            uint64_t lo = strtoull(buf, &end, 16);
            if (!skip && *end == '-')
                fn(lo, strtoull(end + 1, NULL, 16), arg);
            skip = 1;
            have = 0;
        }
        memmove(buf, line, have);
    }
    host_syscall6(SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
    return 0;
}

static void add_host_line(uint64_t lo, uint64_t hi, void *rt)
{
    mem_host_add(rt, lo, hi);
}

void mem_host_init(Runtime *rt)
{
    rt->nhost = 0;
    uint64_t lo = (uint64_t)__executable_start, hi = (uint64_t)_end;
    if (lo && hi > lo)
        mem_host_add(rt, lo, hi + HOST_HEAP_WINDOW);
    if (proc_maps_each(add_host_line, rt) < 0 && !(lo && hi > lo))
        rt_fatal("cannot find this program's own memory (no /proc/self/maps and no "
                 "__executable_start/_end symbols)");
    for (int i = 0; i < rt->nhost; i++)
        rt_log(rt, LOG_LOAD, "host range 0x%llx-0x%llx", (unsigned long long)rt->host[i].lo,
               (unsigned long long)rt->host[i].hi);
}

int mem_touches_host_locked(const Runtime *rt, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return 0;
    uint64_t lo = page_down(addr), hi = page_up(addr + len);
    if (hi <= lo) /* wraps around the address space */
        return 1;
    for (int i = 0; i < rt->nhost; i++)
        if (lo < rt->host[i].hi && rt->host[i].lo < hi)
            return 1;
    return 0;
}

int mem_touches_host(const Runtime *rt, uint64_t addr, uint64_t len)
{
    mem_lock();
    int hit = mem_touches_host_locked(rt, addr, len);
    mem_unlock();
    return hit;
}

static int64_t refuse(Runtime *rt, const char *what, uint64_t addr, uint64_t len)
{
    rt_log(rt, LOG_SYSCALL, "%s 0x%llx+0x%llx touches runtime memory: refused", what,
           (unsigned long long)addr, (unsigned long long)len);
    return -ENOMEM;
}

/* ---- brk --------------------------------------------------------------- */

void mem_brk_init(Runtime *rt, uint64_t start)
{
    rt->brk_start = page_up(start);
    rt->brk_cur = rt->brk_start;
}

static int64_t brk_locked(Runtime *rt, const uint64_t *a)
{
    uint64_t want = a[0], old = rt->brk_cur;
    if (want < rt->brk_start)
        return (int64_t)old;
    uint64_t old_end = page_up(old), new_end = page_up(want);
    if (new_end < want) /* page_up wrapped around */
        return (int64_t)old;
    if (new_end > old_end) {
        uint64_t len = new_end - old_end;
        if (mem_touches_host_locked(rt, old_end, len))
            return (int64_t)old;
        void *p = mmap((void *)old_end, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)
            return (int64_t)old;
        if ((uint64_t)p != old_end) { /* a kernel without MAP_FIXED_NOREPLACE */
            munmap(p, len);
            return (int64_t)old;
        }
        guest_mem_add_locked(old_end, new_end);
    } else if (new_end < old_end) {
        munmap((void *)new_end, old_end - new_end);
        guest_mem_remove_locked(new_end, old_end);
    }
    rt->brk_cur = want;
    return (int64_t)want;
}

int64_t sys_brk(Runtime *rt, CpuState *s, const uint64_t *a)
{
    mem_lock();
    int64_t r = brk_locked(rt, a);
    mem_unlock();
    return r;
}

/* ---- mmap family ------------------------------------------------------- */

/* The kernel puts a mapping without MAP_FIXED in any free range, and the
 * host heap's window after this program's image is free until the heap
 * grows there.  Once the guest has filled the address space above it (a
 * mapping loop; top-down placement reaches the window before the space
 * below the image), a guest mapping there would stop the runtime's malloc
 * and be one the guest cannot munmap (it touches a host range).  So the
 * mapping R of A goes: a hint is retried without it, and otherwise the
 * guest sees ENOMEM - earlier than on Arm, where the whole address space
 * is the guest's, but with the runtime still able to allocate
 * (docs/threat-model.md, "limits"). */
static int64_t outside_host(Runtime *rt, int64_t r, const uint64_t *a, uint64_t prot, uint64_t flags)
{
    if (!mem_touches_host(rt, (uint64_t)r, a[1]))
        return r;
    host_syscall6(SYS_munmap, (uint64_t)r, a[1], 0, 0, 0, 0);
    if (a[0] != 0) {
        r = host_syscall6(SYS_mmap, 0, a[1], prot, flags, a[4], a[5]);
        if (r < 0 || !mem_touches_host(rt, (uint64_t)r, a[1]))
            return r;
        host_syscall6(SYS_munmap, (uint64_t)r, a[1], 0, 0, 0, 0);
    }
    rt_log(rt, LOG_SYSCALL, "mmap of 0x%llx bytes: only the runtime's heap window is left: ENOMEM",
           (unsigned long long)a[1]);
    return -ENOMEM;
}

int64_t sys_mmap(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t bad_prot, bad_flags;
    uint64_t prot = flags_guest_to_host(prot_map, ARRAY_LEN(prot_map), a[2], &bad_prot);
    uint64_t flags = flags_guest_to_host(map_map, ARRAY_LEN(map_map), a[3], &bad_flags);
    if (bad_prot)
        return -EINVAL;
    if (bad_flags && (a[3] & A64_MAP_SHARED_VALIDATE) == A64_MAP_SHARED_VALIDATE)
        return -EOPNOTSUPP;
    bool exact = (a[3] & (A64_MAP_FIXED | A64_MAP_FIXED_NOREPLACE)) != 0;
    if (exact && mem_touches_host(rt, a[0], a[1]))
        return refuse(rt, "mmap MAP_FIXED", a[0], a[1]);
    /* ld.so's first mapping of an embedded library: where its translation
     * expects it (sys_objects.c). */
    uint64_t base = a[0] == 0 && !(a[3] & A64_MAP_FIXED) && a[5] == 0
                        ? objects_mmap_base(rt, (a[3] & A64_MAP_ANONYMOUS) ? -1 : (int)a[4], a[1], a[2], a[3])
                        : 0;
    if (base != 0 && !mem_touches_host(rt, base, a[1])) {
        int64_t r = host_syscall6(SYS_mmap, base, a[1], prot, flags | MAP_FIXED_NOREPLACE, a[4], a[5]);
        if (r == (int64_t)base) {
            objects_mapped(rt, base, base + a[1], 1);
            guest_mem_add(base, base + a[1]);
            return r;
        }
        if (r >= 0)
            host_syscall6(SYS_munmap, (uint64_t)r, a[1], 0, 0, 0, 0);
        rt_log(rt, LOG_LOAD, "mmap: the base 0x%llx of a library is taken (%lld): it runs through the JIT",
               (unsigned long long)base, (long long)r);
    }
    int64_t r = host_syscall6(SYS_mmap, a[0], a[1], prot, flags, a[4], a[5]);
    if (r >= 0 && !exact)
        r = outside_host(rt, r, a, prot, flags);
    if (r >= 0)
        guest_mem_add((uint64_t)r, (uint64_t)r + a[1]);
    if (r >= 0 && (a[3] & A64_MAP_FIXED) && (a[2] & A64_PROT_EXEC)) {
        /* New code over old: the JIT's translations of the range go, and
         * an embedded library's if it is no longer its own file there
         * (ld.so's .bss and RELRO pages are not executable). */
        jit_invalidate(rt, (uint64_t)r, (uint64_t)r + a[1]);
        objects_fixed_map(rt, (uint64_t)r, (uint64_t)r + a[1], (a[3] & A64_MAP_ANONYMOUS) ? -1 : (int)a[4]);
    }
    return r;
}

int64_t sys_munmap(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (mem_touches_host(rt, a[0], a[1]))
        return refuse(rt, "munmap", a[0], a[1]);
    int64_t r = host_pass(SYS_munmap, a);
    /* Code there is gone (dlclose): so are the JIT's translations of it,
     * before something else is mapped at the same addresses. */
    if (r == 0) {
        guest_mem_remove(a[0], a[0] + a[1]);
        jit_invalidate(rt, a[0], a[0] + a[1]);
        objects_mapped(rt, a[0], a[0] + a[1], 0);
    }
    return r;
}

int64_t sys_mprotect(Runtime *rt, CpuState *s, const uint64_t *a)
{
    uint64_t bad;
    uint64_t prot = flags_guest_to_host(prot_map, ARRAY_LEN(prot_map), a[2], &bad);
    if (bad)
        return -EINVAL;
    if (mem_touches_host(rt, a[0], a[1]))
        return refuse(rt, "mprotect", a[0], a[1]);
    return host_syscall6(SYS_mprotect, a[0], a[1], prot, 0, 0, 0);
}

/* mremap(old, old_size, new_size, flags, new_addr): flags are the same on
 * both ABIs; without MREMAP_FIXED the kernel picks a free destination. */
int64_t sys_mremap(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (mem_touches_host(rt, a[0], a[1]))
        return refuse(rt, "mremap", a[0], a[1]);
    if ((a[3] & A64_MREMAP_FIXED) && mem_touches_host(rt, a[4], a[2]))
        return refuse(rt, "mremap MREMAP_FIXED", a[4], a[2]);
    int64_t r = host_pass(SYS_mremap, a);
    if (r >= 0) {
        mem_lock();
        if (!(a[3] & A64_MREMAP_DONTUNMAP) && a[1] != 0)   /* old_size 0: a second mapping */
            guest_mem_remove_locked(a[0], a[0] + a[1]);
        guest_mem_add_locked((uint64_t)r, (uint64_t)r + a[2]);
        mem_unlock();
    }
    return r;
}

/* MADV_* values are the same on both ABIs (asm-generic/mman-common.h);
 * MADV_DONTNEED and friends would zero runtime memory, hence the check. */
int64_t sys_madvise(Runtime *rt, CpuState *s, const uint64_t *a)
{
    if (mem_touches_host(rt, a[0], a[1]))
        return refuse(rt, "madvise", a[0], a[1]);
    return host_pass(SYS_madvise, a);
}

