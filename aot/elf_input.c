/*
 * elf_input.c - reading and validating the guest ELF (see elf_input.h).
 *
 * Every check that input can violate stays on in release builds: the file
 * must be ELF, 64-bit, little-endian, EM_AARCH64, an executable (ET_EXEC or
 * ET_DYN), and every program header and PT_LOAD segment must lie inside the
 * file.  libelf parses the headers; we check the bounds ourselves so that a
 * truncated file is reported as such instead of as some later oddity.
 */
#include "elf_input.h"

#include "bind_table.h"
#include "hash.h"
#include "lifter.h" /* a64_decode_adr, a64_decode_add_imm12 */
#include "meta.h"   /* DBT_PIE_BASE */

#include <errno.h>
#include <stddef.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The end of user address space on x86-64 with 4-level page tables. */
#define HOST_USER_TOP 0x800000000000ull

static int cmp_sym(const void *a, const void *b)
{
    const GuestSymbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* Larger size first, then name, so the choice below is deterministic. */
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_bind(const void *a, const void *b)
{
    const GuestBind *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Collect the bindings of STT_FUNC symbol NAME at ADDR into IMG->binds
 * (unsorted); an IFUNC symbol names its resolver, never bound. */
static int note_binding(GuestImage *img, const char *name, uint64_t addr)
{
    unsigned id = bind_by_symbol(name);
    if (id == BIND_NONE)
        return 0;
    GuestBind *nb = realloc(img->binds, (img->nbinds + 1) * sizeof *nb);
    if (nb == NULL)
        return -1;
    img->binds = nb;
    img->binds[img->nbinds++] = (GuestBind){addr, id};
    return 0;
}

/* An IFUNC symbol named like a binding (glibc's memcpy, strlen, ... in a
 * stripped libc.so.6, whose implementations have no symbol): its resolver
 * is read for the implementations it can return. */
typedef struct IfuncBind {
    uint64_t addr, size;
    unsigned id;
} IfuncBind;

enum { RESOLVER_MAX_WORDS = 256 };

/* Every address of code an ADRP+ADD (or ADR) of RESOLVER computes is one of
 * the implementations it may choose: bound as the resolver's function.
 * glibc's resolvers are a few compares and CSELs between such addresses. */
static int bind_resolver(GuestImage *img, const IfuncBind *r)
{
    uint64_t page[32] = {0};
    uint64_t words = r->size ? r->size / 4 : RESOLVER_MAX_WORDS;
    if (words > RESOLVER_MAX_WORDS)
        words = RESOLVER_MAX_WORDS;
    for (uint64_t k = 0; k < words; k++) {
        uint64_t pc = r->addr + 4 * k, a = 0;
        uint8_t b[4];
        if (!elf_is_code(img, pc) || !elf_read(img, pc, b, 4))
            break;
        uint32_t w = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        unsigned rd, rn;
        uint32_t imm12;
        bool is_page;
        if (a64_decode_adr(w, pc, &rd, &a, &is_page)) {
            if (is_page) {
                page[rd] = a;
                continue;
            }
        } else if (a64_decode_add_imm12(w, &rd, &rn, &imm12) && rn < 31 && page[rn]) {
            a = page[rn] + imm12;
        } else {
            continue;
        }
        if (a != 0 && (a & 3) == 0 && elf_is_code(img, a)) {
            GuestBind *nb = realloc(img->binds, (img->nbinds + 1) * sizeof *nb);
            if (nb == NULL)
                return -1;
            img->binds = nb;
            img->binds[img->nbinds++] = (GuestBind){a, r->id};
        }
    }
    return 0;
}

/* Which libraries an image holds, by their own marks (bind_table.h). */
typedef struct LibraryMarks {
    bool static_glibc; /* __libc_setup_tls: a static program linked with glibc */
    bool zlib;         /* deflate_copyright or inflate_copyright: zlib's code */
    bool libcrypto;    /* _armv8_cpuid_probe: OpenSSL 3's libcrypto (arm64cpuid.S) */
} LibraryMarks;

static void note_marks(LibraryMarks *m, const char *name)
{
    if (strcmp(name, "__libc_setup_tls") == 0)
        m->static_glibc = true;
    if (strcmp(name, "deflate_copyright") == 0 || strcmp(name, "inflate_copyright") == 0)
        m->zlib = true;
    if (strcmp(name, "_armv8_cpuid_probe") == 0)
        m->libcrypto = true;
}

/* The binding whose known code (bind_table.h: BIND_KNOWN_CODE) the bytes
 * at VADDR are, else 0. */
static unsigned known_code_at(const GuestImage *img, uint64_t vaddr)
{
    uint8_t code[1024];
    for (size_t k = 0; k < sizeof bind_known_code / sizeof *bind_known_code; k++) {
        const BindKnownCode *c = &bind_known_code[k];
        if (c->size <= sizeof code && elf_read(img, vaddr, code, c->size) &&
            hash_fnv1a(HASH_FNV_START, code, c->size) == c->hash)
            return c->id;
    }
    return 0;
}

/* The bindings of a library hold for its own implementation only
 * (another libc's functions may return other values): libc's are kept
 * when the image is glibc's libc.so.6 or a static program linked with
 * glibc, zlib's when it is libz.so.1 or holds zlib's code, libcrypto's
 * when it is libcrypto.so.3 or holds OpenSSL's code, libm's in glibc's
 * libm.so.6 or a static glibc program.  Then sorted
 * and made unique. */
static void settle_bindings(GuestImage *img, const LibraryMarks *m)
{
    bool glibc = (m->static_glibc && !img->has_interp) || (img->soname && strcmp(img->soname, "libc.so.6") == 0);
    const bool lib_here[BIND_NLIBRARIES] = {
        [BIND_LIB_LIBC] = glibc,
        [BIND_LIB_TEST] = true,
        [BIND_LIB_ZLIB] = m->zlib || (img->soname && strcmp(img->soname, "libz.so.1") == 0),
        [BIND_LIB_CRYPTO] = m->libcrypto || (img->soname && strcmp(img->soname, "libcrypto.so.3") == 0),
        [BIND_LIB_LIBM] = glibc || (img->soname && strcmp(img->soname, "libm.so.6") == 0),
    };
    size_t k = 0;
    for (size_t i = 0; i < img->nbinds; i++) {
        const GuestBind *b = &img->binds[i];
        if (lib_here[bind_rows[b->id].lib] && (!bind_sets_errno(b->id) || img->errno_location != 0) &&
            (!bind_needs_known_code(b->id) || known_code_at(img, b->addr) == b->id))
            img->binds[k++] = *b;
    }
    img->nbinds = k;
    if (img->nbinds == 0) {
        free(img->binds);
        img->binds = NULL;
        return;
    }
    qsort(img->binds, img->nbinds, sizeof *img->binds, cmp_bind);
    size_t u = 0;
    for (size_t i = 0; i < img->nbinds; i++)
        if (u == 0 || img->binds[u - 1].addr != img->binds[i].addr)
            img->binds[u++] = img->binds[i];
    img->nbinds = u;
}

/* The function symbols, code labels and bindings of IMG; the IFUNCs named
 * like a binding into *IFUNCS (malloc'ed, *NIFUNCS of them). */
static int read_symbols_into(GuestImage *img, Elf *e, LibraryMarks *marks, IfuncBind **ifuncs, size_t *nifuncs,
                             Diag *d)
{
    Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        if (gelf_getshdr(scn, &sh) == NULL)
            return diag_error(d, "bad section header: %s", elf_errmsg(-1));
        if (sh.sh_type == SHT_SYMTAB)
            symtab = scn;
        else if (sh.sh_type == SHT_DYNSYM)
            dynsym = scn;
    }
    scn = symtab ? symtab : dynsym;
    if (scn == NULL)
        return 0; /* stripped: control-flow recovery starts from the entry */
    gelf_getshdr(scn, &sh);
    if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > img->size || sh.sh_size > img->size - sh.sh_offset))
        return diag_error(d, "symbol table extends past the end of the file (truncated?)");
    Elf_Data *data = elf_getdata(scn, NULL);
    if (data == NULL || sh.sh_entsize == 0)
        return 0;
    size_t n = sh.sh_size / sh.sh_entsize, k = 0;
    GuestSymbol *syms = calloc(n ? n : 1, sizeof *syms);
    if (syms == NULL)
        return diag_error(d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        GElf_Sym s;
        if (gelf_getsym(data, (int)i, &s) == NULL)
            continue;
        int type = GELF_ST_TYPE(s.st_info);
        if (s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE || s.st_value == 0)
            continue;
        s.st_value += img->bias;
        const char *name = elf_strptr(e, sh.sh_link, s.st_name);
        if (name != NULL)
            note_marks(marks, name);
        if (type == STT_NOTYPE && name && name[0] && name[0] != '$' && elf_is_code(img, s.st_value) &&
            (s.st_value & 3) == 0) {
            uint64_t *nl = realloc(img->labels, (img->nlabels + 1) * sizeof *nl);
            if (nl == NULL) {
                free(syms);
                return diag_error(d, "out of memory");
            }
            img->labels = nl;
            img->labels[img->nlabels++] = s.st_value;
            continue;
        }
        if (type != STT_FUNC && type != STT_GNU_IFUNC)
            continue;
        if (name && type == STT_FUNC) {
            if (strcmp(name, "__errno_location") == 0)
                img->errno_location = s.st_value;
            if (note_binding(img, name, s.st_value) != 0) {
                free(syms);
                return diag_error(d, "out of memory");
            }
        } else if (name && type == STT_GNU_IFUNC && bind_by_symbol(name) != BIND_NONE) {
            IfuncBind *ni = realloc(*ifuncs, (*nifuncs + 1) * sizeof *ni);
            if (ni == NULL) {
                free(syms);
                return diag_error(d, "out of memory");
            }
            *ifuncs = ni;
            (*ifuncs)[(*nifuncs)++] = (IfuncBind){s.st_value, s.st_size, bind_by_symbol(name)};
        }
        syms[k].addr = s.st_value;
        syms[k].size = s.st_size;
        syms[k].name = strdup(name ? name : "");
        k++;
    }
    qsort(syms, k, sizeof *syms, cmp_sym);
    if (img->nlabels > 1)
        qsort(img->labels, img->nlabels, sizeof *img->labels, cmp_u64);
    size_t ul = 0;
    for (size_t i = 0; i < img->nlabels; i++)
        if (ul == 0 || img->labels[ul - 1] != img->labels[i])
            img->labels[ul++] = img->labels[i];
    img->nlabels = ul;
    /* Keep one symbol per address (the largest). */
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        if (u > 0 && syms[u - 1].addr == syms[i].addr) {
            free(syms[i].name);
            continue;
        }
        syms[u++] = syms[i];
    }
    img->syms = syms;
    img->nsyms = u;
    return 0;
}

