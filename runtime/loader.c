/*
 * loader.c - map the embedded guest ELF the way the arm64 kernel would.
 *
 * The offline tool embeds the whole input file (DbtMeta.image).  Because
 * guest addresses are host addresses, each PT_LOAD segment is placed at
 * exactly p_vaddr + load_bias, where the guest's code expects its data.
 *
 * Segments are not page aligned in general (AArch64 linkers align to 64 KiB
 * in the file but two segments may share a 4 KiB page at their boundary):
 *
 *    seg 0 (R X)  [p_vaddr ............ p_vaddr+p_filesz)
 *    seg 1 (RW )                    [p_vaddr ...... filesz | bss ... memsz)
 *    pages:       |    |    |    |  shared |    |    |    |    |
 *
 * so loading goes in three passes:
 *   1. map the union of the segments' page ranges, anonymous and RW, with
 *      MAP_FIXED_NOREPLACE (never over anything that already exists);
 *   2. copy each segment's file bytes; everything else is already zero,
 *      which gives bss (and the unused parts of boundary pages) - except
 *      that a read-only segment without bss whose pages it shares with no
 *      other segment is mapped from this program's own file (the embedded
 *      image is part of it, /proc/self/exe) instead, as the kernel would
 *      map it: no copy, and only the pages the guest reads are read (a
 *      static hello copied 500 KB and took 250 page faults at start);
 *   3. mprotect each segment's pages to its permissions; a page shared by
 *      two segments gets the union of both.
 * Executable segments are mapped readable, not executable: only the
 * translated code runs, the guest code is data (literal pools, tables).
 *
 * Every failure is fatal with one line naming the guest and the range:
 * a malformed image, a segment overlapping this program's own memory,
 * or an address the host cannot map.  The program break starts at the
 * page-aligned end of the highest segment (sys_mem.c emulates brk).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime.h"

typedef struct Seg {
    uint64_t lo, hi;        /* guest addresses [lo, hi) of the segment (memsz) */
    uint64_t file_off;      /* p_offset */
    uint64_t file_size;     /* p_filesz */
    uint32_t flags;         /* PF_R/PF_W/PF_X, for the log */
    int prot;               /* host PROT_* */
} Seg;

#define MAX_SEGS 32

const DbtObject *loader_find_object(const Runtime *rt, const char *path)
{
    const DbtMeta *m = rt->meta;
    for (uint64_t i = 1; i < m->nobjects; i++)
        if (strcmp(m->objects[i].path, path) == 0)
            return &m->objects[i];
    return NULL;
}

static const char *guest_name(const Runtime *rt)
{
    return rt->meta->guest_name ? rt->meta->guest_name : "guest";
}

static int seg_prot(uint32_t flags)
{
    int prot = 0;
    if (flags & (PF_R | PF_X))
        prot |= PROT_READ;
    if (flags & PF_W)
        prot |= PROT_WRITE;
    return prot;
}

/* One ELF file to map: the program, or its interpreter. */
typedef struct Obj {
    const char *name;       /* for messages */
    const uint8_t *image;   /* the file */
    uint64_t size;
    uint64_t bias;          /* added to its vaddrs */
} Obj;

static const Elf64_Ehdr *check_header(const Runtime *rt, const Obj *m)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m->image;
    if (!m->image || m->size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        rt_fatal("%s: embedded guest image is not an ELF file", m->name);
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        eh->e_machine != EM_AARCH64)
        rt_fatal("%s: embedded guest image is not a little-endian ELF64 AArch64 file",
                 m->name);
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        rt_fatal("%s: guest ELF type %u is not an executable", m->name, eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
        eh->e_phoff > m->size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > m->size - eh->e_phoff)
        rt_fatal("%s: guest program headers are malformed", m->name);
    return eh;
}

/* Fills segs[] from the PT_LOAD headers, and OUT (the GuestImage fields);
 * *interp: the PT_INTERP string, or NULL. */
