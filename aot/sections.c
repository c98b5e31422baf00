/* sections.c - the guest file's code sections and unwind-table locations
 * (see sections.h), through libelf. */
#include "sections.h"

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <string.h>

/* Adds the part of the code section [LO, LO + SIZE) that the executable
 * segments map from the file.  What a broken header claims beyond that
 * is no code, and would cost a scan of up to 2^64 bytes: cfg.c walks the
 * code sections word by word (found by fuzz_elf, a .text of 2^62 bytes;
 * regression test cfg_huge_code_section). */
static bool push_code(GuestSections *s, const GuestImage *img, uint64_t lo, uint64_t size)
{
    uint64_t hi = size > UINT64_MAX - lo ? UINT64_MAX : lo + size;
    for (size_t i = 0; i < img->nsegs; i++) {
        const GuestSegment *g = &img->segs[i];
        if (!(g->flags & PF_X))
            continue;
        uint64_t ghi = g->filesz > UINT64_MAX - g->vaddr ? UINT64_MAX : g->vaddr + g->filesz;
        uint64_t a = lo > g->vaddr ? lo : g->vaddr, b = hi < ghi ? hi : ghi;
        if (a < b && !ranges_push(&s->code, a, b))
            return false;
    }
    return true;
}

/* The executable sections and .eh_frame, from the section headers; the
 * last .eh_frame wins.  False if out of memory. */
static bool read_section_headers(GuestSections *s, const GuestImage *img, Elf *e)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        return true;
    for (Elf_Scn *scn = elf_nextscn(e, NULL); scn != NULL; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC) ||
            sh.sh_size == 0)
            continue;
        if ((sh.sh_flags & SHF_EXECINSTR) && !push_code(s, img, sh.sh_addr + img->bias, sh.sh_size))
            return false;
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        if (name != NULL && strcmp(name, ".eh_frame") == 0 && sh.sh_offset <= img->size &&
            sh.sh_size <= img->size - sh.sh_offset) {
            s->has_eh_frame = true;
            s->eh_frame_addr = sh.sh_addr + img->bias;
            s->eh_frame_offset = sh.sh_offset;
            s->eh_frame_size = sh.sh_size;
        }
    }
    return true;
}

/* The first PT_GNU_EH_FRAME program header. */
static void read_eh_frame_phdr(GuestSections *s, const GuestImage *img, Elf *e)
{
    size_t phnum;
    if (elf_getphdrnum(e, &phnum) != 0)
        return;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(e, (int)i, &ph) != NULL && ph.p_type == PT_GNU_EH_FRAME) {
            s->has_eh_frame_hdr = true;
            s->eh_frame_hdr_addr = ph.p_vaddr + img->bias;
            return;
        }
    }
}

int sections_read(GuestSections *s, const GuestImage *img)
{
    memset(s, 0, sizeof *s);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return 0;
    Elf *e = elf_memory((char *)img->data, img->size);
    if (e == NULL)
        return 0;
    bool ok = read_section_headers(s, img, e);
    read_eh_frame_phdr(s, img, e);
    elf_end(e);
    if (!ok) {
        sections_free(s);
        return -1;
    }
    ranges_normalize(&s->code);
    if (ranges_find(&s->code, img->entry) == NULL)
        s->code.n = 0;  /* sections that miss the entry point: not trusted */
    return 0;
}

void sections_free(GuestSections *s)
{
    ranges_free(&s->code);
    memset(s, 0, sizeof *s);
}

bool sections_is_code(const GuestSections *s, const GuestImage *img, uint64_t a)
{
    return elf_is_code(img, a) && (s->code.n == 0 || ranges_find(&s->code, a) != NULL);
}