static int read_symbols(GuestImage *img, Elf *e, LibraryMarks *marks, Diag *d)
{
    IfuncBind *ifuncs = NULL;
    size_t nifuncs = 0;
    int rc = read_symbols_into(img, e, marks, &ifuncs, &nifuncs, d);
    for (size_t i = 0; rc == 0 && i < nifuncs; i++)
        if (bind_resolver(img, &ifuncs[i]) != 0)
            rc = diag_error(d, "out of memory");
    free(ifuncs);
    return rc;
}

/* The file offset of run-time address A with N bytes inside a segment's
 * file-backed part, or -1. */
static int64_t file_offset(const GuestImage *img, uint64_t a, uint64_t n)
{
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *s = &img->segs[i];
        if (a >= s->vaddr && a - s->vaddr <= s->filesz && s->filesz - (a - s->vaddr) >= n)
            return (int64_t)(s->offset + (a - s->vaddr));
    }
    return -1;
}

/* Apply the RELA entries between file offsets OFF and OFF + SIZE. */
static void apply_rela_table(GuestImage *img, uint64_t off, uint64_t size)
{
    if (off > img->size || size > img->size - off)
        return;   /* not in the file: nothing to learn from */
    for (uint64_t k = 0; k + sizeof(Elf64_Rela) <= size; k += sizeof(Elf64_Rela)) {
        Elf64_Rela r;
        memcpy(&r, img->data + off + k, sizeof r);
        uint32_t type = (uint32_t)ELF64_R_TYPE(r.r_info);
        if (type != R_AARCH64_RELATIVE && type != R_AARCH64_IRELATIVE && type != R_AARCH64_JUMP_SLOT)
            continue;
        int64_t at = file_offset(img, r.r_offset + img->bias, 8);
        if (at < 0)
            continue;
        uint64_t v = (uint64_t)r.r_addend + img->bias;
        if (type == R_AARCH64_JUMP_SLOT) {
            /* Lazy binding: until the first call the slot holds the
             * address of PLT0 (the resolver's entry), moved by the bias
             * (ld.so's elf_machine_lazy_rel). */
            memcpy(&v, img->data + at, sizeof v);
            if (v == 0)
                continue;
            v += img->bias;
            img->plt0 = v;
        }
        memcpy(img->data + at, &v, sizeof v);
    }
}

