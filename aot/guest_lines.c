/*
 * guest_lines.c - the guest's DWARF line table (guest_lines.h).
 *
 * Every compilation unit's line program is expanded by libdwarf into rows
 * (address, file, line, end of sequence); they are collected from all
 * units, file names interned, sorted by address, and where several rows
 * share an address (GCC's location views) the last one is kept, as
 * addr2line does.
 */
#define _GNU_SOURCE
#include "guest_lines.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Builder {
    GuestLines *gl;
    size_t caprows, capfiles;
    /* Interning: open addressing over file indices + 1 (0 = empty). */
    uint32_t *slots;
    size_t nslots;
} Builder;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool grow_slots(Builder *b)
{
    size_t n = b->nslots ? 2 * b->nslots : 64;
    uint32_t *s = calloc(n, sizeof *s);
    if (s == NULL)
        return false;
    for (size_t i = 0; i < b->gl->nfiles; i++) {
        size_t k = hash_str(b->gl->files[i]) & (n - 1);
        while (s[k] != 0)
            k = (k + 1) & (n - 1);
        s[k] = (uint32_t)i + 1;
    }
    free(b->slots);
    b->slots = s;
    b->nslots = n;
    return true;
}

/* The index of file NAME, added if new; -1 when out of memory. */
static long intern(Builder *b, const char *name)
{
    GuestLines *gl = b->gl;
    if (2 * (gl->nfiles + 1) > b->nslots && !grow_slots(b))
        return -1;
    size_t k = hash_str(name) & (b->nslots - 1);
    for (; b->slots[k] != 0; k = (k + 1) & (b->nslots - 1))
        if (strcmp(gl->files[b->slots[k] - 1], name) == 0)
            return b->slots[k] - 1;
    if (gl->nfiles == b->capfiles) {
        size_t n = b->capfiles ? 2 * b->capfiles : 16;
        char **f = realloc(gl->files, n * sizeof *f);
        if (f == NULL)
            return -1;
        gl->files = f;
        b->capfiles = n;
    }
    char *copy = strdup(name);
    if (copy == NULL)
        return -1;
    gl->files[gl->nfiles] = copy;
    b->slots[k] = (uint32_t)++gl->nfiles;
    return (long)gl->nfiles - 1;
}

static bool add_row(Builder *b, uint64_t addr, long file, uint32_t line)
{
    GuestLines *gl = b->gl;
    if (gl->nrows == b->caprows) {
        size_t n = b->caprows ? 2 * b->caprows : 1024;
        GuestLineRow *r = realloc(gl->rows, n * sizeof *r);
        if (r == NULL)
            return false;
        gl->rows = r;
        b->caprows = n;
    }
    gl->rows[gl->nrows++] = (GuestLineRow){addr, (uint32_t)file, line};
    return true;
}

/* Whether LINE's file entry names a directory that exists.  libdwarf
 * 20210528's dwarf_linesrc indexes the include directories with the
 * entry's directory number unchecked: a DWARF 5 file entry with directory
 * 2 of 2 made it read a wild pointer (fuzz_elf; tests/fuzz/regress/
 * fuzz_elf/libdwarf-linesrc-dir-out-of-range).  Directory 0 is always
 * there (the unit's own, or the first entry in DWARF 5). */
static bool file_dir_exists(Dwarf_Line_Context lc, Dwarf_Line line)
{
    Dwarf_Unsigned fileno, dir = 0, mtime, len;
    const char *name = NULL, *dname = NULL;
    Dwarf_Form_Data16 *md5 = NULL;
    Dwarf_Error err = NULL;
    if (dwarf_line_srcfileno(line, &fileno, &err) != DW_DLV_OK ||
        dwarf_srclines_files_data_b(lc, (Dwarf_Signed)fileno, &name, &dir, &mtime, &len, &md5, &err) != DW_DLV_OK ||
        name == NULL)
        return false;
    return dir == 0 || dwarf_srclines_include_dir_data(lc, (Dwarf_Signed)dir, &dname, &err) == DW_DLV_OK;
}

/* The rows of one compilation unit's line program.  False: out of memory
 * (a unit whose program libdwarf cannot read is skipped). */