static int collect_segments(Runtime *rt, const Obj *m, const Elf64_Ehdr *eh, Seg *segs, GuestImage *out,
                            const char **interp)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(m->image + eh->e_phoff);
    *interp = NULL;
    uint64_t phdr_addr = 0, top = 0;
    int n = 0, have_phdr = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *p = &ph[i];
        if (p->p_type == PT_INTERP) {
            if (p->p_offset >= m->size || p->p_filesz > m->size - p->p_offset || p->p_filesz < 2 ||
                m->image[p->p_offset + p->p_filesz - 1] != '\0')
                rt_fatal("%s: malformed PT_INTERP", m->name);
            *interp = (const char *)m->image + p->p_offset;
        }
        if (p->p_type == PT_PHDR) {
            phdr_addr = p->p_vaddr + m->bias;
            have_phdr = 1;
        }
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        uint64_t lo = p->p_vaddr + m->bias, hi = lo + p->p_memsz;
        if (n == MAX_SEGS || p->p_filesz > p->p_memsz || p->p_offset > m->size ||
            p->p_filesz > m->size - p->p_offset || hi < lo || hi > HOST_USER_TOP ||
            (n && lo < segs[n - 1].lo))
            rt_fatal("%s: PT_LOAD segment %u (0x%llx-0x%llx) is malformed or not mappable "
                     "on x86-64", m->name, i, (unsigned long long)lo,
                     (unsigned long long)hi);
        if (!have_phdr && p->p_offset <= eh->e_phoff &&
            eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr) <= p->p_offset + p->p_filesz) {
            phdr_addr = lo - p->p_offset + eh->e_phoff;
            have_phdr = 1;
        }
        segs[n++] = (Seg){lo, hi, p->p_offset, p->p_filesz, p->p_flags, seg_prot(p->p_flags)};
        if (hi > top)
            top = hi;
    }
    if (n == 0)
        rt_fatal("%s: guest has no PT_LOAD segment", m->name);
    out->lo = page_down(segs[0].lo);
    out->hi = page_up(top);
    out->entry = eh->e_entry + m->bias;
    out->phdr = phdr_addr;
    out->phent = eh->e_phentsize;
    out->phnum = eh->e_phnum;
    return n;
}

/* Pass 1: map [lo, hi) (page aligned) anonymous RW, refusing host memory. */
static void map_range(Runtime *rt, const Obj *m, uint64_t lo, uint64_t hi)
{
    if (mem_touches_host(rt, lo, hi - lo))
        rt_fatal("%s: guest segment 0x%llx-0x%llx overlaps this program's own memory "
                 "(runtime, libc or stack)", m->name, (unsigned long long)lo,
                 (unsigned long long)hi);
    void *p = mmap((void *)lo, hi - lo, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || (uint64_t)p != lo) {
        int err = p == MAP_FAILED ? errno : EEXIST;
        if (p != MAP_FAILED)
            munmap(p, hi - lo);
        rt_fatal("%s: cannot map guest segment at 0x%llx-0x%llx: %s", m->name,
                 (unsigned long long)lo, (unsigned long long)hi, strerror(err));
    }
    guest_mem_add(lo, hi);
    rt_log(rt, LOG_LOAD, "mapped 0x%llx-0x%llx", (unsigned long long)lo, (unsigned long long)hi);
}

/* Where the bytes at host address P lie in this program's file: the file
 * offset, or -1 when P is not in one of its file-backed segments (an
 * image read at run time, exec.c). */
typedef struct SelfFile {
    const uint8_t *p;
    int64_t off;
} SelfFile;

static int find_in_self(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    SelfFile *q = arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uint64_t a = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (uint64_t)q->p >= a && (uint64_t)q->p - a < ph->p_filesz)
            q->off = (int64_t)(ph->p_offset + ((uint64_t)q->p - a));
    }
    return 1;   /* the first object is the program itself */
}

/* Pass 2 for segment I of N: map it from this program's file at FD if it
 * can be (see the top of the file); nonzero if done. */
static int map_from_self(const Obj *m, const Seg *segs, int n, int i, int fd)
{
    const Seg *g = &segs[i];
    if (fd < 0 || (g->prot & PROT_WRITE) || g->file_size != g->hi - g->lo || g->file_size == 0)
        return 0;
    uint64_t lo = page_down(g->lo), hi = page_up(g->hi);
    if ((i > 0 && page_up(segs[i - 1].hi) > lo) || (i + 1 < n && page_down(segs[i + 1].lo) < hi))
        return 0;
    SelfFile q = {m->image + g->file_off, -1};
    dl_iterate_phdr(find_in_self, &q);
    if (q.off < 0 || ((uint64_t)q.off - (g->lo - lo)) % A64_PAGE_SIZE != 0 || (uint64_t)q.off < g->lo - lo)
        return 0;
    void *p = mmap((void *)lo, hi - lo, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, (off_t)((uint64_t)q.off - (g->lo - lo)));
    return p == (void *)lo;
}