/* The NUL-terminated string at offset OFF of the dynamic string table at
 * file offset STR (STRSZ bytes), copied, or NULL. */
static char *dyn_string(const GuestImage *img, int64_t str, uint64_t strsz, uint64_t off)
{
    if (str < 0 || off >= strsz)
        return NULL;
    const char *p = (const char *)img->data + str + off;
    size_t n = strnlen(p, strsz - off);
    return n < strsz - off ? strndup(p, n) : NULL;
}

/* PT_DYNAMIC: the relocation tables (below), DT_NEEDED, DT_RUNPATH (or
 * DT_RPATH) and DT_SONAME.
 *
 * A position-independent object's pointers in data (function-pointer
 * tables, .init_array, the GOT) hold link-time values until it is
 * relocated at run time (by the guest's ld.so, or by a static-pie's own
 * start-up code).  Control-flow recovery reads them as code pointers, so
 * the image here gets them relocated for the base the runtime will use:
 * every R_AARCH64_RELATIVE slot holds bias + addend, every IRELATIVE
 * slot its resolver's address, and every JUMP_SLOT its lazy-binding
 * value moved by the bias (PLT0).  Harmless for the run: RELA relocation
 * writes each slot whatever it held, and the output embeds the file as it
 * is anyway (GuestImage.file). */
