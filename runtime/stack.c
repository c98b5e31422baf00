/*
 * stack.c - the guest's initial stack, as the arm64 Linux kernel builds it.
 *
 * The guest gets its own 8 MiB stack (plus a PROT_NONE guard page below)
 * and, on entry, sees exactly what fs/binfmt_elf.c:create_elf_tables
 * leaves for a static AArch64 program:
 *
 *   stack_hi ->  8 zero bytes
 *                AT_EXECFN string
 *                envp strings          (envp[0] lowest)
 *                argv strings          (argv[0] lowest)
 *                (align 16)
 *                "aarch64"             AT_PLATFORM
 *                16 random bytes       AT_RANDOM
 *                (align 16)
 *                auxv pairs ... AT_NULL, 0
 *                NULL
 *                envp[0..n-1]
 *                NULL
 *                argv[0..argc-1]
 *   sp ------->  argc                  (sp 16-byte aligned)
 *
 * auxv, in the kernel's order: AT_MINSIGSTKSZ (arm64's ARCH_DLINFO; we
 * have no vDSO, so no AT_SYSINFO_EHDR), AT_HWCAP, AT_PAGESZ, AT_CLKTCK,
 * AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID,
 * AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN,
 * AT_PLATFORM.  No AT_RSEQ_* (rseq is not implemented).
 *
 * argv and envp are the host's, unchanged; AT_EXECFN is the path the host
 * kernel ran (its own AT_EXECFN), as the guest would have been run by the
 * same command line on an Arm machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "runtime.h"

/* The guest stack is as big as RLIMIT_STACK says (`ulimit -s`), like the
 * kernel's stack limit: at least 128 KiB; "unlimited" and anything above
 * 4 GiB get 4 GiB.  Reserved, not committed (MAP_NORESERVE): untouched
 * pages cost nothing. */
static uint64_t guest_stack_size(void)
{
    struct rlimit rl;
    uint64_t size = 8ull << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0)
        size = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (4ull << 30) ? 4ull << 30 : rl.rlim_cur;
    size = page_up(size);
    return size < (128u << 10) ? 128u << 10 : size;
}


/* Copies the NULL-terminated vector's strings to *dst (advancing it) and
 * writes their guest addresses, then a NULL, to *w (advancing it). */
static void put_vector(uint64_t **w, char **dst, char *const *strs, int n)
{
    for (int i = 0; i < n; i++) {
        size_t len = strlen(strs[i]) + 1;
        memcpy(*dst, strs[i], len);
        *(*w)++ = (uint64_t)*dst;
        *dst += len;
    }
    *(*w)++ = 0;
}

static void fill_random(uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            rt_fatal("getrandom failed for AT_RANDOM: %s", strerror(errno));
        got += (size_t)n;
    }
}

static uint64_t map_stack(Runtime *rt)
{
    uint64_t size = guest_stack_size();
    void *base = mmap(NULL, size + STACK_GUARD_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED)
        rt_fatal("cannot allocate the guest stack (%llu MiB, RLIMIT_STACK): %s",
                 (unsigned long long)(size >> 20), strerror(errno));
    mprotect(base, STACK_GUARD_SIZE, PROT_NONE);
    rt->stack_lo = (uint64_t)base + STACK_GUARD_SIZE;
    rt->stack_hi = rt->stack_lo + size;
    guest_mem_add(rt->stack_lo, rt->stack_hi);
    rt_log(rt, LOG_LOAD, "guest stack: %llu KiB (RLIMIT_STACK)", (unsigned long long)(size >> 10));
    return rt->stack_hi;
}

uint64_t stack_build(Runtime *rt, int argc, char **argv, char **envp)
{
    int envc = 0;
    while (envp && envp[envc])
        envc++;
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    if (!execfn)
        execfn = argc > 0 ? argv[0] : "";

    size_t strings = strlen(execfn) + 1;
    for (int i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (int i = 0; i < envc; i++)
        strings += strlen(envp[i]) + 1;
    /* argc, argv, NULL, envp, NULL, auxv */
    uint64_t words = 1 + (uint64_t)argc + 1 + (uint64_t)envc + 1 + 2 * RT_AUXV_ENTRIES;
    /* Strings and pointers may use at most a quarter of the stack, like the
     * kernel's limit for argv+envp (a quarter of the stack limit). */
    uint64_t hi = map_stack(rt);
    if (strings + words * 8 > (rt->stack_hi - rt->stack_lo) / 4)
        rt_fatal("arguments and environment too large for the guest stack (%llu bytes)",
                 (unsigned long long)(strings + words * 8));

    /* Lay out top-down first, then fill bottom-up. */
    uint64_t top = hi - 8; /* the kernel leaves one zero word at the top */
    uint64_t strings_lo = top - strings;
    uint64_t platform_addr = (strings_lo & ~15ull) - sizeof A64_PLATFORM;
    uint64_t random_addr = platform_addr - 16;
    uint64_t execfn_addr = top - (strlen(execfn) + 1);
    memcpy((void *)execfn_addr, execfn, strlen(execfn) + 1);
    memcpy((void *)platform_addr, A64_PLATFORM, sizeof A64_PLATFORM);
    fill_random((uint8_t *)random_addr, 16);

    const uint64_t auxv[][2] = {
        {A64_AT_MINSIGSTKSZ, A64_MINSIGSTKSZ},
        {A64_AT_HWCAP, A64_HWCAP_ADVERTISED},
        {A64_AT_PAGESZ, A64_PAGE_SIZE},
        {A64_AT_CLKTCK, 100},
        {A64_AT_PHDR, rt->image.phdr},
        {A64_AT_PHENT, rt->image.phent},
        {A64_AT_PHNUM, rt->image.phnum},
        {A64_AT_BASE, rt->image.base},
        {A64_AT_FLAGS, 0},
        {A64_AT_ENTRY, rt->image.entry},
        {A64_AT_UID, getuid()},
        {A64_AT_EUID, geteuid()},
        {A64_AT_GID, getgid()},
        {A64_AT_EGID, getegid()},
        {A64_AT_SECURE, 0},
        {A64_AT_RANDOM, random_addr},
        {A64_AT_HWCAP2, A64_HWCAP2_ADVERTISED},
        {A64_AT_EXECFN, execfn_addr},
        {A64_AT_PLATFORM, platform_addr},
        {A64_AT_NULL, 0},
    };
    _Static_assert(sizeof auxv / sizeof auxv[0] == RT_AUXV_ENTRIES, "RT_AUXV_ENTRIES");

    uint64_t sp = (random_addr - words * 8) & ~15ull;
    uint64_t *w = (uint64_t *)sp;
    char *dst = (char *)strings_lo;
    *w++ = (uint64_t)argc;
    put_vector(&w, &dst, argv, argc);
    put_vector(&w, &dst, envp, envc);
    memcpy(w, auxv, sizeof auxv);
    memcpy(rt->auxv, auxv, sizeof auxv);   /* the kernel's saved_auxv */

    rt_log(rt, LOG_LOAD, "stack 0x%llx-0x%llx, sp 0x%llx, argc %d, envc %d",
           (unsigned long long)rt->stack_lo, (unsigned long long)rt->stack_hi,
           (unsigned long long)sp, argc, envc);
    return sp;
}
