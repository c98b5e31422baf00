/*
 * elf_out.c - reading and patching a linked output ELF (elf_out.h).
 */
#define _GNU_SOURCE
#include "elf_out.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool read_at(int fd, void *buf, size_t n, uint64_t off)
{
    return pread(fd, buf, n, (off_t)off) == (ssize_t)n;
}

int elf_out_open(ElfOut *e, const char *path)
{
    memset(e, 0, sizeof *e);
    e->fd = open(path, O_RDWR | O_CLOEXEC);
    if (e->fd < 0)
        return -1;
    Elf64_Ehdr *eh = &e->eh;
    if (!read_at(e->fd, eh, sizeof *eh, 0) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
        eh->e_shstrndx >= eh->e_shnum)
        goto bad;
    e->sh = calloc(eh->e_shnum, sizeof *e->sh);
    if (e->sh == NULL || !read_at(e->fd, e->sh, eh->e_shnum * sizeof *e->sh, eh->e_shoff))
        goto bad;
    e->shnames = elf_out_read(e, &e->sh[eh->e_shstrndx]);
    if (e->shnames == NULL)
        goto bad;
    e->shnames_size = e->sh[eh->e_shstrndx].sh_size;
    return 0;
bad:
    elf_out_close(e);
    errno = EINVAL;
    return -1;
}

Elf64_Shdr *elf_out_section(const ElfOut *e, const char *name, unsigned type)
{
    for (unsigned i = 0; i < e->eh.e_shnum; i++)
        if (e->sh[i].sh_name < e->shnames_size && e->sh[i].sh_type == type &&
            strcmp(e->shnames + e->sh[i].sh_name, name) == 0)
            return &e->sh[i];
    return NULL;
}

void *elf_out_read(const ElfOut *e, const Elf64_Shdr *s)
{
    if (s->sh_type == SHT_NOBITS || s->sh_size > SIZE_MAX - 1)
        return NULL;
    char *buf = malloc(s->sh_size + 1);
    if (buf == NULL || !read_at(e->fd, buf, s->sh_size, s->sh_offset)) {
        free(buf);
        return NULL;
    }
    buf[s->sh_size] = '\0';
    return buf;
}

int elf_out_write_headers(const ElfOut *e)
{
    size_t n = e->eh.e_shnum * sizeof *e->sh;
    if (pwrite(e->fd, e->sh, n, (off_t)e->eh.e_shoff) != (ssize_t)n ||
        pwrite(e->fd, &e->eh, sizeof e->eh, 0) != (ssize_t)sizeof e->eh)
        return -1;
    return 0;
}

void elf_out_close(ElfOut *e)
{
    if (e->fd >= 0)
        close(e->fd);
    free(e->sh);
    free(e->shnames);
    memset(e, 0, sizeof *e);
    e->fd = -1;
}
