/*
 * jit_host.c - the JIT fallback, runtime side: guest code the offline tool
 * did not translate is translated when it is first reached.
 *
 * dbt_rt_lookup (dispatch.c) tries the static table of the output, the
 * runtime's own addresses, then the cache here; on a miss it calls
 * jit_translate, which
 *
 *   1. loads the compiler on the first miss only: dlopen of
 *      $DBT_JIT_LIB, else of the path the tool recorded in DbtMeta.jit_lib
 *      (the libdbt_jit.so of the dbt-aot that made this output).  A
 *      program that never misses never loads LLVM.  If the library cannot
 *      be loaded, the reason is remembered and every miss stays fatal, as
 *      it was before the JIT existed;
 *   2. asks it for a translation of the region at the PC (jit/jit.c) with
 *      the guest's FP environment set aside (LLVM runs with the host's
 *      default MXCSR, not the guest's rounding mode);
 *   3. caches the translation under every guest PC it can be entered at
 *      (its keys: today only its entry).  Besides code found late, this
 *      is how the guest goes on after non-local control flow: translated
 *      functions have one entry, so when a longjmp, a handler that does
 *      not return or a coroutine switch leaves the guest at a call's
 *      return site, a loop header or a trap's next instruction, the
 *      region starting there is compiled once and cached.
 *
 * The cache is a hash map (u64_map.h) from guest PC to region.  Each
 * region remembers the guest code it was made from; DC CVAU and IC IVAU on
 * any of it (the guest's __clear_cache after writing code, see
 * dbt_rt_cache_op) drop the region's keys, so the next lookup translates
 * the new code.  The machine code itself is never freed - a dropped
 * translation may still be running further up the host stack - so code
 * memory leaks by design; the library hands back an earlier translation
 * when the same code appears again (a trampoline rewritten identically).
 *
 *     pc ──hash──> entry {pc, region} ──> region {fn, keys[], code ranges[]}
 *
 * Guest threads share the cache and the compiler: one lock around each
 * entry point here (a lookup, a translation, an invalidation).  A thread
 * that misses while another compiles waits, then finds that translation
 * if it was for the same pc.
 */
#define _GNU_SOURCE
#include "jit_host.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "dbt_jit.h"
#include "enter_x86_64.h"
#include "fp16.h"
#include "fpenv.h"
#include "u64_map.h"

/* The LLVM pipeline of JIT'd code: lifter/pipeline.h's -O1 unless
 * DBT_JIT_OPT=0..3 says otherwise (docs/architecture.md: compile times). */
#define JIT_OPT_LEVEL 1

typedef struct JitRegion {
    GuestFn fn;              /* the translation */
    uint64_t *keys;          /* PCs it is cached under (entry first) */
    size_t nkeys;
    DbtJitRange *code;       /* the guest code it was made from, sorted */
    size_t ncode;
    uint64_t lo, hi;         /* hull of code */
} JitRegion;

struct JitHost {
    int state;               /* 0 not loaded yet, 1 loaded, -1 cannot load */
    char why[384];           /* why it cannot be loaded */
    void *handle;            /* dlopen handle */
    DbtJit *jit;             /* the library's compiler */
    U64Map cache;            /* guest pc -> JitRegion * */
    JitRegion **regions;     /* live regions */
    size_t nregions, capregions;
    uint64_t lo, hi;         /* hull of all live regions' code */
    unsigned long compiles;  /* for the log */
    int perf_fd;             /* DBT_PERF_MAP: the map file, -1 none */
    pid_t perf_pid;          /* whose map it is (fork: a new file) */
};

/* ---- the cache ---------------------------------------------------------- */

static pthread_mutex_t jit_mutex = PTHREAD_MUTEX_INITIALIZER;

void jit_lock(void) { pthread_mutex_lock(&jit_mutex); }
void jit_unlock(void) { pthread_mutex_unlock(&jit_mutex); }

/* Cache PC -> R unless PC is cached already (an equally good translation).
 * Out of memory: not cached, translated again next time. */