static int read_dynamic(GuestImage *img, Elf *e, Diag *d)
{
    size_t phnum;
    if (elf_getphdrnum(e, &phnum) != 0)
        return 0;
    if (img->bias != 0) {   /* the bytes as they are, for the output */
        img->file = malloc(img->size ? img->size : 1);
        if (img->file == NULL)
            return diag_error(d, "out of memory");
        memcpy(img->file, img->data, img->size);
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(e, (int)i, &ph) == NULL || ph.p_type != PT_DYNAMIC)
            continue;
        uint64_t rela = 0, relasz = 0, jmprel = 0, pltrelsz = 0, strtab = 0, strsz = 0;
        uint64_t runpath = UINT64_MAX, soname = UINT64_MAX;
        uint64_t *needed = NULL;
        size_t nneeded = 0;
        for (uint64_t k = 0; k + sizeof(Elf64_Dyn) <= ph.p_filesz && ph.p_offset <= img->size &&
                             k + sizeof(Elf64_Dyn) <= img->size - ph.p_offset;
             k += sizeof(Elf64_Dyn)) {
            Elf64_Dyn dyn;
            memcpy(&dyn, img->data + ph.p_offset + k, sizeof dyn);
            if (dyn.d_tag == DT_NULL)
                break;
            switch (dyn.d_tag) {
            case DT_RELA: rela = dyn.d_un.d_ptr; break;
            case DT_RELASZ: relasz = dyn.d_un.d_val; break;
            case DT_JMPREL: jmprel = dyn.d_un.d_ptr; break;
            case DT_PLTRELSZ: pltrelsz = dyn.d_un.d_val; break;
            case DT_STRTAB: strtab = dyn.d_un.d_ptr; break;
            case DT_STRSZ: strsz = dyn.d_un.d_val; break;
            case DT_RUNPATH: runpath = dyn.d_un.d_val; break;
            case DT_RPATH: if (runpath == UINT64_MAX) runpath = dyn.d_un.d_val; break;
            case DT_SONAME: soname = dyn.d_un.d_val; break;
            case DT_INIT:
            case DT_FINI:
                /* Code pointers the loader calls: relocated in the
                 * analysed copy like the data pointers below, so that
                 * control-flow recovery finds _init and _fini. */
                if (img->bias != 0) {
                    uint64_t v = dyn.d_un.d_ptr + img->bias;
                    memcpy(img->data + ph.p_offset + k + offsetof(Elf64_Dyn, d_un), &v, sizeof v);
                }
                *(dyn.d_tag == DT_INIT ? &img->dt_init : &img->dt_fini) = dyn.d_un.d_ptr + img->bias;
                break;
            case DT_NEEDED: {
                uint64_t *nn = realloc(needed, (nneeded + 1) * sizeof *nn);
                if (nn == NULL) {
                    free(needed);
                    return diag_error(d, "out of memory");
                }
                needed = nn;
                needed[nneeded++] = dyn.d_un.d_val;
                break;
            }
            default: break;
            }
        }
        int64_t str = strtab ? file_offset(img, strtab + img->bias, strsz) : -1;
        img->needed = calloc(nneeded ? nneeded : 1, sizeof *img->needed);
        for (size_t k = 0; img->needed != NULL && k < nneeded; k++) {
            char *name = dyn_string(img, str, strsz, needed[k]);
            if (name != NULL)
                img->needed[img->nneeded++] = name;
        }
        free(needed);
        if (img->needed == NULL)
            return diag_error(d, "out of memory");
        if (runpath != UINT64_MAX)
            img->runpath = dyn_string(img, str, strsz, runpath);
        if (soname != UINT64_MAX)
            img->soname = dyn_string(img, str, strsz, soname);
        if (img->bias == 0)
            break;
        int64_t off;
        if (rela != 0 && (off = file_offset(img, rela + img->bias, relasz)) >= 0)
            apply_rela_table(img, (uint64_t)off, relasz);
        if (jmprel != 0 && (off = file_offset(img, jmprel + img->bias, pltrelsz)) >= 0)
            apply_rela_table(img, (uint64_t)off, pltrelsz);
        break;
    }
    return 0;
}

