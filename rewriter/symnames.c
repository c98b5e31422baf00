/*
 * symnames.c - the guest's names on translated functions (symnames.h).
 *
 * The lifter names functions by guest address because names must be
 * unique, must not collide with anything the runtime or LLVM's library
 * calls link against (a guest `memcpy` translated under that name would
 * catch the code generator's own calls to memcpy), and must be known in
 * every unit before the functions are.  After linking, the names only
 * serve the user's tools, and lld has made the symbols local: renaming
 * them in .symtab is safe and costs one pass over the table.
 */
#define _GNU_SOURCE
#include "symnames.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_out.h"
#include "lifter.h"

/* The guest entry of a translated function's symbol name, or false. */
static bool translated_entry(const char *name, uint64_t *entry)
{
    char want[32];
    if (strncmp(name, "g_", 2) != 0 || strlen(name) != 18)
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(name + 2, &end, 16);
    if (*end != '\0' || errno != 0)
        return false;
    lift_function_name(v, want, sizeof want);
    if (strcmp(want, name) != 0)
        return false;   /* not in the lifter's exact spelling */
    *entry = v;
    return true;
}

static int by_entry(const void *key, const void *elem)
{
    uint64_t k = *(const uint64_t *)key, e = ((const SymName *)elem)->entry;
    return k < e ? -1 : k > e;
}

static uint64_t align8(uint64_t v) { return (v + 7) & ~(uint64_t)7; }

int symnames_apply(const char *path, const SymName *names, size_t n, Diag *d)
{
    ElfOut e;
    if (elf_out_open(&e, path) != 0)
        return diag_error(d, "cannot reopen %s: %s", path, strerror(errno));
    int rc = -1;
    Elf64_Sym *syms = NULL;
    char *str = NULL, *nstr = NULL;
    Elf64_Shdr *symtab = elf_out_section(&e, ".symtab", SHT_SYMTAB);
    if (symtab == NULL || n == 0) {
        rc = 0;   /* stripped by the link, or nothing to name */
        goto out;
    }
    if (symtab->sh_link >= e.eh.e_shnum || symtab->sh_entsize != sizeof(Elf64_Sym))
        goto bad;
    Elf64_Shdr *strtab = &e.sh[symtab->sh_link];
    syms = elf_out_read(&e, symtab);
    str = elf_out_read(&e, strtab);
    if (syms == NULL || str == NULL)
        goto bad;
    size_t nsyms = symtab->sh_size / sizeof *syms;

    /* The new string table: the old one, then the guest names used. */
    size_t cap = strtab->sh_size, len = strtab->sh_size, renamed = 0;
    for (size_t i = 0; i < n; i++)
        cap += strlen(names[i].name) + 1;
    nstr = malloc(cap ? cap : 1);
    if (nstr == NULL) {
        diag_error(d, "out of memory");
        goto out;
    }
    memcpy(nstr, str, strtab->sh_size);
    for (size_t i = 0; i < nsyms; i++) {
        uint64_t entry;
        const SymName *sn;
        if (ELF64_ST_BIND(syms[i].st_info) != STB_LOCAL || syms[i].st_name >= strtab->sh_size ||
            !translated_entry(str + syms[i].st_name, &entry) || (sn = bsearch(&entry, names, n, sizeof *names, by_entry)) == NULL)
            continue;
        size_t l = strlen(sn->name) + 1;
        if (len + l > cap)
            goto bad;   /* one symbol per function: cannot happen */
        memcpy(nstr + len, sn->name, l);
        syms[i].st_name = (Elf64_Word)len;
        len += l;
        renamed++;
    }
    if (renamed == 0) {
        rc = 0;
        goto out;
    }
    if (len > UINT32_MAX)
        goto bad;

    /* The string table goes after every other section's contents (where it
     * was, when it was last, as lld puts it), the section headers after it. */
    uint64_t end = e.eh.e_phoff + (uint64_t)e.eh.e_phnum * e.eh.e_phentsize;
    for (unsigned i = 0; i < e.eh.e_shnum; i++)
        if (&e.sh[i] != strtab && e.sh[i].sh_type != SHT_NOBITS && e.sh[i].sh_offset + e.sh[i].sh_size > end)
            end = e.sh[i].sh_offset + e.sh[i].sh_size;
    strtab->sh_offset = end;
    strtab->sh_size = len;
    e.eh.e_shoff = align8(end + len);
    if (pwrite(e.fd, nstr, len, (off_t)strtab->sh_offset) != (ssize_t)len ||
        pwrite(e.fd, syms, symtab->sh_size, (off_t)symtab->sh_offset) != (ssize_t)symtab->sh_size ||
        elf_out_write_headers(&e) != 0 ||
        ftruncate(e.fd, (off_t)(e.eh.e_shoff + (uint64_t)e.eh.e_shnum * sizeof *e.sh)) != 0) {
        diag_error(d, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
bad:
    diag_error(d, "%s: unexpected symbol table layout in the linked output", path);
out:
    free(nstr);
    free(str);
    free(syms);
    elf_out_close(&e);
    return rc;
}