static bool unit_rows(Builder *b, Dwarf_Die cu, uint64_t bias)
{
    Dwarf_Unsigned version;
    Dwarf_Small tables;
    Dwarf_Line_Context lc;
    Dwarf_Error err = NULL;
    if (dwarf_srclines_b(cu, &version, &tables, &lc, &err) != DW_DLV_OK)
        return true;
    Dwarf_Line *lines;
    Dwarf_Signed n = 0;
    bool ok = true;
    if (dwarf_srclines_from_linecontext(lc, &lines, &n, &err) == DW_DLV_OK) {
        for (Dwarf_Signed i = 0; i < n && ok; i++) {
            Dwarf_Addr addr;
            Dwarf_Unsigned lineno;
            Dwarf_Bool end = 0;
            char *src = NULL;
            if (dwarf_lineaddr(lines[i], &addr, &err) != DW_DLV_OK || dwarf_lineno(lines[i], &lineno, &err) != DW_DLV_OK)
                continue;
            dwarf_lineendsequence(lines[i], &end, &err);
            if (end) {
                ok = add_row(b, addr + bias, 0, 0);
                continue;
            }
            if (!file_dir_exists(lc, lines[i]) || dwarf_linesrc(lines[i], &src, &err) != DW_DLV_OK)
                continue;
            long f = intern(b, src);
            ok = f >= 0 && add_row(b, addr + bias, f, lineno > UINT32_MAX ? 0 : (uint32_t)lineno);
        }
    }
    dwarf_srclines_dealloc_b(lc);
    return ok;
}

/* Row indices by address, then by position: the rows of one address stay
 * in the order the line programs wrote them, so the last one wins. */
static const GuestLineRow *sort_rows;

static int by_addr_then_index(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    uint64_t x = sort_rows[i].addr, y = sort_rows[j].addr;
    if (x != y)
        return x < y ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Sorts GL's rows by address, one row per address. */
static bool sort_unique(GuestLines *gl)
{
    size_t n = gl->nrows, m = 0;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    GuestLineRow *out = malloc((n ? n : 1) * sizeof *out);
    if (idx == NULL || out == NULL) {
        free(idx);
        free(out);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_rows = gl->rows;   /* the tool reads line tables on one thread */
    qsort(idx, n, sizeof *idx, by_addr_then_index);
    for (size_t k = 0; k < n; k++) {
        const GuestLineRow *r = &gl->rows[idx[k]];
        if (m > 0 && out[m - 1].addr == r->addr)
            out[m - 1] = *r;
        else
            out[m++] = *r;
    }
    free(idx);
    free(gl->rows);
    gl->rows = out;
    gl->nrows = m;
    return true;
}

/* The section header table as section_table_sane found it. */
typedef struct ShTable {
    Elf64_Ehdr eh;
    Elf64_Shdr sh0; /* section 0 */
    uint64_t n;     /* the number of sections */
} ShTable;

/* Whether FD's section header table is one libdwarf can be trusted with:
 * inside the file, section 0 as the gABI has it (sh_size 0 unless it holds
 * the count), every section with contents inside the file.  libdwarf
 * 20210528 does not check all of that before it allocates: a section 0
 * whose sh_size was 0xfff10004 made it ask for 4 GB (found by fuzz_elf;
 * tests/fuzz/regress/fuzz_elf/libdwarf-shdr0-size-4g).  Fills *T. */
static bool section_table_sane(int fd, ShTable *t)
{
    struct stat st;
    Elf64_Ehdr eh;
    if (fstat(fd, &st) != 0 || pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
        return false;
    uint64_t size = (uint64_t)st.st_size;
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shoff == 0 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
        eh.e_shoff > size || size - eh.e_shoff < sizeof(Elf64_Shdr))
        return false;
    Elf64_Shdr sh;
    if (pread(fd, &sh, sizeof sh, (off_t)eh.e_shoff) != (ssize_t)sizeof sh)
        return false;
    uint64_t n = eh.e_shnum ? eh.e_shnum : sh.sh_size;
    if ((eh.e_shnum != 0 && sh.sh_size != 0) || n == 0 || n > (size - eh.e_shoff) / sizeof(Elf64_Shdr))
        return false;
    *t = (ShTable){eh, sh, n};
    for (uint64_t i = 1; i < n; i++) {
        if (pread(fd, &sh, sizeof sh, (off_t)(eh.e_shoff + i * sizeof sh)) != (ssize_t)sizeof sh)
            return false;
        if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset))
            return false;
    }
    return true;
}

/* A cursor over a DWARF 5 line-table header; BAD once it read past END.
 * cur_fixed reads N little-endian bytes (AArch64 guests are), the value
 * of at most the first 8. */
typedef struct Cur {
    const uint8_t *p, *end;
    bool bad;
} Cur;