static int parse(GuestImage *img, uint64_t dyn_base, Diag *d)
{
    int rc = -1;
    if (img->size < EI_NIDENT || memcmp(img->data, ELFMAG, SELFMAG) != 0)
        return diag_error(d, "not an ELF file");
    if (img->data[EI_CLASS] != ELFCLASS64)
        return diag_error(d, "not a 64-bit ELF file (ELF class %u); only AArch64 ELF64 is supported",
                          img->data[EI_CLASS]);
    if (img->data[EI_DATA] != ELFDATA2LSB)
        return diag_error(d, "not a little-endian ELF file; only little-endian AArch64 is supported");
    if (img->size < sizeof(Elf64_Ehdr))
        return diag_error(d, "truncated ELF header (%zu bytes)", img->size);

    Elf *e = elf_memory((char *)img->data, img->size);
    if (e == NULL)
        return diag_error(d, "cannot parse ELF: %s", elf_errmsg(-1));
    GElf_Ehdr eh;
    if (gelf_getehdr(e, &eh) == NULL) {
        diag_error(d, "bad ELF header: %s", elf_errmsg(-1));
        goto out;
    }
    if (eh.e_machine != EM_AARCH64) {
        diag_error(d, "wrong machine: ELF e_machine is %u, expected AArch64 (%u)", eh.e_machine, EM_AARCH64);
        goto out;
    }
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
        diag_error(d, "not an executable (ELF type %u)", eh.e_type);
        goto out;
    }
    if (eh.e_phoff > img->size || (uint64_t)eh.e_phnum * eh.e_phentsize > img->size - eh.e_phoff) {
        diag_error(d, "program headers extend past the end of the file (truncated?)");
        goto out;
    }
    size_t phnum;
    if (elf_getphdrnum(e, &phnum) != 0) {
        diag_error(d, "bad program headers: %s", elf_errmsg(-1));
        goto out;
    }
    /* A position-independent executable goes where the runtime will put
     * it: every address below is a run-time address. */
    img->type = eh.e_type;
    img->bias = eh.e_type == ET_DYN ? dyn_base : 0;
    img->segs = calloc(phnum ? phnum : 1, sizeof *img->segs);
    if (img->segs == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(e, (int)i, &ph) == NULL) {
            diag_error(d, "bad program header %zu: %s", i, elf_errmsg(-1));
            goto out;
        }
        if (ph.p_type == PT_INTERP) {
            img->has_interp = true;
            /* the last of several PT_INTERP wins, the others freed (a leak
             * found by fuzz_elf; regression test elf_two_interp_no_leak) */
            if (ph.p_offset < img->size && ph.p_filesz <= img->size - ph.p_offset && ph.p_filesz > 1) {
                free(img->interp);
                img->interp = strndup((const char *)img->data + ph.p_offset, ph.p_filesz - 1);
            }
        }
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_offset > img->size || ph.p_filesz > img->size - ph.p_offset) {
            diag_error(d, "segment %zu (vaddr 0x%llx) extends past the end of the file (truncated?)", i,
                       (unsigned long long)ph.p_vaddr);
            goto out;
        }
        if (ph.p_filesz > ph.p_memsz) {
            diag_error(d, "segment %zu has p_filesz > p_memsz", i);
            goto out;
        }
        /* Identity mapping: the segment must fit where the x86-64 kernel
         * maps user memory (the runtime would refuse it at start). */
        if (ph.p_memsz > HOST_USER_TOP || ph.p_vaddr + img->bias > HOST_USER_TOP - ph.p_memsz) {
            diag_error(d, "segment %zu (vaddr 0x%llx, 0x%llx bytes) does not fit below 0x%llx, the top of x86-64 user "
                       "memory", i, (unsigned long long)ph.p_vaddr, (unsigned long long)ph.p_memsz, HOST_USER_TOP);
            goto out;
        }
        GuestSegment *s = &img->segs[img->nsegs++];
        s->vaddr = ph.p_vaddr + img->bias;
        s->memsz = ph.p_memsz;
        s->filesz = ph.p_filesz;
        s->offset = ph.p_offset;
        s->flags = ph.p_flags;
    }
    /* libelf silently ignores section headers past the end: a truncated file
     * would look stripped.  (e_shnum 0 with e_shoff set: extended numbering,
     * the count is in section 0, which must then be present.) */
    if (eh.e_shoff != 0 &&
        (eh.e_shoff > img->size ||
         (uint64_t)(eh.e_shnum ? eh.e_shnum : 1) * eh.e_shentsize > img->size - eh.e_shoff)) {
        diag_error(d, "section headers extend past the end of the file (truncated?)");
        goto out;
    }
    if (img->nsegs == 0) {
        diag_error(d, "no loadable segments");
        goto out;
    }
    img->entry = eh.e_entry + img->bias;
    if (!elf_is_code(img, img->entry)) {
        diag_error(d, "entry point 0x%llx is not in an executable segment", (unsigned long long)img->entry);
        goto out;
    }
    LibraryMarks marks = {0};
    if (read_symbols(img, e, &marks, d) != 0 || read_dynamic(img, e, d) != 0)
        goto out;
    settle_bindings(img, &marks);
    rc = 0;