/* Map M at its bias; OUT describes it.  Returns its PT_INTERP or NULL. */
static const char *load_object(Runtime *rt, const Obj *m, GuestImage *out)
{
    const Elf64_Ehdr *eh = check_header(rt, m);
    Seg segs[MAX_SEGS];
    const char *interp;
    int n = collect_segments(rt, m, eh, segs, out, &interp);

    /* 1: map the union of page ranges (segments are sorted by address). */
    uint64_t run_lo = page_down(segs[0].lo), run_hi = page_up(segs[0].hi);
    for (int i = 1; i < n; i++) {
        uint64_t lo = page_down(segs[i].lo), hi = page_up(segs[i].hi);
        if (lo <= run_hi) {
            run_hi = hi > run_hi ? hi : run_hi;
            continue;
        }
        map_range(rt, m, run_lo, run_hi);
        run_lo = lo;
        run_hi = hi;
    }
    map_range(rt, m, run_lo, run_hi);

    /* 2: file contents; bss and gaps are already zero. */
    int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    for (int i = 0; i < n; i++)
        if (!map_from_self(m, segs, n, i, self))
            memcpy((void *)segs[i].lo, m->image + segs[i].file_off, segs[i].file_size);
    if (self >= 0)
        close(self);

    /* 3: permissions, with the union on pages two segments share. */
    for (int i = 0; i < n; i++) {
        uint64_t lo = page_down(segs[i].lo), hi = page_up(segs[i].hi);
        if (mprotect((void *)lo, hi - lo, segs[i].prot) != 0)
            rt_fatal("%s: mprotect of guest segment 0x%llx-0x%llx failed: %s", m->name,
                     (unsigned long long)lo, (unsigned long long)hi, strerror(errno));
        rt_log(rt, LOG_LOAD, "segment 0x%llx-0x%llx file 0x%llx+0x%llx %c%c%c",
               (unsigned long long)segs[i].lo, (unsigned long long)segs[i].hi,
               (unsigned long long)segs[i].file_off, (unsigned long long)segs[i].file_size,
               segs[i].flags & PF_R ? 'r' : '-', segs[i].flags & PF_W ? 'w' : '-',
               segs[i].flags & PF_X ? 'x' : '-');
    }
    for (int i = 1; i < n; i++) {
        uint64_t shared = page_down(segs[i].lo);
        if (shared < page_up(segs[i - 1].hi))
            mprotect((void *)shared, A64_PAGE_SIZE, segs[i].prot | segs[i - 1].prot);
    }
    return interp;
}

void loader_load(Runtime *rt)
{
    const DbtMeta *meta = rt->meta;
    objects_init(rt);
    Obj prog = {guest_name(rt), meta->image, meta->image_size, meta->load_bias};
    const char *interp = load_object(rt, &prog, &rt->image);
    rt->image.start = rt->image.entry;
    rt->image.base = 0;
    if (interp != NULL) {
        /* As the kernel does: the interpreter is mapped too, the guest
         * starts there and AT_BASE says where it is. */
        const DbtObject *o = loader_find_object(rt, interp);
        Obj io;
        if (o != NULL) {
            io = (Obj){o->path, o->image, o->size, o->bias};
        } else if (exec_guest_path() != NULL) {
            /* A program exec'd through the JIT (exec.c): its interpreter
             * from DBT_SYSROOT or the host, at a base of its own. */
            int err = exec_interp_file(interp, &io.image, &io.size);
            if (err != 0)
                rt_fatal("%s: cannot read its interpreter %s: %s", guest_name(rt), interp, strerror(-err));
            io.name = interp;
            io.bias = DBT_FOREIGN_INTERP_BASE;
        } else {
            rt_fatal("%s: dynamically linked, and its interpreter %s is not in this output "
                     "(translate it with --sysroot)", guest_name(rt), interp);
        }
        GuestImage ii;
        if (load_object(rt, &io, &ii) != NULL)
            rt_fatal("%s: the interpreter %s has an interpreter itself", guest_name(rt), interp);
        rt->image.start = ii.entry;
        rt->image.base = io.bias;
        if (o != NULL)
            objects_mapped(rt, ii.lo, ii.hi, 1);
        rt_log(rt, LOG_LOAD, "interpreter %s at 0x%llx, entry 0x%llx", interp,
               (unsigned long long)io.bias, (unsigned long long)ii.entry);
    }

    mem_brk_init(rt, rt->image.hi);
    rt_log(rt, LOG_LOAD, "entry 0x%llx, phdr 0x%llx (%llu), brk 0x%llx",
           (unsigned long long)rt->image.entry, (unsigned long long)rt->image.phdr,
           (unsigned long long)rt->image.phnum, (unsigned long long)rt->brk_start);
}
