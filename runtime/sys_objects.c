/*
 * sys_objects.c - the shared objects embedded in the output, served to the
 * guest's own dynamic linker.
 *
 * A dynamically linked guest starts in its interpreter (ld-linux-aarch64,
 * mapped by loader.c as the kernel would), which then looks for the
 * libraries the program needs and maps them itself: openat, fstat/pread
 * of the headers, one mmap of the whole span at an address of the
 * kernel's choosing, then MAP_FIXED mmaps of each segment inside it.
 * The offline tool found those libraries in the --sysroot, translated
 * each for a fixed base and embedded the files (DbtMeta.objects, with the
 * path ld.so will open them by).  Here:
 *
 *   openat   of such a path gives a memfd holding the embedded file (the
 *            host need not have any AArch64 file installed); the memfd's
 *            inode is remembered;
 *   mmap     ld.so's first mapping of the object is placed at the base
 *            the object was translated for (MAP_FIXED_NOREPLACE).  Which
 *            mapping that is depends on the segments' alignment: with
 *            alignment above the page size (arm64 libraries are linked
 *            with 64 KiB) glibc 2.36 first reserves span + alignment bytes
 *            of PROT_NONE anonymous memory and maps the file at the first
 *            aligned address inside; otherwise it maps the file at
 *            offset 0 directly.  So the first anonymous PROT_NONE mapping
 *            of about the span after an embedded object was opened, or a
 *            mapping of its memfd at offset 0, goes to the base (which is
 *            4 GiB aligned).  If that range is taken the kernel's choice
 *            stands: the library then runs, correctly and slowly, through
 *            the JIT (the log says so).
 *
 * The later MAP_FIXED mappings are relative to the first and need
 * nothing.
 *
 * A path that is not embedded goes to the host file system as usual -
 * unless DBT_SYSROOT=DIR is set (like qemu-aarch64 -L): an absolute path
 * is then tried under DIR first (for reading).  That is how a guest finds
 * a library it dlopens that was not translated ahead of time; it runs
 * through the JIT.  With DBT_RECORD=FILE too, the guest path of every ELF
 * shared object so found is appended to FILE, and `dbt-aot --recorded
 * FILE` translates them ahead of time next time.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime.h"

/* The memfd inode of each embedded object's latest open (index as in
 * DbtMeta.objects); read and written under no lock: ld.so opens its
 * libraries one at a time, and a stale entry only costs the placement. */
static uint64_t object_ino[RT_MAX_OBJECTS];
/* The object opened last and not mapped yet (index), or 0. */
static uint64_t pending;

/* Which embedded libraries are mapped at the base they were translated
 * for.  The dispatcher's table holds their functions whether they are or
 * not; a pc in the range of one that is not (not loaded yet, placed
 * elsewhere because the range was taken, or unmapped by dlclose - and
 * maybe something else mapped there since) must not reach that code:
 * dispatch.c asks objects_pc_live while any library is not live. */
static struct {
    uint64_t lo, hi;         /* [bias, bias + span) */
    uint8_t live;
} ranges[RT_MAX_OBJECTS];
static uint64_t nranges;
uint64_t objects_ndead;      /* libraries not live (atomic; runtime.h reads it inline) */

/* The page-rounded span of an ELF file's PT_LOAD segments, or 0. */
static uint64_t load_span(const DbtObject *o)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)o->image;
    if (o->size < sizeof *eh || eh->e_phoff > o->size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > o->size - eh->e_phoff)
        return 0;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(o->image + eh->e_phoff);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (ph[i].p_vaddr < lo)
            lo = ph[i].p_vaddr;
        if (ph[i].p_vaddr + ph[i].p_memsz > hi)
            hi = ph[i].p_vaddr + ph[i].p_memsz;
    }
    return hi > lo ? page_up(hi) - page_down(lo) : 0;
}