out:
    elf_end(e);
    return rc;
}

int elf_load_mem(GuestImage *img, const void *buf, size_t size, Diag *d)
{
    return elf_load_mem_at(img, buf, size, DBT_PIE_BASE, d);
}

int elf_load_mem_at(GuestImage *img, const void *buf, size_t size, uint64_t dyn_base, Diag *d)
{
    memset(img, 0, sizeof *img);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return diag_error(d, "libelf initialization failed");
    img->data = malloc(size ? size : 1);
    if (img->data == NULL)
        return diag_error(d, "out of memory");
    memcpy(img->data, buf, size);
    img->size = size;
    if (parse(img, dyn_base, d) != 0) {
        elf_free(img);
        return -1;
    }
    return 0;
}

int elf_load(GuestImage *img, const char *path, Diag *d)
{
    return elf_load_at(img, path, DBT_PIE_BASE, d);
}

int elf_load_at(GuestImage *img, const char *path, uint64_t dyn_base, Diag *d)
{
    memset(img, 0, sizeof *img);
    uint8_t *buf;
    size_t len;
    if (elf_read_file(path, &buf, &len, d) != 0)
        return -1;
    int rc = elf_load_mem_at(img, buf, len, dyn_base, d);
    free(buf);
    return rc;
}

int elf_read_file(const char *path, uint8_t **data, size_t *size, Diag *d)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return diag_error(d, "cannot open: %s", strerror(errno));
    int rc = -1;
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > ELF_MAX_INPUT_BYTES) {
        diag_error(d, "too large: %llu MiB, more than the %llu MiB dbt-aot accepts",
                   (unsigned long long)st.st_size >> 20, ELF_MAX_INPUT_BYTES >> 20);
        goto out;
    }
    for (;;) {
        if (len > ELF_MAX_INPUT_BYTES) {   /* a pipe or a device: no size to check first */
            diag_error(d, "too large: more than the %llu MiB dbt-aot accepts", ELF_MAX_INPUT_BYTES >> 20);
            goto out;
        }
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL) {
                diag_error(d, "out of memory");
                goto out;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                diag_error(d, "cannot read: %s", strerror(errno));
                goto out;
            }
            break;
        }
    }
    *data = buf;
    *size = len;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