static void insert(JitHost *h, uint64_t pc, JitRegion *r)
{
    bool added;
    U64Entry *e = u64map_insert(&h->cache, pc, &added);
    if (e != NULL && added)
        e->val = (uintptr_t)r;
}

static GuestFn lookup_locked(JitHost *h, uint64_t pc)
{
    if (h == NULL || h->cache.n == 0)
        return NULL;
    U64Entry *e = u64map_find(&h->cache, pc);
    return e ? ((JitRegion *)(uintptr_t)e->val)->fn : NULL;
}

GuestFn jit_lookup(Runtime *rt, uint64_t pc)
{
    if (__atomic_load_n(&rt->jit, __ATOMIC_ACQUIRE) == NULL)
        return NULL;
    jit_lock();
    GuestFn f = lookup_locked(rt->jit, pc);
    jit_unlock();
    return f;
}

uint64_t jit_guest_at(Runtime *rt, uint64_t host_pc)
{
    if (__atomic_load_n(&rt->jit, __ATOMIC_ACQUIRE) == NULL)
        return 0;
    jit_lock();
    const JitHost *h = rt->jit;
    uint64_t best = 0, guest = 0;
    for (size_t i = 0; i < h->nregions; i++) {
        uint64_t fn = (uint64_t)(uintptr_t)h->regions[i]->fn;
        if (fn <= host_pc && fn > best) {
            best = fn;
            guest = h->regions[i]->keys[0];
        }
    }
    jit_unlock();
    return guest;
}

static void invalidate_locked(Runtime *rt, uint64_t lo, uint64_t hi)
{
    JitHost *h = rt->jit;
    if (h == NULL || h->nregions == 0 || hi <= h->lo || lo >= h->hi)
        return;
    bool dropped = false;
    for (size_t i = h->nregions; i-- > 0;) {
        JitRegion *r = h->regions[i];
        if (hi <= r->lo || lo >= r->hi)
            continue;
        bool hit = false;
        for (size_t k = 0; k < r->ncode && !hit; k++)
            hit = lo < r->code[k].hi && r->code[k].lo < hi;
        if (!hit)
            continue;
        rt_log(rt, LOG_JIT, "jit: guest code at 0x%llx changed: dropped the translation of 0x%llx",
               (unsigned long long)lo, (unsigned long long)r->keys[0]);
        for (size_t k = 0; k < r->nkeys; k++) {
            U64Entry *e = u64map_find(&h->cache, r->keys[k]);
            if (e != NULL && e->val == (uintptr_t)r)
                u64map_remove(&h->cache, e);
        }
        free(r->keys);
        free(r->code);
        free(r);
        h->regions[i] = h->regions[--h->nregions];
        dropped = true;
    }
    if (dropped)
        icache_flush_all(); /* the threads' caches may point at it */
    /* The hull only shrinks when everything is gone; a wide hull costs
     * a scan of the regions, never a wrong answer. */
    if (h->nregions == 0)
        h->lo = h->hi = 0;
}

void jit_invalidate(Runtime *rt, uint64_t lo, uint64_t hi)
{
    if (__atomic_load_n(&rt->jit, __ATOMIC_ACQUIRE) == NULL)
        return;
    jit_lock();
    invalidate_locked(rt, lo, hi);
    jit_unlock();
}

/* ---- loading the library ------------------------------------------------ */

/* Keep the guest out of the memory the library brought along (a guest
 * MAP_FIXED there would overwrite LLVM): one host range per loaded object,
 * while there is room for it (sys_mem.c widens ranges when the table is
 * full, which could swallow guest mappings - better leave one out). */
static int note_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    Runtime *rt = arg;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uint64_t a = info->dlpi_addr + ph->p_vaddr;
        lo = a < lo ? a : lo;
        hi = a + ph->p_memsz > hi ? a + ph->p_memsz : hi;
    }
    if (hi > lo && !mem_touches_host(rt, lo, hi - lo) && rt->nhost < RT_MAX_HOST_RANGES - 8)
        mem_host_add(rt, lo, hi);
    return 0;
}