/* DBT_SYSROOT: PATH under the guest's run-time root, if it is there. */
static int64_t open_in_sysroot(Runtime *rt, const char *path, uint64_t host_flags)
{
    const char *root = getenv("DBT_SYSROOT");
    if (root == NULL || *root == '\0' || path[0] != '/' || (host_flags & (O_WRONLY | O_RDWR | O_CREAT)))
        return PROC_NOT_OURS;
    char full[PATH_MAX];
    if ((size_t)snprintf(full, sizeof full, "%s%s", root, path) >= sizeof full)
        return PROC_NOT_OURS;
    int64_t fd = host_syscall6(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)full, host_flags, 0, 0, 0);
    if (fd < 0)
        return PROC_NOT_OURS;
    Elf64_Ehdr eh;
    const char *record = getenv("DBT_RECORD");
    if (record != NULL && *record && pread((int)fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh &&
        memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_type == ET_DYN) {
        int rfd = open(record, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (rfd >= 0) {
            char line[PATH_MAX + 2];
            int n = snprintf(line, sizeof line, "%s\n", path);
            if (n > 0 && (size_t)n < sizeof line && write(rfd, line, (size_t)n) != n)
                rt_log(rt, LOG_LOAD, "DBT_RECORD: cannot write %s", record);
            close(rfd);
        }
    }
    rt_log(rt, LOG_LOAD, "open %s: from DBT_SYSROOT (%s)", path, full);
    return fd;
}

int64_t objects_open(Runtime *rt, uint64_t path, uint64_t host_flags)
{
    const DbtObject *o = loader_find_object(rt, (const char *)path);
    if (o == NULL)
        return open_in_sysroot(rt, (const char *)path, host_flags);
    if (host_flags & (O_WRONLY | O_RDWR))
        return -ETXTBSY;
    const char *base = strrchr(o->path, '/');
    int64_t fd = proc_memfd(base ? base + 1 : o->path, o->image, o->size, host_flags);
    if (fd < 0)
        return fd;
    struct stat st;
    size_t i = (size_t)(o - rt->meta->objects);
    if (fstat((int)fd, &st) == 0 && i < RT_MAX_OBJECTS) {
        object_ino[i] = (uint64_t)st.st_ino;
        __atomic_store_n(&pending, i, __ATOMIC_RELAXED);
    }
    rt_log(rt, LOG_LOAD, "open %s: the embedded copy (fd %lld)", o->path, (long long)fd);
    return fd;
}

int objects_in_library(const DbtMeta *m, uint64_t pc)
{
    for (uint64_t i = 1; i < m->nobjects; i++)
        if (pc >= m->objects[i].bias && pc - m->objects[i].bias < load_span(&m->objects[i]))
            return 1;
    return 0;
}

void objects_init(Runtime *rt)
{
    const DbtMeta *m = rt->meta;
    nranges = m->nobjects < RT_MAX_OBJECTS ? m->nobjects : RT_MAX_OBJECTS;
    for (uint64_t i = 1; i < nranges; i++) {
        ranges[i].lo = m->objects[i].bias;
        ranges[i].hi = m->objects[i].bias + load_span(&m->objects[i]);
        ranges[i].live = 0;
        objects_ndead++;
    }
}

void objects_mapped(Runtime *rt, uint64_t lo, uint64_t hi, int at_base)
{
    for (uint64_t i = 1; i < nranges; i++) {
        if (hi <= ranges[i].lo || lo >= ranges[i].hi)
            continue;
        int live = at_base && lo == ranges[i].lo;
        if (live != ranges[i].live) {
            ranges[i].live = (uint8_t)live;
            __atomic_fetch_add(&objects_ndead, live ? (uint64_t)-1 : 1, __ATOMIC_RELEASE);
            rt_log(rt, LOG_LOAD, "%s at 0x%llx: %s", rt->meta->objects[i].path, (unsigned long long)ranges[i].lo,
                   live ? "mapped, its translation in use" : "gone, its translation out of use");
            icache_flush_all(); /* the threads' caches hold the old answers */
        }
    }
}

void objects_fixed_map(Runtime *rt, uint64_t lo, uint64_t hi, int fd)
{
    struct stat st;
    uint64_t ino = fd >= 0 && fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
    for (uint64_t i = 1; i < nranges; i++) {
        if (hi <= ranges[i].lo || lo >= ranges[i].hi || !ranges[i].live)
            continue;
        if (ino != 0 && i < RT_MAX_OBJECTS && ino == object_ino[i])
            continue;   /* its own file: ld.so mapping its segments */
        rt_log(rt, LOG_LOAD, "MAP_FIXED code at 0x%llx-0x%llx over %s: its translation out of use",
               (unsigned long long)lo, (unsigned long long)hi, rt->meta->objects[i].path);
        objects_mapped(rt, ranges[i].lo, ranges[i].hi, 0);
    }
}

int objects_pc_live(uint64_t pc)
{
    for (uint64_t i = 1; i < nranges; i++)
        if (pc >= ranges[i].lo && pc < ranges[i].hi)
            return __atomic_load_n(&ranges[i].live, __ATOMIC_ACQUIRE);
    return 1;
}

uint64_t objects_mmap_base(Runtime *rt, int fd, uint64_t len, uint64_t prot, uint64_t flags)
{
    const DbtMeta *m = rt->meta;
    if (fd < 0) {
        /* ld.so's reservation: PROT_NONE, private, anonymous, about the
         * span (plus up to 1 MiB of alignment slack). */
        uint64_t i = __atomic_load_n(&pending, __ATOMIC_RELAXED);
        if (i == 0 || i >= m->nobjects || prot != 0 || !(flags & A64_MAP_ANONYMOUS) ||
            !(flags & A64_MAP_PRIVATE))
            return 0;
        uint64_t span = load_span(&m->objects[i]);
        if (span == 0 || len < span || len > span + (1u << 20))
            return 0;
        __atomic_store_n(&pending, 0, __ATOMIC_RELAXED);
        return m->objects[i].bias;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        return 0;
    for (uint64_t i = 1; i < m->nobjects && i < RT_MAX_OBJECTS; i++)
        if (object_ino[i] != 0 && object_ino[i] == (uint64_t)st.st_ino) {
            __atomic_store_n(&pending, 0, __ATOMIC_RELAXED);
            return m->objects[i].bias;
        }
    return 0;
}