void elf_free(GuestImage *img)
{
    for (size_t i = 0; i < img->nsyms; i++)
        free(img->syms[i].name);
    free(img->syms);
    free(img->labels);
    free(img->binds);
    free(img->segs);
    free(img->data);
    free(img->file);
    for (size_t i = 0; i < img->nneeded; i++)
        free(img->needed[i]);
    free(img->needed);
    free(img->interp);
    free(img->runpath);
    free(img->soname);
    memset(img, 0, sizeof *img);
}

bool elf_read(const GuestImage *img, uint64_t vaddr, void *buf, size_t n)
{
    uint8_t *out = buf;
    while (n > 0) {
        const GuestSegment *s = NULL;
        for (size_t i = 0; i < img->nsegs; i++)
            if (vaddr >= img->segs[i].vaddr && vaddr - img->segs[i].vaddr < img->segs[i].memsz) {
                s = &img->segs[i];
                break;
            }
        if (s == NULL)
            return false;
        uint64_t off = vaddr - s->vaddr;
        uint64_t chunk = s->memsz - off;
        if (chunk > n)
            chunk = n;
        for (uint64_t k = 0; k < chunk; k++)
            out[k] = off + k < s->filesz ? img->data[s->offset + off + k] : 0;
        out += chunk;
        vaddr += chunk;
        n -= chunk;
    }
    return true;
}

bool elf_is_code(const GuestImage *img, uint64_t vaddr)
{
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *s = &img->segs[i];
        if ((s->flags & PF_X) && vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz)
            return true;
    }
    return false;
}

bool elf_is_label(const GuestImage *img, uint64_t vaddr)
{
    return img->nlabels && bsearch(&vaddr, img->labels, img->nlabels, sizeof *img->labels, cmp_u64) != NULL;
}

const GuestSymbol *elf_symbol_at(const GuestImage *img, uint64_t vaddr)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr < vaddr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < img->nsyms && img->syms[lo].addr == vaddr ? &img->syms[lo] : NULL;
}

static int cmp_bind_addr(const void *a, const void *b)
{
    uint64_t x = ((const GuestBind *)a)->addr, y = ((const GuestBind *)b)->addr;
    return x < y ? -1 : x > y;
}

unsigned elf_binding_at(const GuestImage *img, uint64_t vaddr)
{
    GuestBind key = {vaddr, 0};
    const GuestBind *b = img->nbinds ? bsearch(&key, img->binds, img->nbinds, sizeof *b, cmp_bind_addr) : NULL;
    if (b != NULL)
        return b->id;
    /* No symbol names anything in a stripped executable: its code does. */
    return img->nsyms == 0 && img->soname == NULL && elf_is_code(img, vaddr) ? known_code_at(img, vaddr) : 0;
}

const GuestSymbol *elf_symbol_containing(const GuestImage *img, uint64_t vaddr)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) { /* first symbol with addr > vaddr */
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr <= vaddr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const GuestSymbol *s = &img->syms[lo - 1];
    return vaddr - s->addr < s->size ? s : NULL;
}