static int load(Runtime *rt, JitHost *h)
{
    const char *path = getenv("DBT_JIT_LIB");
    if (path == NULL || *path == '\0')
        path = rt->meta->jit_lib;
    if (path == NULL || *path == '\0') {
        snprintf(h->why, sizeof h->why, "this output records no JIT library and DBT_JIT_LIB is not set");
        return -1;
    }
    h->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h->handle == NULL) {
        const char *e = dlerror();
        snprintf(h->why, sizeof h->why, "%s", e ? e : path);
        return -1;
    }
    dl_iterate_phdr(note_object, rt);
    DbtJitOpenFn open = (DbtJitOpenFn)dlsym(h->handle, DBT_JIT_OPEN_SYMBOL);
    if (open == NULL) {
        snprintf(h->why, sizeof h->why, "%s has no %s", path, DBT_JIT_OPEN_SYMBOL);
        return -1;
    }
    const DbtJitSymbol syms[] = {
        {RT_SYM_LOOKUP, (void *)dbt_rt_lookup},
        {RT_SYM_LOOKUP_ENTRY, (void *)dbt_rt_lookup_entry},
        {RT_SYM_SYSCALL, (void *)dbt_rt_syscall},
        {RT_SYM_TRAP, (void *)dbt_rt_trap},
        {RT_SYM_CACHE, (void *)dbt_rt_cache_op},
        {RT_SYM_SYSREG, (void *)dbt_rt_read_sysreg},
        {RT_SYM_F16, (void *)dbt_rt_f16},
        {RT_SYM_SAFEPOINT, (void *)dbt_rt_safepoint},
        {RT_SYM_SAFEPOINT_STUB, (void *)&dbt_rt_safepoint_stub},
        {RT_SYM_TAIL_JUMP, (void *)&dbt_rt_tail_jump},
    };
    char cpu[24];
    unsigned level = rt->meta->host_level;
    if (level <= 1)
        snprintf(cpu, sizeof cpu, "x86-64");
    else
        snprintf(cpu, sizeof cpu, "x86-64-v%u", level);
    int opt = JIT_OPT_LEVEL;
    const char *o = getenv("DBT_JIT_OPT");
    if (o != NULL && o[0] >= '0' && o[0] <= '3' && o[1] == '\0')
        opt = o[0] - '0';
    DbtJitConfig cfg = {DBT_JIT_ABI_VERSION, opt, cpu, syms, ARRAY_LEN(syms), dispatch_is_translated};
    char err[256] = "";
    h->jit = open(&cfg, err, sizeof err);
    if (h->jit == NULL) {
        snprintf(h->why, sizeof h->why, "%s: %s", path, err);
        return -1;
    }
    rt_log(rt, LOG_JIT, "jit: loaded %s (-O%d, %s)", path, opt, cpu);
    return 0;
}

/* ---- translating ------------------------------------------------------- */

/* DBT_PERF_MAP=1: every translation made here is announced to perf in
 * /tmp/perf-PID.map ("START SIZE NAME", hexadecimal), the file perf reads
 * for code that has no ELF behind it.  Off by default: the files stay.
 * NAME is the lifter's name of the region's function (lifter.h:
 * lift_function_name), the name gdb shows for it: LLVM's MCJIT registers
 * every object it loads through GDB's JIT interface. */
static void perf_map_note(JitHost *h, const DbtJitRegion *res, uint64_t pc)
{
    pid_t pid = getpid();
    if (h->perf_pid != pid) {
        const char *on = getenv("DBT_PERF_MAP");
        if (h->perf_pid != 0 && h->perf_fd >= 0)
            close(h->perf_fd);   /* the parent's, inherited by fork */
        h->perf_fd = -1;
        h->perf_pid = pid;
        if (on != NULL && strcmp(on, "1") == 0) {
            char path[64];
            snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)pid);
            int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            /* Far above the guest's own descriptors, which it may close. */
            h->perf_fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 900) : -1;
            if (fd >= 0 && h->perf_fd != fd)
                close(fd);
            if (h->perf_fd < 0)
                rt_msg("DBT_PERF_MAP: cannot write %s", path);
        }
    }
    if (h->perf_fd >= 0)
        dprintf(h->perf_fd, "%llx %zx g_%016llx\n", (unsigned long long)(uintptr_t)res->host, res->host_size,
                (unsigned long long)pc);
}