static uint64_t cur_fixed(Cur *c, unsigned n)
{
    uint64_t v = 0;
    if ((size_t)(c->end - c->p) < n) {
        c->bad = true;
        c->p = c->end;
        return 0;
    }
    for (unsigned i = 0; i < n && i < 8; i++) /* DW_FORM_data16 is only skipped */
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

static uint64_t cur_uleb(Cur *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; c->p < c->end; shift += 7) {
        uint8_t byte = *c->p++;
        if (shift < 64)
            v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

/* Skips one value of FORM, as a line-table header's entry formats may
 * use them; false for a form they do not use. */
static bool skip_form(Cur *c, uint64_t form, unsigned offsize)
{
    switch (form) {
    case DW_FORM_string: {
        const uint8_t *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
        if (nul == NULL)
            return false;
        c->p = nul + 1;
        return true;
    }
    case DW_FORM_line_strp: case DW_FORM_strp: case DW_FORM_strp_sup: cur_fixed(c, offsize); break;
    case DW_FORM_udata: case DW_FORM_strx: cur_uleb(c); break;
    case DW_FORM_data1: case DW_FORM_strx1: cur_fixed(c, 1); break;
    case DW_FORM_data2: case DW_FORM_strx2: cur_fixed(c, 2); break;
    case DW_FORM_strx3: cur_fixed(c, 3); break;
    case DW_FORM_data4: case DW_FORM_strx4: cur_fixed(c, 4); break;
    case DW_FORM_data8: cur_fixed(c, 8); break;
    case DW_FORM_data16: cur_fixed(c, 16); break;
    case DW_FORM_block: {
        uint64_t n = cur_uleb(c);
        if (n > (uint64_t)(c->end - c->p))
            return false;
        c->p += n;
        break;
    }
    default:
        return false;
    }
    return !c->bad;
}

/* One table of a DWARF 5 line header (the directories or the files): its
 * entry formats, its count, its entries.  False when the count cannot be
 * true: every entry holds at least one byte per format, so there are never
 * more entries than bytes left in the unit. */
static bool entry_table_sane(Cur *c, unsigned offsize)
{
    uint8_t nformats = (uint8_t)cur_fixed(c, 1);
    uint64_t forms[256];
    for (unsigned i = 0; i < nformats; i++) {
        cur_uleb(c);   /* the content type */
        forms[i] = cur_uleb(c);
    }
    uint64_t count = cur_uleb(c);
    if (c->bad || (nformats == 0 && count != 0) || count > (uint64_t)(c->end - c->p))
        return false;
    for (uint64_t e = 0; e < count; e++)
        for (unsigned i = 0; i < nformats; i++)
            if (!skip_form(c, forms[i], offsize))
                return false;
    return true;
}

/* Whether the line-table headers in .debug_line (BYTES, SIZE) are ones
 * libdwarf can be trusted with.  libdwarf 20210528 allocates a DWARF 5
 * header's directory and file arrays by the counts the header states
 * before it reads the entries: a count of 72,055,876,051,004,926 made it
 * ask calloc for 0x7fff37fffff6ff0 bytes (found by fuzz_elf;
 * tests/fuzz/regress/fuzz_elf/libdwarf-dwarf5-dir-count).  Versions 2-4
 * end their lists with a zero instead of counting them and are left to
 * libdwarf. */
static bool line_headers_sane(const uint8_t *bytes, size_t size)
{
    Cur c = {bytes, bytes + size, false};
    while (c.p < c.end) {
        unsigned offsize = 4;
        uint64_t len = cur_fixed(&c, 4);
        if (len == 0xffffffff) {
            offsize = 8;
            len = cur_fixed(&c, 8);
        }
        if (c.bad || len > (uint64_t)(c.end - c.p))
            return false;
        Cur u = {c.p, c.p + len, false};
        c.p += len;
        if (cur_fixed(&u, 2) != 5)
            continue;
        cur_fixed(&u, 2);   /* address size, segment selector size */
        cur_fixed(&u, offsize);   /* header length */
        cur_fixed(&u, 5);   /* minimum instruction length .. line range */
        uint8_t opcode_base = (uint8_t)cur_fixed(&u, 1);
        for (unsigned i = 1; i < opcode_base; i++)
            cur_fixed(&u, 1);
        if (u.bad || !entry_table_sane(&u, offsize) || !entry_table_sane(&u, offsize))
            return false;
    }
    return !c.bad;
}

/* Whether FD's .debug_line, if it has one, is sane (line_headers_sane).
 * T: its section table, which section_table_sane checked.  A compressed
 * .debug_line is left to libdwarf. */
static bool debug_line_sane(int fd, const ShTable *t)
{
    const Elf64_Ehdr eh = t->eh;
    Elf64_Shdr strtab, sh;
    uint64_t n = t->n;
    uint64_t stri = eh.e_shstrndx == SHN_XINDEX ? t->sh0.sh_link : eh.e_shstrndx;
    if (stri == 0 || stri >= n ||
        pread(fd, &strtab, sizeof strtab, (off_t)(eh.e_shoff + stri * sizeof strtab)) != (ssize_t)sizeof strtab)
        return true;   /* no section names: libdwarf finds no .debug_line either */
    static const char want[] = ".debug_line";
    for (uint64_t i = 1; i < n; i++) {
        char name[sizeof want];
        if (pread(fd, &sh, sizeof sh, (off_t)(eh.e_shoff + i * sizeof sh)) != (ssize_t)sizeof sh)
            return false;
        if (sh.sh_type == SHT_NOBITS || sh.sh_name >= strtab.sh_size || strtab.sh_size - sh.sh_name < sizeof want ||
            pread(fd, name, sizeof name, (off_t)(strtab.sh_offset + sh.sh_name)) != (ssize_t)sizeof name ||
            memcmp(name, want, sizeof want) != 0)
            continue;
        if (sh.sh_flags & SHF_COMPRESSED)
            continue;
        uint8_t *bytes = malloc(sh.sh_size ? sh.sh_size : 1);
        if (bytes == NULL)
            return false;
        bool ok = pread(fd, bytes, sh.sh_size, (off_t)sh.sh_offset) == (ssize_t)sh.sh_size &&
                  line_headers_sane(bytes, sh.sh_size);
        free(bytes);
        if (!ok)
            return false;
    }
    return true;
}

int guest_lines_read(GuestLines *gl, const char *path, uint64_t bias, Diag *d)
{
    memset(gl, 0, sizeof *gl);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return diag_error(d, "cannot open %s: %s", path, strerror(errno));
    ShTable t;
    if (!section_table_sane(fd, &t) || !debug_line_sane(fd, &t)) {
        close(fd);
        return 0;   /* nothing libdwarf could read safely: no lines */
    }
    Dwarf_Debug dbg;
    Dwarf_Error err = NULL;
    int res = dwarf_init_b(fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &dbg, &err);
    if (res != DW_DLV_OK) {
        /* A file libdwarf rejects (bad section headers, say) comes with an
         * error record allocated without a Dwarf_Debug: dwarf_finish never
         * sees it, so it is freed here (found by fuzz_elf: a leak per bad
         * file, regression test guest_lines_bad_elf_no_leak). */
        if (res == DW_DLV_ERROR)
            dwarf_dealloc_error(NULL, err);
        close(fd);
        return 0;   /* no DWARF (or none libdwarf understands): no lines */
    }
    Builder b = {gl, 0, 0, NULL, 0};
    bool ok = true;
    for (;;) {
        Dwarf_Unsigned next;
        Dwarf_Half type;
        if (dwarf_next_cu_header_d(dbg, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &next, &type, &err) !=
            DW_DLV_OK)
            break;
        Dwarf_Die cu = NULL;
        if (dwarf_siblingof_b(dbg, NULL, true, &cu, &err) != DW_DLV_OK)
            continue;
        ok = unit_rows(&b, cu, bias);
        dwarf_dealloc(dbg, cu, DW_DLA_DIE);
        if (!ok)
            break;
    }
    dwarf_finish(dbg, &err);
    close(fd);
    free(b.slots);
    if (!ok) {
        guest_lines_free(gl);
        return diag_error(d, "%s: out of memory reading the line table", path);
    }
    if (!sort_unique(gl)) {
        guest_lines_free(gl);
        return diag_error(d, "out of memory");
    }
    return 0;
}

bool guest_lines_at(const GuestLines *gl, uint64_t pc, LiftLine *out)
{
    size_t lo = 0, hi = gl->nrows;
    while (lo < hi) {   /* the first row above pc */
        size_t mid = lo + (hi - lo) / 2;
        if (gl->rows[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || gl->rows[lo - 1].line == 0)
        return false;
    out->file = gl->files[gl->rows[lo - 1].file];
    out->line = gl->rows[lo - 1].line;
    return true;
}

void guest_lines_free(GuestLines *gl)
{
    for (size_t i = 0; i < gl->nfiles; i++)
        free(gl->files[i]);
    free(gl->files);
    free(gl->rows);
    memset(gl, 0, sizeof *gl);
}