static GuestFn translate_locked(CpuState *s, uint64_t pc, char *why, size_t n)
{
    Runtime *rt = rt_of(s);
    JitHost *h = rt->jit;
    GuestFn done = lookup_locked(h, pc); /* by another thread meanwhile */
    if (done != NULL)
        return done;
    if (h == NULL) {
        h = calloc(1, sizeof *h);
        __atomic_store_n(&rt->jit, h, __ATOMIC_RELEASE);
        if (h == NULL) {
            snprintf(why, n, "and the JIT is unavailable: out of memory");
            return NULL;
        }
    }
    /* Loading the compiler runs LLVM's static constructors, and compiling
     * runs LLVM: both do host floating point, whose flags must not reach
     * the guest's FPSR (a dynamically linked program saw IXC set before
     * main) and whose rounding must not be the guest's. */
    rt_fpenv_leave(s);
    if (h->state == 0)
        h->state = load(rt, h) == 0 ? 1 : -1;
    if (h->state < 0) {
        rt_fpenv_enter(s);
        snprintf(why, n, "and the JIT is unavailable: %s", h->why);
        return NULL;
    }

    if (jit_limit_reached(why, n)) {
        rt_fpenv_enter(s);
        return NULL;
    }
    DbtJitRegion res;
    char err[256] = "";
    int rc = h->jit->compile(h->jit, pc, &res, err, sizeof err);
    rt_fpenv_enter(s);
    if (rc != 0) {
        snprintf(why, n, "and the JIT cannot translate it: %s", err);
        return NULL;
    }
    h->compiles++;
    if (!res.reused && res.host != NULL)   /* reused: that code was announced already */
        perf_map_note(h, &res, pc);
    rt_log(rt, LOG_JIT, "jit: 0x%llx: %zu instructions (%zu code ranges), %.2f ms%s",
           (unsigned long long)pc, res.ninsns, res.ncode, res.seconds * 1e3,
           res.reused ? ", same code as an earlier translation: reused" : "");
    if (res.untranslated)
        rt_log(rt, LOG_JIT, "jit: 0x%llx: %zu instructions untranslated (SIGILL if reached)",
               (unsigned long long)pc, res.untranslated);

    JitRegion *r = calloc(1, sizeof *r);
    if (r == NULL || (h->nregions == h->capregions && h->capregions > SIZE_MAX / 4)) {
        free(r);
        free(res.keys);
        free(res.code);
        return res.fn; /* runs, but is not cached */
    }
    if (h->nregions == h->capregions) {
        size_t ncap = h->capregions ? 2 * h->capregions : 64;
        JitRegion **nr = realloc(h->regions, ncap * sizeof *nr);
        if (nr == NULL) {
            free(r);
            free(res.keys);
            free(res.code);
            return res.fn;
        }
        h->regions = nr;
        h->capregions = ncap;
    }
    *r = (JitRegion){res.fn, res.keys, res.nkeys, res.code, res.ncode, UINT64_MAX, 0};
    for (size_t k = 0; k < r->ncode; k++) {
        r->lo = r->code[k].lo < r->lo ? r->code[k].lo : r->lo;
        r->hi = r->code[k].hi > r->hi ? r->code[k].hi : r->hi;
    }
    if (h->nregions == 0 || r->lo < h->lo)
        h->lo = r->lo;
    if (h->nregions == 0 || r->hi > h->hi)
        h->hi = r->hi;
    h->regions[h->nregions++] = r;
    for (size_t k = 0; k < r->nkeys; k++)
        insert(h, r->keys[k], r);
    return r->fn;
}

GuestFn jit_translate(CpuState *s, uint64_t pc, char *why, size_t n)
{
    jit_lock();
    GuestFn f = translate_locked(s, pc, why, n);
    jit_unlock();
    return f;
}
